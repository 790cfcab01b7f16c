"""Importing a clients or volunteers file into the ledger, all or nothing, or the valid rows
with the refused ones written beside it (`--skip-invalid`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from matcher.config import MatchConfig
from matcher.errors import InputError
from matcher.io import read_clients, read_volunteers, write_atomic
from matcher.io.partial import default_refused_path, refused_text, split_refused
from matcher.rounds.intake import ImportSummary
from matcher.rounds.ledger import open_ledger


@dataclass(frozen=True)
class FileImport:
    summary: ImportSummary
    refused_rows: int
    refused_file: Path  # written only when rows were refused


def import_file(
    db_path: str,
    kind: Literal["clients", "volunteers"],
    file: str,
    config: MatchConfig,
    *,
    on: dt.date,
    skip_invalid: bool = False,
    refused_path: str | None = None,
    allow_erased: bool = False,
) -> FileImport:
    """Read and validate `file` in full before the ledger at `db_path` is opened: a bad file
    imports nothing, unless `skip_invalid` asks for the valid rows."""
    columns = config.columns
    sheet = columns.clients_sheet if kind == "clients" else columns.volunteers_sheet
    refused: dict[int, Any] = {}
    records: Any  # clients or volunteers, as `kind` says
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
                records, on=on, allow_erased=allow_erased, before_commit=write_refused
            )
        else:
            summary = ledger.import_volunteers(records, on=on, before_commit=write_refused)
    return FileImport(summary, len(refused), refused_file)
