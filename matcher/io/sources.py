"""Files as raw tables: a header and rows of cells, with the row numbers a person sees.

This layer knows encodings, delimiters and JSON, nothing about clients or volunteers. CSV is
streamed row by row, so the columns a later stage drops are never all held in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Final

from matcher.errors import InputError, Problem
from matcher.files import cannot_read, open_input, read_input
from matcher.io.json_rows import json_rows
from matcher.io.raw_table import MAX_COLUMNS, RawTable
from matcher.io.workbook import WORKBOOK_SUFFIXES, open_workbook

CSV_SUFFIXES: Final = (".csv", ".tsv", ".txt")
JSON_SUFFIXES: Final = (".json",)
_SPREADSHEET_SUFFIXES: Final = (".numbers",)  # workbooks calamine cannot read
_NOT_TEXT_CSV: Final = "not a text file (expected CSV in UTF-8 or Windows-1252)"
_SNIFF_BYTES: Final = 8192
_CHUNK_BYTES: Final = 1 << 20
_DELIMITERS: Final = (",", ";", "\t")
_SEP_LINE: Final = re.compile(r"^\s*sep=(.)\s*$")
# What a byte the encoding could not read becomes (errors="surrogateescape").
_UNDECODED: Final = re.compile("[\udc80-\udcff]")
# A character only UTF-8 (not ASCII) spells: the file is UTF-8, whatever else it holds.
_UTF8_ONLY: Final = re.compile("[^\x00-\x7f\udc80-\udcff]")
_ENCODING_NAMES: Final = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "utf-16": "UTF-16"}
_NUL_BYTE: Final = "holds a NUL byte, which no text file does; is the file damaged?"


def open_table(
    path: str | os.PathLike[str], *, sheet: str | None = None, source: str | None = None
) -> RawTable:
    """The file's header and a lazy iterator over its rows; raises InputError for the file.

    Use it as a context manager: a CSV file stays open while its rows are read. `sheet`
    picks a workbook's sheet (default: the first); other files have none to pick.
    """

    # `source`: the name problems are reported under, when the path is not the user's own.
    source = source or str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in CSV_SUFFIXES + JSON_SUFFIXES + WORKBOOK_SUFFIXES:
        # What it is comes first: a folder named `2026` is not "a file without an extension".
        open_input(path, source=source).close()
        raise _file_error(source, _unsupported(suffix))
    if suffix in WORKBOOK_SUFFIXES:
        open_input(path, source=source).close()  # a folder or a pipe: the same refusals
        return open_workbook(source, Path(path), sheet)
    if suffix in JSON_SUFFIXES:
        return _open_json(source, path)
    return _open_csv(source, path)


def _unsupported(suffix: str) -> str:
    if suffix in _SPREADSHEET_SUFFIXES:
        return f"cannot read a {suffix} workbook; save the sheet as .xlsx or CSV and use that"
    shown = repr(suffix) if suffix else "without an extension"
    return (
        f"unsupported file type {shown}; expected .csv, .tsv, .txt, .json, .xlsx, .xlsm, .xls"
        " or .ods"
    )


def _file_error(source: str, message: str, row: int | None = None) -> InputError:
    return InputError([Problem(source, row, None, message)])


# CSV ------------------------------------------------------------------------------------------


def _open_csv(source: str, path: str | os.PathLike[str]) -> RawTable:
    binary = open_input(path, source=source)
    try:
        encoding = _csv_encoding(source, binary)
        binary.seek(0)
        # Bytes the chosen encoding cannot read become lone surrogates, which `_numbered`
        # reports on their row: a file that mixes encodings or changes while it is read.
        handle = io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape", newline="")
    except BaseException:
        binary.close()
        raise
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
        problems: list[Problem] = []
        rows = _numbered(source, handle, delimiter, problems, encoding)
        for row, cells in rows:
            if problems:
                raise InputError(problems)  # the header itself could not be read
            if any(cell.strip() for cell in cells):
                if len(cells) > MAX_COLUMNS:
                    message = (
                        f"the header has {len(cells)} columns; at most {MAX_COLUMNS} can be read"
                    )
                    raise _file_error(source, message, row)
                # A stray byte order mark survives when cp1252 was the fallback.
                headers = [cell.removeprefix("\ufeff").removeprefix("ï»¿") for cell in cells]
                return RawTable(source, headers, rows, problems=problems, handle=handle)
        raise InputError(problems or [Problem(source, None, None, "file is empty")])
    except BaseException as error:
        handle.close()
        if isinstance(error, UnicodeDecodeError):
            raise _file_error(source, _NOT_TEXT_CSV) from None
        if isinstance(error, OSError):
            raise _file_error(source, cannot_read(error)) from None
        raise


def _csv_encoding(source: str, binary: BinaryIO) -> str:
    """UTF-8 (with or without BOM) unless the file is Windows-1252 throughout, as Excel writes.

    A file that is UTF-8 apart from some rows (rows pasted in from an older export) is read as
    UTF-8 and those rows are reported; decoding it all as Windows-1252 would turn every `ë`
    into `Ã«` and import the same person twice under two spellings.
    """
    try:
        head = binary.read(_SNIFF_BYTES)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Excel's "Unicode text" export: UTF-16 with a byte order mark, tab-separated.
            return "utf-16"
        if b"\0" in head:
            raise _file_error(source, _NOT_TEXT_CSV)
        decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        invalid = multibyte = False
        chunk = head
        while chunk:
            text = decoder.decode(chunk)
            if not text.isascii():  # a flag of the text, no scan: most files are ASCII
                invalid = invalid or _UNDECODED.search(text) is not None
                multibyte = multibyte or _UTF8_ONLY.search(text) is not None
            chunk = binary.read(_CHUNK_BYTES)
        invalid = invalid or _UNDECODED.search(decoder.decode(b"", final=True)) is not None
        if not invalid or multibyte or head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        binary.seek(0)
        while chunk := binary.read(_CHUNK_BYTES):
            chunk.decode("cp1252")
    except UnicodeDecodeError:
        raise _file_error(source, _NOT_TEXT_CSV) from None
    except OSError as failure:
        raise _file_error(source, cannot_read(failure)) from None
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


# Lines split at a time: the first line with a quote ends the block's plain part.
_BLOCK_LINES: Final = 4096


def _numbered(
    source: str, handle: Any, delimiter: str, problems: list[Problem], encoding: str
) -> Iterator[tuple[int, list[str]]]:
    """Records with the row where each starts, even when a quoted cell spans several lines.

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
                if len(block) == _BLOCK_LINES:
                    break
        except (UnicodeDecodeError, OSError) as error:
            failure = error  # the lines read before it are records still
        text = "".join(block)
        special = _first_for_the_csv_module(block, text, limit)
        plain = block if special is None else block[:special]
        if text.isascii():  # isascii: a flag, no scan
            texts = [line.rstrip("\r\n") for line in plain]  # the one line end each has
            yield from zip(
                range(line_num + 1, line_num + 1 + len(texts)),
                [cells.split(delimiter) if cells else [] for cells in texts],
                strict=True,
            )
            line_num += len(texts)
        else:
            for line in plain:
                line_num += 1
                cells = line.rstrip("\r\n")
                if not line.isascii() and _UNDECODED.search(line):
                    problems.append(Problem(source, line_num, None, _not_like_the_rest(encoding)))
                else:
                    yield line_num, cells.split(delimiter) if cells else []
        if special is not None:
            break
        if failure is not None:
            problems.append(Problem(source, line_num + 1, None, _unreadable(failure, encoding)))
            return
        if len(block) < _BLOCK_LINES:
            return
    # Strict: a quote left open would otherwise swallow every row after it without a word.
    rest = itertools.chain(block[special:], lines if failure is None else _raises(failure))
    reader = csv.reader(rest, delimiter=delimiter, strict=True)
    yield from _parsed(source, reader, line_num, problems, encoding)


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
    name = _ENCODING_NAMES.get(encoding, encoding)
    reason = (
        f"cannot be decoded as {name} (did the file change while it was read?)"
        if isinstance(error, UnicodeDecodeError)
        else cannot_read(error)
    )
    return reason + "; the rows below it were not read"


def _parsed(
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
        elif _UNDECODED.search(text):
            problems.append(Problem(source, row, None, _not_like_the_rest(encoding)))
        else:
            yield row, cells


def _not_like_the_rest(encoding: str) -> str:
    name = _ENCODING_NAMES.get(encoding, encoding)
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


# JSON -----------------------------------------------------------------------------------------


def _open_json(source: str, path: str | os.PathLike[str]) -> RawTable:
    data = read_input(path, source=source)
    if b"\0" in data[:_SNIFF_BYTES]:
        raise _file_error(source, "not a text file (expected JSON in UTF-8)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        message = "not a text file (expected JSON in UTF-8)"
        if error.start > _SNIFF_BYTES:
            message = f"line {row} is not UTF-8 (JSON must be UTF-8 throughout)"
        raise _file_error(source, message) from None
    del data
    if not text.strip():
        raise _file_error(source, "file is empty")
    headers, rows, problems = json_rows(source, text, max_columns=MAX_COLUMNS)
    return RawTable(source, headers, rows, positional=False, problems=problems)
