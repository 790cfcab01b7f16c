"""The JSON bodies of /api/v1 for the programme around a match: outreach, introduction,
check-ins, the end at the cap, what is due this week, and the evaluation.

Filled from the library's own result objects field for field, and derived from their
dataclasses where the API shows them as they are, as in api_models.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Self

from pydantic import Field

from matcher.report.evaluation_text import evaluation_json
from matcher.rounds.aftercare import MAX_NOTE_CHARS, CheckIn, HeldCheckIn, MatchCourse
from matcher.rounds.evaluate import Evaluation
from matcher.rounds.outreach import MAX_SOURCE_CHARS, Contact, Person
from matcher.web.api_models import EndOut, EndReason
from matcher.web.model_base import _Model, derived_from

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


@derived_from(Person)
class PersonOut(_Model):
    """Someone in outreach (matcher.rounds.outreach.Person)."""


@derived_from(Contact)
class ContactOut(_Model):
    """A call recorded (matcher.rounds.outreach.Contact)."""


class OutreachCloseOut(_Model):
    client_id: str
    closed_from: str  # the state outreach was in
    reason: str


class StepOut(_Model):
    client_id: str
    volunteer_id: str
    step: Literal["introduced", "confirmed"]
    on: dt.date


@derived_from(CheckIn, retyped={"ended": EndOut | None})
class CheckInOut(_Model):
    """A check-in recorded (matcher.rounds.aftercare.CheckIn), and the match it ended."""

    @classmethod
    def of(cls, found: CheckIn) -> Self:
        ended = None if found.ended is None else EndOut.of_fields(found.ended)
        return cls.of_fields(found, ended=ended)


class CompleteOut(_Model):
    ended: list[EndOut]


@derived_from(HeldCheckIn)
class HeldCheckInOut(_Model):
    """A check-in held (matcher.rounds.aftercare.HeldCheckIn)."""


@derived_from(MatchCourse, retyped={"checkins": list[HeldCheckInOut]})
class CourseOut(_Model):
    """A client's active match after acceptance (matcher.rounds.aftercare.MatchCourse)."""

    @classmethod
    def of(cls, course: MatchCourse) -> Self:
        held = [HeldCheckInOut.of_fields(c) for c in course.checkins]
        return cls.of_fields(course, checkins=held)


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
