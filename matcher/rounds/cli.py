"""The ledger commands: thin click wrappers around `Ledger`; registered on `matcher`.

`matcher match CLIENTS VOLUNTEERS` proposes from files; `matcher match end CLIENT` ends a match
in the ledger. LedgerGroup routes the second form to the `end-match` command, so both work.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from matcher.cli_config import config_path_default, date_type
from matcher.cli_errors import INPUT_PATH, reports_errors
from matcher.cli_sheet import sheet_option

F = TypeVar("F", bound=Callable[..., Any])
END_MATCH = "end-match"


class LedgerGroup(click.Group):
    """`matcher match end …` is `matcher end-match …`; any other `match …` is unchanged."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if len(args) >= 2 and args[0] == "match" and args[1] == "end":
            command = self.get_command(ctx, END_MATCH)
            if command is not None:
                # Named as typed, so usage and errors read "matcher match end".
                return "match end", command, args[2:]
        return super().resolve_command(ctx, args)


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_path",
        envvar="MATCHER_DB",
        default="matcher.db",
        show_default=True,
        # Not dir_okay=False: a folder is refused by the ledger with one line and exit 1.
        type=click.Path(),
        help="The ledger file (or set MATCHER_DB).",
    )(func)


def date_option(help_text: str) -> Callable[[F], F]:
    return click.option(
        "--date",
        "on",
        type=date_type(),
        default=None,
        help=f"{help_text} (YYYY-MM-DD or DD-MM-YYYY); default today.",
    )


def force_option(func: F) -> F:
    return click.option(
        "--force",
        is_flag=True,
        help="Keep a --date before the round's (or the latest round's) date; the audit"
        " trail says so.",
    )(func)


def config_option(func: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=INPUT_PATH,
        default=None,
        callback=config_path_default,
        help="TOML config (column mapping, weights, rules); default $MATCHER_CONFIG, else"
        " ./matcher.toml if there.",
    )(func)


def day(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


def open_ledger(db_path: str) -> Any:
    from matcher.rounds import Ledger
    from matcher.rounds.db import busy_timeout_from_env

    return Ledger(db_path, busy_timeout_s=busy_timeout_from_env())


def id_list(values: Iterable[str]) -> list[str]:
    """`--only K1 --only K2` and `--only K1,K2` both work."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


# ---------------------------------------------------------------------------------- db, import


@click.group("db")
def db_group() -> None:
    """Create or upgrade the ledger database."""


@db_group.command("init")
@db_option
@reports_errors
def db_init(db_path: str) -> None:
    """Create the ledger (readable by you only), or upgrade an older one."""
    from matcher.rounds import Ledger
    from matcher.rounds.db import busy_timeout_from_env

    with Ledger.create(db_path, busy_timeout_s=busy_timeout_from_env()) as ledger:
        version, old = ledger.schema_version, ledger.upgraded_from
    if old == 0:
        click.echo(f"Created ledger {db_path} (schema v{version}, readable by you only).")
    elif old is not None:
        click.echo(f"Upgraded ledger {db_path} from schema v{old} to v{version}.")
    else:
        click.echo(f"{db_path} is already a ledger (schema v{version}); nothing to do.")


@db_group.command("check")
@db_option
@reports_errors
def db_check(db_path: str) -> None:
    """List every damaged record (table, id, what is wrong); exit 1 if there is any."""
    with open_ledger(db_path) as ledger:
        damaged = ledger.check()
    if not damaged:
        click.echo(f"{db_path}: every record reads; no damage found.")
        return
    click.echo(f"{db_path}: {len(damaged)} damaged record(s):", err=True)
    for damage in damaged:
        click.echo(f"  {damage}", err=True)
    click.echo(
        "Import the clients or volunteers file again to repair their records;"
        " restore a backup for anything else.",
        err=True,
    )
    sys.exit(1)


@click.group("import")
def import_group() -> None:
    """Add or update clients or volunteers from a file (upsert by id; all or nothing)."""


def _import(kind: str) -> Callable[..., None]:
    @click.argument("file", type=INPUT_PATH)
    @config_option
    @sheet_option
    @date_option("The intake date for new clients without waiting_since")
    @click.option(
        "--skip-invalid",
        is_flag=True,
        help="Import the valid rows and write the refused ones, with their problems, to"
        " --refused (default FILE-refused.csv beside FILE) to fix and import again.",
    )
    @click.option(
        "--refused",
        "refused_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="Where --skip-invalid writes the refused rows.",
    )
    @db_option
    @reports_errors
    def command(
        file: str,
        config_path: str | None,
        on: dt.datetime | None,
        skip_invalid: bool,
        refused_path: str | None,
        db_path: str,
        allow_erased: bool = False,
    ) -> None:
        from matcher.cli_sheet import with_sheet
        from matcher.config import load_config
        from matcher.errors import InputError
        from matcher.io import read_clients, read_volunteers, write_atomic
        from matcher.io.partial import default_refused_path, refused_text, split_refused
        from matcher.terminal import visible

        if refused_path is not None and not skip_invalid:
            raise click.UsageError("--refused goes with --skip-invalid")
        config = with_sheet(load_config(config_path))
        columns = config.columns
        sheet = columns.clients_sheet if kind == "clients" else columns.volunteers_sheet
        # Read and validated in full before the ledger is touched: a bad file imports nothing,
        # unless she asked for the valid rows (--skip-invalid).
        refused: dict[int, Any] = {}
        try:
            records = (read_clients if kind == "clients" else read_volunteers)(file, config)
        except InputError as error:
            if not skip_invalid:
                raise
            partial = split_refused(error, file)
            records, refused = partial.valid, partial.refused
        refused_file = Path(refused_path or default_refused_path(file))

        def write_refused() -> None:
            # Inside the import's transaction: no refused file, no import.
            if refused:
                write_atomic(refused_file, refused_text(file, refused, sheet=sheet))

        with open_ledger(db_path) as ledger:
            if kind == "clients":
                summary = ledger.import_clients(
                    records, on=day(on), allow_erased=allow_erased, before_commit=write_refused
                )
            else:
                summary = ledger.import_volunteers(records, on=day(on), before_commit=write_refused)
        click.echo(f"Imported {summary}.")
        if refused:
            click.echo(
                f"Refused {len(refused)} row(s), written with their problems to {refused_file}:"
                " fix them there and import that file."
            )
        for note in summary.notes:
            click.echo(f"  ! {visible(note)}")  # notes quote ids from the file

    command.__doc__ = f"Import {kind} from FILE (CSV, JSON, workbook), validated like `match`."
    return command


import_group.command("clients")(
    click.option(
        "--allow-erased",
        is_flag=True,
        help="Import clients erased with `matcher forget` again (refused without it).",
    )(_import("clients"))
)
import_group.command("volunteers")(_import("volunteers"))


# ------------------------------------------------------------------------ pins and volunteers


@click.command("pin")
@click.argument("client_id", metavar="CLIENT")
@click.argument("volunteer_id", metavar="VOLUNTEER")
@date_option("The day the pair was decided")
@force_option
@db_option
@reports_errors
def pin(
    client_id: str, volunteer_id: str, on: dt.datetime | None, force: bool, db_path: str
) -> None:
    """Keep CLIENT with VOLUNTEER: a pair already decided; the next round proposes it."""
    with open_ledger(db_path) as ledger:
        replaced = ledger.pin(client_id, volunteer_id, on=day(on), force=force)
    was = f" (instead of {replaced})" if replaced else ""
    click.echo(f"Pinned {client_id} to {volunteer_id}{was}; the next round keeps this pair.")


@click.command("unpin")
@click.argument("client_id", metavar="CLIENT")
@db_option
@reports_errors
def unpin(client_id: str, db_path: str) -> None:
    """Remove CLIENT's pin."""
    with open_ledger(db_path) as ledger:
        volunteer_id = ledger.unpin(client_id)
    click.echo(f"Unpinned {client_id} from {volunteer_id}.")


@click.group("volunteer")
def volunteer_group() -> None:
    """Pause or resume a volunteer."""


@volunteer_group.command("pause")
@click.argument("volunteer_id", metavar="VOLUNTEER")
@click.option(
    "--until",
    type=date_type(),
    required=True,
    help="First day the volunteer takes new clients again (YYYY-MM-DD or DD-MM-YYYY).",
)
@date_option("The day the pause starts")
@force_option
@db_option
@reports_errors
def pause(
    volunteer_id: str, until: dt.datetime, on: dt.datetime | None, force: bool, db_path: str
) -> None:
    """No new clients for VOLUNTEER until a date; active matches go on."""
    with open_ledger(db_path) as ledger:
        ledger.pause(volunteer_id, until=until.date(), on=day(on), force=force)
    click.echo(f"Paused {volunteer_id} until {until.date()}: no new clients before then.")


@volunteer_group.command("resume")
@click.argument("volunteer_id", metavar="VOLUNTEER")
@db_option
@reports_errors
def resume(volunteer_id: str, db_path: str) -> None:
    """Lift VOLUNTEER's pause."""
    with open_ledger(db_path) as ledger:
        was_paused = ledger.resume(volunteer_id)
    click.echo(f"Resumed {volunteer_id}." if was_paused else f"{volunteer_id} was not paused.")


def register(main: click.Group) -> None:
    """Add the ledger commands to the `matcher` group."""
    from matcher.rounds import cli_round

    for command in (db_group, import_group, pin, unpin, volunteer_group):
        main.add_command(command)
    for command in cli_round.COMMANDS:
        main.add_command(command)
