"""`matcher match`, `candidates` and `explain`: a round from files (or, for explain, a ledger)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from matcher.bottleneck import bottleneck_lines
from matcher.cli.errors import reports_errors
from matcher.cli.options import (
    chosen_sheet,
    day,
    db_option,
    format_option,
    lang_option,
    policy_option,
    round_inputs,
)
from matcher.cli.outputs import check_distinct_outputs
from matcher.cli.round_outputs import RoundOutputs, round_output_options
from matcher.config import load_config
from matcher.file_round import (
    MATCH_FILES,
    candidates_csv,
    explain_from_files,
    match_files,
    match_payload,
    propose_from_files,
    read_round,
)
from matcher.io import write_atomic
from matcher.output import render_table
from matcher.terminal import visible_join


def _input_roles(clients: str, volunteers: str, config_path: str | None) -> dict[str, str | None]:
    return {"CLIENTS": clients, "VOLUNTEERS": volunteers, "--config": config_path}


@click.command()
@round_inputs()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="out",
    show_default=True,
    help="Directory for matches.csv, unmatched.csv, summary.json.",
)
@format_option("What to print on stdout.")
@policy_option()
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="Rows of the printed table (files always hold all).",
)
@round_output_options(
    ledger=False,
    excel_nl_help="CSV files as a Dutch Excel opens them: ';', decimal comma, UTF-8 with BOM.",
)
@reports_errors
def match(
    clients: str,
    volunteers: str,
    config_path: str | None,
    round_date: dt.datetime | None,
    out_dir: str,
    output_format: str,
    policy: str | None,
    limit: int,
    outputs: RoundOutputs,
) -> None:
    """Propose matches for CLIENTS and VOLUNTEERS (CSV, JSON, workbook) and explain each."""
    kept_columns = outputs.check()
    out = Path(out_dir)
    check_distinct_outputs(
        {**{f"{name} in --out": out / name for name in MATCH_FILES}, **outputs.paths},
        inputs=_input_roles(clients, volunteers, config_path),
    )
    proposal = propose_from_files(
        clients, volunteers, config_path, day(round_date), policy=policy, sheet=chosen_sheet(),
        explained=None if output_format == "json" else limit, keep_columns=kept_columns,
    )  # fmt: skip

    files: dict[Path, str | bytes] = dict(match_files(proposal, out, excel_nl=outputs.excel_nl))
    language = outputs.language(proposal.config)
    # The report, the workbooks and the ledger are imported only by the runs that use them:
    # a plain `match` need not wait for jinja2, the ledger or the workbook writer.
    if outputs.report_path:
        from matcher.report import RoundInput, round_report

        pop = proposal.prepared.population
        round_data = RoundInput.of_match(
            proposal.result, pop.clients, pop.volunteers, proposal.config,
            bottlenecks=proposal.bottlenecks,
        )  # fmt: skip
        files[Path(outputs.report_path)] = round_report(
            round_data, lang=language, pseudonymise=outputs.pseudonymise
        )
    if outputs.books:
        from matcher.proposals_book import book_of_match  # with the ledger's modules: see above

        book = book_of_match(proposal.result, proposal.prepared.population, language)
        files |= outputs.book_files(book, proposal.kept)
    out.mkdir(parents=True, exist_ok=True)
    # All files or none: a failure leaves the previous round's files as they were.
    write_atomic(files)
    if output_format == "json":
        click.echo(json.dumps(match_payload(proposal), indent=2, ensure_ascii=False))
    else:
        click.echo(render_table(proposal.result, limit=limit))
        if proposal.bottlenecks.groups:
            lines = bottleneck_lines(proposal.bottlenecks)
            click.echo("\nBottlenecks:\n" + visible_join(lines))
        click.echo(f"\nWrote {', '.join(str(path) for path in files)}")


@click.command()
@round_inputs()
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    required=True,
    help="CSV file for the allowed pairs.",
)
@reports_errors
def candidates(
    clients: str,
    volunteers: str,
    config_path: str | None,
    round_date: dt.datetime | None,
    out_path: str,
) -> None:
    """Write every allowed pair with its weight, to check a proposal with another solver."""
    check_distinct_outputs(
        {"--out": out_path}, inputs=_input_roles(clients, volunteers, config_path)
    )
    _, prepared = read_round(
        clients, volunteers, config_path, day(round_date), sheet=chosen_sheet()
    )
    write_atomic({Path(out_path): candidates_csv(prepared)})
    click.echo(f"Wrote {len(prepared.edges.edge_client)} allowed pairs to {out_path}")


@click.command()
@round_inputs(files_required=False)
@click.option("--client", "client_id", required=True, help="The client to explain.")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="How many options to show.",
)
@db_option(
    optional_help="Explain from this ledger instead of CLIENTS VOLUNTEERS: as a round proposed"
    " on --date would see it (pauses, declines, pins, active matches); nothing is stored."
)
@lang_option("Language of the explanation (default: the config's [report] lang, nl).")
@reports_errors
def explain(
    clients: str | None,
    volunteers: str | None,
    config_path: str | None,
    round_date: dt.datetime | None,
    client_id: str,
    top: int,
    db_path: str | None,
    lang: str | None,
) -> None:
    """Why CLIENT got its proposal, or why not: options, rules, what would change it.

    Reads CLIENTS and VOLUNTEERS, or the ledger given with --db."""
    if db_path is not None:
        if clients is not None:
            raise click.UsageError("give CLIENTS VOLUNTEERS or --db, not both")
        # The ledger's modules load only for an explanation from a ledger.
        from matcher.rounds import open_ledger
        from matcher.rounds.explain_nl import ledger_explanation_text

        config = load_config(config_path)
        with open_ledger(db_path) as ledger:
            found = ledger.explain(client_id, config=config, round_date=day(round_date), top=top)
        click.echo(ledger_explanation_text(found, lang))
        return
    if clients is None or volunteers is None:
        raise click.UsageError("give CLIENTS and VOLUNTEERS, or a ledger with --db")
    # The explanation's words load only for `explain`: `match` prints no explanation.
    from matcher.explain_wording import explanation_text

    explanation, prepared = explain_from_files(
        clients, volunteers, config_path, day(round_date), client_id, top=top, sheet=chosen_sheet()
    )
    click.echo(explanation_text(explanation, prepared, lang or prepared.config.report.lang))
