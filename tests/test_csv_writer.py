"""format_csv checks and formats whole columns where it can: the text must be exactly what
formatting and neutralising every cell, row by row, gives (the plain writer below)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.io import writers
from matcher.io.cells import neutralise_cell
from matcher.io.writers import format_cell, format_csv, format_csv_columns


def plain_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], delimiter: str = ",") -> str:
    """The writer as it was: one cell at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    quoted = csv.writer(buffer, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
    body = ([neutralise_cell(format_cell(value)) for value in row] for row in rows)
    for cells in [[neutralise_cell(name) for name in header], *body]:
        (quoted if "\r" in "".join(cells) else writer).writerow(cells)
    return buffer.getvalue()


class Word(str):
    """A str subclass (as a StrEnum value is): formatted as the text it holds."""


# Texts a formula check cares about: formula starts, quotes, numbers, line ends in a cell.
PREFIX = st.sampled_from(["", "", "'", "''", "=", "+", "-", "@", "\t", "\r", "'-", "'@"])
TEXT = st.builds(str.__add__, PREFIX, st.text(alphabet="=+-@'\t\r\n\"a1.;, é", max_size=5))
CELL = st.one_of(
    TEXT,
    TEXT.map(Word),
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, width=32),
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1)),
    st.lists(TEXT, max_size=3),
    st.frozensets(st.sampled_from(["b", "=a", "c"])),
)


@settings(max_examples=300, deadline=None)
@given(
    width=st.integers(0, 4),
    data=st.data(),
    delimiter=st.sampled_from([",", ";"]),
    chunk=st.integers(1, 5),
)
def test_format_csv_equals_the_plain_writer(
    width: int, data: st.DataObject, delimiter: str, chunk: int
) -> None:
    header = data.draw(st.lists(TEXT, min_size=width, max_size=width))
    rows = data.draw(st.lists(st.lists(CELL, min_size=width, max_size=width), max_size=12))
    if data.draw(st.integers(0, 3)) == 0:  # now and then a row of another width
        odd = data.draw(st.lists(CELL, max_size=5))
        rows.insert(data.draw(st.integers(0, len(rows))), odd)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writers, "CSV_CHUNK_ROWS", chunk)
        text = format_csv(header, iter(rows), delimiter=delimiter)
    assert text == plain_csv(header, rows, delimiter)


def test_a_formula_deep_in_a_long_column_is_neutralised() -> None:
    rows = [[f"c{k:06d}", "0.5"] for k in range(10_000)]
    rows[9_876][0] = '=HYPERLINK("http://evil/")'
    rows[5][1] = "-3.5"  # a number: stays as it is
    text = format_csv(["client_id", "weight"], rows)
    assert text == plain_csv(["client_id", "weight"], rows)
    assert "'=HYPERLINK" in text and "\n-3.5\n" not in text and ",-3.5\n" in text


@settings(max_examples=300, deadline=None)
@given(
    width=st.integers(0, 4),
    data=st.data(),
    delimiter=st.sampled_from([",", ";"]),
)
def test_format_csv_columns_equals_the_plain_writer(
    width: int, data: st.DataObject, delimiter: str
) -> None:
    """Columns of text (a round's files, matcher.round_columns) give the rows' very text."""
    header = data.draw(st.lists(TEXT, min_size=width, max_size=width))
    n_rows = data.draw(st.integers(0, 12))
    cell = st.one_of(TEXT, TEXT.map(Word)) if data.draw(st.booleans()) else TEXT
    columns = [data.draw(st.lists(cell, min_size=n_rows, max_size=n_rows)) for _ in header]
    rows = list(zip(*columns, strict=True)) if columns else []
    expected = plain_csv(header, rows, delimiter)
    assert format_csv_columns(header, columns, delimiter=delimiter) == expected


def test_format_csv_columns_quotes_as_the_csv_module() -> None:
    columns = [["a,b", 'say "hi"', "two\nlines", "=1+2", "plain", "é漢"], ["1"] * 6]
    text = format_csv_columns(["x", "y"], columns)
    assert text == plain_csv(["x", "y"], zip(*columns, strict=True))
    assert '"a,b",1\n"say ""hi""",1\n"two\nlines",1\n\'=1+2,1\n' in text
