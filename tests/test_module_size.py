"""Small modules (STYLE.md): no module of the package is over 400 lines.

A module that grows past it is split along a seam of its own (as matcher.models gave its field
types to matcher.field_types, and the Ledger its file handling to matcher.rounds.ledger_file),
keeping every public import path working.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "matcher"
MAX_LINES = 400


def test_no_module_is_over_400_lines() -> None:
    sizes = {
        path.relative_to(PACKAGE.parent).as_posix(): len(
            path.read_text(encoding="utf-8").splitlines()
        )
        for path in PACKAGE.rglob("*.py")
    }
    assert len(sizes) > 100, "the package's modules were not found"
    over = {name: lines for name, lines in sorted(sizes.items()) if lines > MAX_LINES}
    assert not over, f"modules over {MAX_LINES} lines (split them): {over}"
