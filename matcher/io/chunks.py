"""A table's rows as chunks for the column reader (matcher.io.fast_rows): their numbers and
their cells by column, the rows of a wrong shape left out as problems.

A CSV file's blocks of plain lines (matcher.io.csv_records) whose every line is as wide as the
header are cut into columns in a few passes over the block's text; any other rows are split,
padded and checked one by one, and their cells turned into columns by one transposition.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice, repeat
from operator import itemgetter
from typing import Final

from matcher.errors import Problem
from matcher.io.csv_records import CsvRows, PlainLines
from matcher.io.layout import Layout
from matcher.io.raw_table import RawTable

# Rows held as text at a time: bounds the memory of a large file's cells.
CHUNK_ROWS: Final = 20_000


class Chunk:
    """Rows worth reading, at least as wide as the header: their numbers and their cells by
    column (a column per cell of the header, and beyond it as far as every row goes)."""

    def __init__(
        self,
        rows: list[int],
        columns: Sequence[Sequence[str]],
        cells: Sequence[list[str]] | None = None,
    ) -> None:
        self.rows, self.columns, self._cells = rows, columns, cells

    @classmethod
    def of_rows(cls, chunk: list[tuple[int, list[str]]]) -> Chunk:
        cells = list(map(itemgetter(1), chunk))
        # One transposition in C (a row may have empty cells beyond the header's width: those
        # columns end where the shortest row does).
        return cls(list(map(itemgetter(0), chunk)), list(zip(*cells, strict=False)), cells)

    def cells(self, k: int) -> list[str]:
        """Row k's cells as read."""
        if self._cells is not None:
            return self._cells[k]
        return [column[k] for column in self.columns]

    def __len__(self) -> int:
        return len(self.rows)


def shaped_chunks(table: RawTable, layout: Layout, problems: list[Problem]) -> Iterator[Chunk]:
    """The rows worth reading, padded to the header's width, CHUNK_ROWS at a time (fewer where
    rows are left out); wrong shapes become problems. A CSV file's blocks of plain lines
    (matcher.io.csv_records) that are all as wide as the header are cut into columns as they
    are, without a list of cells per line."""
    width = len(table.headers)
    if isinstance(table.rows, CsvRows):
        yield from _chunks_of_pieces(table.rows, width, table.source, problems)
        return
    while chunk := list(islice(table.rows, CHUNK_ROWS)):
        yield _shaped_chunk(chunk, width, table.source, problems)  # type: ignore[arg-type]


def _shaped_chunk(
    chunk: list[tuple[int, list[str]]], width: int, source: str, problems: list[Problem]
) -> Chunk:
    cells = list(map(itemgetter(1), chunk))
    if set(map(len, cells)) == {width} and all(map(str.strip, map(itemgetter(0), cells))):
        return Chunk.of_rows(chunk)  # the usual chunk: every row as wide as the header
    return Chunk.of_rows(list(_shaped(chunk, width, source, problems)))


def _chunks_of_pieces(
    records: CsvRows, width: int, source: str, problems: list[Problem]
) -> Iterator[Chunk]:
    rows: list[tuple[int, list[str]]] = []  # rows not in columns yet, in file order
    numbers: list[int] = []
    columns: list[list[str]] = [[] for _ in range(width)]  # plain lines cut into columns

    def flush_rows() -> Iterator[Chunk]:
        if rows:
            yield _shaped_chunk(rows[:], width, source, problems)
            rows.clear()

    def flush_columns() -> Iterator[Chunk]:
        nonlocal numbers, columns
        if numbers:
            yield Chunk(numbers, columns)
            numbers, columns = [], [[] for _ in range(width)]

    for piece in records.pieces():
        cut = (
            _as_columns(piece, width, records.delimiter) if isinstance(piece, PlainLines) else None
        )
        if cut is None:
            yield from flush_columns()
            rows.extend(piece.rows(records.delimiter) if isinstance(piece, PlainLines) else [piece])
            if len(rows) >= CHUNK_ROWS:
                yield from flush_rows()
            continue
        yield from flush_rows()
        assert isinstance(piece, PlainLines)
        numbers.extend(range(piece.first, piece.first + len(piece.texts)))
        for column, cells in zip(columns, cut, strict=True):
            column.extend(cells)
        if len(numbers) >= CHUNK_ROWS:
            yield from flush_columns()
    yield from flush_rows()
    yield from flush_columns()


def _as_columns(lines: PlainLines, width: int, delimiter: str) -> list[list[str]] | None:
    """The lines' cells by column, when every line has the header's width and a first cell
    that is not blank (so none is left out or padded); else None, to be split line by line."""
    texts = lines.texts
    if set(map(str.count, texts, repeat(delimiter))) != {width - 1}:
        return None
    # One split of the whole block: line k's cells are cells[k * width : (k + 1) * width].
    cells = delimiter.join(texts).split(delimiter) if width > 1 else list(texts)
    columns = [cells[j::width] for j in range(width)]
    if not all(map(str.strip, columns[0])):
        return None
    return columns


def _shaped(
    chunk: list[tuple[int, list[str]]], width: int, source: str, problems: list[Problem]
) -> Iterator[tuple[int, list[str]]]:
    for row, cells in chunk:
        assert isinstance(cells, list), "a positional table has rows of cells"
        if not ((cells and cells[0].strip()) or "".join(cells).strip()):
            continue  # a spreadsheet row left completely empty
        if len(cells) > width and "".join(cells[width:]).strip():
            problems.append(too_many_cells(source, row, len(cells), width))
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
