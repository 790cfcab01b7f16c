"""What the ledger knows right now: who exists, who is free, who is paused; shared look-ups."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass

from matcher import vocab
from matcher.rounds.db import LedgerError, Tx


def _unknown(kind: str, identifier: str, known: list[str]) -> LedgerError:
    hint = vocab.closest(identifier, known)
    suggestion = f"; did you mean {hint!r}?" if hint else ""
    return LedgerError(f"{kind} {identifier!r}: not in the ledger{suggestion}")


def require_client(tx: Tx, client_id: str) -> sqlite3.Row:
    return _require(tx, "client", client_id)


def require_volunteer(tx: Tx, volunteer_id: str) -> sqlite3.Row:
    return _require(tx, "volunteer", volunteer_id)


def _require(tx: Tx, kind: str, identifier: str) -> sqlite3.Row:
    # kind is one of our two table names, never user input: safe to format into the SQL.
    row = tx.one(f"SELECT * FROM {kind}s WHERE {kind}_id = ?", (identifier,))
    if row is None:
        known = [r[0] for r in tx.all(f"SELECT {kind}_id FROM {kind}s")]
        raise _unknown(kind, identifier, known)
    return row


def require_round(tx: Tx, round_id: int) -> sqlite3.Row:
    row = tx.one("SELECT * FROM rounds WHERE round_id = ?", (round_id,))
    if row is None:
        last = tx.one("SELECT max(round_id) FROM rounds")
        latest = last[0] if last else None
        hint = f"; the latest is round {latest}" if latest else "; no round was proposed yet"
        raise LedgerError(f"round {round_id}: no such round{hint}")
    return row


@dataclass(frozen=True)
class Load:
    """A volunteer's places: clients in the ledger, outside it, pinned, and capacity."""

    volunteer_id: str
    capacity: int
    outside: int  # active_clients from the imported file: support begun outside the ledger
    active: int
    pinned: int
    paused_until: dt.date | None

    @property
    def taken(self) -> int:
        return self.outside + self.active + self.pinned

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)

    def paused_on(self, day: dt.date) -> bool:
        # Paused "until" a date: available again from that date on.
        return self.paused_until is not None and day < self.paused_until


def loads(tx: Tx, volunteer_id: str | None = None) -> dict[str, Load]:
    """Every volunteer's load (or one volunteer's), computed in three grouped queries."""
    where, params = ("WHERE volunteer_id = ?", (volunteer_id,)) if volunteer_id else ("", ())
    active = tx.mapping(
        f"SELECT volunteer_id, count(*) FROM matches {where}"
        f" {'AND' if where else 'WHERE'} ended_on IS NULL GROUP BY volunteer_id",
        params,
    )
    pinned = tx.mapping(f"SELECT volunteer_id, count(*) FROM pins {where} GROUP BY 1", params)
    out = {}
    for row in tx.all(
        "SELECT volunteer_id, json_extract(record, '$.capacity'),"
        f" json_extract(record, '$.active_clients'), paused_until FROM volunteers {where}"
        " ORDER BY volunteer_id",
        params,
    ):
        vid = row[0]
        out[vid] = Load(
            volunteer_id=vid,
            capacity=int(row[1]),
            outside=int(row[2]),
            active=int(active.get(vid, 0)),
            pinned=int(pinned.get(vid, 0)),
            paused_until=parse_date(row[3]),
        )
    return out


def parse_date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def record(row: sqlite3.Row) -> dict[str, object]:
    value: dict[str, object] = json.loads(row["record"])
    return value


def decline_count(tx: Tx, client_id: str) -> int:
    row = tx.one("SELECT count(*) FROM declines WHERE client_id = ?", (client_id,))
    return int(row[0]) if row else 0


# A client whose proposals were declined this often needs a coordinator's own look.
DECLINES_BEFORE_FLAG = 2
