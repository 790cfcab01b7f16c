"""`matcher columns FILE`: how a file will be read, on one screen, before anything is imported.

For each header: the column it is read as and why (her config, our own name, the Dutch
table), or that it is ignored. For each column read: its distinct values and what each becomes,
or why it is refused. Nothing is validated row by row and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Final

from pydantic import BaseModel, TypeAdapter, ValidationError

from matcher import vocab_nl
from matcher.config import MatchConfig
from matcher.errors import InputError
from matcher.io.cells import unquote_cell
from matcher.io.layout import (
    HeaderSource,
    column_letters,
    make_layout,
    normalise_header,
    understood_header,
)
from matcher.io.readers import TableKind, read_table_kind
from matcher.io.sources import open_table
from matcher.io.values import ValueMapper
from matcher.models import Client, Volunteer

# Columns whose every value is shown: words from a closed list, or a few free words.
_WORD_FIELDS: Final = frozenset(vocab_nl.FIELD_WORDS) | {
    "programme",
    "programmes",
    "district",
    "place",
}
VALUES_SHOWN: Final = 15
_HOW: Final[dict[HeaderSource, str]] = {
    "config": "your config",
    "own": "",
    "dutch": "Dutch name",
    "unknown": "",
}


@dataclass(frozen=True)
class ValueView:
    text: str
    rows: int
    becomes: str | None  # what validation makes of it, as text; None when it is refused
    problem: str | None = None


@dataclass(frozen=True)
class ColumnView:
    header: str
    letter: str
    field: str | None  # None: ignored
    how: str
    values: tuple[ValueView, ...]  # every distinct value, most frequent first
    shows_values: bool  # False: ids, numbers, dates; only a count and the refused ones
    empty: int = 0  # rows that leave the cell empty


@dataclass(frozen=True)
class TableView:
    source: str
    kind: TableKind
    kind_note: str | None
    rows: int
    columns: tuple[ColumnView, ...]
    header_problems: tuple[str, ...]
    not_given: tuple[str, ...]  # optional columns the file does not have


def view_columns(
    path: str | os.PathLike[str], config: MatchConfig, kind: TableKind | None = None
) -> TableView:
    """How `path` will be read with `config`; raises InputError only when it cannot be opened."""
    note = None
    if kind is None:
        kind, note = _kind(path, config)
    model: type[BaseModel] = Client if kind == "clients" else Volunteer
    mapping = config.columns.clients if kind == "clients" else config.columns.volunteers
    sheet = config.columns.clients_sheet if kind == "clients" else config.columns.volunteers_sheet
    with open_table(path, sheet=sheet) as table:
        layout = make_layout(table, model, mapping)
        counts: dict[str, Counter[str]] = {field: Counter() for field in layout.names}
        rows = 0
        for _row, cells in table.rows:
            found = _row_texts(cells, layout.kept, layout.by_key)
            if found is None:
                continue
            rows += 1
            for kept, text in found:
                counts[kept][text] += 1
        problems = [str(problem) for problem in layout.problems + table.problems]
        headers = list(table.headers)
    ours = {normalise_header(key): normalise_header(value) for key, value in mapping.items()}
    mapper = ValueMapper(layout.names, config.values)
    columns = []
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        name, how = understood_header(header, ours, model.model_fields)
        read = name in layout.names and layout.names[name] == header.strip()
        field = name if read else None
        values: tuple[ValueView, ...] = ()
        if field is not None:
            values = _values(model, field, counts[field], mapper)
        columns.append(
            ColumnView(
                header=header.strip(),
                letter=column_letters(index) if table.positional else "",
                field=field,
                how=_HOW[how],
                values=values,
                shows_values=field in _WORD_FIELDS,
                empty=rows - sum(counts[field].values()) if field is not None else 0,
            )
        )
    not_given = tuple(
        name
        for name, info in model.model_fields.items()
        if name not in layout.names and not info.is_required() and name != "location_source"
    )
    return TableView(str(path), kind, note, rows, tuple(columns), tuple(problems), not_given)


def _kind(path: str | os.PathLike[str], config: MatchConfig) -> tuple[TableKind, str | None]:
    try:
        return read_table_kind(path, config), None
    except InputError as error:
        if "neither" not in str(error):
            raise
    # No id column was recognised: show it as whichever kind more of its headers fit.
    with open_table(path, sheet=config.columns.clients_sheet) as table:
        headers = [normalise_header(header) for header in table.headers]
    fits = {
        kind: sum(name in model.model_fields for name in headers)
        for kind, model in (("clients", Client), ("volunteers", Volunteer))
    }
    guess: TableKind = "volunteers" if fits["volunteers"] > fits["clients"] else "clients"
    return guess, (
        f"no client_id or volunteer_id column was recognised; shown as {guess} (--kind chooses)"
    )


def _row_texts(
    cells: list[str] | dict[str, Any], kept: list[tuple[int, str]], by_key: Mapping[str, str]
) -> list[tuple[str, str]] | None:
    """(field, text) of each non-empty cell a row gives; None for a row left empty."""
    if isinstance(cells, dict):
        pairs = [
            (by_key[key], value if isinstance(value, str) else json.dumps(value))
            for key, value in cells.items()
            if key in by_key and value is not None
        ]
    else:
        if not "".join(cells).strip():
            return None
        pairs = [(field, cells[index]) for index, field in kept if index < len(cells)]
    return [(field, unquote_cell(text).strip()) for field, text in pairs if text.strip()]


def _values(
    model: type[BaseModel], field: str, counts: Counter[str], mapper: ValueMapper
) -> tuple[ValueView, ...]:
    info = model.model_fields[field]
    annotation: Any = Annotated[info.annotation, *info.metadata]
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    views = []
    for text, rows in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        mapped: str | None = text
        if field in mapper.mapped_fields:
            mapped = mapper.map_value(field, text)
        try:
            value = adapter.validate_python(mapped)
        except ValidationError as error:
            message = error.errors(include_url=False)[0]["msg"]
            views.append(ValueView(text, rows, None, message.removeprefix("Value error, ")))
        else:
            views.append(ValueView(text, rows, _shown(value)))
    return tuple(views)


def _shown(value: Any) -> str:
    if value is None or value == ():
        return "(not given)"
    if isinstance(value, tuple):
        return "|".join(str(item) for item in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# Text ------------------------------------------------------------------------------------------


def render_columns(view: TableView) -> str:
    """The screen: columns, then values, then what is missing or wrong."""
    lines = [f"{view.source}: {view.kind}, {view.rows} row(s)"]
    if view.kind_note:
        lines.append(f"  note: {view.kind_note}")
    lines += ["", "columns:"]
    width = max((len(column.header) for column in view.columns), default=0)
    for column in view.columns:
        target = column.field or "ignored (not read)"
        how = f"  ({column.how})" if column.how else ""
        letter = f"{column.letter:>3} " if column.letter else ""
        lines.append(f"  {letter}{column.header:<{width}}  -> {target}{how}")
    lines += ["", "values:"]
    for column in view.columns:
        if column.field is None:
            continue
        lines.extend(_value_lines(column))
    if view.not_given:
        lines += ["", f"not in the file (optional): {', '.join(view.not_given)}"]
    lines.extend(_mapping_hint(view))
    if view.header_problems:
        lines += ["", "problems:"]
        lines.extend(f"  {problem}" for problem in view.header_problems)
    return "\n".join(lines)


def _mapping_hint(view: TableView) -> list[str]:
    """How to map the first refused word of a vocabulary column in her config."""
    for column in view.columns:
        if column.field not in vocab_nl.FIELD_WORDS:
            continue
        refused = next((value for value in column.values if value.becomes is None), None)
        if refused is not None:
            return [
                "",
                "a refused word can be mapped in your config (--config), e.g.:",
                f"  [values.{column.field}]",
                f'  {json.dumps(refused.text, ensure_ascii=False)} = "…"',
            ]
    return []


def _value_lines(column: ColumnView) -> list[str]:
    same = normalise_header(column.header) == column.field
    title = f"  {column.header}" if same else f"  {column.header} ({column.field})"
    if column.empty:
        title += f" [{column.empty} empty]"
    refused = [value for value in column.values if value.becomes is None]
    if not column.shows_values:
        distinct = len(column.values)
        summary = f"{distinct} distinct value(s)"
        if refused:
            summary += f", {len(refused)} refused"
        lines = [f"{title}: {summary}"]
        shown = refused[:VALUES_SHOWN]
    else:
        lines = [f"{title}:"]
        shown = list(column.values[:VALUES_SHOWN])
    texts = [_short(value.text) for value in shown]
    width = max((len(text) for text in texts), default=0)
    for text, value in zip(texts, shown, strict=True):
        becomes = value.becomes if value.becomes is not None else f"refused: {value.problem}"
        lines.append(f"    {text:<{width}}  {value.rows:>5}x  -> {becomes}")
    hidden = (len(refused) if not column.shows_values else len(column.values)) - len(shown)
    if hidden > 0:
        lines.append(f"    … and {hidden} more")
    return lines


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
