"""A ledger written whole or not at all: a new ledger filled by one function (a replayed
simulated year, `matcher scenario replay`), built in a file beside its destination and renamed
onto it only once complete.

Each Ledger method commits on its own; a fill of many of them that fails half-way would leave
half a history behind. Built aside, a failure, Ctrl-C or a killed process leaves the
destination as it was (absent, or the empty ledger it was) and removes the half-built file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from matcher.rounds.db import LedgerError, Tx
from matcher.rounds.ledger import Ledger

T = TypeVar("T")

# What an empty ledger may hold: its own settings and the history of its creation.
_BOOKKEEPING = ("meta", "events")
# The records a refusal names; the rest are counted together.
_NAMED = ("clients", "volunteers", "rounds", "outreach")


def fill_new_ledger(path: str | os.PathLike[str], fill: Callable[[Ledger], T]) -> T:
    """Create a ledger at `path` (readable by its owner only) holding what `fill` writes.

    `path` must not exist, or be an empty file or an empty ledger (`matcher db init`); a
    ledger with any record is refused before anything is written."""
    target = Path(path)
    require_new_or_empty(target)
    descriptor, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".building", dir=target.parent
    )  # owner-only (0600), in the destination's folder so that the rename is atomic
    os.close(descriptor)
    building = Path(name)
    try:
        with Ledger.create(building) as ledger:
            # Nobody sees the file before the rename, and a failure throws it away: syncing
            # each of the fill's commits to disk would be most of a replay's time. One sync
            # of the finished file below makes it as durable.
            ledger._conn.execute("PRAGMA synchronous = OFF")
            found = fill(ledger)
        _fsync(building)
        require_new_or_empty(target)  # again: another command may have filled it meanwhile
        os.replace(building, target)
        _fsync(target.parent)
    finally:
        building.unlink(missing_ok=True)
        Path(f"{building}-journal").unlink(missing_ok=True)
    return found


def require_new_or_empty(target: Path) -> None:
    """`target` may become a new ledger: absent, an empty file or an empty ledger."""
    if not target.parent.is_dir():
        raise LedgerError(f"{target}: no such folder (got '{target.parent}')")
    if not target.exists() or (target.is_file() and target.stat().st_size == 0):
        return
    with Ledger(target) as ledger:  # refuses a folder, a foreign file or database
        held = ledger._read(_records)
    if held:
        shown = [f"{held.pop(table)} {table}" for table in _NAMED if table in held]
        if held:
            shown.append(f"{sum(held.values())} other records")
        raise LedgerError(
            f"{target}: already a ledger with records (got {', '.join(shown)}); only a new or"
            " empty ledger is written: give another --db"
        )


def _records(tx: Tx) -> dict[str, int]:
    """Rows per table, of the tables that hold records (all but meta; events but migrations)."""
    tables = [
        row[0]
        for row in tx.conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]
    counts = {}
    for table in tables:
        if table in _BOOKKEEPING:
            continue
        # Table names come from the schema itself, never from the user.
        counts[table] = tx.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    counts["events"] = tx.conn.execute(
        "SELECT count(*) FROM events WHERE kind != 'migrate'"
    ).fetchone()[0]
    return {table: count for table, count in counts.items() if count}


def _fsync(path: Path) -> None:
    # The file's bytes (and, for a folder, the rename) on disk before the command says done.
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if path.is_dir() else 0)
    with contextlib.suppress(OSError):  # a folder that cannot be opened for sync (Windows)
        descriptor = os.open(path, flags)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
