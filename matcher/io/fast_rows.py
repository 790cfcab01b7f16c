"""Spreadsheet rows to records by column, validating each distinct cell value once.

A file of 100,000 clients holds a few dozen distinct genders, programmes and loss types and a
few thousand distinct dates. Rows are read in chunks; within a chunk each column is cleaned,
mapped (her words, Dutch words) and validated by the model's own field validator once per
distinct value (matcher.plain_values reads a plainly valid value off, pydantic's TypeAdapter
decides the rest). Columns with a value in nearly every row (ids, coordinates, lists of time
slots) have their plain cells read off by matcher.io.fast_cells without pydantic, the rest go
to the validator. What the model's before-validator does
(models.RowRules) is done to whole columns, and a row whose every cell is good becomes a record
without a pydantic call of its own. A row with a cell that fails, or that fails a check across
fields, is handed back as its cells, and the reader validates it with `model_validate` as it
always did, so every message, row number and `(got …)` stays what it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any, Final, Generic

from pydantic import ConfigDict, ValidationError

from matcher.field_types import blank
from matcher.io.cells import unquote_cell
from matcher.io.chunks import Chunk
from matcher.io.fast_cells import ASK, column_check
from matcher.io.layout import Layout
from matcher.io.records import M
from matcher.io.values import ValueMapper
from matcher.models import ColumnChecks, RowRules
from matcher.plain_values import validator_of_field

# Marks a cell value that failed its field's validation: the row takes the slow path.
_FAILED: Final = object()
_MISSING: Final = object()
# Distinct values remembered per field across chunks: a genders column needs three, an id
# column one per row, which is memory for nothing; past this a chunk's values are new to it.
MAX_CACHED_VALUES: Final = 1 << 16

Cells = dict[str, Any]


class FieldValidators(Generic[M]):
    """The model's validators one field at a time, remembering what each distinct value gave."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        fields = model.model_fields
        strip = bool(model.model_config.get("str_strip_whitespace"))
        self._config = ConfigDict(str_strip_whitespace=strip)
        # Built on a field's first cell that needs one: a column of plain cells
        # (matcher.io.fast_cells) or a field the file lacks never needs its validator.
        self._adapters: dict[str, Callable[[Any], Any]] = {}
        self._caches: dict[str, dict[Any, Any]] = {name: {} for name in fields}
        # Every field in declaration order, as model_validate lays out a record's __dict__.
        self.defaults: dict[str, Any] = {
            name: info.get_default(call_default_factory=True) for name, info in fields.items()
        }
        self.required = frozenset(name for name, info in fields.items() if info.is_required())
        decorators = list(model.__pydantic_decorators__.model_validators.values())
        if any(d.info.mode not in ("before", "after") for d in decorators):
            raise TypeError(f"{model.__name__}: only before and after model validators are known")
        # What a before-validator does must be said as data (models.RowRules), so that it can
        # be applied to whole columns.
        self.rules: RowRules | None = getattr(model, "row_rules", None)
        if sum(d.info.mode == "before" for d in decorators) > (self.rules is not None):
            raise TypeError(f"{model.__name__}: a before validator must be its row_rules")
        # What the after-validators check must be said for whole columns too: rows become
        # records only when they are asked for (matcher.io.record_table).
        self.column_checks: ColumnChecks | None = getattr(model, "column_checks", None)
        if any(d.info.mode == "after" for d in decorators) and self.column_checks is None:
            raise TypeError(f"{model.__name__}: an after validator must have its column_checks")

    def value(self, name: str, value: Any) -> Any:
        """The field's validated value, or _FAILED."""
        cache = self._caches[name]
        key = value if value is None or type(value) is str else _key(value)
        found = _MISSING if key is _MISSING else cache.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = self._adapter(name)(value)
            except ValidationError:
                found = _FAILED
            if key is not _MISSING and len(cache) < MAX_CACHED_VALUES:
                cache[key] = found
        return found

    def _adapter(self, name: str) -> Callable[[Any], Any]:
        adapter = self._adapters.get(name)
        if adapter is None:
            # Plain values read off without pydantic; its validator is built for the rest.
            adapter = validator_of_field(self.model.model_fields[name], self._config)
            self._adapters[name] = adapter
        return adapter

    def failing(self, columns: dict[str, list[Any]], n: int) -> set[int]:
        """The rows (of n, every field a column) that fail a check across fields: the model's
        after-validators, said for whole columns (models.ColumnChecks)."""
        if self.column_checks is None:
            return set()
        return set(self.column_checks.failing(columns))


def _key(value: Any) -> Any:
    """A cache key that tells 1, 1.0 and True apart; _MISSING for a list or table."""
    try:
        key = (type(value), value)
        hash(key)
    except TypeError:
        return _MISSING
    return key


@dataclass(frozen=True)
class Block:
    """Consecutive good rows: their numbers, every field as a column, and their fields sets."""

    rows: list[int]
    columns: dict[str, list[Any]]
    fields_sets: list[set[str]]


def _taken(columns: dict[str, list[Any]], rows: Sequence[int]) -> dict[str, list[Any]]:
    return {name: list(map(column.__getitem__, rows)) for name, column in columns.items()}


def _block(
    chunk: Chunk,
    columns: dict[str, list[Any]],
    fields_sets: list[set[str]],
    start: int,
    stop: int,
) -> Block:
    rows = chunk.rows[start:stop]
    if start == 0 and stop == len(chunk.rows):
        return Block(rows, columns, fields_sets)  # the usual chunk: nothing to copy
    part = {name: column[start:stop] for name, column in columns.items()}
    return Block(rows, part, fields_sets[start:stop])


class ColumnReader(Generic[M]):
    """Reads one positional table's rows as records, chunk by chunk."""

    def __init__(self, layout: Layout, words: ValueMapper, validators: FieldValidators[M]):
        self.layout = layout
        self.words = words
        self.validators = validators
        self.names = [field for _, field in layout.kept]
        fields = validators.model.model_fields
        self._checks = {
            name: check
            for name in self.names
            if (check := column_check(name, fields[name].metadata, words)) is not None
        }
        # Per field: cell text as written -> (value after her and the Dutch words, validated).
        self._cells: dict[str, dict[str, tuple[Any, Any]]] = {name: {} for name in self.names}
        # Rows whose every field is a column of the file: without one the model says it is
        # missing, row by row, as it always did.
        self._complete = validators.required <= set(self.names)
        # The fields the row rules look at: whether each cell is blank is kept for them.
        rules = validators.rules
        self._rule_fields = (
            {"lat", "lon", "location_source", *rules.blank_means_default} if rules else set()
        )
        self._sets: dict[int, set[str]] = {}

    def rows(self, chunks: Iterator[Chunk]) -> Iterator[Block | tuple[int, Cells]]:
        """In row order: blocks of rows whose every cell and check is good, as columns, and
        each other row as (row, cells as written), for the model to say what is wrong."""
        for chunk in chunks:
            if chunk:
                yield from self._chunk(chunk)

    def _chunk(self, chunk: Chunk) -> Iterator[Block | tuple[int, Cells]]:
        if not self.names or not self._complete:
            # No column the model knows, or a required one missing: the model says which.
            yield from ((row, self._written(chunk.cells(k))) for k, row in enumerate(chunk.rows))
            return
        n = len(chunk)
        values: dict[str, list[Any]] = {}
        blanks: dict[str, list[bool]] = {}
        failed: dict[str, list[int]] = {}
        table = chunk.columns
        for index, name in self.layout.kept:
            values[name], blank_cells, failed[name] = self._column(name, table[index])
            if blank_cells is not None:
                blanks[name] = blank_cells
        del table
        keys = self._apply_rules(n, values, blanks, failed)
        bad = set().union(*failed.values())
        validators = self.validators
        # Every field in declaration order, as model_validate lays out a record's __dict__.
        columns = {
            name: values[name] if name in values else [default] * n
            for name, default in validators.defaults.items()
        }
        sets = {key: self._fields_set(key) for key in set(keys)}
        fields_sets = list(map(sets.__getitem__, keys))
        # Checks across fields, on the rows whose every cell is good.
        good = [k for k in range(n) if k not in bad] if bad else range(n)
        checked = columns if not bad else _taken(columns, good)
        bad |= {good[j] for j in validators.failing(checked, len(good))}
        start = 0
        for k in sorted(bad):
            if k > start:
                yield _block(chunk, columns, fields_sets, start, k)
            yield chunk.rows[k], self._written(chunk.cells(k))
            start = k + 1
        if start < n:
            yield _block(chunk, columns, fields_sets, start, n)

    def _apply_rules(
        self,
        n: int,
        values: dict[str, list[Any]],
        blanks: dict[str, list[bool]],
        failed: dict[str, list[int]],
    ) -> list[int]:
        """The model's row rules (models.RowRules) on whole columns; per row, which fields the
        rules added to or took from the fields set, as bits (see _fields_set)."""
        keys = [0] * n
        rules, validators = self.validators.rules, self.validators
        if rules is None:
            return keys
        if "lat" in blanks and "lon" in blanks:
            no_source = blanks.get("location_source") or repeat(True, n)
            given = [
                k
                for k, (no_lat, no_lon, unknown) in enumerate(
                    zip(blanks["lat"], blanks["lon"], no_source, strict=False)
                )
                if unknown and not (no_lat or no_lon)
            ]
            if given:
                coordinates = validators.value("location_source", "coordinates")
                column = values.setdefault(
                    "location_source", [validators.defaults["location_source"]] * n
                )
                added = 0 if "location_source" in blanks else 1
                for k in given:
                    column[k] = coordinates
                    keys[k] |= added
        for bit, name in enumerate(rules.blank_means_default, start=1):
            if name not in blanks:
                continue
            dropped = [k for k, empty in enumerate(blanks[name]) if empty]
            if not dropped:
                continue
            column, default = values[name], validators.defaults[name]
            for k in dropped:
                column[k] = default
                keys[k] |= 1 << bit
            gone = set(dropped)
            failed[name] = [k for k in failed[name] if k not in gone]
        return keys

    def _fields_set(self, key: int) -> set[str]:
        """The fields a row set: the file's columns, with what the row rules added or took
        (key, from _apply_rules). Rows alike share one set: the models are frozen, and pydantic
        copies the set when it copies a model."""
        found = self._sets.get(key)
        if found is None:
            found = set(self.names)
            if key & 1:
                found.add("location_source")
            rules = self.validators.rules
            for bit, name in enumerate(rules.blank_means_default if rules else (), start=1):
                if key & (1 << bit):
                    found.discard(name)
            self._sets[key] = found
        return found

    def _column(
        self, name: str, texts: Sequence[str]
    ) -> tuple[list[Any], list[bool] | None, list[int]]:
        """The column's values validated, whether each cell is blank (for the fields the row
        rules look at, else None), and the rows that failed."""
        want_blanks = name in self._rule_fields
        check = self._checks.get(name)
        if check is None:
            return self._distinct(name, texts, want_blanks)
        values = check(texts)
        asked = [k for k, value in enumerate(values) if value is ASK]
        blanks = [False] * len(texts) if want_blanks else None  # a plain cell is not blank
        if not asked:
            return values, blanks, []
        rest, rest_blanks, rest_failed = self._distinct(
            name, [texts[k] for k in asked], want_blanks
        )
        for k, value in zip(asked, rest, strict=True):
            values[k] = value
        if blanks is not None and rest_blanks is not None:
            for k, empty in zip(asked, rest_blanks, strict=True):
                blanks[k] = empty
        return values, blanks, [asked[j] for j in rest_failed]

    def _distinct(
        self, name: str, texts: Sequence[str], want_blanks: bool
    ) -> tuple[list[Any], list[bool] | None, list[int]]:
        """Each distinct cell text cleaned, mapped and validated once."""
        known, words, validators = self._cells[name], self.words, self.validators
        mapped_field = name in words.mapped_fields
        # Each distinct text -> its value; and -> whether it is blank after her and the Dutch
        # words (as the row rules see it), for the fields they look at.
        here: dict[str, Any] = dict.fromkeys(texts)
        empty: dict[str, bool] = {}
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
            here[text] = pair[1]
            if want_blanks:
                empty[text] = blank(pair[0])
        values = list(map(here.__getitem__, texts))
        bad = []
        if any(value is _FAILED for value in here.values()):
            bad = [k for k, value in enumerate(values) if value is _FAILED]
        blanks = list(map(empty.__getitem__, texts)) if want_blanks else None
        return values, blanks, bad

    def _written(self, cells: list[str]) -> Cells:
        return {
            name: unquote_cell(cells[index]).strip() or None for index, name in self.layout.kept
        }
