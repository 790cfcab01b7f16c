"""The ledger commands for the programme around a match: outreach, introduce, confirm,
checkin, complete, and the evaluation. Thin: parse, one Ledger call, print."""

from __future__ import annotations

import datetime as dt
import json

import click

from matcher.cli.errors import reports_errors
from matcher.cli.ledger import LEDGER_CONFIG_HELP
from matcher.cli.options import config_option, date_option, date_type, day, db_option, lang_option
from matcher.cli.outputs import check_distinct_outputs
from matcher.config import load_config
from matcher.io import write_atomic
from matcher.io.workbook_out import format_xlsx
from matcher.report import evaluation_report, require_report_extra
from matcher.report.evaluation_text import evaluation_json, evaluation_sheets, evaluation_text
from matcher.rounds import open_ledger
from matcher.terminal import visible, visible_lines

# ----------------------------------------------------------------------------------- outreach


@click.group("outreach")
def outreach_group() -> None:
    """Before someone waits: letters, referrals and calls (then `import clients` is the intake)."""


@outreach_group.command("add")
@click.argument("client_id", metavar="ID")
@click.option("--programme", required=True, help="The programme the person is approached for.")
@click.option("--by", "channel", type=click.Choice(["letter", "referral"]), required=True,
              help="A letter sent, or a referral received.")  # fmt: skip
@click.option("--source", default="", help="Where it came from: the municipal register, a GP"
              " practice, a social worker, self (no names of people).")  # fmt: skip
@date_option("The day the letter was sent or the referral came in")
@db_option()
@reports_errors
def outreach_add(
    client_id: str, programme: str, channel: str, source: str, on: dt.datetime | None, db_path: str
) -> None:
    """Record that ID was approached; the same ID becomes the client at the intake."""
    with open_ledger(db_path) as ledger:
        ledger.outreach_add(client_id, programme=programme, by=channel, source=source, on=day(on))
    how = "letter sent to" if channel == "letter" else "referral of"
    click.echo(visible(f"Recorded: {how} {client_id} ({programme}) on {day(on)}."))


@outreach_group.command("contact")
@click.argument("client_id", metavar="ID")
@click.option(
    "--outcome",
    type=click.Choice(["not-reached", "reached", "declined", "appointment"]),
    required=True,
)
@config_option(LEDGER_CONFIG_HELP)
@date_option("The day of the call")
@db_option()
@reports_errors
def outreach_contact(
    client_id: str, outcome: str, config_path: str | None, on: dt.datetime | None, db_path: str
) -> None:
    """A call to ID and its outcome (at most [lifecycle] max_attempts calls not reaching them)."""
    config = load_config(config_path)
    with open_ledger(db_path) as ledger:
        found = ledger.outreach_contact(client_id, outcome=outcome, on=day(on), config=config)
    after = {
        "not-reached": f"not reached ({found.unreached} of {found.max_attempts} tries)",
        "reached": "reached; call again or plan an appointment",
        "declined": "declined; outreach closed",
        "appointment": "appointment made; import them as a client after the intake",
    }[outcome]
    click.echo(visible(f"Call {found.attempt} to {client_id}: {after}."))


@outreach_group.command("close")
@click.argument("client_id", metavar="ID")
@click.option("--reason", required=True, help="Why: no need, referred elsewhere, not reached …")
@date_option("The day outreach ended")
@db_option()
@reports_errors
def outreach_close(client_id: str, reason: str, on: dt.datetime | None, db_path: str) -> None:
    """End outreach to ID without a client."""
    with open_ledger(db_path) as ledger:
        ledger.outreach_close(client_id, reason=reason, on=day(on))
    click.echo(visible(f"Closed outreach to {client_id}: {reason.strip()}."))


# ----------------------------------------------------------------------------- after a match


@click.command("introduce")
@click.argument("client_id", metavar="CLIENT")
@date_option("The day of the introductory meeting")
@db_option()
@reports_errors
def introduce(client_id: str, on: dt.datetime | None, db_path: str) -> None:
    """CLIENT met the volunteer; within [lifecycle] introduction_days either side may say no."""
    with open_ledger(db_path) as ledger:
        volunteer_id = ledger.introduce(client_id, on=day(on))
    click.echo(
        visible(f"Introduced {client_id} to {volunteer_id} on {day(on)}.")
        + " Next: `matcher confirm` (klik), or `matcher round decline` if either says no."
    )


@click.command("confirm")
@click.argument("client_id", metavar="CLIENT")
@date_option("The day both said yes")
@db_option()
@reports_errors
def confirm(client_id: str, on: dt.datetime | None, db_path: str) -> None:
    """Both sides go on after the introduction ("klik")."""
    with open_ledger(db_path) as ledger:
        volunteer_id = ledger.confirm(client_id, on=day(on))
    click.echo(visible(f"Confirmed {client_id} – {volunteer_id} on {day(on)}: klik."))


@click.command("checkin")
@click.argument("client_id", metavar="CLIENT")
@click.option("--outcome", type=click.Choice(["going-well", "concerns", "end"]), required=True)
@click.option("--note", default="", help="Free text (personal data: `forget` erases it).")
@click.option(
    "--reason",
    "end_reason",
    type=click.Choice(["completed", "client-stopped", "volunteer-stopped", "moved", "referred",
                       "deceased", "other"]),
    default="completed",
    show_default=True,
    help="With --outcome end: how the match ends.",
)  # fmt: skip
@date_option("The day of the check-in")
@db_option()
@reports_errors
def checkin(
    client_id: str, outcome: str, note: str, end_reason: str, on: dt.datetime | None, db_path: str
) -> None:
    """A check-in on CLIENT's match (due after [lifecycle] checkin_weeks); `end` ends it."""
    with open_ledger(db_path) as ledger:
        found = ledger.checkin(
            client_id, outcome=outcome, note=note, on=day(on), end_reason=end_reason
        )
    line = f"Check-in {found.number} of {client_id} – {found.volunteer_id}: {outcome}"
    if found.ended is not None:
        line += f"; match ended ({found.ended.reason}) after {found.ended.duration_days} days"
    click.echo(visible(line + "."))


@click.command("complete")
@config_option(LEDGER_CONFIG_HELP)
@date_option("The day the matches end")
@db_option()
@reports_errors
def complete(config_path: str | None, on: dt.datetime | None, db_path: str) -> None:
    """End every match past its programme's max_match_weeks as completed (one transaction)."""
    config = load_config(config_path)
    with open_ledger(db_path) as ledger:
        ended = ledger.complete_at_cap(on=day(on), config=config)
    click.echo(f"Completed {len(ended)} match(es) past their maximum length.")
    for match in ended:
        click.echo(
            visible(f"  {match.client_id} – {match.volunteer_id}: {match.duration_days} days")
        )


# --------------------------------------------------------------------------------- evaluation


@click.command("evaluate")
@click.option("--from", "start", type=date_type(), default=None, help="First day (default: all).")
@click.option("--to", "end", type=date_type(), default=None, help="Last day (default today).")
@click.option("--programme", default=None, help="Only this programme.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write a self-contained HTML report (needs matcher[report]).",
)
@click.option(
    "--xlsx",
    "xlsx_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the figures as a workbook.",
)
@lang_option("Language of the report and workbook (default: the config's [report] lang).")
@click.option(
    "--pseudonymise",
    is_flag=True,
    help="For sharing: counts below [report]"
    " min_group_size as <k, small sources merged (report and workbook).",
)
@config_option(LEDGER_CONFIG_HELP)
@db_option()
@reports_errors
def evaluate(
    start: dt.datetime | None,
    end: dt.datetime | None,
    programme: str | None,
    output_format: str,
    report_path: str | None,
    xlsx_path: str | None,
    lang: str | None,
    pseudonymise: bool,
    config_path: str | None,
    db_path: str,
) -> None:
    """The funder's figures for a period: funnel, waiting, matches, check-ins, volunteers."""
    if (pseudonymise or lang) and not (report_path or xlsx_path):
        option = "--pseudonymise" if pseudonymise else "--lang"
        raise click.UsageError(f"{option} is about the files: add --report FILE.html or --xlsx")
    if report_path:
        require_report_extra()
    config = load_config(config_path)
    check_distinct_outputs({"--report": report_path, "--xlsx": xlsx_path},
                           inputs={"--db": db_path, "--config": config_path})  # fmt: skip
    with open_ledger(db_path) as ledger:
        found = ledger.evaluate(
            start=start.date() if start else None,
            end=end.date() if end else None,
            programme=programme,
            config=config,
        )
    language = lang or config.report.lang
    k = config.report.min_group_size
    files: dict[str, str | bytes] = {}
    if report_path:
        files[report_path] = evaluation_report(
            found, lang=language, pseudonymise=pseudonymise, min_group_size=k
        )
    if xlsx_path:
        # The texts live beside the charts: matplotlib, the optional report extra.
        from matcher.report.evaluation import evaluation_texts

        sheets = evaluation_sheets(found, evaluation_texts(language), k if pseudonymise else None)
        files[xlsx_path] = format_xlsx(sheets)
    if files:
        write_atomic(files)
    if output_format == "json":
        click.echo(json.dumps(evaluation_json(found), indent=2, ensure_ascii=False))
    else:
        click.echo(visible_lines(evaluation_text(found)))
    for path in files:
        click.echo(f"Wrote {path}", err=output_format == "json")
