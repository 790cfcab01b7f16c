"""Partial imports on purpose (`matcher import … --skip-invalid`): the valid rows go in, the
refused rows go to a file she can fix and import again, each with what is wrong with it.

Without the flag a file with any problem imports nothing, as before. A problem of the file as
a whole (a column missing, a row that cannot be parsed) refuses the whole file either way:
the rows after it could not be trusted.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from matcher.errors import InputError, Problem
from matcher.io.records import Records
from matcher.io.sources import open_table
from matcher.io.writers import format_csv, format_json

PROBLEMS_COLUMN = "problems"


class RowsRefused(InputError):
    """Problems of a file, with the rows that were valid (for a deliberate partial import)."""

    def __init__(self, problems: list[Problem], valid: Records[Any]) -> None:
        super().__init__(problems)
        self.valid = valid


@dataclass(frozen=True)
class Partial:
    valid: Records[Any]
    refused: dict[int, list[Problem]]  # row -> its problems


def split_refused(error: InputError, source: str) -> Partial:
    """The valid rows and the refused ones; re-raises when the file itself is at fault."""
    whole_file = [p for p in error.problems if p.row is None or p.source != source]
    if whole_file or not isinstance(error, RowsRefused):
        raise error
    refused: dict[int, list[Problem]] = {}
    for problem in error.problems:
        assert problem.row is not None
        refused.setdefault(problem.row, []).append(problem)
    seen: set[str] = set()
    kept = []
    for item in error.valid:
        identifier = _id(item)
        # A repeated id: the first row is the one kept, the repeat is refused.
        if identifier not in seen and error.valid.rows.get(identifier) not in refused:
            kept.append(item)
        seen.add(identifier)
    valid = Records(
        kept,
        source=error.valid.source,
        rows=error.valid.rows,
        ignored_columns=error.valid.ignored_columns,
        column_names=error.valid.column_names,
    )
    return Partial(valid, refused)


def _id(item: BaseModel) -> str:
    return str(getattr(item, "client_id", None) or getattr(item, "volunteer_id", ""))


def default_refused_path(path: str | os.PathLike[str]) -> Path:
    """`clients.csv` -> `clients-refused.csv` beside it (JSON stays JSON, a workbook gives CSV)."""
    path = Path(path)
    suffix = ".json" if path.suffix.lower() == ".json" else ".csv"
    return path.with_name(f"{path.stem}-refused{suffix}")


def refused_text(
    path: str | os.PathLike[str], refused: dict[int, list[Problem]], *, sheet: str | None = None
) -> str:
    """The refused rows exactly as the file has them, plus a `problems` column saying why.

    The problems column is ignored when the file is imported again, so she fixes the cells
    and imports this file as it is."""
    with open_table(path, sheet=sheet) as table:
        headers = list(table.headers)
        picked = [(row, cells) for row, cells in table.rows if row in refused]
        positional = table.positional
    if positional:
        rows: list[Sequence[Any]] = [
            [*cells, *[""] * (len(headers) - len(cells)), _why(refused[row])]
            for row, cells in picked
            if isinstance(cells, list)
        ]
        return format_csv([*headers, PROBLEMS_COLUMN], rows)
    objects = [
        {**cells, PROBLEMS_COLUMN: _why(refused[row])}
        for row, cells in picked
        if isinstance(cells, dict)
    ]
    return format_json(objects)


def _why(problems: list[Problem]) -> str:
    # Without file and row: the row is this one; `column: what (got 'x')` as in the messages.
    return "; ".join(str(Problem("", None, p.column, p.message, p.got))[2:] for p in problems)
