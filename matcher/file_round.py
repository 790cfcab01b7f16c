"""A round from files: `matcher match`, `candidates` and `explain` without the ledger.

Reads the config and both files before reporting, so a user sees every problem in one run;
then prepares and solves the round and returns what the command renders and writes.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from matcher import vocab
from matcher.bottleneck import Bottlenecks, find_bottlenecks
from matcher.config import MatchConfig, load_config_or_defaults
from matcher.engine import Prepared, prepare, solve
from matcher.errors import InputError, Problem
from matcher.io import (
    check_exclusions,
    format_csv,
    format_csv_columns,
    read_client_table,
    read_volunteer_table,
)
from matcher.output import (
    CANDIDATE_COLUMNS,
    MATCH_COLUMNS,
    UNMATCHED_COLUMNS,
    candidate_rows,
    input_hash,
    result_json,
    summary,
    summary_json,
)
from matcher.result import MatchResult
from matcher.round_columns import match_columns, unmatched_columns

if TYPE_CHECKING:
    from matcher.explain import Explanation
    from matcher.io.kept import KeptColumns

MATCH_FILES: Final = ("matches.csv", "unmatched.csv", "summary.json")


@dataclass(frozen=True)
class FileProposal:
    """A solved round from files; its pairs carry their facts and reasons (result.matches)."""

    config: MatchConfig
    prepared: Prepared
    result: MatchResult
    summary: dict[str, Any]
    # Her own columns (--keep-columns) from both files, for the workbook and the call list only.
    kept: KeptColumns | None = None
    # Clients competing for too few places (matcher.bottleneck), for the table and the report.
    bottlenecks: Bottlenecks = field(default_factory=Bottlenecks)


def read_round(
    clients: str,
    volunteers: str,
    config_path: str | None,
    round_date: dt.date,
    *,
    sheet: str | None = None,
) -> tuple[MatchConfig, Prepared]:
    """The config (with a command's --sheet) and the round prepared from both files."""
    config, problems = load_config_or_defaults(config_path)
    config = config.with_sheet(sheet)
    client_rows = volunteer_rows = None
    try:
        client_rows = read_client_table(clients, config)
    except InputError as error:
        problems.extend(error.problems)
    try:
        volunteer_rows = read_volunteer_table(volunteers, config)
    except InputError as error:
        problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    assert client_rows is not None and volunteer_rows is not None
    check_exclusions(client_rows, volunteer_rows, clients)
    return config, prepare(client_rows, volunteer_rows, config, round_date)


def propose_from_files(
    clients: str,
    volunteers: str,
    config_path: str | None,
    round_date: dt.date,
    *,
    policy: str | None = None,
    sheet: str | None = None,
    explained: int | None = None,
    keep_columns: Sequence[str] = (),
) -> FileProposal:
    """Read, prepare and solve a round; words for the first `explained` pairs (None: all);
    `keep_columns` of her own read from both files beside the round (matcher.io.kept)."""
    started = time.perf_counter()
    config, prepared = read_round(clients, volunteers, config_path, round_date, sheet=sheet)
    kept = None
    if keep_columns:
        files = [(clients, "clients"), (volunteers, "volunteers")]
        from matcher.io.kept import read_kept_columns  # only a round that keeps columns

        kept = read_kept_columns(files, keep_columns, config)
    result = solve(prepared, policy)
    bottlenecks = find_bottlenecks(prepared, result)
    digest = input_hash([clients, volunteers], config, result.round_date.isoformat())
    timings = dict(result.timings, total_s=time.perf_counter() - started)
    data = summary(result, input_sha=digest, timings=timings)
    return FileProposal(config, prepared, result, data, kept, bottlenecks)


def match_files(proposal: FileProposal, out: Path, *, excel_nl: bool = False) -> dict[Path, str]:
    """matches.csv, unmatched.csv and summary.json in `out`; the CSVs as a Dutch Excel opens
    them (';', decimal comma, UTF-8 with BOM) with `excel_nl`. Written column by column from
    the engine's arrays: no object per proposal or waiting client (matcher.round_columns)."""

    def write_csv(header: Sequence[str], columns: list[Sequence[str]]) -> str:
        if excel_nl:
            from matcher.io.workbook_out import format_csv_excel_nl  # only --excel-nl writes it

            return format_csv_excel_nl(header, zip(*columns, strict=True))
        return format_csv_columns(header, columns)

    texts = (
        write_csv(MATCH_COLUMNS, match_columns(proposal.result)),
        write_csv(UNMATCHED_COLUMNS, unmatched_columns(proposal.result)),
        summary_json(proposal.summary),
    )
    return {out / name: text for name, text in zip(MATCH_FILES, texts, strict=True)}


def match_payload(proposal: FileProposal) -> dict[str, Any]:
    """`--format json`: summary.json, then every match and every waiting client with their
    facts, numbers as numbers (matcher.output.result_json)."""
    return result_json(proposal.result, proposal.summary)


def candidates_csv(prepared: Prepared) -> str:
    """Every allowed pair with its weight, to check a proposal with another solver."""
    return format_csv(CANDIDATE_COLUMNS, candidate_rows(prepared))


def explain_from_files(
    clients: str,
    volunteers: str,
    config_path: str | None,
    round_date: dt.date,
    client_id: str,
    *,
    top: int = 5,
    sheet: str | None = None,
) -> tuple[Explanation, Prepared]:
    """Why `client_id` got its proposal or not, in the round the files make."""
    _, prepared = read_round(clients, volunteers, config_path, round_date, sheet=sheet)
    known = prepared.population.client_ids
    if client_id not in known:
        message = "no such client" + vocab.did_you_mean(client_id, known)
        raise InputError([Problem(clients, None, "client_id", message, client_id)])
    result = solve(prepared)
    from matcher.explain import explain_client  # only `explain`: a round explains no client

    return explain_client(prepared, result, client_id, top=top), prepared
