"""Clients and volunteers from files: every row validated, every problem collected."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, Generic, Literal

from pydantic import ValidationError

from matcher.config import MatchConfig
from matcher.errors import InputError, Problem, problems_from_validation, shown_value
from matcher.files import without_cycle_collection
from matcher.io.chunks import shaped_chunks
from matcher.io.fast_rows import Block, ColumnReader, FieldValidators
from matcher.io.geo import gazetteer_for
from matcher.io.layout import Layout, make_layout, mapped_headers
from matcher.io.partial import RowsRefused
from matcher.io.raw_table import RawTable
from matcher.io.record_table import RecordTable
from matcher.io.records import M, Records
from matcher.io.sources import open_table
from matcher.io.streams import Source, as_path
from matcher.io.values import ValueMapper
from matcher.locations import LOOKUP_COLUMNS, FileLocator, Gazetteer
from matcher.models import Client, Volunteer

TableKind = Literal["clients", "volunteers"]


logger = logging.getLogger("matcher")


def read_clients(path: Source, config: MatchConfig | None = None) -> Records[Client]:
    """Clients from a CSV, JSON or workbook file, given by path or as an open file object
    (text or binary); raises InputError listing every problem."""
    return read_client_table(path, config).records()


def read_volunteers(path: Source, config: MatchConfig | None = None) -> Records[Volunteer]:
    """Volunteers from a CSV, JSON or workbook file, given by path or as an open file object
    (text or binary); raises InputError listing every problem."""
    return read_volunteer_table(path, config).records()


def read_client_table(path: Source, config: MatchConfig | None = None) -> RecordTable[Client]:
    """read_clients, the rows kept as columns: a record is made when a row is asked for."""
    config = config or MatchConfig()
    with as_path(path, "clients") as (real, shown):
        records = read_records(
            real,
            Client,
            "client_id",
            config.columns.clients,
            locations=gazetteer_for(config),
            sheet=config.columns.clients_sheet,
            values=config.values,
            source=shown,
        )
    warn_without_risk_information(records, records.source)
    return records


def read_volunteer_table(path: Source, config: MatchConfig | None = None) -> RecordTable[Volunteer]:
    """read_volunteers, the rows kept as columns: a record is made when a row is asked for."""
    config = config or MatchConfig()
    with as_path(path, "volunteers") as (real, shown):
        return read_records(
            real,
            Volunteer,
            "volunteer_id",
            config.columns.volunteers,
            locations=gazetteer_for(config),
            sheet=config.columns.volunteers_sheet,
            values=config.values,
            source=shown,
        )


def read_table_kind(path: str | os.PathLike[str], config: MatchConfig | None = None) -> TableKind:
    """Whether a file holds clients or volunteers, from its id column after the mapping."""
    kinds = read_table_kinds(path, config)
    if len(kinds) > 1:
        message = "holds clients and volunteers on two sheets; say which to read"
        raise InputError([Problem(str(path), None, None, message)])
    return kinds[0]


def read_table_kinds(
    path: str | os.PathLike[str], config: MatchConfig | None = None
) -> tuple[TableKind, ...]:
    """What a file holds: clients, volunteers, or both on the two sheets the config names."""
    columns = (config or MatchConfig()).columns
    # A workbook may hold clients and volunteers on two sheets: each kind looks at its own.
    sheets = {"clients": columns.clients_sheet, "volunteers": columns.volunteers_sheet}
    headers: dict[str | None, list[str]] = {}
    for sheet in dict.fromkeys((sheets["clients"], sheets["volunteers"])):
        with open_table(path, sheet=sheet) as table:
            headers[sheet] = table.headers
    is_clients = "client_id" in mapped_headers(
        headers[sheets["clients"]], columns.clients, Client.model_fields
    )
    is_volunteers = "volunteer_id" in mapped_headers(
        headers[sheets["volunteers"]], columns.volunteers, Volunteer.model_fields
    )
    if is_clients and is_volunteers and sheets["clients"] != sheets["volunteers"]:
        return ("clients", "volunteers")
    if is_clients != is_volunteers:
        return ("clients",) if is_clients else ("volunteers",)
    message = (
        "has both a client_id and a volunteer_id column; give clients and volunteers as two files"
        if is_clients
        else "has no client_id or volunteer_id column, so it holds neither clients nor volunteers"
    )
    raise InputError([Problem(str(path), None, None, message)])


def read_records(
    path: str | os.PathLike[str],
    model: type[M],
    id_field: str,
    mapping: Mapping[str, str],
    *,
    locations: Gazetteer | None = None,
    sheet: str | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
    source: str | None = None,
) -> RecordTable[M]:
    """Rows of a file validated as `model`, kept as columns (matcher.io.record_table); raises
    InputError with every problem found.

    With `locations`, each row without lat/lon is placed by its postcode, district or place
    (matcher.locations); a row that cannot be placed is one of the file's problems.
    `sheet` picks a workbook's sheet; `values` maps cell values in a coordinator's own words
    (matcher.io.values) before validation, as the built-in Dutch words are."""
    with open_table(path, sheet=sheet, source=source) as table:
        source = table.source
        layout = make_layout(table, model, mapping)
        own_words = ValueMapper(layout.names, values)
        locate = None if locations is None else locations.for_file(source, layout.names)
        problems = table.problems
        problems[:0] = layout.problems
        records: RecordTable[M] = RecordTable(
            model, source=source, ignored_columns=layout.ignored, column_names=dict(layout.names)
        )
        rows = _RowKeeper(records, id_field, layout.names.get(id_field, id_field), problems)
        validate = model.model_validate
        # Rows are read ahead in chunks, so a problem the table finds while reading may come
        # before a row problem above it: the loop's problems are put in row order at the end.
        first_row_problem = len(problems)
        with without_cycle_collection():
            for read in _rows(table, layout, own_words, model, problems):
                if isinstance(read, Block):
                    rows.block(read, locate)
                    continue
                row, cells = read
                try:
                    item = validate(own_words.map_row(cells))
                except ValidationError as error:
                    # The cells as written, not as mapped: (got 'Vrouw') is what she can find.
                    problems.extend(_row_problems(error, source, row, layout, cells))
                    raw_id = cells.get(id_field)
                    if raw_id is not None:
                        rows.seen(shown_value(raw_id).strip(), row)
                else:
                    rows.one(item, row, locate)
        problems[first_row_problem:] = sorted(
            problems[first_row_problem:], key=lambda problem: problem.row or 0
        )
        if locate is not None:
            problems.extend(locate.file_problems())
    if problems:
        raise RowsRefused(problems, records.records())  # an InputError that keeps the valid rows
    return records


class _RowKeeper(Generic[M]):
    """Adds validated rows to a table: places them (a row that cannot be placed is a problem)
    and notes the row of each id, a repeated id being a problem."""

    def __init__(
        self, records: RecordTable[M], id_field: str, id_name: str, problems: list[Problem]
    ) -> None:
        self.records, self.id_field, self.id_name = records, id_field, id_name
        self.problems = problems

    def seen(self, record_id: str, row: int) -> None:
        first_row = self.records.rows.setdefault(record_id, row)
        if first_row != row:
            message = f"duplicate id, first seen on row {first_row}"
            problem = Problem(self.records.source, row, self.id_name, message, record_id)
            self.problems.append(problem)

    def one(self, item: M, row: int, locate: FileLocator | None) -> None:
        record_id = getattr(item, self.id_field)
        placed, problem = self._placed(item, row, locate)
        if problem is None:
            self.records.append(placed)
        else:
            self.problems.append(problem)
        self.seen(record_id, row)

    def block(self, block: Block, locate: FileLocator | None) -> None:
        """Good rows as columns: only the rows without coordinates become records here (to be
        placed); the rest stay columns."""
        columns = block.columns
        ids = columns[self.id_field]
        made: dict[int, M] = {}
        dropped: list[int] = []
        if locate is not None:
            # Located already when lat/lon were given (Gazetteer.locate's first case).
            left_as_is = Gazetteer.left_as_is
            lookups = zip(*(columns[name] for name in LOOKUP_COLUMNS), strict=True)
            unplaced = [
                k
                for k, (lat, source, contact, lookup) in enumerate(
                    zip(
                        columns["lat"],
                        columns["location_source"],
                        columns["contact"],
                        lookups,
                        strict=True,
                    )
                )
                if (lat is None or source is None) and not left_as_is(lat, contact, lookup)
            ]
            maker = self.records.maker
            names = self.records.names
            for k in unplaced:
                values = zip(names, [columns[name][k] for name in names], strict=True)
                item = maker.make(values, block.fields_sets[k])
                placed, problem = self._placed(item, block.rows[k], locate)
                if problem is not None:
                    self.problems.append(problem)
                    dropped.append(k)
                elif placed is not item:
                    made[k] = placed
        known = self.records.rows
        by_id = dict(zip(ids, block.rows, strict=True))
        if len(by_id) == len(ids) and known.keys().isdisjoint(by_id):
            known.update(by_id)  # the usual block: every id new
        else:
            for record_id, row in zip(ids, block.rows, strict=True):
                self.seen(record_id, row)
        if not made and not dropped:
            self.records.extend(columns, block.fields_sets)
            return
        # Rows placed or left out: row by row (a few per file at most, as a rule).
        gone = set(dropped)
        names = self.records.names
        for k in range(len(ids)):
            if k in gone:
                continue
            if k in made:
                self.records.append(made[k])
            else:
                self.records.extend(
                    {name: [columns[name][k]] for name in names}, [block.fields_sets[k]]
                )

    @staticmethod
    def _placed(item: M, row: int, locate: FileLocator | None) -> tuple[M, Problem | None]:
        given = getattr(item, "lat", None) is not None and (
            getattr(item, "location_source", None) is not None
        )
        if locate is None or given:
            return item, None
        return locate(item, row)  # type: ignore[type-var]


def _rows(
    table: RawTable, layout: Layout, words: ValueMapper, model: type[M], problems: list[Problem]
) -> Iterator[Block | tuple[int, dict[str, Any]]]:
    """Blocks of rows validated by column, and each row to be validated on its own as
    (row, {field: value as written}).

    Spreadsheet rows go by column (matcher.io.fast_rows); JSON objects one by one. Only known
    columns are copied, the rest never go further."""
    if table.positional:
        reader = ColumnReader(layout, words, FieldValidators(model))
        yield from reader.rows(shaped_chunks(table, layout, problems))
        return
    for row, cells in table.rows:
        assert isinstance(cells, dict), "a JSON table has rows of objects"
        values = _object_values(table.source, row, cells, layout, problems)
        if values is not None:
            yield row, values


def _object_values(
    source: str, row: int, item: dict[str, Any], layout: Layout, problems: list[Problem]
) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    keys: dict[str, str] = {}
    clean = True
    for key, value in item.items():
        field = layout.by_key.get(key)
        if field is None:
            continue
        if field in keys:
            message = f"key appears twice, as {keys[field]!r} and {key!r}"
            problems.append(Problem(source, row, field, message))
            clean = False
            continue
        keys[field] = key
        # Empty text means "not given", as an empty spreadsheet cell does.
        values[field] = None if isinstance(value, str) and not value.strip() else value
    return values if clean else None


def _row_problems(
    error: ValidationError, source: str, row: int, layout: Layout, values: Mapping[str, Any]
) -> list[Problem]:
    problems = problems_from_validation(error, source=source, row=row, column_names=layout.names)
    raw = {layout.names.get(field, field): value for field, value in values.items()}
    found = []
    for problem in problems:
        if problem.column in layout.missing:
            continue  # reported once for the whole file
        value = raw.get(problem.column or "")
        if problem.got is not None and isinstance(value, str | int | float):
            # What the cell says, not the number or list the model made of it.
            problem = replace(problem, got=shown_value(value).strip())
        found.append(problem)
    return found


def warn_without_risk_information(clients: Sequence[Client], source: str) -> None:
    """Say once when a file gives triage nothing to go on: every client would be low risk."""
    given: Iterable[tuple[Any, ...]]
    if isinstance(clients, RecordTable):
        columns = clients.columns
        given = zip(
            columns["hindering_factors"],
            columns["protective_factors"],
            columns["risk_tier"],
            strict=True,
        )
    else:
        given = ((c.hindering_factors, c.protective_factors, c.risk_tier) for c in clients)
    if not clients or any(any(fields) for fields in given):
        return
    logger.warning(
        "%s: no client has a hindering or protective factor or a risk_tier, so every client"
        " counts as low risk; add those columns to put the most vulnerable first",
        source,
    )
