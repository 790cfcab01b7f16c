"""The evaluation a funder asks for, counted from the ledger: facts only, no words.

For a period (`start` to `end`, both included) and optionally one programme: the outreach
funnel of the people approached in the period, each counted at the furthest stage they reached
by `end` (so every stage includes the ones after it); waiting times of the matches started in
the period; high-risk clients matched within 4 weeks; matches started, active, ended; the
introductions declined; check-in outcomes; volunteers; and the clients' ages. The renderings
(text, JSON, HTML, workbook) are in matcher.rounds.render_evaluation and matcher.report.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from matcher.config import MatchConfig
from matcher.rounds.db import LedgerError, Tx
from matcher.rounds.evaluate_clients import EvaluatedClient, evaluated_clients, triage_facts
from matcher.triage import risk_tiers
from matcher.vocab import RISK_TIERS, normalise_word

STAGES: Final = ("approached", "reached", "appointment", "intake", "coupled")
HIGH_RISK_WITHIN_DAYS: Final = 28
# Upper bounds (exclusive) of the age bands; the last band is open.
AGE_BANDS: Final = ((50, "<50"), (65, "50-64"), (75, "65-74"), (85, "75-84"), (200, "85+"))
UNKNOWN: Final = "unknown"


@dataclass(frozen=True)
class Funnel:
    approached: int = 0
    reached: int = 0
    appointment: int = 0
    intake: int = 0
    coupled: int = 0

    def counts(self) -> dict[str, int]:
        return {stage: getattr(self, stage) for stage in STAGES}

    def rates(self) -> dict[str, float | None]:
        """Each stage as a share of the stage before it, and coupled of approached."""
        counts = self.counts()
        out = {
            f"{before}_to_{after}": _share(counts[after], counts[before])
            for before, after in itertools.pairwise(STAGES)
        }
        out["approached_to_coupled"] = _share(self.coupled, self.approached)
        return out


@dataclass(frozen=True)
class Waits:
    """Weeks from the start of waiting to the start of the match."""

    n: int
    median_weeks: float | None
    p90_weeks: float | None


@dataclass(frozen=True)
class Evaluation:
    start: dt.date | None
    end: dt.date
    programme: str | None
    funnel: Funnel
    by_channel: dict[str, Funnel]
    by_source: dict[str, Funnel]
    by_programme: dict[str, Funnel]
    outreach_closed: dict[str, int]  # reason -> people whose outreach closed in the period
    waits: Waits
    waits_by_tier: dict[str, Waits]
    waiting_at_end: int
    high_risk_within_4_weeks: int
    high_risk_clients: int  # high-risk clients whose first 4 weeks of waiting lie in the period
    matches_started: int
    matches_active_at_end: int
    matches_ended: dict[str, int]  # end reason -> matches ended in the period
    median_match_weeks: float | None  # of the matches ended in the period
    introduced: int
    confirmed: int
    declined_after_introduction: int  # of the matches started in the period
    checkins: dict[str, int]
    volunteers: int
    volunteers_active: int
    volunteer_mean_load: float | None  # active matches per active volunteer at the end
    volunteers_stopped: int
    ages: dict[str, int]
    erased_clients: int  # forgotten clients: not in any count above
    notes: tuple[str, ...] = field(default=())

    def rates(self) -> dict[str, float | None]:
        return {
            **self.funnel.rates(),
            "high_risk_within_4_weeks": _share(
                self.high_risk_within_4_weeks, self.high_risk_clients
            ),
            "introductions_declined": _share(
                self.declined_after_introduction, self.matches_started
            ),
        }


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _in(day: str | None, start: str, end: str) -> bool:
    return day is not None and start <= day <= end


def evaluate(
    tx: Tx,
    *,
    start: dt.date | None,
    end: dt.date,
    programme: str | None,
    config: MatchConfig,
) -> Evaluation:
    if start is not None and start > end:
        raise LedgerError(f"--from {start}: after --to {end}")
    lo, hi = (start.isoformat() if start else ""), end.isoformat()
    wanted = normalise_word(programme) if programme else None
    clients = evaluated_clients(tx, wanted)
    people, stages = _funnel_people(tx, lo, hi, wanted, clients)
    matches = [m for m in tx.all(_MATCHES) if m["client_id"] in clients]
    started = [m for m in matches if _in(m["started_on"], lo, hi)]
    ended = [m for m in matches if _in(m["ended_on"], lo, hi)]
    # Active at the end, and active at any time in the period.
    active = [m for m in matches if m["started_on"] <= hi and not _ended_by(m, hi)]
    during = [m for m in matches if m["started_on"] <= hi and not _ended_by(m, lo, before=True)]
    tier_of_match = _match_tiers(tx)
    waits: dict[str, list[float]] = defaultdict(list)
    for m in started:
        if m["waiting_since"] is not None:
            weeks = _days(m["waiting_since"], m["started_on"]) / 7
            waits["all"].append(weeks)
            waits[tier_of_match.get(m["match_id"], UNKNOWN)].append(weeks)
    tiers = (*RISK_TIERS, *([UNKNOWN] if waits[UNKNOWN] else []))
    high, high_in_time = _high_risk(tx, config, clients, matches, tier_of_match, lo, hi)
    durations = [m["duration_days"] / 7 for m in ended if m["duration_days"] is not None]
    load = Counter(m["volunteer_id"] for m in active)
    checkins = Counter(
        outcome
        for cid, outcome, day in tx.all("SELECT client_id, outcome, checked_on FROM checkins")
        if cid in clients and _in(day, lo, hi)
    )
    waiting_now = [cid for cid, c in clients.items() if c.waiting and c.since <= hi]
    seen = {m["client_id"] for m in during} | set(waiting_now)
    closed = Counter(p["close_reason"] for p in people.values() if _in(p["closed_on"], lo, hi))
    erased = tx.one("SELECT count FROM erased WHERE kind = 'clients'")
    return Evaluation(
        start=start,
        end=end,
        programme=wanted,
        funnel=_funnel(stages.values()),
        by_channel=_grouped(people, stages, "channel"),
        by_source=_grouped(people, stages, "source"),
        by_programme=_grouped(people, stages, "programme"),
        outreach_closed=dict(sorted(closed.items())),
        waits=_waits(waits["all"]),
        waits_by_tier={tier: _waits(waits[tier]) for tier in tiers},
        waiting_at_end=len(waiting_now),
        high_risk_within_4_weeks=high_in_time,
        high_risk_clients=high,
        matches_started=len(started),
        matches_active_at_end=len(active),
        matches_ended=dict(sorted(Counter(str(m["end_reason"]) for m in ended).items())),
        median_match_weeks=float(np.median(durations)) if durations else None,
        introduced=sum(m["introduced_on"] is not None for m in started),
        confirmed=sum(m["confirmed_on"] is not None for m in started),
        declined_after_introduction=sum(m["end_reason"] == "declined" for m in started),
        checkins=dict(sorted(checkins.items())),
        volunteers=_volunteers(tx, wanted),
        volunteers_active=len({m["volunteer_id"] for m in during}),
        volunteer_mean_load=float(np.mean(list(load.values()))) if load else None,
        volunteers_stopped=len(
            {m["volunteer_id"] for m in ended if m["end_reason"] == "volunteer-stopped"}
        ),
        ages=_ages(clients[cid].age for cid in sorted(seen)),
        erased_clients=int(erased[0]) if erased else 0,
    )


def _days(since: str, until: str) -> int:
    return (dt.date.fromisoformat(until) - dt.date.fromisoformat(since)).days


def _ended_by(match: sqlite3.Row, day: str, *, before: bool = False) -> bool:
    """Whether the match had ended on `day` (or, with `before`, already before it)."""
    ended = match["ended_on"]
    return ended is not None and (ended < day if before else ended <= day)


def _funnel_people(
    tx: Tx, lo: str, hi: str, programme: str | None, clients: Mapping[str, object]
) -> tuple[dict[str, sqlite3.Row], dict[str, int]]:
    """The people approached in the period, and the furthest stage each reached by `hi`."""
    contacts: dict[str, set[str]] = defaultdict(set)
    for cid, outcome in tx.all(
        "SELECT client_id, outcome FROM contact_attempts WHERE contacted_on <= ?", (hi,)
    ):
        contacts[cid].add(outcome)
    coupled = {
        row[0] for row in tx.all("SELECT client_id FROM matches WHERE started_on <= ?", (hi,))
    }
    people, stages = {}, {}
    for row in tx.all(
        "SELECT client_id, programme, channel, source, state, intake_on, closed_on, close_reason"
        " FROM outreach WHERE approached_on >= ? AND approached_on <= ?"
        " AND (?3 IS NULL OR programme = ?3) ORDER BY client_id",
        (lo, hi, programme),
    ):
        cid, outcomes = row["client_id"], contacts[row["client_id"]]
        stage = 0
        if outcomes - {"not-reached"}:
            stage = 1
        if "appointment" in outcomes:
            stage = 2
        # An intake is a client of this ledger (the programme filter applies to it too).
        if row["state"] == "intake" and _in(row["intake_on"], "", hi) and cid in clients:
            stage = 4 if cid in coupled else 3
        people[cid], stages[cid] = row, stage
    return people, stages


def _funnel(stages: Iterable[int]) -> Funnel:
    """Each stage counts everyone who got at least that far."""
    found = Counter(stages)
    return Funnel(*(sum(n for s, n in found.items() if s >= k) for k in range(len(STAGES))))


def _grouped(
    people: Mapping[str, sqlite3.Row], stages: Mapping[str, int], key: str
) -> dict[str, Funnel]:
    groups: dict[str, list[int]] = defaultdict(list)
    for cid, person in people.items():
        groups[str(person[key]) or UNKNOWN].append(stages[cid])
    return {name: _funnel(groups[name]) for name in sorted(groups)}


_MATCHES: Final = (
    "SELECT match_id, client_id, volunteer_id, round_id, started_on, ended_on, end_reason,"
    " duration_days, waiting_since, introduced_on, confirmed_on FROM matches ORDER BY match_id"
)


def _match_tiers(tx: Tx) -> dict[int, str]:
    """Each match's risk tier as its round saw it (stored with the proposal)."""
    return tx.mapping(
        "SELECT m.match_id, p.risk_tier FROM matches m JOIN proposals p"
        " ON p.round_id = m.round_id AND p.client_id = m.client_id"
    )


def _high_risk(
    tx: Tx,
    config: MatchConfig,
    clients: Mapping[str, EvaluatedClient],
    matches: list[sqlite3.Row],
    tier_of_match: Mapping[int, str],
    lo: str,
    hi: str,
) -> tuple[int, int]:
    """(high-risk clients, of them matched within 4 weeks) among those who started waiting in
    the period: matched by its end, or still waiting with their 4 weeks over by then."""
    total = in_time = 0
    for m in matches:
        since = m["waiting_since"]
        if since is None or not _in(since, lo, hi) or m["started_on"] > hi:
            continue
        if tier_of_match.get(m["match_id"]) != "high":
            continue
        total += 1
        in_time += _days(since, m["started_on"]) <= HIGH_RISK_WITHIN_DAYS
    waiting = triage_facts(
        tx,
        (
            (cid, c)
            for cid, c in clients.items()
            if c.waiting and _in(c.since, lo, hi) and _days(c.since, hi) > HIGH_RISK_WITHIN_DAYS
        ),
    )
    if waiting:
        tiers = risk_tiers(waiting, config.triage).tolist()
        total += sum(RISK_TIERS[t] == "high" for t in tiers)
    return total, in_time


# A record whose programmes are a JSON list is searched by SQLite; any other as before.
_LISTED: Final = (
    "typeof(record) = 'text' AND json_valid(record) AND json_type(record, '$.programmes') = 'array'"
)


def _volunteers(tx: Tx, programme: str | None) -> int:
    """The volunteers in the ledger (offering the programme)."""
    if programme is None:
        return int(tx.all("SELECT count(*) FROM volunteers")[0][0])
    listed = tx.all(
        f"SELECT count(*) FROM volunteers WHERE {_LISTED} AND EXISTS (SELECT 1 FROM"
        " json_each(record, '$.programmes') WHERE type = 'text' AND value = ?)",
        (programme,),
    )[0][0]
    others = 0
    for (record,) in tx.all(f"SELECT record FROM volunteers WHERE NOT coalesce({_LISTED}, 0)"):
        try:
            programmes = json.loads(record).get("programmes", [])
        except (ValueError, AttributeError):
            programmes = []
        others += programme in programmes
    return int(listed) + others


def _waits(weeks: list[float]) -> Waits:
    if not weeks:
        return Waits(0, None, None)
    values = np.asarray(weeks)
    return Waits(len(weeks), float(np.median(values)), float(np.percentile(values, 90)))


def _ages(ages: Iterable[object]) -> dict[str, int]:
    counts = dict.fromkeys([name for _, name in AGE_BANDS] + [UNKNOWN], 0)
    for age, n in Counter(ages).items():  # a few dozen distinct ages
        if not isinstance(age, int | float):
            counts[UNKNOWN] += n
            continue
        counts[next(name for bound, name in AGE_BANDS if age < bound)] += n
    return counts
