"""What the ledger knows right now: who exists, who is free, who is paused; shared look-ups."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass

from matcher import vocab
from matcher.rounds import stored
from matcher.rounds.db import LedgerError, LedgerNotFoundError, Tx


def _unknown(kind: str, identifier: str, known: list[str]) -> LedgerNotFoundError:
    hint = vocab.closest(identifier, known)
    suggestion = f"; did you mean {hint!r}?" if hint else ""
    return LedgerNotFoundError(f"{kind} {identifier!r}: not in the ledger{suggestion}")


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
        raise LedgerNotFoundError(f"round {round_id}: no such round{hint}")
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


# A volunteer's places, read from the stored record without parsing all of it; a record that
# is not JSON yields NULLs here instead of failing the whole query.
LOAD_COLUMNS = (
    "volunteer_id, CASE WHEN json_valid(record) THEN json_type(record) END,"
    " CASE WHEN json_valid(record) THEN json_extract(record, '$.capacity') END,"
    " CASE WHEN json_valid(record) THEN json_extract(record, '$.active_clients') END,"
    " paused_until"
)


def load_damage(shape: object, capacity: object, outside: object, paused_until: object) -> str:
    """What is wrong with a volunteer row's places, or '' (shared with `matcher db check`)."""
    if shape is None:
        return "record: not valid JSON"
    if shape != "object":
        return "record: must be a JSON object"
    for name, value in (("capacity", capacity), ("active_clients", outside)):
        if not isinstance(value, int) or value < 0:
            return f"{name}: must be a whole number ≥ 0"
    if stored.date_damage(paused_until, optional=True)[1]:
        return "paused_until: must be a date as YYYY-MM-DD"
    return ""


def loads(
    tx: Tx, volunteer_id: str | None = None, *, only: Collection[str] | None = None
) -> dict[str, Load]:
    """Every volunteer's load (or one volunteer's, or `only` these), in three grouped queries.

    A damaged volunteer record stops this only when that volunteer is asked for.
    """
    where, params = ("WHERE volunteer_id = ?", (volunteer_id,)) if volunteer_id else ("", ())
    active = tx.mapping(
        f"SELECT volunteer_id, count(*) FROM matches {where}"
        f" {'AND' if where else 'WHERE'} ended_on IS NULL GROUP BY volunteer_id",
        params,
    )
    pinned = tx.mapping(f"SELECT volunteer_id, count(*) FROM pins {where} GROUP BY 1", params)
    out = {}
    for vid, shape, capacity, outside, paused_until in tx.all(
        f"SELECT {LOAD_COLUMNS} FROM volunteers {where} ORDER BY volunteer_id", params
    ):
        if only is not None and vid not in only:
            continue
        what = load_damage(shape, capacity, outside, paused_until)
        if what:
            damage = stored.Damage("volunteers", stored.show_key(("volunteer_id", vid)), what)
            raise stored.DamagedRecordError(tx.source, damage)
        out[vid] = Load(
            volunteer_id=vid,
            capacity=capacity,
            outside=outside,
            active=int(active.get(vid, 0)),
            pinned=int(pinned.get(vid, 0)),
            paused_until=stored.date_damage(paused_until, optional=True)[0],
        )
    return out


def decline_count(tx: Tx, client_id: str) -> int:
    row = tx.one("SELECT count(*) FROM declines WHERE client_id = ?", (client_id,))
    return int(row[0]) if row else 0


# A client whose proposals were declined this often needs a coordinator's own look.
DECLINES_BEFORE_FLAG = 2


def require_date_order(
    tx: Tx, on: dt.date, *, round_id: int | None = None, force: bool = False
) -> None:
    """Refuse a decision dated before its round, or a round, pin or pause dated before the
    latest round: the ledger's history runs forward. With `force` the date is kept, and the
    audit trail says it was forced."""
    if round_id is not None:
        row, which = require_round(tx, round_id), f"round {round_id}"
    else:
        found = tx.one("SELECT * FROM rounds ORDER BY round_id DESC LIMIT 1")
        if found is None:
            return
        row, which = found, f"the latest round, round {found['round_id']}"
    bound = stored.date(tx, "rounds", str(row["round_id"]), "round_date", row["round_date"])
    if on >= bound:
        return
    if not force:
        raise LedgerError(
            f"--date {on}: before {which} ({bound}); the ledger's history runs forward"
            f" (give --force to keep {on})"
        )
    tx.event("force", f"dated {on}, before {which} ({bound}): kept with --force", round_id=round_id)
