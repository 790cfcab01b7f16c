"""What a ledger knows about a programme's flows, as counts: the planner's data.

Only counts and sums, no person: how many came to wait and since when, who waits now, the
pool and its places, how long matches ran (ended ones, and running ones so far) and how
many introductions were declined (matcher.plan.from_ledger turns them into a scenario).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from matcher.rounds.db import Tx


@dataclass(frozen=True)
class LedgerFlows:
    today: dt.date
    first_intake: dt.date | None  # when the first client came to wait
    intakes: int  # clients who ever waited (erased ones excluded: they left no row)
    waiting: int
    volunteers: int
    places: int  # capacity over all volunteers
    places_taken: int  # running matches and clients supported outside the ledger
    ended_matches: int
    ended_early: int  # ended with another reason than `completed`
    ended_weeks: float  # the ended matches' lengths, summed
    running_matches: int
    running_weeks: float  # how long the running matches have run so far, summed
    declines: int


def ledger_flows(tx: Tx, today: dt.date) -> LedgerFlows:
    conn = tx.conn
    # A client came to wait when its first match's wait began, or its own wait if never
    # matched (a client's waiting_since starts again when it waits after a match).
    intakes, first, waiting = conn.execute(
        "SELECT count(*), min(came), count(*) FILTER (WHERE state = 'waiting') FROM ("
        " SELECT c.state, coalesce((SELECT min(m.waiting_since) FROM matches m"
        "  WHERE m.client_id = c.client_id), c.waiting_since) AS came FROM clients c)"
    ).fetchone()
    volunteers, places, outside = conn.execute(
        "SELECT count(*), coalesce(sum(json_extract(record, '$.capacity')), 0),"
        " coalesce(sum(json_extract(record, '$.active_clients')), 0) FROM volunteers"
    ).fetchone()
    ended, early, ended_days = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE end_reason != 'completed'),"
        " coalesce(sum(julianday(ended_on) - julianday(started_on)), 0)"
        " FROM matches WHERE ended_on IS NOT NULL"
    ).fetchone()
    running, running_days = conn.execute(
        "SELECT count(*), coalesce(sum(max(julianday(?) - julianday(started_on), 0)), 0)"
        " FROM matches WHERE ended_on IS NULL",
        (today.isoformat(),),
    ).fetchone()
    (declines,) = conn.execute("SELECT count(*) FROM declines").fetchone()
    return LedgerFlows(
        today=today,
        first_intake=dt.date.fromisoformat(first[:10]) if first else None,
        intakes=int(intakes),
        waiting=int(waiting),
        volunteers=int(volunteers),
        places=int(places),
        places_taken=int(running) + int(outside),
        ended_matches=int(ended),
        ended_early=int(early),
        ended_weeks=float(ended_days) / 7,
        running_matches=int(running),
        running_weeks=float(running_days) / 7,
        declines=int(declines),
    )
