"""The ledger's commands for rounds, endings, status, history and privacy."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

import click

from matcher.cli.errors import reports_errors
from matcher.cli.ledger import LEDGER_CONFIG_HELP
from matcher.cli.names import names_files, read_names
from matcher.cli.options import (
    config_option,
    date_option,
    day,
    db_option,
    force_option,
    format_option,
    lang_option,
    policy_option,
)
from matcher.cli.outputs import check_distinct_outputs
from matcher.cli.round_outputs import RoundOutputs, round_output_options
from matcher.config import load_config
from matcher.io import write_atomic
from matcher.proposals_book import book_of_round
from matcher.report import RoundInput, round_report
from matcher.rounds import DECLINED_BY, END_REASONS, open_ledger
from matcher.rounds.explain_nl import ledger_explanation_text
from matcher.rounds.propose import RoundProposal
from matcher.rounds.render import history_text, proposal_json, proposal_text, status_text
from matcher.terminal import visible


def id_list(values: Iterable[str]) -> list[str]:
    """`--only K1 --only K2` and `--only K1,K2` both work."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


# ----------------------------------------------------------------------------------- rounds


@click.group("round")
def round_group() -> None:
    """Propose a round, show it, accept or decline its pairs."""


@round_group.command("propose")
@policy_option()
@config_option(LEDGER_CONFIG_HELP)
@date_option("Round date; fixes weeks waited and pauses")
@format_option()
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True,
              help="Rows of the printed tables (the ledger keeps all).")  # fmt: skip
@round_output_options(ledger=True, excel_nl_help="The --call-list as a Dutch Excel opens it.")
@force_option
@db_option()
@reports_errors
def propose(
    policy: str | None,
    config_path: str | None,
    on: dt.datetime | None,
    output_format: str,
    limit: int,
    outputs: RoundOutputs,
    force: bool,
    db_path: str,
) -> None:
    """Propose pairs for waiting clients and free places; store and print them with reasons."""
    config = load_config(config_path)
    columns = outputs.check()
    if outputs.excel_nl and not outputs.call_list_path:
        raise click.UsageError("--excel-nl goes with --call-list")
    names_paths = outputs.names_paths or ()
    check_distinct_outputs(
        outputs.paths,
        inputs={"--db": db_path, "--config": config_path,
                **{f"--names {path}": path for path in names_paths}},
    )  # fmt: skip
    # Her names are read before the round: a sheet that cannot be read stores no round.
    kept = read_names(names_files(names_paths, config), columns, config)

    def write_outputs(proposal: RoundProposal) -> None:
        # Inside the round's transaction: files that cannot be written store no round.
        language = outputs.language(config)
        files: dict[Path, str | bytes] = {}
        if outputs.report_path:
            round_data = RoundInput.of_proposal(proposal, config)
            files[Path(outputs.report_path)] = round_report(
                round_data, lang=language, pseudonymise=outputs.pseudonymise
            )
        if outputs.books:
            files |= outputs.book_files(book_of_round(proposal, language), kept)
        write_atomic(files)

    written = [path for path in outputs.paths.values() if path]
    with open_ledger(db_path) as ledger:
        proposal = ledger.propose(
            config,
            policy=policy,
            round_date=day(on),
            before_commit=write_outputs if written else None,
            force=force,
        )
    if output_format == "json":
        click.echo(json.dumps(proposal_json(proposal), indent=2, ensure_ascii=False))
    else:
        click.echo(proposal_text(proposal, limit=limit))
    if written:
        click.echo(f"Wrote {', '.join(written)}", err=output_format == "json")


@round_group.command("show")
@click.argument("round_id", type=int)
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Rows to print.")
@lang_option(
    "Language of the reasons (the ledger keeps their facts, so any round in either).", "en"
)
@format_option("A table, or JSON for programs (numbers as numbers, with the facts).")
@db_option()
@reports_errors
def show(round_id: int, limit: int | None, lang: str, output_format: str, db_path: str) -> None:
    """Print a stored round with each pair's decision so far."""
    with open_ledger(db_path) as ledger:
        proposal = ledger.round(round_id)
    if output_format == "json":
        click.echo(json.dumps(proposal_json(proposal, lang), indent=2, ensure_ascii=False))
    else:
        click.echo(proposal_text(proposal, limit=limit, lang=lang))


@round_group.command("explain")
@click.argument("round_id", type=int)
@click.option("--client", "client_id", required=True, help="The client to explain.")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True,
              help="How many options to show.")  # fmt: skip
@lang_option("Language of the explanation (default: the round's config [report] lang, nl).")
@db_option()
@reports_errors
def explain(round_id: int, client_id: str, top: int, lang: str | None, db_path: str) -> None:
    """Why CLIENT got its proposal in ROUND, or why not, as the ledger's round saw it."""
    with open_ledger(db_path) as ledger:
        found = ledger.explain(client_id, round_id=round_id, top=top)
    click.echo(ledger_explanation_text(found, lang))


@round_group.command("accept")
@click.argument("round_id", type=int)
@click.option("--only", multiple=True, help="Accept only these clients (repeat or comma-list).")
@click.option("--except", "but", multiple=True, help="Accept all but these clients.")
@date_option("The day the matches start")
@force_option
@db_option()
@reports_errors
def accept(
    round_id: int,
    only: tuple[str, ...],
    but: tuple[str, ...],
    on: dt.datetime | None,
    force: bool,
    db_path: str,
) -> None:
    """Accept ROUND's undecided proposals: they become active matches."""
    if only and but:
        raise click.UsageError("give --only or --except, not both")
    with open_ledger(db_path) as ledger:
        accepted = ledger.accept(
            round_id, only=id_list(only), but=id_list(but), on=day(on), force=force
        )
    click.echo(f"Accepted {len(accepted)} pair(s) of round {round_id}:")
    for client_id, volunteer_id in accepted:
        click.echo(visible(f"  {client_id} – {volunteer_id}"))


@round_group.command("decline")
@click.argument("round_id", type=int)
@click.option("--client", "client_id", required=True, help="The client whose pair is declined.")
@click.option("--by", type=click.Choice(DECLINED_BY), required=True)
@click.option("--reason", required=True, help="Why, in a few words (kept in the ledger).")
@date_option("The day it was declined")
@force_option
@db_option()
@reports_errors
def decline(
    round_id: int,
    client_id: str,
    by: str,
    reason: str,
    on: dt.datetime | None,
    force: bool,
    db_path: str,
) -> None:
    """Record that a pair of ROUND was declined; it is never proposed again."""
    with open_ledger(db_path) as ledger:
        outcome = ledger.decline(round_id, client_id, by=by, reason=reason, on=day(on), force=force)
    ended = "; their match is ended" if outcome.ended_match else ""
    click.echo(
        visible(f"Declined {outcome.client_id} – {outcome.volunteer_id} (by {by}){ended};")
        + " never proposed again."
    )
    if outcome.flagged:
        click.echo(
            f"  ! {client_id} has been declined {outcome.declines} times: flagged for the"
            " coordinator (see `matcher status`)."
        )


@click.command("end-match")
@click.argument("client_id", metavar="CLIENT")
@click.option(
    "--reason",
    type=click.Choice(END_REASONS),
    required=True,
)
@click.option(
    "--rematch/--close",
    default=None,
    help="Put the client back on the waiting list, or close their support"
    " (default: rematch only when the volunteer stopped).",
)
@date_option("The day the match ended")
@db_option()
@reports_errors
def end_match(
    client_id: str, reason: str, rematch: bool | None, on: dt.datetime | None, db_path: str
) -> None:
    """End CLIENT's active match (`matcher match end CLIENT --reason …`); frees the place."""
    with open_ledger(db_path) as ledger:
        ended = ledger.end_match(client_id, reason=reason, on=day(on), rematch=rematch)
    after = "waits for a new volunteer" if ended.client_waits_again else "support closed"
    click.echo(
        visible(
            f"Ended {ended.client_id} – {ended.volunteer_id} on {ended.ended_on} ({ended.reason})"
            f" after {ended.duration_days} days; {ended.volunteer_id} has a free place;"
            f" {ended.client_id} {after}."
        )
    )


# ------------------------------------------------------------------- status, history, privacy


@click.command("status")
@config_option(LEDGER_CONFIG_HELP)
@date_option("Day to count weeks waited to")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Rows per table.")
@db_option()
@reports_errors
def status(
    config_path: str | None, on: dt.datetime | None, limit: int | None, db_path: str
) -> None:
    """Waiting clients (weeks waited, risk), active matches, volunteer loads, flags."""
    config = load_config(config_path)
    with open_ledger(db_path) as ledger:
        found = ledger.status(on=day(on), config=config)
    click.echo(status_text(found, limit=limit))


@click.command("history")
@click.option("--client", "client_id", default=None, help="Only this client's events.")
@click.option("--volunteer", "volunteer_id", default=None, help="Only this volunteer's events.")
@db_option()
@reports_errors
def history(client_id: str | None, volunteer_id: str | None, db_path: str) -> None:
    """The audit trail: every import, proposal, decision and ending, when and by whom."""
    if client_id and volunteer_id:
        raise click.UsageError("give --client or --volunteer, not both")
    with open_ledger(db_path) as ledger:
        events = ledger.history(client_id=client_id, volunteer_id=volunteer_id)
    click.echo(history_text(events))


@click.command("export")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True)
@db_option()
@reports_errors
def export(out_dir: str, db_path: str) -> None:
    """Write every table of the ledger as CSV into a folder (personal data: keep it safe)."""
    with open_ledger(db_path) as ledger:
        written = ledger.export(out_dir)
    click.echo(f"Wrote {len(written)} tables to {out_dir}: {', '.join(p.name for p in written)}")


@click.command("forget")
@click.argument("client_id", metavar="CLIENT")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@db_option()
@reports_errors
def forget(client_id: str, yes: bool, db_path: str) -> None:
    """Erase CLIENT's personal data everywhere in the ledger (GDPR); keep anonymous counts."""
    if not yes:
        click.confirm(
            f"Erase every record of client {client_id} from {db_path} for good"
            " (record, proposals, matches, declines, history)?",
            abort=True,
        )
    with open_ledger(db_path) as ledger:
        removed = ledger.forget(client_id)
    click.echo(
        f"Forgot {client_id}: {sum(removed.values())} rows erased; anonymous counts kept."
        " Files exported earlier still hold the client's data: delete them too."
    )
