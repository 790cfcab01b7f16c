"""Workbooks (.xlsx) for people to read and filter: deterministic bytes, no formulas.

Written with XlsxWriter: pure Python, fast, and reproducible once the creation date is fixed
(its zip entries carry a constant date), so the same rows give byte-identical files. Every
text cell is neutralised against formula injection exactly as the CSV writers do
(matcher.io.cells), and written as a string, never parsed into a formula, number or link.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from matcher.io.cells import neutralise_cell
from matcher.io.writers import format_csv

# A fixed creation date: the workbook's own metadata must not differ between two runs.
_CREATED: Final = dt.datetime(2000, 1, 1)
_MIN_WIDTH: Final = 8
_MAX_WIDTH: Final = 80

Cell = str | int | float | None


@dataclass(frozen=True)
class Sheet:
    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    # numeric columns: their Excel number format, e.g. "0.0" (shown with a decimal comma by a
    # Dutch Excel, as numbers, not text)
    number_formats: dict[int, str] | None = None


def format_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one sheet per Sheet: bold frozen header, filters, fitted columns."""
    import xlsxwriter  # imported here: 0.1 s, paid only by a run that writes a workbook

    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    workbook = xlsxwriter.Workbook(buffer, options)
    workbook.set_properties({"created": _CREATED})
    bold = workbook.add_format({"bold": True})
    formats: dict[str, Any] = {}
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.name)
        numbers = sheet.number_formats or {}
        for code in numbers.values():
            formats.setdefault(code, workbook.add_format({"num_format": code}))
        widths = [len(name) for name in sheet.header]
        for column, name in enumerate(sheet.header):
            worksheet.write_string(0, column, neutralise_cell(name), bold)
        for row, cells in enumerate(sheet.rows, start=1):
            for column, value in enumerate(cells):
                if value is None:
                    continue
                if isinstance(value, str):
                    text = neutralise_cell(value)
                    worksheet.write_string(row, column, text)
                    widths[column] = max(widths[column], len(text))
                else:
                    cell_format = formats.get(numbers.get(column, ""))
                    worksheet.write_number(row, column, value, cell_format)
                    widths[column] = max(widths[column], len(f"{value:.2f}"))
        worksheet.freeze_panes(1, 0)
        if sheet.header:
            worksheet.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.header) - 1)
        for column, width in enumerate(widths):
            worksheet.set_column(column, column, min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH))
    workbook.close()
    return buffer.getvalue()


_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def format_csv_excel_nl(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV as a Dutch Excel opens it in columns (`--excel-nl`): `;` between cells, decimal
    commas, and a byte order mark that tells Excel the text is UTF-8. Our readers read it back.
    """
    dutch = (
        [
            cell.replace(".", ",") if isinstance(cell, str) and _DECIMAL.match(cell) else cell
            for cell in row
        ]
        for row in rows
    )
    return "\ufeff" + format_csv(header, dutch, delimiter=";")
