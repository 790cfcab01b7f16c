"""Before someone waits: a letter or a referral, calls, an appointment, and the intake.

Programmes such as the Zwolle pilot and *De draad weer oppakken* do not start with a waiting
list: they write to everyone who recently lost a partner, phone (often several times), plan
an appointment, and only then does a client wait for a volunteer. The ledger keeps the
minimum: an id, the programme, the dates, the channel and its source (a name and address stay
in the coordinator's own files). The intake is importing the person as a client with the same
id (`matcher import clients`): see `record_intakes`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

from matcher import vocab
from matcher.lifecycle import Lifecycle
from matcher.rounds import erase, stored
from matcher.rounds.db import EventRow, LedgerError, Tx

CHANNELS: Final = ("letter", "referral")
OUTCOMES: Final = ("not-reached", "reached", "declined", "appointment")
# Where each outcome leaves the person.
_STATE_AFTER: Final = {
    "not-reached": None,  # unchanged: approached, or reached on an earlier call
    "reached": "reached",
    "declined": "closed",
    "appointment": "appointment",
}
# States in which someone is still being called.
CALLING: Final = ("approached", "reached")
MAX_SOURCE_CHARS: Final = 200


@dataclass(frozen=True)
class Contact:
    client_id: str
    attempt: int
    outcome: str
    state: str
    unreached: int  # calls so far that did not reach the person
    max_attempts: int


def _choice(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise LedgerError(
            f"{option} {value!r}: must be one of {', '.join(choices)}"
            + vocab.did_you_mean(value, choices)
        )


def require_person(tx: Tx, client_id: str) -> sqlite3.Row:
    row = tx.one("SELECT * FROM outreach WHERE client_id = ?", (client_id,))
    if row is None:
        known = [r[0] for r in tx.all("SELECT client_id FROM outreach")]
        raise LedgerError(
            f"{client_id!r}: not approached in the ledger"
            + vocab.did_you_mean(client_id, known)
            + f" (add with `matcher outreach add {client_id} --programme P --by letter`)"
        )
    return row


def _day(tx: Tx, row: sqlite3.Row, column: str) -> dt.date:
    key = stored.show_key(("client_id", row["client_id"]))
    return stored.date(tx, "outreach", key, column, row[column])


def add(tx: Tx, client_id: str, *, programme: str, channel: str, source: str, on: dt.date) -> None:
    """Someone approached by letter or referred to the programme; nobody waits yet."""
    _choice("--by", channel, CHANNELS)
    client_id, programme, source = (
        client_id.strip(),
        vocab.normalise_word(programme),
        source.strip(),
    )
    if not client_id:
        raise LedgerError("ID: must not be empty")
    if not programme:
        raise LedgerError("--programme: must not be empty")
    if len(source) > MAX_SOURCE_CHARS:
        raise LedgerError(f"--source: at most {MAX_SOURCE_CHARS} characters (got {len(source)})")
    old = tx.one("SELECT approached_on FROM outreach WHERE client_id = ?", (client_id,))
    if old is not None:
        raise LedgerError(f"{client_id}: already approached on {old[0]}")
    if tx.one("SELECT 1 FROM clients WHERE client_id = ?", (client_id,)) is not None:
        raise LedgerError(f"{client_id}: already a client in the ledger; outreach comes before")
    erased = erase.erased_on(tx, [client_id])
    if erased:
        raise LedgerError(f"{client_id}: was erased on {erased[client_id]} (matcher forget)")
    tx.conn.execute(
        "INSERT INTO outreach (client_id, programme, channel, source, approached_on)"
        " VALUES (?, ?, ?, ?, ?)",
        (client_id, programme, channel, source, on.isoformat()),
    )
    how = "letter sent" if channel == "letter" else "referred"
    tx.event("outreach", f"{how} {on} for {programme}", client_id=client_id)


def contact(tx: Tx, client_id: str, *, outcome: str, on: dt.date, lifecycle: Lifecycle) -> Contact:
    """A call (or visit) and what came of it; at most `max_attempts` calls without reaching."""
    _choice("--outcome", outcome, OUTCOMES)
    row = require_person(tx, client_id)
    if row["state"] not in CALLING:
        raise LedgerError(f"{client_id}: {_state_text(row)}; no more calls are recorded")
    start = _day(tx, row, "approached_on")
    if on < start:
        raise LedgerError(f"--date {on}: before {client_id} was approached ({start})")
    attempts = tx.all(
        "SELECT attempt, contacted_on, outcome FROM contact_attempts WHERE client_id = ?"
        " ORDER BY attempt",
        (client_id,),
    )
    if attempts:
        key = stored.show_key(("client_id", client_id), ("attempt", attempts[-1]["attempt"]))
        last = stored.date(tx, "contact_attempts", key, "contacted_on", attempts[-1][1])
        if on < last:
            raise LedgerError(f"--date {on}: before the previous call to {client_id} ({last})")
    unreached = sum(a["outcome"] == "not-reached" for a in attempts)
    if outcome == "not-reached" and unreached >= lifecycle.max_attempts:
        raise LedgerError(
            f"{client_id}: already called {unreached} times without reaching them"
            f" (max_attempts {lifecycle.max_attempts}); close with"
            f" `matcher outreach close {client_id} --reason not-reached`"
        )
    attempt = len(attempts) + 1
    tx.conn.execute(
        "INSERT INTO contact_attempts (client_id, attempt, contacted_on, outcome)"
        " VALUES (?, ?, ?, ?)",
        (client_id, attempt, on.isoformat(), outcome),
    )
    state = _STATE_AFTER[outcome] or row["state"]
    day = on.isoformat()
    if outcome == "declined":
        tx.conn.execute(
            "UPDATE outreach SET state = 'closed', closed_on = ?, close_reason = 'declined'"
            " WHERE client_id = ?",
            (day, client_id),
        )
    elif outcome == "appointment":
        tx.conn.execute(
            "UPDATE outreach SET state = 'appointment', appointment_on = ? WHERE client_id = ?",
            (day, client_id),
        )
    else:
        tx.conn.execute("UPDATE outreach SET state = ? WHERE client_id = ?", (state, client_id))
    unreached += outcome == "not-reached"
    tx.event("contact", f"call {attempt} on {on}: {outcome}", client_id=client_id)
    return Contact(client_id, attempt, outcome, state, unreached, lifecycle.max_attempts)


def close(tx: Tx, client_id: str, *, reason: str, on: dt.date) -> str:
    """Outreach ends without a client: no need, referred elsewhere, declined, not reached."""
    reason = reason.strip()
    if not reason:
        raise LedgerError("--reason: say why, in a few words (no need, referred elsewhere …)")
    if len(reason) > MAX_SOURCE_CHARS:
        raise LedgerError(f"--reason: at most {MAX_SOURCE_CHARS} characters (got {len(reason)})")
    row = require_person(tx, client_id)
    if row["state"] in ("intake", "closed"):
        raise LedgerError(f"{client_id}: {_state_text(row)}; nothing to close")
    start = _day(tx, row, "approached_on")
    if on < start:
        raise LedgerError(f"--date {on}: before {client_id} was approached ({start})")
    tx.conn.execute(
        "UPDATE outreach SET state = 'closed', closed_on = ?, close_reason = ? WHERE client_id = ?",
        (on.isoformat(), reason, client_id),
    )
    tx.event("outreach-close", f"outreach closed {on}: {reason}", client_id=client_id)
    return str(row["state"])


def _state_text(row: sqlite3.Row) -> str:
    state = row["state"]
    if state == "intake":
        return f"had the intake on {row['intake_on']} and is a client"
    if state == "closed":
        return f"outreach closed on {row['closed_on']} ({row['close_reason']})"
    if state == "appointment":
        return (
            f"has an appointment ({row['appointment_on']}); record the intake by importing"
            " them as a client with this id"
        )
    return str(state)


def record_intakes(tx: Tx, intakes: Collection[tuple[str, str]]) -> list[EventRow]:
    """New clients who were approached: their outreach ends in an intake on (id, date).
    Returns the audit rows, for the import to write after its own."""
    if not intakes:
        return []
    open_ids = {row[0] for row in tx.all("SELECT client_id FROM outreach WHERE state != 'intake'")}
    found = sorted((cid, day) for cid, day in intakes if cid in open_ids)
    tx.conn.executemany(
        "UPDATE outreach SET state = 'intake', intake_on = ? WHERE client_id = ?",
        ((day, cid) for cid, day in found),
    )
    return [
        ("intake", None, cid, None, f"intake {day}: from outreach to the waiting list")
        for cid, day in found
    ]


@dataclass(frozen=True)
class Person:
    """Someone in outreach, as the ledger keeps them (for the outreach list)."""

    client_id: str
    programme: str
    channel: str  # letter or referral
    source: str
    approached_on: dt.date
    state: str  # approached, reached, appointment, intake, closed
    calls: int
    unreached: int  # calls that did not reach the person
    last_call_on: dt.date | None
    # Still being called: the day the next call is due (the first call waits for the letter).
    # None once reached for an appointment, closed, or after max_attempts calls unanswered.
    next_call_on: dt.date | None
    appointment_on: dt.date | None
    intake_on: dt.date | None
    closed_on: dt.date | None
    close_reason: str | None


def _stored_day(tx: Tx, table: str, client_id: str, column: str, text: object) -> dt.date | None:
    # The plain case first: a list of a whole register reads thousands of these.
    if type(text) is str:
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(text)
    key = stored.show_key(("client_id", client_id))
    return stored.optional_date(tx, table, key, column, text)


def people(tx: Tx, lifecycle: Lifecycle, *, still_open: bool = False) -> tuple[Person, ...]:
    """Everyone in outreach (`still_open`: only those not yet an intake or closed), by id,
    with the day their next call is due."""
    where = " WHERE o.state NOT IN ('intake', 'closed')" if still_open else ""
    rows = tx.all(
        "SELECT o.*, coalesce(a.calls, 0) AS calls, coalesce(a.unreached, 0) AS unreached,"
        " a.last_call FROM outreach o LEFT JOIN (SELECT client_id, count(*) AS calls,"
        "  sum(outcome = 'not-reached') AS unreached, max(contacted_on) AS last_call"
        "  FROM contact_attempts GROUP BY client_id) a ON a.client_id = o.client_id"
        + where
        + " ORDER BY o.client_id"
    )
    found = []
    for row in rows:
        cid = row["client_id"]
        last = _stored_day(tx, "contact_attempts", cid, "contacted_on", row["last_call"])
        approached = _stored_day(tx, "outreach", cid, "approached_on", row["approached_on"])
        if approached is None:  # approached_on is NOT NULL: damage says so
            approached = _day(tx, row, "approached_on")
        next_on = None
        if row["state"] in CALLING and row["unreached"] < lifecycle.max_attempts:
            next_on = (
                approached + dt.timedelta(days=lifecycle.first_call_days)
                if last is None
                else last + dt.timedelta(days=lifecycle.days_between_attempts)
            )
        found.append(
            Person(
                client_id=cid,
                programme=row["programme"],
                channel=row["channel"],
                source=row["source"],
                approached_on=approached,
                state=row["state"],
                calls=int(row["calls"]),
                unreached=int(row["unreached"]),
                last_call_on=last,
                next_call_on=next_on,
                appointment_on=_stored_day(
                    tx, "outreach", cid, "appointment_on", row["appointment_on"]
                ),
                intake_on=_stored_day(tx, "outreach", cid, "intake_on", row["intake_on"]),
                closed_on=_stored_day(tx, "outreach", cid, "closed_on", row["closed_on"]),
                close_reason=row["close_reason"],
            )
        )
    return tuple(found)
