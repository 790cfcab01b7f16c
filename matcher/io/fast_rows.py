"""Spreadsheet rows to records by column, validating each distinct cell value once.

A file of 100,000 clients holds a few dozen distinct genders, programmes and loss types and a
few thousand distinct dates. Rows are read in chunks; within a chunk each column is cleaned,
mapped (her words, Dutch words) and validated by the model's own field validator (through a
TypeAdapter) once per distinct value, and a row whose every cell is good becomes a record
without a pydantic call of its own. A row with a cell that fails, or that fails a check across
fields, is handed back as its cells, and the reader validates it with `model_validate` as it
always did, so every message, row number and `(got …)` stays what it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from typing import Annotated, Any, Final, Generic

from pydantic import ConfigDict, TypeAdapter, ValidationError

from matcher.errors import Problem
from matcher.io.cells import unquote_cell
from matcher.io.layout import Layout
from matcher.io.records import M
from matcher.io.sources import RawTable
from matcher.io.values import ValueMapper

# Marks a cell value that failed its field's validation: the row takes the slow path.
_FAILED: Final = object()
_MISSING: Final = object()
# Distinct values remembered per field across chunks: a genders column needs three, an id
# column one per row, which is memory for nothing; past this a chunk's values are new to it.
MAX_CACHED_VALUES: Final = 1 << 16
# Rows held as text at a time: bounds the memory of a large file's cells.
CHUNK_ROWS: Final = 20_000

Cells = dict[str, Any]


class FieldValidators(Generic[M]):
    """The model's validators one field at a time, remembering what each distinct value gave."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        fields = model.model_fields
        strip = bool(model.model_config.get("str_strip_whitespace"))
        config = ConfigDict(str_strip_whitespace=strip)
        self._adapters: dict[str, Callable[[Any], Any]] = {
            name: TypeAdapter(
                Annotated[info.annotation, info],  # type: ignore[arg-type]
                config=config,
            ).validate_python
            for name, info in fields.items()
        }
        self._caches: dict[str, dict[Any, Any]] = {name: {} for name in fields}
        # Every field in declaration order, as model_validate lays out a record's __dict__.
        self.defaults: dict[str, Any] = {
            name: info.get_default(call_default_factory=True) for name, info in fields.items()
        }
        self.required = frozenset(name for name, info in fields.items() if info.is_required())
        decorators = list(model.__pydantic_decorators__.model_validators.values())
        if any(d.info.mode not in ("before", "after") for d in decorators):
            raise TypeError(f"{model.__name__}: only before and after model validators are known")
        self.before = [d.func for d in decorators if d.info.mode == "before"]
        self.after = [d.func for d in decorators if d.info.mode == "after"]

    def value(self, name: str, value: Any) -> Any:
        """The field's validated value, or _FAILED."""
        cache = self._caches[name]
        key = value if value is None or type(value) is str else _key(value)
        found = _MISSING if key is _MISSING else cache.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = self._adapters[name](value)
            except ValidationError:
                found = _FAILED
            if key is not _MISSING and len(cache) < MAX_CACHED_VALUES:
                cache[key] = found
        return found

    def record(self, fields: dict[str, Any], fields_set: set[str]) -> M | None:
        """A record from values validated field by field, or None if a check across fields
        fails. Built as `model_construct` does, without its per-field loop (20 µs a row)."""
        item = self.model.__new__(self.model)
        setattr_ = object.__setattr__  # the models are frozen
        setattr_(item, "__dict__", fields)
        setattr_(item, "__pydantic_fields_set__", fields_set)
        setattr_(item, "__pydantic_extra__", None)
        setattr_(item, "__pydantic_private__", None)
        try:
            for after in self.after:
                item = after(item)
        except (ValueError, AssertionError):  # what pydantic turns into a ValidationError
            return None
        return item


def _key(value: Any) -> Any:
    """A cache key that tells 1, 1.0 and True apart; _MISSING for a list or table."""
    try:
        key = (type(value), value)
        hash(key)
    except TypeError:
        return _MISSING
    return key


def shaped_rows(
    table: RawTable, layout: Layout, problems: list[Problem]
) -> Iterator[tuple[int, list[str]]]:
    """The rows worth reading, padded to the header's width; wrong shapes become problems."""
    width = len(table.headers)
    for row, cells in table.rows:
        assert isinstance(cells, list), "a positional table has rows of cells"
        if not "".join(cells).strip():
            continue  # a spreadsheet row left completely empty
        if len(cells) > width and "".join(cells[width:]).strip():
            problems.append(too_many_cells(table.source, row, len(cells), width))
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        yield row, cells


def too_many_cells(source: str, row: int, cells: int, width: int) -> Problem:
    return Problem(
        source,
        row,
        None,
        f"row has {cells} cells but the header has {width}; "
        "a value that contains the delimiter must be in double quotes",
    )


class ColumnReader(Generic[M]):
    """Reads one positional table's rows as records, chunk by chunk."""

    def __init__(self, layout: Layout, words: ValueMapper, validators: FieldValidators[M]):
        self.layout = layout
        self.words = words
        self.validators = validators
        self.names = [field for _, field in layout.kept]
        # Per field: cell text as written -> (value after her and the Dutch words, validated).
        self._cells: dict[str, dict[str, tuple[Any, Any]]] = {name: {} for name in self.names}

    def rows(
        self, shaped: Iterator[tuple[int, list[str]]]
    ) -> Iterator[tuple[int, Cells, M | None]]:
        """(row, cells as written, record or None when the model must say what is wrong)."""
        while chunk := list(islice(shaped, CHUNK_ROWS)):
            yield from self._chunk(chunk)

    def _chunk(self, chunk: list[tuple[int, list[str]]]) -> Iterator[tuple[int, Cells, M | None]]:
        mapped_columns: list[list[Any]] = []
        valid_columns: list[list[Any]] = []
        failed: set[int] = set()
        for index, name in self.layout.kept:
            column = self._column(name, [cells[index] for _, cells in chunk])
            mapped_columns.append(column[0])
            valid_columns.append(column[1])
            failed.update(column[2])
        names, validators = self.names, self.validators
        defaults, before, required = validators.defaults, validators.before, validators.required
        if not names:
            # No column the model knows: the model says which are missing, once per file.
            yield from ((row, {}, None) for row, _ in chunk)
            return
        rows = zip(
            chunk, zip(*mapped_columns, strict=True), zip(*valid_columns, strict=True), strict=True
        )
        for k, ((row, cells), mapped, valid) in enumerate(rows):
            item = None
            if k not in failed:
                data: Any = dict(zip(names, mapped, strict=True))
                fields = dict(defaults)
                fields.update(zip(names, valid, strict=True))
                changed = data
                for validator in before:
                    changed = validator(changed)
                if changed is not data:
                    ok = self._revalidate(fields, data, changed)
                else:
                    ok = required <= data.keys()
                if ok:
                    item = validators.record(fields, set(changed))
            if item is None:
                yield row, self._written(cells), None
            else:
                yield row, {}, item

    def _revalidate(self, fields: dict[str, Any], data: Cells, changed: Any) -> bool:
        """Apply what a before-validator changed in a row; False if the row must go slow."""
        if not isinstance(changed, dict) or not self.validators.required <= changed.keys():
            return False
        for name in data.keys() - changed.keys():
            fields[name] = self.validators.defaults[name]  # dropped: the default applies
        for name, value in changed.items():
            if name in data and data[name] is value:
                continue
            if name not in fields:
                return False  # not a field: the model forbids it and says so
            found = self.validators.value(name, value)
            if found is _FAILED:
                return False
            fields[name] = found
        return True

    def _column(self, name: str, texts: list[str]) -> tuple[list[Any], list[Any], list[int]]:
        known, words, validators = self._cells[name], self.words, self.validators
        mapped_field = name in words.mapped_fields
        here: dict[str, Any] = dict.fromkeys(texts)
        for text in here:
            pair = known.get(text)
            if pair is None:
                # unquote_cell: a cell our writers neutralised ('=…) reads back as it was.
                clean = unquote_cell(text).strip() or None
                mapped = clean
                if mapped_field and clean is not None:
                    mapped = words.map_value(name, clean)
                pair = (mapped, validators.value(name, mapped))
                if len(known) < MAX_CACHED_VALUES:
                    known[text] = pair
            here[text] = pair
        pairs = [here[text] for text in texts]
        bad = [k for k, pair in enumerate(pairs) if pair[1] is _FAILED]
        return [pair[0] for pair in pairs], [pair[1] for pair in pairs], bad

    def _written(self, cells: list[str]) -> Cells:
        return {
            name: unquote_cell(cells[index]).strip() or None for index, name in self.layout.kept
        }
