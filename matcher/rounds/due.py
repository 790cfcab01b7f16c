"""What is due this week: calls to make, intakes to plan, introductions to follow up,
check-ins to hold, matches reaching their end date. Read by `matcher status`.

"This week" is the status day and the six days after it; anything overdue is due too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from matcher.lifecycle import Lifecycle
from matcher.rounds import outreach, stored
from matcher.rounds.db import Tx

WEEK_DAYS = 7


@dataclass(frozen=True)
class DueItem:
    client_id: str
    due_on: dt.date
    what: str  # a plain fact: "call 2", "check-in after 6 weeks", "ends after 52 weeks"
    volunteer_id: str | None = None
    # The fact in `what` itself, for another language: the call's number, the calls that did
    # not reach, the check-in's or the maximum's weeks; an introduction's day.
    number: int | None = None
    since: dt.date | None = None


@dataclass(frozen=True)
class Due:
    calls: tuple[DueItem, ...] = ()
    to_close: tuple[DueItem, ...] = ()  # called max_attempts times without reaching them
    intakes: tuple[DueItem, ...] = ()
    introductions: tuple[DueItem, ...] = ()
    checkins: tuple[DueItem, ...] = ()
    ending: tuple[DueItem, ...] = ()  # reaching max_match_weeks within end_reminder_weeks
    past_end: tuple[DueItem, ...] = ()  # past max_match_weeks

    def __bool__(self) -> bool:
        return any(
            (self.calls, self.to_close, self.intakes, self.introductions, self.checkins,
             self.ending, self.past_end)
        )  # fmt: skip


def _day(tx: Tx, table: str, key: object, column: str, text: object) -> dt.date:
    return stored.date(tx, table, stored.show_key(("id", key)), column, text)


def due(tx: Tx, on: dt.date, lifecycle: Lifecycle) -> Due:
    week_end = on + dt.timedelta(days=WEEK_DAYS - 1)
    calls, to_close, intakes = _outreach_due(tx, week_end, lifecycle)
    introductions, checkins, ending, past_end = _matches_due(tx, on, week_end, lifecycle)
    return Due(calls, to_close, intakes, introductions, checkins, ending, past_end)


def _outreach_due(
    tx: Tx, week_end: dt.date, lifecycle: Lifecycle
) -> tuple[tuple[DueItem, ...], tuple[DueItem, ...], tuple[DueItem, ...]]:
    calls, to_close, intakes = [], [], []
    for person in outreach.people(tx, lifecycle, still_open=True):
        cid = person.client_id
        if person.state == "appointment":
            day = person.appointment_on or person.approached_on
            intakes.append(DueItem(cid, day, "intake to record (appointment made)"))
        elif person.state not in outreach.CALLING:
            continue
        elif person.next_call_on is None:  # called max_attempts times without reaching them
            day = person.last_call_on or person.approached_on
            what = f"not reached in {person.unreached} calls"
            to_close.append(DueItem(cid, day, what, number=person.unreached))
        elif person.next_call_on <= week_end:
            n = person.calls + 1
            calls.append(DueItem(cid, person.next_call_on, f"call {n}", number=n))
    return tuple(calls), tuple(to_close), tuple(intakes)


def _matches_due(
    tx: Tx, on: dt.date, week_end: dt.date, lifecycle: Lifecycle
) -> tuple[tuple[DueItem, ...], ...]:
    introductions, checkins, ending, past_end = [], [], [], []
    rows = tx.all(
        "SELECT m.match_id, m.client_id, m.volunteer_id, m.started_on, m.introduced_on,"
        " m.confirmed_on, CASE WHEN json_valid(c.record)"
        "  THEN json_extract(c.record, '$.programme') END AS programme,"
        " (SELECT count(*) FROM checkins k WHERE k.match_id = m.match_id) AS held"
        " FROM matches m JOIN clients c ON c.client_id = m.client_id"
        " WHERE m.ended_on IS NULL ORDER BY m.client_id"
    )
    for row in rows:
        cid, vid, key = row["client_id"], row["volunteer_id"], row["match_id"]
        course = lifecycle.course(str(row["programme"] or ""))
        started = _day(tx, "matches", key, "started_on", row["started_on"])
        if row["introduced_on"] is not None and row["confirmed_on"] is None:
            met = _day(tx, "matches", key, "introduced_on", row["introduced_on"])
            decide_by = met + dt.timedelta(days=course.introduction_days)
            if decide_by <= week_end:
                introductions.append(DueItem(cid, decide_by, f"introduced {met}", vid, since=met))
        upcoming = course.checkin_weeks[row["held"] :]
        if upcoming:
            due_on = started + dt.timedelta(weeks=upcoming[0])
            if due_on <= week_end:
                what = f"check-in after {upcoming[0]} weeks"
                checkins.append(DueItem(cid, due_on, what, vid, number=upcoming[0]))
        if course.max_match_weeks is not None:
            end_on = started + dt.timedelta(weeks=course.max_match_weeks)
            weeks = course.max_match_weeks
            what = f"ends after {weeks} weeks"
            if end_on <= on:
                past_end.append(DueItem(cid, end_on, what, vid, number=weeks))
            elif end_on - dt.timedelta(weeks=course.end_reminder_weeks) <= week_end:
                ending.append(DueItem(cid, end_on, what, vid, number=weeks))
    return tuple(introductions), tuple(checkins), tuple(ending), tuple(past_end)
