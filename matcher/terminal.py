"""Values from files and the ledger, made safe to print on a terminal.

An id or a decline reason such as `\\x1b]0;PWNED\\x07\\x1b[2J` would otherwise retitle the
window and clear the screen of whoever runs `matcher match` or `matcher history`; a line
break or a right-to-left override inside a value would forge or reorder table lines. The
rendering layer passes each such value through `visible`, which writes control characters as
the escapes Python uses (`\\x1b`, `\\t`, `\\n`, `\\u202e`). The data itself is never changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

_NAMED: Final = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# C0 controls, DEL and C1 controls; the line and paragraph separators; the bidirectional
# controls that reorder what a terminal shows (the "Trojan Source" characters).
_CONTROLS: Final = (
    [chr(code) for code in range(0x20)]
    + [chr(code) for code in range(0x7F, 0xA0)]
    + ["\u061c", "\u200e", "\u200f", "\u2028", "\u2029"]
    + [chr(code) for code in range(0x202A, 0x202F)]
    + [chr(code) for code in range(0x2066, 0x206A)]
)


def _escape(char: str) -> str:
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


_TABLE: Final = str.maketrans({char: _escape(char) for char in _CONTROLS})


def visible(text: str) -> str:
    """`text` with every control character written as its escape, so the terminal shows it."""
    # Every character in the table is unprintable to Python, so most values skip the copy.
    return text if text.isprintable() else text.translate(_TABLE)


def visible_lines(text: str) -> str:
    """A rendered message line by line: its own line breaks kept, every other control shown."""
    return "\n".join(visible(line) for line in text.split("\n"))


def visible_join(lines: Iterable[str]) -> str:
    """Lines of a rendering joined for the terminal; a line break inside one line is shown."""
    return "\n".join(visible(line) for line in lines)
