"""Files as raw tables: a header and rows of cells, with the row numbers a person sees.

This layer knows encodings, delimiters and JSON, nothing about clients or volunteers. CSV is
streamed row by row, so the columns a later stage drops are never all held in memory.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Final

from matcher.errors import InputError, Problem

CSV_SUFFIXES: Final = (".csv", ".tsv", ".txt")
JSON_SUFFIXES: Final = (".json",)
_SPREADSHEET_SUFFIXES: Final = (".xlsx", ".xls", ".xlsm", ".ods", ".numbers")
_NOT_TEXT_CSV: Final = "not a text file (expected CSV in UTF-8 or Windows-1252)"
_SNIFF_BYTES: Final = 8192
_CHUNK_BYTES: Final = 1 << 20
_DELIMITERS: Final = (",", ";", "\t")
_SEP_LINE: Final = re.compile(r"^\s*sep=(.)\s*$")


@dataclass
class RawTable:
    """A header and its rows, with the row number a person sees for each.

    A CSV row is a list of text cells under `headers`. A JSON row is the object itself, and
    `headers` is every key seen, in order: objects need not all use the same keys.
    """

    source: str
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]] | Iterator[tuple[int, dict[str, Any]]]
    positional: bool = True
    # Filled while the rows are read (a CSV record that cannot be parsed, a JSON item that is
    # not an object); a reader adds its own problems to this list to keep them in file order.
    problems: list[Problem] = field(default_factory=list)
    handle: IO[str] | None = None

    def __enter__(self) -> RawTable:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.handle is not None:
            self.handle.close()


def open_table(path: str | os.PathLike[str]) -> RawTable:
    """The file's header and a lazy iterator over its rows; raises InputError for the file.

    Use it as a context manager: a CSV file stays open while its rows are read.
    """
    source = str(path)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + JSON_SUFFIXES:
        raise _file_error(source, _unsupported(suffix))
    try:
        if suffix in JSON_SUFFIXES:
            return _open_json(source, path)
        return _open_csv(source, path)
    except FileNotFoundError:
        raise _file_error(source, "no such file") from None
    except IsADirectoryError:
        raise _file_error(source, "is a folder, not a file") from None
    except PermissionError:
        raise _file_error(source, "cannot be read (permission denied)") from None


def _unsupported(suffix: str) -> str:
    if suffix in _SPREADSHEET_SUFFIXES:
        return f"cannot read a {suffix} workbook; save the sheet as CSV (UTF-8) and use that"
    shown = repr(suffix) if suffix else "without an extension"
    return f"unsupported file type {shown}; expected .csv, .tsv, .txt or .json"


def _file_error(source: str, message: str, row: int | None = None) -> InputError:
    return InputError([Problem(source, row, None, message)])


# CSV ------------------------------------------------------------------------------------------


def _open_csv(source: str, path: Path) -> RawTable:
    encoding = _csv_encoding(source, path)
    handle = path.open(encoding=encoding, newline="")
    try:
        first = _first_line(handle)
        if first is None:
            raise _file_error(source, "file is empty")
        handle.seek(0)
        # Excel honours a first line `sep=;` and hides it, so the header still shows as row 1.
        hint = _SEP_LINE.match(first)
        if hint:
            handle.readline()
        delimiter = hint[1] if hint else _delimiter(first)
        # Strict: a quote left open would otherwise swallow every row after it without a word.
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
        problems: list[Problem] = []
        rows = _numbered(source, reader, problems)
        for _row, cells in rows:
            if any(cell.strip() for cell in cells):
                # A stray byte order mark survives when cp1252 was the fallback.
                headers = [cell.removeprefix("\ufeff").removeprefix("ï»¿") for cell in cells]
                return RawTable(source, headers, rows, problems=problems, handle=handle)
        raise InputError(problems or [Problem(source, None, None, "file is empty")])
    except BaseException:
        handle.close()
        raise


def _csv_encoding(source: str, path: Path) -> str:
    """UTF-8 (with or without BOM) when the bytes allow it, else Windows-1252, as Excel writes."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Excel's "Unicode text" export: UTF-16 with a byte order mark, tab-separated.
            return "utf-16"
        if b"\0" in head:
            raise _file_error(source, _NOT_TEXT_CSV)
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunk, lines_before = head, 0
        try:
            while chunk:
                decoder.decode(chunk)
                lines_before += chunk.count(b"\n")
                chunk = handle.read(_CHUNK_BYTES)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError as error:
            if head.startswith(codecs.BOM_UTF8):
                # A BOM promises UTF-8; guessing cp1252 would garble the file's UTF-8 parts.
                line = lines_before + chunk.count(b"\n", 0, max(error.start, 0)) + 1
                raise _file_error(
                    source,
                    "starts as UTF-8 but is not valid UTF-8; save it again as CSV UTF-8",
                    line,
                ) from None
        handle.seek(0)
        try:
            while chunk := handle.read(_CHUNK_BYTES):
                chunk.decode("cp1252")
        except UnicodeDecodeError:
            raise _file_error(source, _NOT_TEXT_CSV) from None
        return "cp1252"


def _first_line(handle: Any) -> str | None:
    for line in handle:
        if line.strip():
            return str(line)
    return None


def _delimiter(line: str) -> str:
    """The candidate that splits the header most often, counting outside quotes only."""
    outside = "".join(part for index, part in enumerate(line.split('"')) if index % 2 == 0)
    counts = {candidate: outside.count(candidate) for candidate in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


def _numbered(source: str, reader: Any, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """Records with the row where each starts, even when a quoted cell spans several lines.

    A record the csv module cannot parse ends the file: what follows it cannot be trusted.
    """
    previous_line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(Problem(source, previous_line + 1, None, _csv_message(error)))
            return
        yield previous_line + 1, cells
        previous_line = reader.line_num


def _csv_message(error: csv.Error) -> str:
    text = str(error)
    if text == "unexpected end of data":
        return 'a quoted cell is never closed (a " is missing); the rows below it were not read'
    if text.endswith("expected after '\"'"):
        return (
            'text follows a closing quote; inside a quoted cell write " as ""; '
            "the rows below it were not read"
        )
    return f"cannot be read as CSV ({text}); the rows below it were not read"


# JSON -----------------------------------------------------------------------------------------


def _open_json(source: str, path: Path) -> RawTable:
    data = path.read_bytes()
    if b"\0" in data[:_SNIFF_BYTES]:
        raise _file_error(source, "not a text file (expected JSON in UTF-8)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(source, "not a text file (expected JSON in UTF-8)") from None
    del data
    if not text.strip():
        raise _file_error(source, "file is empty")
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise _file_error(
            source,
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
        ) from None
    if not isinstance(items, list):
        raise _file_error(source, f"must be a list of objects, one per row (got {_kind(items)})")
    headers: dict[str, None] = {}
    for item in items:
        if isinstance(item, dict):
            headers.update(dict.fromkeys(item))
    problems: list[Problem] = []
    rows = _objects(source, items, problems)
    return RawTable(source, list(headers), rows, positional=False, problems=problems)


def _objects(
    source: str, items: list[Any], problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    for row, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield row, item
        else:
            problems.append(Problem(source, row, None, f"must be an object (got {_kind(item)})"))


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"
