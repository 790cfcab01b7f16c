"""Files as raw tables: a header and rows of cells, with the row numbers a person sees.

This layer knows encodings, delimiters and JSON, nothing about clients or volunteers. CSV is
streamed row by row, so the columns a later stage drops are never all held in memory.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from pathlib import Path
from typing import Any, BinaryIO, Final

from matcher.errors import InputError, Problem
from matcher.files import cannot_read, open_input, read_input
from matcher.io.csv_records import UNDECODED, CsvRows
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
# A character only UTF-8 (not ASCII) spells: the file is UTF-8, whatever else it holds.
_UTF8_ONLY: Final = re.compile("[^\x00-\x7f\udc80-\udcff]")


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
        # Bytes the chosen encoding cannot read become lone surrogates, which `CsvRows`
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
        rows = CsvRows(source, handle, delimiter, problems, encoding)
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
                invalid = invalid or UNDECODED.search(text) is not None
                multibyte = multibyte or _UTF8_ONLY.search(text) is not None
            chunk = binary.read(_CHUNK_BYTES)
        invalid = invalid or UNDECODED.search(decoder.decode(b"", final=True)) is not None
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
