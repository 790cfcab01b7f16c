"""Her own columns, such as a name or a phone number, for the outputs of one run only.

`--keep-columns naam,telefoon` names columns of her own input files that the engine does not
know. The readers never keep such columns (matcher.io.readers): they are read here, apart, as
a side table keyed by the person's id, and go only into the proposals workbook and the call
list she asked for. They never reach the models, the ledger, the logs, the reports or an
error message (a message names the column or the id, never a value).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from matcher import vocab
from matcher.config import MatchConfig
from matcher.errors import InputError, Problem
from matcher.io.cells import unquote_cell
from matcher.io.layout import mapped_headers, normalise_header
from matcher.io.sources import open_table
from matcher.models import Client, Volunteer

# id -> column (as she typed it) -> text
KeptValues = dict[str, dict[str, str]]
_ID_FIELDS: dict[str, tuple[str, type[Client] | type[Volunteer]]] = {
    "clients": ("client_id", Client),
    "volunteers": ("volunteer_id", Volunteer),
}


@dataclass(frozen=True)
class KeptColumns:
    """Her chosen columns, by the id of each client and volunteer who has them."""

    columns: tuple[str, ...] = ()
    clients: KeptValues = field(default_factory=dict)
    volunteers: KeptValues = field(default_factory=dict)

    def of_client(self, client_id: str) -> list[str | None]:
        """The client's cells in column order; None where the file left them empty."""
        return self._cells(self.clients.get(client_id, {}))

    def of_volunteer(self, volunteer_id: str) -> list[str | None]:
        return self._cells(self.volunteers.get(volunteer_id, {}))

    def _cells(self, own: Mapping[str, str]) -> list[str | None]:
        return [own.get(column) for column in self.columns]


@dataclass(frozen=True)
class _FileColumns:
    headers: list[str]
    found: frozenset[str]
    values: KeptValues


def parse_column_list(text: str | None) -> tuple[str, ...]:
    """`"naam, telefoon"` -> ("naam", "telefoon"); each name once, in her order."""
    if not text:
        return ()
    return tuple(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))


def read_kept_columns(
    files: Sequence[tuple[str | os.PathLike[str], str]],
    columns: Sequence[str],
    config: MatchConfig | None = None,
) -> KeptColumns:
    """The named columns of her files ((path, "clients" or "volunteers") pairs), keyed by id.

    A column matches a header as written or normalised (`Naam` for `naam`); a column one file
    lacks stays empty for its people, a column no file has is an error naming the headers
    there are. Ids are found through the same column mapping the readers use.
    """
    config = config or MatchConfig()
    read = [(str(path), _read_file(path, kind, columns, config)) for path, kind in files]
    problems = []
    headers = sorted({h.strip() for _, f in read for h in f.headers if h.strip()})
    for column in columns:
        if not any(column in f.found for _, f in read):
            hint = vocab.closest(column, headers)
            message = "--keep-columns names a column that no input file has" + (
                f"; did you mean {hint!r}?" if hint else f"; the files have {', '.join(headers)}"
            )
            sources = " and ".join(dict.fromkeys(p for p, _ in read))
            problems.append(Problem(sources, None, column, message))
    if problems:
        raise InputError(problems)
    by_kind: dict[str, KeptValues] = {"clients": {}, "volunteers": {}}
    for (_, found), (_, kind) in zip(read, files, strict=True):
        by_kind[kind].update(found.values)
    return KeptColumns(tuple(columns), by_kind["clients"], by_kind["volunteers"])


def _read_file(
    path: str | os.PathLike[str], kind: str, columns: Sequence[str], config: MatchConfig
) -> _FileColumns:
    id_field, model = _ID_FIELDS[kind]
    mapping = config.columns.clients if kind == "clients" else config.columns.volunteers
    sheet = config.columns.clients_sheet if kind == "clients" else config.columns.volunteers_sheet
    with open_table(path, sheet=sheet) as table:
        source, headers = table.source, table.headers
        known = mapped_headers(headers, mapping, model.model_fields)
        if id_field not in known:
            raise InputError([Problem(source, None, id_field, "column is missing")])
        id_at = known.index(id_field)
        own = [normalise_header(header) for header in headers]
        at = {c: own.index(normalise_header(c)) for c in columns if normalise_header(c) in own}
        values: KeptValues = {}
        first_row: dict[str, int] = {}
        problems = table.problems
        for row, cells in table.rows:
            texts = [_text(cells.get(h)) for h in headers] if isinstance(cells, dict) else cells
            person = unquote_cell(texts[id_at]).strip() if id_at < len(texts) else ""
            if not person:
                continue  # the readers report a missing id; here the row only has no name
            if person in first_row:
                message = f"duplicate id, first seen on row {first_row[person]}"
                problems.append(Problem(source, row, headers[id_at].strip(), message, person))
                continue
            first_row[person] = row
            values[person] = {
                column: unquote_cell(texts[index]).strip()
                for column, index in at.items()
                if index < len(texts) and texts[index].strip()
            }
        if problems:
            raise InputError(problems)
    return _FileColumns(headers, frozenset(at), values)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)
