"""Records: validated rows that remember where they came from, and checks across files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from matcher.errors import InputError, Problem
from matcher.models import Client, Volunteer

M = TypeVar("M", bound=BaseModel)


class Records(list[M]):
    """Validated rows in file order, with what later messages need to point into the file."""

    def __init__(
        self,
        items: Iterable[M] = (),
        *,
        source: str = "",
        rows: dict[str, int] | None = None,
        ignored_columns: tuple[str, ...] = (),
        column_names: dict[str, str] | None = None,
    ) -> None:
        super().__init__(items)
        self.source = source
        # id -> the row where it appears (spreadsheet row for CSV, position for JSON)
        self.rows: dict[str, int] = {} if rows is None else rows
        # names of the columns dropped before validation; their values are never kept
        self.ignored_columns = ignored_columns
        # our column name -> the header text the file used for it
        self.column_names: dict[str, str] = {} if column_names is None else column_names


def check_exclusions(
    clients: Sequence[Client], volunteers: Iterable[Volunteer], source: str
) -> None:
    """Every id in a client's excluded_volunteers must be a volunteer's; raises InputError.

    A typo there would quietly exclude nobody, so it is an error, not a warning.
    """
    known = set(_column(volunteers, "volunteer_id"))
    rows: dict[str, int] = getattr(clients, "rows", {})
    names: dict[str, str] = getattr(clients, "column_names", {})
    column = names.get("excluded_volunteers", "excluded_volunteers")
    problems = [
        Problem(source, rows.get(client_id), column, "unknown volunteer id", excluded)
        for client_id, excluded_volunteers in zip(
            _column(clients, "client_id"), _column(clients, "excluded_volunteers"), strict=True
        )
        for excluded in excluded_volunteers
        if excluded not in known
    ]
    if problems:
        raise InputError(problems)


def _column(items: Iterable[BaseModel], name: str) -> list[Any]:
    """A field of every item: a table's column as it is (matcher.io.record_table), no record
    made; else read off each record."""
    columns: dict[str, list[Any]] | None = getattr(items, "columns", None)
    if columns is not None:
        return columns[name]
    return [getattr(item, name) for item in items]
