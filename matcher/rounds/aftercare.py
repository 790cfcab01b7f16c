"""After a match is accepted: the introduction, its "klik", check-ins, and the end at the cap.

Both sides may still say no after the introductory meeting (`round decline` after acceptance
ends the match); within `introduction_days` the coordinator confirms it instead. Check-ins are
the evaluation moments (default after 6 weeks, 6 months and 12 months); their free-text note
is personal data that `forget` erases with the rest.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Final

from matcher import vocab
from matcher.lifecycle import Lifecycle
from matcher.rounds import decisions, stored
from matcher.rounds.db import LedgerError, Tx
from matcher.rounds.due import due
from matcher.rounds.state import require_client

CHECKIN_OUTCOMES: Final = ("going-well", "concerns", "end")
MAX_NOTE_CHARS: Final = 2000


@dataclass(frozen=True)
class CheckIn:
    client_id: str
    volunteer_id: str
    number: int  # 1 for the match's first check-in
    outcome: str
    ended: decisions.EndedMatch | None


def _open_match(tx: Tx, client_id: str) -> sqlite3.Row | None:
    """The client's active match (its course so far), None when it has none."""
    require_client(tx, client_id)
    return tx.one(
        "SELECT match_id, volunteer_id, started_on, introduced_on, confirmed_on FROM matches"
        " WHERE client_id = ? AND ended_on IS NULL",
        (client_id,),
    )


def _active_match(tx: Tx, client_id: str) -> sqlite3.Row:
    row = _open_match(tx, client_id)
    if row is None:
        raise LedgerError(f"client {client_id}: no active match")
    return row


def _started(tx: Tx, row: sqlite3.Row) -> dt.date:
    return stored.date(tx, "matches", str(row["match_id"]), "started_on", row["started_on"])


def introduce(tx: Tx, client_id: str, on: dt.date) -> str:
    """The introductory meeting took place on `on`; returns the volunteer."""
    row = _active_match(tx, client_id)
    started = _started(tx, row)
    if on < started:
        raise LedgerError(f"--date {on}: before the match started ({started})")
    if row["introduced_on"] is not None:
        raise LedgerError(f"client {client_id}: already introduced on {row['introduced_on']}")
    tx.conn.execute(
        "UPDATE matches SET introduced_on = ? WHERE match_id = ?", (on.isoformat(), row[0])
    )
    vid = str(row["volunteer_id"])
    tx.event("introduce", f"introduced to {vid} on {on}", client_id=client_id, volunteer_id=vid)
    return vid


def confirm(tx: Tx, client_id: str, on: dt.date) -> str:
    """Both sides want to go on after the introduction ("klik"); returns the volunteer."""
    row = _active_match(tx, client_id)
    if row["introduced_on"] is None:
        raise LedgerError(
            f"client {client_id}: not introduced yet; first `matcher introduce {client_id}`"
        )
    if row["confirmed_on"] is not None:
        raise LedgerError(f"client {client_id}: already confirmed on {row['confirmed_on']}")
    met = stored.date(tx, "matches", str(row[0]), "introduced_on", row["introduced_on"])
    if on < met:
        raise LedgerError(f"--date {on}: before the introduction ({met})")
    tx.conn.execute(
        "UPDATE matches SET confirmed_on = ? WHERE match_id = ?", (on.isoformat(), row[0])
    )
    vid = str(row["volunteer_id"])
    tx.event("confirm", f"klik with {vid}, confirmed {on}", client_id=client_id, volunteer_id=vid)
    return vid


def checkin(
    tx: Tx, client_id: str, *, outcome: str, note: str, on: dt.date, end_reason: str
) -> CheckIn:
    """An evaluation moment; outcome `end` also ends the match (with `end_reason`)."""
    if outcome not in CHECKIN_OUTCOMES:
        raise LedgerError(
            f"--outcome {outcome!r}: must be one of {', '.join(CHECKIN_OUTCOMES)}"
            + vocab.did_you_mean(outcome, CHECKIN_OUTCOMES)
        )
    note = note.strip()
    if len(note) > MAX_NOTE_CHARS:
        raise LedgerError(f"--note: at most {MAX_NOTE_CHARS} characters (got {len(note)})")
    row = _active_match(tx, client_id)
    started = _started(tx, row)
    if on < started:
        raise LedgerError(f"--date {on}: before the match started ({started})")
    last = tx.one("SELECT max(checked_on) FROM checkins WHERE match_id = ?", (row[0],))
    if last is not None and last[0] is not None and on.isoformat() < last[0]:
        raise LedgerError(f"--date {on}: before this match's previous check-in ({last[0]})")
    tx.conn.execute(
        "INSERT INTO checkins (match_id, client_id, checked_on, outcome, note)"
        " VALUES (?, ?, ?, ?, ?)",
        (row[0], client_id, on.isoformat(), outcome, note),
    )
    held = tx.one("SELECT count(*) FROM checkins WHERE match_id = ?", (row[0],))
    number = int(held[0]) if held else 1
    vid = str(row["volunteer_id"])
    # The note stays in its own table only: the audit trail carries facts, never the text.
    tx.event(
        "checkin",
        f"check-in {number} on {on}: {outcome}" + (" (with a note)" if note else ""),
        client_id=client_id,
        volunteer_id=vid,
    )
    ended = None
    if outcome == "end":
        ended = decisions.end_match(tx, client_id, reason=end_reason, on=on)
    return CheckIn(client_id, vid, number, outcome, ended)


def complete_at_cap(tx: Tx, on: dt.date, lifecycle: Lifecycle) -> list[decisions.EndedMatch]:
    """End every active match past its programme's max_match_weeks as `completed`."""
    past = due(tx, on, lifecycle).past_end
    return [decisions.end_match(tx, item.client_id, reason="completed", on=on) for item in past]


@dataclass(frozen=True)
class HeldCheckIn:
    number: int
    checked_on: dt.date
    outcome: str
    note: str  # personal text: shown to the coordinator, erased by `forget`


@dataclass(frozen=True)
class MatchCourse:
    """A client's active match after acceptance: introduction, "klik" and check-ins so far."""

    client_id: str
    volunteer_id: str
    started_on: dt.date
    introduced_on: dt.date | None
    confirmed_on: dt.date | None
    checkins: tuple[HeldCheckIn, ...]


def match_course(tx: Tx, client_id: str) -> MatchCourse | None:
    """The client's active match and its course; None when the client has none."""
    row = _open_match(tx, client_id)
    if row is None:
        return None
    key = str(row["match_id"])
    held = tx.all(
        "SELECT checked_on, outcome, note FROM checkins WHERE match_id = ?"
        " ORDER BY checked_on, checkin_id",
        (row["match_id"],),
    )
    return MatchCourse(
        client_id=client_id,
        volunteer_id=str(row["volunteer_id"]),
        started_on=_started(tx, row),
        introduced_on=stored.optional_date(tx, "matches", key, "introduced_on", row[3]),
        confirmed_on=stored.optional_date(tx, "matches", key, "confirmed_on", row[4]),
        checkins=tuple(
            HeldCheckIn(n, stored.date(tx, "checkins", key, "checked_on", day), outcome, note)
            for n, (day, outcome, note) in enumerate(held, start=1)
        ),
    )
