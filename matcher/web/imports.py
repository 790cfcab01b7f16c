"""Importing from the web: the same readers and the same ledger import as `matcher import`.

A file is read from its private upload folder; messages name it as she named it
(`clients.xlsx:7: age: …`), never by the temporary path. Everything valid or nothing, unless
she asks on purpose for only the valid rows (as `--skip-invalid`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matcher.columns_view import TableView, view_columns
from matcher.config import MatchConfig
from matcher.errors import InputError, Problem
from matcher.io import read_clients, read_volunteers
from matcher.io.partial import split_refused
from matcher.rounds import ImportSummary, Ledger
from matcher.web.uploads import Upload


@dataclass(frozen=True)
class Preview:
    view: TableView | None
    problems: list[Problem]
    n_valid: int


def _renamed(problems: list[Problem], path: Path, name: str) -> list[Problem]:
    full = str(path)
    return [
        dataclasses.replace(
            problem,
            source=name if problem.source == full else problem.source.replace(full, name),
            message=problem.message.replace(full, name),
        )
        for problem in problems
    ]


def _reader(kind: str) -> Any:
    return read_clients if kind == "clients" else read_volunteers


def preview(upload: Upload, config: MatchConfig) -> Preview:
    """How the file will be read (columns and values) and every problem, importing nothing."""
    try:
        view: TableView | None = view_columns(upload.path, config, upload.kind)  # type: ignore[arg-type]
    except InputError as error:
        return Preview(None, _renamed(error.problems, upload.path, upload.name), 0)
    assert view is not None
    view = dataclasses.replace(
        view,
        source=upload.name,
        header_problems=tuple(
            p.replace(str(upload.path), upload.name) for p in view.header_problems
        ),
    )
    try:
        records = _reader(upload.kind)(upload.path, config)
    except InputError as error:
        try:
            valid = len(split_refused(error, str(upload.path)).valid)
        except InputError:
            valid = 0
        return Preview(view, _renamed(error.problems, upload.path, upload.name), valid)
    return Preview(view, [], len(records))


def import_file(
    ledger: Ledger,
    kind: str,
    path: Path,
    name: str,
    config: MatchConfig,
    *,
    only_valid: bool,
    on: dt.date | None = None,
) -> tuple[ImportSummary, list[Problem]]:
    """Import the file; with `only_valid`, the refused rows' problems are returned, not raised."""
    refused: list[Problem] = []
    try:
        records = _reader(kind)(path, config)
    except InputError as error:
        renamed = InputError(_renamed(error.problems, path, name))
        if not only_valid:
            raise renamed from None
        try:
            partial = split_refused(error, str(path))
        except InputError:
            raise renamed from None
        records = partial.valid
        refused = _renamed([p for found in partial.refused.values() for p in found], path, name)
    records.source = name
    if kind == "clients":
        summary = ledger.import_clients(records, on=on)
    else:
        summary = ledger.import_volunteers(records, on=on)
    return dataclasses.replace(summary, source=name), refused


def json_rows_file(rows: list[Any], folder: Path, kind: str) -> tuple[Path, str]:
    """An API body (a JSON list in the input format) as the file the JSON reader reads."""
    name = f"{kind}.json"
    path = folder / name
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    path.chmod(0o600)
    return path, name
