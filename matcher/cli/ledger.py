"""The ledger's commands for its database, imports, pins and volunteers' pauses."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import Literal

import click

from matcher.cli.errors import reports_errors
from matcher.cli.options import (
    INPUT_PATH,
    config_option,
    date_option,
    date_type,
    day,
    db_option,
    force_option,
    sheet_option,
    with_sheet,
)
from matcher.config import load_config
from matcher.rounds import create_ledger, open_ledger
from matcher.rounds.import_file import import_file
from matcher.terminal import visible

LEDGER_CONFIG_HELP = (
    "TOML config (column mapping, weights, rules); default $MATCHER_CONFIG, else"
    " ./matcher.toml if there."
)

# ---------------------------------------------------------------------------------- db, import


@click.group("db")
def db_group() -> None:
    """Create or upgrade the ledger database."""


@db_group.command("init")
@db_option()
@reports_errors
def db_init(db_path: str) -> None:
    """Create the ledger (readable by you only), or upgrade an older one."""
    with create_ledger(db_path) as ledger:
        version, old = ledger.schema_version, ledger.upgraded_from
    if old == 0:
        click.echo(f"Created ledger {db_path} (schema v{version}, readable by you only).")
    elif old is not None:
        click.echo(f"Upgraded ledger {db_path} from schema v{old} to v{version}.")
    else:
        click.echo(f"{db_path} is already a ledger (schema v{version}); nothing to do.")


@db_group.command("check")
@db_option()
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


def _import(kind: Literal["clients", "volunteers"]) -> Callable[..., None]:
    @click.argument("file", type=INPUT_PATH)
    @config_option(LEDGER_CONFIG_HELP)
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
    @db_option()
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
        if refused_path is not None and not skip_invalid:
            raise click.UsageError("--refused goes with --skip-invalid")
        config = with_sheet(load_config(config_path))
        done = import_file(
                db_path, kind, file, config, on=day(on), skip_invalid=skip_invalid,
                refused_path=refused_path, allow_erased=allow_erased,
            )  # fmt: skip
        click.echo(f"Imported {done.summary}.")
        if done.refused_rows:
            click.echo(
                f"Refused {done.refused_rows} row(s), written with their problems to"
                f" {done.refused_file}: fix them there and import that file."
            )
        for note in done.summary.notes:
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
@db_option()
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
@db_option()
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
@db_option()
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
@db_option()
@reports_errors
def resume(volunteer_id: str, db_path: str) -> None:
    """Lift VOLUNTEER's pause."""
    with open_ledger(db_path) as ledger:
        was_paused = ledger.resume(volunteer_id)
    click.echo(f"Resumed {volunteer_id}." if was_paused else f"{volunteer_id} was not paused.")
