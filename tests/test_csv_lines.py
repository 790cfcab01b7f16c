"""CSV lines without a double quote are split by matcher.io.csv_records itself, faster than the csv
module reads them: rows, cells, row numbers and problems must be exactly the csv module's."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.errors import Problem
from matcher.io import csv_records
from matcher.io.csv_records import numbered, parsed

# What lines are made of: cells, delimiters, every line end, quotes, NUL and undecoded bytes.
_PIECES = st.sampled_from(
    ["a", "b c", ",", ";", "\t", '"', '""', "\n", "\r\n", "\r", " ", "\0", "é", "\udc80", "x" * 9]
)


def _both(text: str, delimiter: str) -> tuple[object, object]:
    fast_problems: list[Problem] = []
    fast = list(numbered("f.csv", io.StringIO(text, newline=""), delimiter, fast_problems, "x"))
    slow_problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    slow = list(parsed("f.csv", reader, 0, slow_problems, "x"))
    return (fast, fast_problems), (slow, slow_problems)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=30), delimiter=st.sampled_from([",", ";", "\t"]))
def test_lines_split_here_are_the_csv_modules_records(pieces: list[str], delimiter: str) -> None:
    fast, slow = _both("".join(pieces), delimiter)
    assert fast == slow


@settings(max_examples=200, deadline=None)
@given(
    pieces=st.lists(_PIECES, max_size=30),
    delimiter=st.sampled_from([",", ";", "\t"]),
    block=st.integers(1, 4),
)
def test_lines_split_a_block_at_a_time_are_the_csv_modules_records(
    pieces: list[str], delimiter: str, block: int
) -> None:
    # Blocks of a few lines, so that quotes, NULs and undecoded bytes fall on their edges.
    with mock.patch.object(csv_records, "BLOCK_LINES", block):
        fast, slow = _both("".join(pieces), delimiter)
    assert fast == slow


@pytest.fixture
def small_field_limit() -> Iterator[None]:
    before = csv.field_size_limit(8)
    yield
    csv.field_size_limit(before)


@pytest.mark.usefixtures("small_field_limit")
def test_a_line_longer_than_the_csv_field_limit_gets_the_csv_modules_message() -> None:
    fast, slow = _both("a,b\nabcdefghijk,c\nd,e\n", ",")
    assert fast == slow
    rows, problems = fast  # type: ignore[misc]
    assert rows == [(1, ["a", "b"])]
    assert [p.row for p in problems] == [2]


def test_a_quoted_cell_over_two_lines_keeps_the_row_numbers_after_it() -> None:
    fast, slow = _both('id,note\n1,plain\n2,"two\nlines"\n3,after\n\n4,end', ",")
    assert fast == slow
    rows, _ = fast  # type: ignore[misc]
    assert rows == [
        (1, ["id", "note"]),
        (2, ["1", "plain"]),
        (3, ["2", "two\nlines"]),
        (5, ["3", "after"]),
        (6, []),
        (7, ["4", "end"]),
    ]
