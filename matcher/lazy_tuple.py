"""A tuple whose items are made when they are first looked at.

A national round's result holds about 100,000 objects (a proposal with its facts per pair, a
waiting client with the facts of why). The engine gathers those facts as arrays; turning them
into objects is most of the explanations stage, and a library caller who reads a few
proposals, or only the counts, need not pay for the rest. A `LazyTuple` holds the arrays'
maker and makes an item when it is asked for; iterating, comparing or hashing makes them all,
once, as the tuple the engine made before.

The arrays may also be read without any item: a LazyTuple made with a `source` (an object with
a `column(name)` method) hands it out until the items are all made, and `item_column` reads an
attribute of every item from it (a file writer, a summary's counts), or from the items of any
other sequence.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final, Protocol, SupportsIndex, TypeVar, overload

import numpy as np

from matcher.arrays import IntArray
from matcher.files import without_cycle_collection

T = TypeVar("T")

# A slice longer than this share of the whole makes the whole: one pass over the arrays.
WHOLE_FROM_SHARE: Final = 0.5


class ColumnSource(Protocol):
    """What a LazyTuple's items are made from, read a column at a time."""

    def column(self, name: str) -> Sequence[Any] | None:
        """The attribute `name` of every item, in order (None: not known without the items)."""


class LazyTuple(Sequence[T]):
    """The tuple of `make(np.arange(n))`, made item by item as they are looked at.

    `make(positions)` returns the items at `positions` (an int64 array, in that order), the
    same items whichever positions it is asked for together. The sequence behaves as that
    tuple: equal to it (and to a LazyTuple of equal items), hashed, ordered, added, repeated and
    printed as it, pickled and deep-copied as that plain tuple, and immutable. An item, once
    made, is the same object every time it is looked at. It is not a subclass of `tuple`
    (`isinstance(x, tuple)` is false): `tuple(x)` gives the plain tuple."""

    __slots__ = ("_made", "_make", "_n", "_source", "_whole")

    def __init__(
        self, n: int, make: Callable[[IntArray], list[T]], source: ColumnSource | None = None
    ) -> None:
        self._n = n
        self._make: Callable[[IntArray], list[T]] | None = make
        self._whole: tuple[T, ...] | None = None
        self._made: dict[int, T] = {}
        self._source = source

    @property
    def source(self) -> ColumnSource | None:
        """The arrays the items are made from, until every item is made (None after)."""
        return self._source

    def whole(self) -> tuple[T, ...]:
        """Every item, as a plain tuple (made once; the maker and its arrays are let go)."""
        if self._whole is None:
            assert self._make is not None
            made = self._made
            # The items not handed out yet; those that were stay the very objects.
            missing = np.arange(self._n, dtype=np.int64)
            if made:
                missing = np.setdiff1d(missing, np.fromiter(made, np.int64, len(made)))
            # Tens of thousands of objects with no reference cycle, as a file's records.
            with without_cycle_collection():
                made.update(zip(missing.tolist(), self._make(missing), strict=True))
            self._whole = tuple(made[p] for p in range(self._n)) if self._n else ()
            self._make, self._made, self._source = None, {}, None
        return self._whole

    def _at(self, positions: range) -> tuple[T, ...]:
        assert self._make is not None
        missing = [p for p in positions if p not in self._made]
        if missing:
            made = self._make(np.array(missing, dtype=np.int64))
            self._made.update(zip(missing, made, strict=True))
        return tuple(self._made[p] for p in positions)

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, index: SupportsIndex) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> T | tuple[T, ...]:
        if self._whole is not None:
            return self._whole[index]
        if isinstance(index, slice):
            positions = range(self._n)[index]
            if len(positions) > WHOLE_FROM_SHARE * self._n:
                return self.whole()[index]
            return self._at(positions)
        position = operator.index(index)
        if position < 0:
            position += self._n
        if not 0 <= position < self._n:
            raise IndexError("tuple index out of range")
        return self._at(range(position, position + 1))[0]

    def __iter__(self) -> Iterator[T]:
        return iter(self.whole())

    def __reversed__(self) -> Iterator[T]:
        return reversed(self.whole())

    def __contains__(self, item: object) -> bool:
        return item in self.whole()

    def index(self, value: Any, start: int = 0, stop: int = 2**63 - 1) -> int:
        return self.whole().index(value, start, stop)

    def count(self, value: Any) -> int:
        return self.whole().count(value)

    def __eq__(self, other: object) -> bool:
        plain = _plain(other)
        if plain is None:
            return NotImplemented
        return len(plain) == self._n and self.whole() == plain

    def __hash__(self) -> int:
        return hash(self.whole())

    def __lt__(self, other: object) -> bool:
        plain = _plain(other)
        return NotImplemented if plain is None else self.whole() < plain

    def __le__(self, other: object) -> bool:
        plain = _plain(other)
        return NotImplemented if plain is None else self.whole() <= plain

    def __gt__(self, other: object) -> bool:
        plain = _plain(other)
        return NotImplemented if plain is None else self.whole() > plain

    def __ge__(self, other: object) -> bool:
        plain = _plain(other)
        return NotImplemented if plain is None else self.whole() >= plain

    def __add__(self, other: object) -> tuple[Any, ...]:
        plain = _plain(other)
        return NotImplemented if plain is None else self.whole() + plain

    def __radd__(self, other: object) -> tuple[Any, ...]:
        plain = _plain(other)
        return NotImplemented if plain is None else plain + self.whole()

    def __mul__(self, times: SupportsIndex) -> tuple[T, ...]:
        return self.whole() * times

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return repr(self.whole())

    def __reduce__(self) -> tuple[type[tuple[T, ...]], tuple[tuple[T, ...]]]:
        return tuple, (self.whole(),)

    def __copy__(self) -> LazyTuple[T]:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> tuple[T, ...]:
        return copy.deepcopy(self.whole(), memo)


def item_column(items: Sequence[Any], name: str, of_item: Callable[[Any], Any]) -> Sequence[Any]:
    """`[of_item(item) for item in items]`, the attribute `name` of every item: read from the
    arrays of a LazyTuple's source where it knows the column, so that no item is made."""
    source = items.source if isinstance(items, LazyTuple) else None
    column = None if source is None else source.column(name)
    if column is not None:
        assert len(column) == len(items), f"the source's {name} column has another length"
        return column
    return [of_item(item) for item in items]


def _plain(other: object) -> tuple[Any, ...] | None:
    if isinstance(other, LazyTuple):
        return other.whole()
    return other if isinstance(other, tuple) else None
