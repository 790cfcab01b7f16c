"""LazyTuple behaves as the tuple of its items, whatever was looked at first; the engine's
result sequences are LazyTuples whose items are the objects the plain loop made."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import matcher
from matcher.arrays import IntArray
from matcher.lazy_tuple import LazyTuple, item_column
from matcher.scenarios import generate, load

ROUND_DATE = dt.date(2026, 11, 23)


class Maker:
    """Items made from their positions (fresh objects every call), counting what it made."""

    def __init__(self, items: list[Any]) -> None:
        self.items, self.made = items, 0

    def __call__(self, at: IntArray) -> list[Any]:
        assert at.dtype == np.int64
        self.made += len(at)
        return [list(self.items[k]) for k in at.tolist()]


def lazy(items: list[Any]) -> tuple[LazyTuple[Any], tuple[Any, ...], Maker]:
    maker = Maker(items)
    return LazyTuple(len(items), maker), tuple(list(item) for item in items), maker


ITEMS = st.lists(st.lists(st.integers(0, 3), max_size=2), max_size=9)
INDEX = st.integers(-12, 12)
SLICE = st.builds(
    slice, st.none() | INDEX, st.none() | INDEX, st.none() | st.sampled_from([-3, -1, 1, 2])
)


@settings(max_examples=200, deadline=None)
@given(items=ITEMS, looks=st.lists(INDEX | SLICE, max_size=6), other=ITEMS)
def test_a_lazy_tuple_answers_as_its_tuple(
    items: list[Any], looks: list[Any], other: list[Any]
) -> None:
    seq, plain, maker = lazy(items)
    seen = {}
    for look in looks:  # indexing and slicing first, in any order, as a caller might
        if isinstance(look, int) and not -len(plain) <= look < len(plain):
            with pytest.raises(IndexError, match="tuple index out of range"):
                seq[look]
            continue
        got, want = seq[look], plain[look]
        assert got == want and type(got) is type(want)
        if isinstance(look, int):
            seen[look % len(plain)] = got
    # Each item made once at most, until the whole is made.
    assert maker.made <= len(plain)
    assert len(seq) == len(plain) and bool(seq) == bool(plain)
    assert list(seq) == list(plain) and list(reversed(seq)) == list(reversed(plain))
    for position, item in seen.items():
        assert seq[position] is item  # the object handed out is the one in the whole
    other_plain = tuple(other)
    for against in (other_plain, LazyTuple(len(other), Maker(other)), plain):
        assert (seq == against) == (plain == other_plain if against is not plain else True)
        assert (seq != against) is not (seq == against)
        assert (against == seq) == (seq == against)
    assert (seq < other_plain) == (plain < other_plain)
    assert (seq <= other_plain) == (plain <= other_plain)
    assert (seq > other_plain) == (plain > other_plain)
    assert (seq >= other_plain) == (plain >= other_plain)
    assert seq != list(plain) and (seq == list(plain)) is False  # as a tuple: never a list
    assert seq + other_plain == plain + other_plain
    assert other_plain + seq == other_plain + plain
    assert seq * 2 == plain * 2 and 2 * seq == 2 * plain
    assert repr(seq) == repr(plain)
    for item in [*plain[:2], [9]]:
        assert (item in seq) == (item in plain) and seq.count(item) == plain.count(item)
    if plain:
        assert seq.index(plain[-1]) == plain.index(plain[-1])
    with pytest.raises(ValueError):
        seq.index([9])


def test_a_lazy_tuple_hashes_pickles_copies_and_stays_as_it_is() -> None:
    seq = LazyTuple(3, lambda at: [("x", int(k)) for k in at])
    plain = (("x", 0), ("x", 1), ("x", 2))
    assert hash(seq) == hash(plain) and {seq: 1}[plain] == 1
    back = pickle.loads(pickle.dumps(seq))
    assert type(back) is tuple and back == plain
    assert copy.copy(seq) is seq
    deep = copy.deepcopy(seq)
    assert type(deep) is tuple and deep == plain
    with pytest.raises(TypeError):
        seq[0] = ("y", 0)  # type: ignore[index]
    with pytest.raises(AttributeError):
        seq.extra = 1  # type: ignore[attr-defined]
    assert LazyTuple(0, lambda at: []) == () and not LazyTuple(0, lambda at: [])


def test_a_long_slice_makes_the_whole_once() -> None:
    maker = Maker([[k] for k in range(100)])
    seq = LazyTuple(100, maker)
    assert seq[:10] == tuple([k] for k in range(10)) and maker.made == 10
    assert seq[::-1][0] == [99] and maker.made == 100  # over half: the rest, in one call
    assert seq[5] == [5] and list(seq)[50] == [50] and maker.made == 100


def test_the_engine_results_are_lazy_and_equal_to_what_they_were() -> None:
    scenario = load("rural")
    clients, volunteers = generate(scenario, 0, round_date=ROUND_DATE)
    result = matcher.match(clients, volunteers, scenario.config, round_date=ROUND_DATE)
    again = matcher.match(clients, volunteers, scenario.config, round_date=ROUND_DATE)
    assert isinstance(result.matches, LazyTuple) and isinstance(result.unmatched, LazyTuple)
    # Looked at one by one, backwards, before the whole: the same objects as made all at once.
    singles = [again.unmatched[k] for k in reversed(range(len(again.unmatched)))][::-1]
    assert again.matches[-3:] == tuple(result.matches)[-3:]
    assert singles == list(result.unmatched) and again.unmatched == result.unmatched
    assert all(a is b for a, b in zip(singles, again.unmatched, strict=True))
    assert dataclasses.replace(again, timings=result.timings) == result
    back = pickle.loads(pickle.dumps(result))
    assert back == result and type(back.matches) is tuple


class Columns:
    """A source that knows the first field of its items (a column of the arrays)."""

    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def column(self, name: str) -> list[Any] | None:
        return [item[0] for item in self.items] if name == "first" else None


def test_a_column_is_read_from_the_source_until_the_items_are_all_made() -> None:
    items = [[k, -k] for k in range(5)]
    maker = Maker(items)
    seq = LazyTuple(len(items), maker, Columns(items))
    assert item_column(seq, "first", lambda item: item[0]) == [0, 1, 2, 3, 4]
    assert maker.made == 0  # read from the source, no item made
    assert seq[1] == [1, -1] and seq.source is not None and maker.made == 1
    # A column the source does not know, or any other sequence: from the items.
    assert item_column(seq, "second", lambda item: item[1]) == [0, -1, -2, -3, -4]
    assert seq.source is None  # every item made: the arrays are let go
    assert item_column(seq, "first", lambda item: item[0]) == [0, 1, 2, 3, 4]
    assert item_column(tuple(items), "first", lambda item: 10 * item[0]) == [0, 10, 20, 30, 40]
    assert LazyTuple(2, Maker(items)).source is None
