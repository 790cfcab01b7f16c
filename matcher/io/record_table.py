"""Validated rows kept as columns: a row becomes a record only when someone asks for it.

A national round reads 140,000 rows, and the engine reads them as columns (matcher.population);
the records themselves are wanted only for the few thousand people a round shows (its pairs,
a client explained). So the readers keep each field's validated values as one list
(`RecordTable`), and the round looks at people through a `RecordView`: the columns in the
population's order, and a record, made as the readers made it before (models.RecordMaker),
when one row is asked for. A model list from a library caller is viewed the same way, so the
engine has one way to read people.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from operator import attrgetter
from typing import Any, Generic, overload

from matcher.io.records import M, Records
from matcher.models import RecordMaker


class RecordTable(Sequence[M], Generic[M]):
    """Rows in file order as one list per field (every field, declaration order) and the
    fields set of each row; with what later messages need to point into the file (as Records)."""

    def __init__(
        self,
        model: type[M],
        *,
        source: str = "",
        ignored_columns: tuple[str, ...] = (),
        column_names: dict[str, str] | None = None,
    ) -> None:
        self.model = model
        self.maker = RecordMaker(model)
        self.names = tuple(model.model_fields)
        self.columns: dict[str, list[Any]] = {name: [] for name in self.names}
        self.fields_sets: list[set[str]] = []
        # Records validated row by row or placed by the gazetteer: kept as they are.
        self._made: dict[int, M] = {}
        self.source = source
        # id -> the row where it appears (spreadsheet row for CSV, position for JSON)
        self.rows: dict[str, int] = {}
        self.ignored_columns = ignored_columns
        self.column_names: dict[str, str] = {} if column_names is None else column_names

    def __len__(self) -> int:
        return len(self.fields_sets)

    @overload
    def __getitem__(self, index: int) -> M: ...

    @overload
    def __getitem__(self, index: slice) -> list[M]: ...

    def __getitem__(self, index: int | slice) -> M | list[M]:
        if isinstance(index, slice):
            return [self.record(k) for k in range(len(self))[index]]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("record index out of range")
        return self.record(index)

    def __iter__(self) -> Iterator[M]:
        return map(self.record, range(len(self)))

    def record(self, k: int) -> M:
        """Row k as a record: the one validated or placed row by row, or one made now (the
        same values, keys and fields set as the readers' records always had)."""
        found = self._made.get(k)
        if found is None:
            values = [column[k] for column in self.columns.values()]  # every field, in order
            found = self.maker.make(zip(self.names, values, strict=True), self.fields_sets[k])
        return found

    def extend(self, columns: Mapping[str, Sequence[Any]], fields_sets: Sequence[set[str]]) -> None:
        """Rows already validated, as columns (every field) and their fields sets."""
        for name in self.names:
            self.columns[name].extend(columns[name])
        self.fields_sets.extend(fields_sets)

    def append(self, item: M) -> None:
        """A record validated on its own: its values join the columns, the record is kept."""
        self._made[len(self)] = item
        for name in self.names:
            self.columns[name].append(getattr(item, name))
        self.fields_sets.append(item.__pydantic_fields_set__)

    def records(self) -> Records[M]:
        """Every row as a record, in a Records list (what read_clients and the rest return)."""
        return Records(
            self,
            source=self.source,
            rows=self.rows,
            ignored_columns=self.ignored_columns,
            column_names=self.column_names,
        )


class RecordView(Sequence[M], Generic[M]):
    """People in a round's order: over a RecordTable (row `order[i]` is person i) or over
    model objects (already in order). Columns for the arrays, records one at a time."""

    def __init__(self, source: RecordTable[M] | tuple[M, ...], order: Sequence[int] | None):
        self._source = source
        self._order = order
        self._made: dict[int, M] = {}

    @classmethod
    def of(cls, items: Sequence[M], id_field: str) -> RecordView[M]:
        """`items` sorted by id: a table stays columns, a model list is sorted as it was."""
        if isinstance(items, RecordTable):
            ids = items.columns[id_field]
            return cls(items, sorted(range(len(ids)), key=ids.__getitem__))
        return cls(tuple(sorted(items, key=attrgetter(id_field))), None)

    @classmethod
    def over(cls, items: Sequence[M]) -> RecordView[M]:
        """`items` as a view, in their own order."""
        return items if isinstance(items, RecordView) else cls(tuple(items), None)

    @property
    def table(self) -> RecordTable[M] | None:
        return self._source if isinstance(self._source, RecordTable) else None

    def __len__(self) -> int:
        return len(self._source)

    @overload
    def __getitem__(self, index: int) -> M: ...

    @overload
    def __getitem__(self, index: slice) -> list[M]: ...

    def __getitem__(self, index: int | slice) -> M | list[M]:
        source, order = self._source, self._order
        if isinstance(source, tuple):
            return list(source[index]) if isinstance(index, slice) else source[index]
        assert order is not None
        if isinstance(index, slice):
            return [source.record(order[k]) for k in range(len(order))[index]]
        row = order[index]
        found = self._made.get(row)
        if found is None:
            # Made once: a person asked for twice (a pair, then its explanation) is one object.
            found = self._made[row] = source.record(row)
        return found

    def __iter__(self) -> Iterator[M]:
        if isinstance(self._source, tuple):
            return iter(self._source)
        return map(self.__getitem__, range(len(self)))

    def column(self, name: str) -> list[Any]:
        """The field's value of every person, in this order (no record is made)."""
        source, order = self._source, self._order
        if isinstance(source, tuple):
            return list(map(attrgetter(name), source))
        assert order is not None
        return list(map(source.columns[name].__getitem__, order))
