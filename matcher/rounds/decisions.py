"""A coordinator's decisions on a round, and the end of a match.

The engine proposes; nothing becomes a match until a coordinator accepts it (GDPR art. 22).
Both sides may still say no after the introductory meeting: a decline after acceptance ends
that match. A declined pair is never proposed again.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from matcher import vocab
from matcher.models import DEFAULT_CLIENT_HOURS
from matcher.rounds import stored
from matcher.rounds.db import LedgerError, LedgerNotFoundError, Tx
from matcher.rounds.state import (
    DECLINES_BEFORE_FLAG,
    client_hours,
    decline_count,
    loads,
    require_client,
    require_date_order,
)

DECLINED_BY: Final = vocab.DECLINED_BY
END_REASONS: Final = (
    "completed",
    "client-stopped",
    "volunteer-stopped",
    "moved",
    "referred",
    "deceased",
    "other",
)
# The client still needs support after these; after the others their support has ended.
REMATCH_BY_DEFAULT: Final = frozenset({"volunteer-stopped"})
# The end reason a decline after acceptance records (not one a coordinator types).
DECLINED_AFTER_MEETING: Final = "declined"


@dataclass(frozen=True)
class Decline:
    client_id: str
    volunteer_id: str
    declines: int  # how often this client's proposals were declined, this one included
    ended_match: bool  # the pair had been accepted: the decline ended that match

    @property
    def flagged(self) -> bool:
        return self.declines >= DECLINES_BEFORE_FLAG


@dataclass(frozen=True)
class EndedMatch:
    client_id: str
    volunteer_id: str
    reason: str
    started_on: dt.date
    ended_on: dt.date
    duration_days: int
    client_waits_again: bool


def _unknown_ids(
    tx: Tx, wanted: Sequence[str], known: list[str], round_id: int
) -> LedgerNotFoundError:
    waited = tx.mapping("SELECT client_id, reason FROM unmatched WHERE round_id = ?", (round_id,))
    parts = []
    for identifier in wanted:
        if identifier in waited:
            parts.append(f"{identifier} (left waiting: {waited[identifier]})")
            continue
        hint = vocab.closest(identifier, known)
        parts.append(f"{identifier!r}" + (f" (did you mean {hint!r}?)" if hint else ""))
    return LedgerNotFoundError(f"round {round_id}: no proposal for client {', '.join(parts)}")


def accept(
    tx: Tx,
    round_id: int,
    on: dt.date,
    *,
    only: Sequence[str] = (),
    but: Sequence[str] = (),
    force: bool = False,
) -> list[tuple[str, str]]:
    """Accept a round's undecided proposals (all, `only` these clients, or all `but` these)."""
    if only and but:
        raise LedgerError("give --only or --except, not both")
    only, but = list(dict.fromkeys(only)), list(dict.fromkeys(but))
    require_date_order(tx, on, round_id=round_id, force=force)
    rows = tx.all(
        "SELECT client_id, volunteer_id, pinned, decision FROM proposals WHERE round_id = ?"
        " ORDER BY client_id",
        (round_id,),
    )
    by_client = {row["client_id"]: row for row in rows}
    missing = [cid for cid in (*only, *but) if cid not in by_client]
    if missing:
        raise _unknown_ids(tx, missing, list(by_client), round_id)
    chosen = [by_client[cid] for cid in only] if only else [r for r in rows if r[0] not in but]
    decided = [row for row in chosen if row["decision"] is not None]
    if only and decided:
        listed = ", ".join(f"{row[0]} ({row['decision']})" for row in decided)
        raise LedgerError(f"round {round_id}: already decided: {listed}")
    chosen = [row for row in chosen if row["decision"] is None]
    if not chosen:
        if any(row["decision"] == "superseded" for row in rows):
            raise LedgerError(
                f"round {round_id}: superseded by a later round; accept from the latest round"
            )
        raise LedgerError(f"round {round_id}: nothing left to accept")

    problems = [
        f"{row[0]}: no longer waiting ({state})"
        for row in chosen
        if (state := require_client(tx, row[0])["state"]) != "waiting"
    ]
    new = Counter(row["volunteer_id"] for row in chosen)
    load = loads(tx, only=new.keys())
    # An accepted pinned pair turns its reserved place into an active match.
    pins_used = Counter(row["volunteer_id"] for row in chosen if row["pinned"])
    hours = client_hours(tx, [row[0] for row in chosen])
    for volunteer_id, count in sorted(new.items()):
        v = load[volunteer_id]
        mine = [row for row in chosen if row["volunteer_id"] == volunteer_id]
        if v.in_hours or any(hours[row[0]] != DEFAULT_CLIENT_HOURS for row in mine):
            # Capacity in hours: a pinned client's hours are already taken by its pin.
            after_hours = v.hours_taken + sum(hours[row[0]] for row in mine if not row["pinned"])
            if after_hours > v.hours_given:
                problems.append(
                    f"{volunteer_id}: {count} more client(s) would take {after_hours:g} of"
                    f" {v.hours_given:g} hour(s) a week ({v.hours_taken:g} taken)"
                )
            continue
        after = v.taken + count - pins_used[volunteer_id]
        if after > v.capacity:
            problems.append(
                f"{volunteer_id}: {count} more client(s) would make {after} of capacity"
                f" {v.capacity} ({v.outside + v.active} active, {v.pinned} pinned)"
            )
    if problems:
        raise LedgerError(f"round {round_id}: nothing accepted:\n" + "\n".join(problems))

    start = on.isoformat()
    # The client's waiting start is kept with the match: it changes when the client waits again.
    tx.conn.executemany(
        "INSERT INTO matches (client_id, volunteer_id, round_id, started_on, waiting_since)"
        " SELECT ?, ?, ?, ?, waiting_since FROM clients WHERE client_id = ?",
        ((row[0], row[1], round_id, start, row[0]) for row in chosen),
    )
    tx.conn.executemany(
        "UPDATE proposals SET decision = 'accepted', decided_at = ?"
        " WHERE round_id = ? AND client_id = ?",
        ((tx.at, round_id, row[0]) for row in chosen),
    )
    ids = [(row[0],) for row in chosen]
    tx.conn.executemany("UPDATE clients SET state = 'matched' WHERE client_id = ?", ids)
    tx.conn.executemany("DELETE FROM pins WHERE client_id = ?", ids)
    tx.events(
        ("accept", round_id, row[0], row[1], f"accepted with {row[1]}, match starts {start}")
        for row in chosen
    )
    return [(row[0], row[1]) for row in chosen]


def decline(
    tx: Tx,
    round_id: int,
    client_id: str,
    *,
    by: str,
    reason: str,
    on: dt.date,
    force: bool = False,
) -> Decline:
    """Record that a proposed pair was declined; it is never proposed again."""
    if by not in DECLINED_BY:
        raise LedgerError(f"--by {by!r}: must be one of {', '.join(DECLINED_BY)}")
    if not reason.strip():
        raise LedgerError("--reason: say why, in a few words (it stays in the ledger)")
    require_date_order(tx, on, round_id=round_id, force=force)
    row = tx.one(
        "SELECT volunteer_id, decision, pinned FROM proposals WHERE round_id = ? AND client_id = ?",
        (round_id, client_id),
    )
    if row is None:
        known = [r[0] for r in tx.all("SELECT client_id FROM proposals WHERE round_id = ?",
                                      (round_id,))]  # fmt: skip
        raise _unknown_ids(tx, [client_id], known, round_id)
    volunteer_id, decision = row["volunteer_id"], row["decision"]
    if decision == "declined":
        raise LedgerError(f"round {round_id}: {client_id} and {volunteer_id} already declined")
    ended = False
    if decision == "accepted":
        match = tx.one(
            "SELECT match_id FROM matches WHERE client_id = ? AND volunteer_id = ?"
            " AND round_id = ? AND ended_on IS NULL",
            (client_id, volunteer_id, round_id),
        )
        if match is None:
            raise LedgerError(
                f"round {round_id}: the match of {client_id} and {volunteer_id} has ended;"
                " a decline after that is not recorded"
            )
        _end(tx, client_id, DECLINED_AFTER_MEETING, on, rematch=True)
        ended = True
    tx.conn.execute(
        "UPDATE proposals SET decision = 'declined', decided_at = ?"
        " WHERE round_id = ? AND client_id = ?",
        (tx.at, round_id, client_id),
    )
    tx.conn.execute(
        "INSERT INTO declines (client_id, volunteer_id, round_id, declined_by, reason,"
        " declined_on) VALUES (?, ?, ?, ?, ?, ?)",
        (client_id, volunteer_id, round_id, by, reason.strip(), on.isoformat()),
    )
    # The same pair may wait undecided in a later round (a decline of an older proposal
    # came in late): it is declined there too, so it can never be accepted.
    tx.conn.execute(
        "UPDATE proposals SET decision = 'declined', decided_at = ?"
        " WHERE client_id = ? AND volunteer_id = ? AND decision IS NULL",
        (tx.at, client_id, volunteer_id),
    )
    tx.conn.execute("DELETE FROM pins WHERE client_id = ?", (client_id,))
    count = decline_count(tx, client_id)
    flag = f"; declined {count} times: flagged for the coordinator" if count >= 2 else ""
    tx.event(
        "decline",
        f"declined by {by} ({reason.strip()}){' after acceptance' if ended else ''}{flag}",
        round_id=round_id,
        client_id=client_id,
        volunteer_id=volunteer_id,
    )
    return Decline(client_id, volunteer_id, count, ended)


def end_match(
    tx: Tx, client_id: str, *, reason: str, on: dt.date, rematch: bool | None = None
) -> EndedMatch:
    """End a client's active match: the place is free again; the reason and duration stay."""
    if reason not in END_REASONS:
        hint = vocab.closest(reason, END_REASONS)
        raise LedgerError(
            f"--reason {reason!r}: must be one of {', '.join(END_REASONS)}"
            + (f"; did you mean {hint!r}?" if hint else "")
        )
    require_client(tx, client_id)
    if rematch is None:
        rematch = reason in REMATCH_BY_DEFAULT
    return _end(tx, client_id, reason, on, rematch=rematch)


def _end(tx: Tx, client_id: str, reason: str, on: dt.date, *, rematch: bool) -> EndedMatch:
    row = tx.one(
        "SELECT match_id, volunteer_id, started_on FROM matches"
        " WHERE client_id = ? AND ended_on IS NULL",
        (client_id,),
    )
    if row is None:
        raise LedgerError(f"client {client_id}: no active match to end")
    started = stored.date(tx, "matches", str(row["match_id"]), "started_on", row["started_on"])
    if on < started:
        raise LedgerError(f"--date {on}: before the match started ({started})")
    days = (on - started).days
    tx.conn.execute(
        "UPDATE matches SET ended_on = ?, end_reason = ?, duration_days = ? WHERE match_id = ?",
        (on.isoformat(), reason, days, row["match_id"]),
    )
    if rematch:
        # Waiting again from today: the weeks before the match were served by it.
        tx.conn.execute(
            "UPDATE clients SET state = 'waiting', waiting_since = ? WHERE client_id = ?",
            (on.isoformat(), client_id),
        )
    else:
        tx.conn.execute("UPDATE clients SET state = 'closed' WHERE client_id = ?", (client_id,))
    after = "client waits again" if rematch else "support closed"
    tx.event(
        "end",
        f"match with {row['volunteer_id']} ended {on}: {reason}, after {days} days; {after}",
        client_id=client_id,
        volunteer_id=row["volunteer_id"],
    )
    return EndedMatch(client_id, row["volunteer_id"], reason, started, on, days, rematch)
