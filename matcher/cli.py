"""The `matcher` command: thin click commands that parse, call the library and render.

The library raises; only this module prints or exits. A MatcherError (bad input, bad config)
becomes its message on stderr and exit code 1, never a traceback; usage errors exit with 2.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from matcher.cli_config import config_path_default, date_type
from matcher.cli_errors import INPUT_PATH, reports_errors
from matcher.cli_names import book_files, book_options, check_book_options, read_names
from matcher.cli_outputs import check_distinct_outputs
from matcher.cli_policy import list_policies, policy_option
from matcher.cli_report import check_report_possible, report_options
from matcher.cli_sheet import sheet_option, with_sheet
from matcher.config import DEFAULT_TOML, load_config, load_config_or_defaults
from matcher.rounds.cli import LedgerGroup, register

F = TypeVar("F", bound=Callable[..., Any])
MATCH_FILES = ("matches.csv", "unmatched.csv", "summary.json")


def _inputs(func: F, *, files_required: bool = True) -> F:
    """The options every command that reads a round shares."""
    options = [
        click.argument("clients", type=INPUT_PATH, required=files_required),
        click.argument("volunteers", type=INPUT_PATH, required=files_required),
        click.option(
            "--config",
            "config_path",
            type=INPUT_PATH,
            default=None,
            callback=config_path_default,
            help="TOML config; `matcher config` prints the defaults. Default: $MATCHER_CONFIG,"
            " else ./matcher.toml if there.",
        ),
        click.option(
            "--date",
            "round_date",
            type=date_type(),
            default=None,
            help="Round date (YYYY-MM-DD or DD-MM-YYYY) that fixes weeks waited; default today.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return sheet_option(func)


def _inputs_or_ledger(func: F) -> F:
    """_inputs with the files optional: the command can read a ledger (--db) instead."""
    return _inputs(func, files_required=False)


class _VisibleFormatter(logging.Formatter):
    # Notes name columns and ids from the input files: control characters shown, not sent.
    def format(self, record: logging.LogRecord) -> str:
        from matcher.terminal import visible_lines

        return visible_lines(super().format(record))


@click.group(cls=LedgerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="matcher")
@click.option("-q", "--quiet", is_flag=True, help="Do not report ignored columns on stderr.")
def main(quiet: bool) -> None:
    """Match clients who need support to volunteers who can give it."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_VisibleFormatter("%(message)s"))
    logger = logging.getLogger("matcher")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False


def _input_roles(clients: str, volunteers: str, config_path: str | None) -> dict[str, str | None]:
    return {"CLIENTS": clients, "VOLUNTEERS": volunteers, "--config": config_path}


def _prepare(clients: str, volunteers: str, config_path: str | None, when: dt.datetime | None):  # type: ignore[no-untyped-def]
    from matcher.engine import prepare
    from matcher.errors import InputError
    from matcher.io import read_clients, read_volunteers

    # Read the config and both files before reporting, so a user sees every problem in one run.
    config, problems = load_config_or_defaults(config_path)
    config = with_sheet(config)
    client_rows = volunteer_rows = None
    try:
        client_rows = read_clients(clients, config)
    except InputError as error:
        problems.extend(error.problems)
    try:
        volunteer_rows = read_volunteers(volunteers, config)
    except InputError as error:
        problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    assert client_rows is not None and volunteer_rows is not None
    from matcher.io import check_exclusions

    check_exclusions(client_rows, volunteer_rows, clients)
    round_date = when.date() if when else dt.date.today()
    return config, prepare(client_rows, volunteer_rows, config, round_date)


@main.command()
@_inputs
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="out",
    show_default=True,
    help="Directory for matches.csv, unmatched.csv, summary.json.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="What to print on stdout.",
)
@policy_option()
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="Rows of the printed table (files always hold all).",
)
@report_options()
@book_options()
@click.option(
    "--excel-nl",
    is_flag=True,
    help="CSV files as a Dutch Excel opens them: ';', decimal comma, UTF-8 with BOM.",
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
    report_path: str | None,
    lang: str | None,
    pseudonymise: bool,
    xlsx_path: str | None,
    weights: bool,
    call_list_path: str | None,
    keep_columns: str | None,
    excel_nl: bool,
) -> None:
    """Propose matches for CLIENTS and VOLUNTEERS (CSV, JSON, workbook) and explain each."""
    started = time.perf_counter()
    # --lang also picks the workbook's language.
    check_report_possible(
        report_path, lang=None if xlsx_path or call_list_path else lang, pseudonymise=pseudonymise
    )
    kept_columns = check_book_options(
        xlsx_path=xlsx_path, weights=weights, call_list_path=call_list_path,
        keep_columns=keep_columns,
    )  # fmt: skip
    out = Path(out_dir)
    check_distinct_outputs(
        {
            **{f"{name} in --out": out / name for name in MATCH_FILES},
            "--report": report_path,
            "--xlsx": xlsx_path,
            "--call-list": call_list_path,
        },
        inputs=_input_roles(clients, volunteers, config_path),
    )
    from matcher.engine import solve
    from matcher.explain import pair_reasons
    from matcher.io import format_csv, write_atomic
    from matcher.output import (
        MATCH_COLUMNS,
        UNMATCHED_COLUMNS,
        input_hash,
        match_rows,
        render_table,
        summary,
        summary_json,
        unmatched_rows,
    )

    config, prepared = _prepare(clients, volunteers, config_path, round_date)
    kept = read_names([(clients, "clients"), (volunteers, "volunteers")], kept_columns, config)
    result = solve(prepared, policy)
    from matcher.bottleneck import bottleneck_lines, find_bottlenecks

    bottlenecks = find_bottlenecks(prepared, result)
    pop = prepared.population
    client_index = {c.client_id: i for i, c in enumerate(pop.clients)}
    volunteer_index = {v.volunteer_id: i for i, v in enumerate(pop.volunteers)}
    shown = result.matches if output_format == "json" else result.matches[:limit]
    reasons = {
        m.client_id: pair_reasons(
            pop, client_index[m.client_id], volunteer_index[m.volunteer_id], m.scores
        )
        for m in shown
    }
    digest = input_hash([clients, volunteers], config, result.round_date.isoformat())
    timings = dict(result.timings, total_s=time.perf_counter() - started)
    data = summary(result, input_sha=digest, timings=timings)
    out.mkdir(parents=True, exist_ok=True)
    from matcher.io.workbook_out import format_csv_excel_nl

    write_csv = format_csv_excel_nl if excel_nl else format_csv
    texts = (
        write_csv(MATCH_COLUMNS, match_rows(result)),
        write_csv(UNMATCHED_COLUMNS, unmatched_rows(result)),
        summary_json(data),
    )
    files: dict[Path, str | bytes] = {
        out / name: text for name, text in zip(MATCH_FILES, texts, strict=True)
    }
    if report_path:
        from matcher.report import round_report
        from matcher.report.round import RoundInput

        round_data = RoundInput.of_match(
            result, pop.clients, pop.volunteers, config, bottlenecks=bottlenecks
        )
        language = lang or config.report.lang
        files[Path(report_path)] = round_report(
            round_data, lang=language, pseudonymise=pseudonymise
        )
    if xlsx_path or call_list_path:
        from matcher.proposals_book import book_of_match

        book = book_of_match(result, pop, lang or config.report.lang)
        files |= book_files(
            book, xlsx_path=xlsx_path, weights=weights, call_list_path=call_list_path,
            kept=kept, excel_nl=excel_nl,
        )  # fmt: skip
    # All files or none: a failure leaves the previous round's files as they were.
    write_atomic(files)
    if output_format == "json":
        payload = dict(
            data,
            matches=[
                dict(zip(MATCH_COLUMNS, row, strict=True), why=reasons[row[0]])
                for row in match_rows(result)
            ],
            unmatched=[
                dict(zip(UNMATCHED_COLUMNS, row, strict=True)) for row in unmatched_rows(result)
            ],
        )
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        click.echo(render_table(result, reasons, limit=limit))
        if bottlenecks.groups:
            from matcher.terminal import visible_join

            click.echo("\nBottlenecks:\n" + visible_join(bottleneck_lines(bottlenecks)))
        click.echo(f"\nWrote {', '.join(str(path) for path in files)}")


@main.command()
@_inputs
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
    from matcher.io import format_csv, write_atomic
    from matcher.output import CANDIDATE_COLUMNS, candidate_rows

    check_distinct_outputs(
        {"--out": out_path}, inputs=_input_roles(clients, volunteers, config_path)
    )
    _, prepared = _prepare(clients, volunteers, config_path, round_date)
    write_atomic({Path(out_path): format_csv(CANDIDATE_COLUMNS, candidate_rows(prepared))})
    click.echo(f"Wrote {len(prepared.edges.client)} allowed pairs to {out_path}")


@main.command()
@_inputs_or_ledger
@click.option("--client", "client_id", required=True, help="The client to explain.")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="How many options to show.",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Explain from this ledger instead of CLIENTS VOLUNTEERS: as a round proposed on"
    " --date would see it (pauses, declines, pins, active matches); nothing is stored.",
)
@reports_errors
def explain(
    clients: str | None,
    volunteers: str | None,
    config_path: str | None,
    round_date: dt.datetime | None,
    client_id: str,
    top: int,
    db_path: str | None,
) -> None:
    """Why CLIENT got its proposal, or why not: options, rules, what would change it.

    Reads CLIENTS and VOLUNTEERS, or the ledger given with --db."""
    from matcher import vocab
    from matcher.engine import solve
    from matcher.errors import InputError, Problem
    from matcher.explain import explain_client, render_explanation

    if db_path is not None:
        if clients is not None:
            raise click.UsageError("give CLIENTS VOLUNTEERS or --db, not both")
        from matcher.rounds.cli import open_ledger
        from matcher.rounds.explain_round import render_ledger_explanation

        config = load_config(config_path)
        day = round_date.date() if round_date else dt.date.today()
        with open_ledger(db_path) as ledger:
            found = ledger.explain(client_id, config=config, round_date=day, top=top)
        click.echo(render_ledger_explanation(found))
        return
    if clients is None or volunteers is None:
        raise click.UsageError("give CLIENTS and VOLUNTEERS, or a ledger with --db")
    _, prepared = _prepare(clients, volunteers, config_path, round_date)
    known = [c.client_id for c in prepared.population.clients]
    if client_id not in known:
        hint = vocab.closest(client_id, known)
        message = "no such client" + (f"; did you mean {hint!r}?" if hint else "")
        raise InputError([Problem(clients, None, "client_id", message, client_id)])
    result = solve(prepared)
    explanation = explain_client(prepared, result, client_id, top=top)
    click.echo(render_explanation(explanation, prepared))


@main.command()
@click.argument("files", nargs=-1, required=True, type=INPUT_PATH)
@click.option(
    "--config",
    "config_path",
    type=INPUT_PATH,
    default=None,
    callback=config_path_default,
    help="TOML config (column mapping); it is validated too. Default as for `match`.",
)
@sheet_option
@click.option("--all", "show_all", is_flag=True, help="List every problem, not the first 20.")
@reports_errors
def validate(files: tuple[str, ...], config_path: str | None, show_all: bool) -> None:
    """Check FILES (clients or volunteers: CSV, JSON or a workbook) and list every problem."""
    from matcher.errors import MAX_PROBLEMS_SHOWN, InputError
    from matcher.io import check_exclusions, read_clients, read_table_kinds, read_volunteers

    config, problems = load_config_or_defaults(config_path)
    config = with_sheet(config)
    loaded: dict[str, tuple[str, Any]] = {}
    for path in files:
        try:
            # A workbook may hold clients and volunteers on two sheets ([columns] *_sheet).
            for kind in read_table_kinds(path, config):
                reader = read_clients if kind == "clients" else read_volunteers
                loaded[kind] = (path, reader(path, config))
                click.echo(f"{path}: {len(loaded[kind][1])} {kind}, no problems")
        except InputError as error:
            problems.extend(error.problems)
    if "clients" in loaded and "volunteers" in loaded:
        try:
            check_exclusions(loaded["clients"][1], loaded["volunteers"][1], loaded["clients"][0])
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems, shown=None if show_all else MAX_PROBLEMS_SHOWN)


@main.command("config")
def print_config() -> None:
    """Print the default configuration as a commented TOML file."""
    click.echo(DEFAULT_TOML, nl=False)


register(main)

from matcher.scenarios.cli import scenario  # noqa: E402  (a plug-in group: registered last)

main.add_command(scenario)

from matcher.simulate.cli import simulate  # noqa: E402

main.add_command(simulate)

from matcher.cli_columns import columns  # noqa: E402

main.add_command(columns)
main.add_command(list_policies)
