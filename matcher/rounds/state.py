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
    # Capacity in hours (README "Capacity in hours"): hours_per_week and active_hours of the
    # record (None: not given), and the hours the ledger's active and pinned clients need.
    hours: float | None = None
    outside_hours: float | None = None
    active_hours: float = 0.0
    pinned_hours: float = 0.0

    @property
    def taken(self) -> int:
        return self.outside + self.active + self.pinned

    @property
    def in_hours(self) -> bool:
        """Do hours count for this volunteer: its own, or its clients' other than one each?"""
        return (
            self.hours is not None
            or self.outside_hours is not None
            or self.active_hours != self.active
            or self.pinned_hours != self.pinned
        )

    @property
    def hours_given(self) -> float:
        return float(self.capacity) if self.hours is None else self.hours

    @property
    def hours_outside(self) -> float:
        """Hours clients outside the ledger take: active_hours, or one each."""
        return float(self.outside) if self.outside_hours is None else self.outside_hours

    @property
    def hours_taken(self) -> float:
        return self.hours_outside + self.active_hours + self.pinned_hours

    def over(self) -> str | None:
        """What is over capacity (active clients, not pins), in places or hours; None if not."""
        if self.in_hours:
            taken = self.hours_outside + self.active_hours
            if taken > self.hours_given:
                return f"{taken:g} hour(s) a week taken but {self.hours_given:g} given"
            return None
        if self.outside + self.active > self.capacity:
            return f"{self.outside + self.active} client(s) but capacity {self.capacity}"
        return None

    @property
    def free_hours(self) -> float:
        return max(0.0, self.hours_given - self.hours_taken)

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
    " paused_until,"
    " CASE WHEN json_valid(record) THEN json_extract(record, '$.hours_per_week') END,"
    " CASE WHEN json_valid(record) THEN json_extract(record, '$.active_hours') END"
)
# The hours a week a stored client needs: its hours_per_week, or one hour (the default).
CLIENT_HOURS_SQL = (
    "coalesce(CASE WHEN json_valid(c.record) THEN json_extract(c.record, '$.hours_per_week')"
    " END, 1.0)"
)


def client_hours(tx: Tx, client_ids: Collection[str]) -> dict[str, float]:
    """The hours a week each of these clients needs (1 when not given)."""
    if not client_ids:
        return {}
    marks = ", ".join("?" * len(client_ids))
    found = tx.mapping(
        f"SELECT c.client_id, {CLIENT_HOURS_SQL} FROM clients c WHERE c.client_id IN ({marks})",
        tuple(client_ids),
    )
    return {cid: float(found.get(cid, 1.0)) for cid in client_ids}


def load_damage(
    shape: object,
    capacity: object,
    outside: object,
    paused_until: object,
    hours: object = None,
    outside_hours: object = None,
) -> str:
    """What is wrong with a volunteer row's places, or '' (shared with `matcher db check`)."""
    if shape is None:
        return "record: not valid JSON"
    if shape != "object":
        return "record: must be a JSON object"
    for name, value in (("capacity", capacity), ("active_clients", outside)):
        if not isinstance(value, int) or value < 0:
            return f"{name}: must be a whole number ≥ 0"
    for name, value in (("hours_per_week", hours), ("active_hours", outside_hours)):
        if value is not None and (not isinstance(value, int | float) or value < 0):
            return f"{name}: must be a number ≥ 0"
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
    on = where.replace("volunteer_id", "m.volunteer_id")
    active_hours = tx.mapping(
        f"SELECT m.volunteer_id, sum({CLIENT_HOURS_SQL}) FROM matches m"
        f" LEFT JOIN clients c ON c.client_id = m.client_id {on}"
        f" {'AND' if on else 'WHERE'} m.ended_on IS NULL GROUP BY 1",
        params,
    )
    pinned_hours = tx.mapping(
        f"SELECT m.volunteer_id, sum({CLIENT_HOURS_SQL}) FROM pins m"
        f" LEFT JOIN clients c ON c.client_id = m.client_id {on} GROUP BY 1",
        params,
    )
    out = {}
    for vid, shape, capacity, outside, paused_until, hours, outside_hours in tx.all(
        f"SELECT {LOAD_COLUMNS} FROM volunteers {where} ORDER BY volunteer_id", params
    ):
        if only is not None and vid not in only:
            continue
        what = load_damage(shape, capacity, outside, paused_until, hours, outside_hours)
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
            hours=None if hours is None else float(hours),
            outside_hours=None if outside_hours is None else float(outside_hours),
            active_hours=float(active_hours.get(vid, 0.0)),
            pinned_hours=float(pinned_hours.get(vid, 0.0)),
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
