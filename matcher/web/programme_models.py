"""The JSON bodies of /api/v1 for the programme around a match: outreach, introduction,
check-ins, the end at the cap, what is due this week, and the evaluation.

Built from the library's own result objects field for field, as in api_models.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from matcher.report.evaluation_text import evaluation_json
from matcher.rounds.aftercare import MAX_NOTE_CHARS, CheckIn, MatchCourse
from matcher.rounds.evaluate import Evaluation
from matcher.rounds.outreach import MAX_SOURCE_CHARS, Contact, Person
from matcher.web.api_models import EndOut, EndReason
from matcher.web.model_base import _Model

# The library's vocabularies (outreach.CHANNELS, OUTCOMES, aftercare.CHECKIN_OUTCOMES), spelled
# out for OpenAPI; a test checks they agree.
Channel = Literal["letter", "referral"]
ContactOutcome = Literal["not-reached", "reached", "declined", "appointment"]
CheckInOutcome = Literal["going-well", "concerns", "end"]

# ---------------------------------------------------------------------------------- requests


class OutreachAddRequest(_Model):
    client_id: str = Field(min_length=1, max_length=200)
    programme: str = Field(min_length=1)
    by: Channel
    source: str = Field("", max_length=MAX_SOURCE_CHARS)  # e.g. the register, a GP practice
    date: dt.date | None = None


class ContactRequest(_Model):
    outcome: ContactOutcome
    date: dt.date | None = None


class OutreachCloseRequest(_Model):
    reason: str = Field(min_length=1, max_length=MAX_SOURCE_CHARS)
    date: dt.date | None = None


class DayRequest(_Model):
    date: dt.date | None = None


class CheckInRequest(_Model):
    outcome: CheckInOutcome
    note: str = Field("", max_length=MAX_NOTE_CHARS)  # personal text: `forget` erases it
    end_reason: EndReason = "completed"  # with outcome `end`: how the match ends
    date: dt.date | None = None


# --------------------------------------------------------------------------------- responses


class PersonOut(_Model):
    client_id: str
    programme: str
    channel: str
    source: str
    approached_on: dt.date
    state: str  # approached, reached, appointment, intake, closed
    calls: int
    unreached: int
    last_call_on: dt.date | None
    next_call_on: dt.date | None
    appointment_on: dt.date | None
    intake_on: dt.date | None
    closed_on: dt.date | None
    close_reason: str | None

    @classmethod
    def of(cls, person: Person) -> PersonOut:
        return cls(**vars(person))


class ContactOut(_Model):
    client_id: str
    attempt: int
    outcome: str
    state: str
    unreached: int
    max_attempts: int

    @classmethod
    def of(cls, contact: Contact) -> ContactOut:
        return cls(**vars(contact))


class OutreachCloseOut(_Model):
    client_id: str
    closed_from: str  # the state outreach was in
    reason: str


class StepOut(_Model):
    client_id: str
    volunteer_id: str
    step: Literal["introduced", "confirmed"]
    on: dt.date


class CheckInOut(_Model):
    client_id: str
    volunteer_id: str
    number: int
    outcome: str
    ended: EndOut | None

    @classmethod
    def of(cls, found: CheckIn) -> CheckInOut:
        ended = None if found.ended is None else EndOut.of(found.ended)
        return cls(client_id=found.client_id, volunteer_id=found.volunteer_id,
                   number=found.number, outcome=found.outcome, ended=ended)  # fmt: skip


class CompleteOut(_Model):
    ended: list[EndOut]


class HeldCheckInOut(_Model):
    number: int
    checked_on: dt.date
    outcome: str
    note: str


class CourseOut(_Model):
    client_id: str
    volunteer_id: str
    started_on: dt.date
    introduced_on: dt.date | None
    confirmed_on: dt.date | None
    checkins: list[HeldCheckInOut]

    @classmethod
    def of(cls, course: MatchCourse) -> CourseOut:
        held = [HeldCheckInOut(**vars(c)) for c in course.checkins]
        return cls(**{**vars(course), "checkins": held})


class FunnelOut(_Model):
    approached: int
    reached: int
    appointment: int
    intake: int
    coupled: int


class FunnelGroupOut(_Model):
    funnel: FunnelOut
    rates: dict[str, float | None]


class EvaluationOut(_Model):
    """`matcher evaluate --format json`, field for field."""

    period: dict[str, str | None]  # from, to
    programme: str | None
    funnel: FunnelOut
    rates: dict[str, float | None]
    by_channel: dict[str, FunnelGroupOut]
    by_source: dict[str, FunnelGroupOut]
    by_programme: dict[str, FunnelGroupOut]
    outreach_closed: dict[str, int]
    waiting: dict[str, Any]
    high_risk: dict[str, Any]
    matches: dict[str, Any]
    introductions: dict[str, Any]
    checkins: dict[str, int]
    volunteers: dict[str, Any]
    ages: dict[str, int]
    erased_clients: int

    @classmethod
    def of(cls, evaluation: Evaluation) -> EvaluationOut:
        return cls.model_validate(evaluation_json(evaluation))
