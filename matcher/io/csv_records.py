"""A CSV file's records with their row numbers: lines split here where the csv module would
read them the same, the csv module itself from the first line where it might not.

The rows come one at a time (`CsvRows`, a file's RawTable.rows) or, for the readers of clients
and volunteers, as the blocks they were split in (`CsvRows.pieces`): a block of plain lines,
each one record, can be cut into columns in a few passes (matcher.io.fast_rows) instead of a
list of cells per line.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from matcher.errors import Problem
from matcher.files import cannot_read

# What a byte the encoding could not read becomes (errors="surrogateescape").
UNDECODED: Final = re.compile("[\udc80-\udcff]")
ENCODING_NAMES: Final = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "utf-16": "UTF-16"}
_NUL_BYTE: Final = "holds a NUL byte, which no text file does; is the file damaged?"

# Lines split at a time: the first line with a quote ends the block's plain part.
BLOCK_LINES: Final = 4096

Row = tuple[int, list[str]]


@dataclass(frozen=True)
class PlainLines:
    """Consecutive lines that are one record each, their line ends taken off: no quote, NUL
    byte or undecoded byte, none longer than the csv module allows. Line k is row first + k;
    its cells are what lies between the delimiters (none for an empty line)."""

    first: int
    texts: list[str]

    def rows(self, delimiter: str) -> list[Row]:
        return list(
            zip(
                range(self.first, self.first + len(self.texts)),
                [cells.split(delimiter) if cells else [] for cells in self.texts],
                strict=True,
            )
        )


class CsvRows(Iterator[Row]):
    """The records of a CSV file, one at a time; `pieces()` hands out the rest as they were
    read: PlainLines, and single rows where the csv module read them or a line is reported."""

    def __init__(
        self, source: str, handle: Any, delimiter: str, problems: list[Problem], encoding: str
    ) -> None:
        self.delimiter = delimiter
        self._pieces = record_pieces(source, handle, delimiter, problems, encoding)
        self._rows: Iterator[Row] = iter(())

    def __next__(self) -> Row:
        while True:
            row = next(self._rows, None)
            if row is not None:
                return row
            piece = next(self._pieces)  # StopIteration: the file is done
            if isinstance(piece, PlainLines):
                self._rows = iter(piece.rows(self.delimiter))
            else:
                return piece

    def pieces(self) -> Iterator[PlainLines | Row]:
        """The records not read yet, as blocks of plain lines and single rows."""
        yield from self._rows  # what is left of a block already split (after the header)
        yield from self._pieces


def numbered(
    source: str, handle: Any, delimiter: str, problems: list[Problem], encoding: str
) -> Iterator[Row]:
    """Records with the row where each starts, even when a quoted cell spans several lines."""
    for piece in record_pieces(source, handle, delimiter, problems, encoding):
        if isinstance(piece, PlainLines):
            yield from piece.rows(delimiter)
        else:
            yield piece


def record_pieces(
    source: str, handle: Any, delimiter: str, problems: list[Problem], encoding: str
) -> Iterator[PlainLines | Row]:
    """The file's records: blocks of plain lines, and single rows.

    A line without a double quote is one record, its cells what lies between the delimiters,
    exactly as the csv module reads it, only faster: such lines are split here, a block of
    lines at a time. From the first line with a quote (or a NUL byte, or longer than the csv
    module allows) on, the csv module reads the rest; that line starts a record, as every line
    before it was one.
    """
    lines = iter(handle)
    line_num = 0
    limit = csv.field_size_limit()
    block: list[str] = []
    append = block.append
    failure: UnicodeDecodeError | OSError | None = None
    while True:
        block.clear()
        try:
            for line in lines:
                append(line)
                if len(block) == BLOCK_LINES:
                    break
        except (UnicodeDecodeError, OSError) as error:
            failure = error  # the lines read before it are records still
        text = "".join(block)
        special = _first_for_the_csv_module(block, text, limit)
        plain = block if special is None else block[:special]
        # isascii: a flag, no scan; an undecoded byte is a row's problem, reported below.
        if text.isascii() or not UNDECODED.search(text if special is None else "".join(plain)):
            texts = [line.rstrip("\r\n") for line in plain]  # the one line end each has
            if texts:
                yield PlainLines(line_num + 1, texts)
            line_num += len(texts)
        else:
            for line in plain:
                line_num += 1
                cells = line.rstrip("\r\n")
                if not line.isascii() and UNDECODED.search(line):
                    problems.append(Problem(source, line_num, None, _not_like_the_rest(encoding)))
                else:
                    yield line_num, cells.split(delimiter) if cells else []
        if special is not None:
            break
        if failure is not None:
            problems.append(Problem(source, line_num + 1, None, _unreadable(failure, encoding)))
            return
        if len(block) < BLOCK_LINES:
            return
    # Strict: a quote left open would otherwise swallow every row after it without a word.
    rest = itertools.chain(block[special:], lines if failure is None else _raises(failure))
    reader = csv.reader(rest, delimiter=delimiter, strict=True)
    yield from parsed(source, reader, line_num, problems, encoding)


def _first_for_the_csv_module(block: list[str], text: str, limit: int) -> int | None:
    """The first line with a quote, a NUL byte or more than the csv module allows, if any
    (`text`: the block's lines joined, looked at first, since such a line is rare)."""
    if '"' not in text and "\0" not in text and max(map(len, block), default=0) <= limit:
        return None
    return next(
        (k for k, line in enumerate(block) if '"' in line or "\0" in line or len(line) > limit),
        None,
    )


def _raises(error: BaseException) -> Iterator[str]:
    """What the file's lines did after the block: fail (for the csv module to report)."""
    raise error
    yield ""  # a generator: the error comes when the csv module reads on


def _unreadable(error: UnicodeDecodeError | OSError, encoding: str) -> str:
    name = ENCODING_NAMES.get(encoding, encoding)
    reason = (
        f"cannot be decoded as {name} (did the file change while it was read?)"
        if isinstance(error, UnicodeDecodeError)
        else cannot_read(error)
    )
    return reason + "; the rows below it were not read"


def parsed(
    source: str, reader: Any, offset: int, problems: list[Problem], encoding: str
) -> Iterator[tuple[int, list[str]]]:
    """The csv module's records, numbered from the line after `offset`.

    A record the csv module cannot parse ends the file: what follows it cannot be trusted. A
    record with a NUL byte or bytes the encoding cannot read is reported and left out.
    """
    previous_line = offset
    while True:
        row = previous_line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(Problem(source, row, None, _csv_message(error)))
            return
        except (UnicodeDecodeError, OSError) as error:
            problems.append(Problem(source, row, None, _unreadable(error, encoding)))
            return
        previous_line = offset + reader.line_num
        text = "".join(cells)
        if "\0" in text:
            problems.append(Problem(source, row, None, _NUL_BYTE))
        elif UNDECODED.search(text):
            problems.append(Problem(source, row, None, _not_like_the_rest(encoding)))
        else:
            yield row, cells


def _not_like_the_rest(encoding: str) -> str:
    name = ENCODING_NAMES.get(encoding, encoding)
    return (
        f"the bytes of this row are not {name} like the rest of the file "
        "(rows pasted from another file, or a file that changed while it was read); "
        "save the file again as CSV UTF-8"
    )


def _csv_message(error: csv.Error) -> str:
    text = str(error)
    if text == "unexpected end of data":
        return 'a quoted cell is never closed (a " is missing); the rows below it were not read'
    if text.endswith("expected after '\"'"):
        return (
            'text follows a closing quote; inside a quoted cell write " as ""; '
            "the rows below it were not read"
        )
    if text.startswith("field larger than field limit"):
        return (
            f"a cell holds more than {csv.field_size_limit()} characters "
            '(is a " missing at its start or end?); the rows below it were not read'
        )
    return f"cannot be read as CSV ({text}); the rows below it were not read"
