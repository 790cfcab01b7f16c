"""Records: validated rows that remember where they came from, and checks across files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

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
    known = {volunteer.volunteer_id for volunteer in volunteers}
    rows = clients.rows if isinstance(clients, Records) else {}
    names = clients.column_names if isinstance(clients, Records) else {}
    column = names.get("excluded_volunteers", "excluded_volunteers")
    problems = [
        Problem(source, rows.get(client.client_id), column, "unknown volunteer id", excluded)
        for client in clients
        for excluded in client.excluded_volunteers
        if excluded not in known
    ]
    if problems:
        raise InputError(problems)
