"""Workbooks (.xlsx, .xlsm, .xls, .ods) as raw tables, read with python-calamine.

A sheet becomes the same RawTable a CSV file does: rows of text cells numbered as the sheet
numbers them, so one validation path serves both. Typed cells arrive as the text the CSV path
already understands: a date as `2026-11-23`, a whole number as `3`, a boolean as `true`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Final

from matcher import vocab, vocab_nl
from matcher.errors import InputError, Problem
from matcher.files import open_input
from matcher.io.raw_table import MAX_COLUMNS, RawTable

WORKBOOK_SUFFIXES: Final = (".xlsx", ".xlsm", ".xls", ".ods")
# An encrypted .xlsx is an OLE compound file, not a zip archive.
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PASSWORD: Final = (
    "the workbook is password-protected; open it, remove the password "
    "(Excel: File > Info > Protect Workbook) and save it again"
)


def open_workbook(source: str, path: Path, sheet: str | None = None) -> RawTable:
    """The chosen sheet (default: the first visible one) with its header and numbered rows."""

    # A missing file, a folder or a pipe gets the message every reader gives.
    with open_input(path, source=source) as handle:
        magic = handle.read(len(_OLE_MAGIC))
    import python_calamine as calamine  # a workbook's reader: a CSV round does not load it

    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise _error(source, _PASSWORD) from None
    except Exception:  # calamine reports damage as several kinds of error, all meaning the same
        if magic == _OLE_MAGIC and path.suffix.lower() in (".xlsx", ".xlsm"):
            raise _error(source, _PASSWORD + " (or it is an old .xls file renamed)") from None
        raise _error(source, _damaged(path)) from None
    try:
        name = _sheet_name(source, book, sheet)
        try:
            data = book.get_sheet_by_name(name)
        except Exception:
            raise _error(source, f"sheet {name!r}: {_damaged(path)}") from None
        merged = data.merged_cell_ranges or []
    finally:
        book.close()
    start = data.start
    if start is None:
        raise _error(source, _empty_sheet(name, book.sheet_names))
    rows = _numbered(data.iter_rows(), start[1], _fill_down(merged))
    for row, cells in rows:
        if any(cells):
            if len(cells) > MAX_COLUMNS:
                message = f"the header has {len(cells)} columns; at most {MAX_COLUMNS} can be read"
                raise InputError([Problem(source, row, None, message)])
            return RawTable(source, cells, rows)
    raise _error(source, _empty_sheet(name, book.sheet_names))


def _error(source: str, message: str) -> InputError:
    return InputError([Problem(source, None, None, message)])


def _damaged(path: Path) -> str:
    return (
        f"cannot be read as a {path.suffix.lower()} workbook (the file is damaged or is not "
        "a workbook); open it in Excel or LibreOffice and save it again"
    )


def _empty_sheet(name: str, names: Sequence[str]) -> str:
    others = [other for other in names if other != name]
    if not others:
        return f"sheet {name!r} is empty"
    return f"sheet {name!r} is empty; choose another with --sheet: {', '.join(others)}"


def _sheet_name(source: str, book: Any, wanted: str | None) -> str:
    names: list[str] = list(book.sheet_names)
    if wanted is None:
        # A hidden sheet holds lookups or old data, not what the coordinator sees first.
        visible = [
            meta.name
            for meta in book.sheets_metadata
            if str(meta.visible).endswith("Visible") and str(meta.typ).endswith("WorkSheet")
        ]
        if visible or names:
            return (visible or names)[0]
        raise _error(source, "the workbook has no sheets")
    if wanted in names:
        return wanted
    # "clienten" finds "Cliënten": case, accents and spaces are easy to get wrong in a name.
    folded = {vocab_nl.fold(name): name for name in names}
    if vocab_nl.fold(wanted) in folded:
        return folded[vocab_nl.fold(wanted)]

    suggestion = vocab.did_you_mean(wanted, names)
    listed = ", ".join(repr(name) for name in names)
    raise _error(source, f"no sheet {wanted!r}{suggestion} (the workbook has {listed})")


def _fill_down(merged: Sequence[tuple[tuple[int, int], tuple[int, int]]]) -> dict[int, list[Any]]:
    """Rows below the top of a merged block, with (column, top row) to copy the value from.

    A block merged over several rows shows one value for all of them, so each row gets it.
    Only the block's first column is filled: a block across columns is one cell, not several.
    """
    fills: dict[int, list[Any]] = {}
    for (top, column), (bottom, _right) in merged:
        for row in range(top + 1, bottom + 1):
            fills.setdefault(row, []).append((column, top))
    return fills


def _numbered(
    rows: Iterator[list[Any]], first_column: int, fills: dict[int, list[Any]]
) -> Iterator[tuple[int, list[str]]]:
    # calamine yields rows from the sheet's first row but cells from the first used column;
    # padding keeps the column letters in messages the ones the sheet shows.
    padding = [""] * first_column
    tops = {top: None for targets in fills.values() for _, top in targets}
    kept: dict[int, list[str]] = {}
    for index, values in enumerate(rows):
        cells = padding + [
            value if value.__class__ is str else cell_text(value) for value in values
        ]
        if index in tops:
            kept[index] = cells
        for column, top in fills.get(index, ()):
            above = kept.get(top)
            if above is not None and column < min(len(cells), len(above)) and not cells[column]:
                cells[column] = above[column]
        yield index + 1, cells


def cell_text(value: Any) -> str:
    """A typed cell as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
