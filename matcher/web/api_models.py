"""The JSON bodies of /api/v1: what the ledger returns, as pydantic models (so OpenAPI has them).

Each response model is filled from the library's own result object, field for field, and
adds no computation. Where the API shows a library dataclass as it is, the model takes its
fields from it (`derived_from`), so a field is declared once, in the library; a field the
library gains then shows in the API too, and tests/golden/api/ (every route's answer, byte for
byte) says so in the test run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Literal, Self

from pydantic import ConfigDict, Field

from matcher.errors import Problem
from matcher.rounds import (
    ActiveMatch,
    Decline,
    EndedMatch,
    Event,
    ImportSummary,
    Status,
    WaitingClient,
)
from matcher.rounds.due import Due, DueItem
from matcher.rounds.state import Load
from matcher.web.model_base import _Model, derived_from
from matcher.web.round_models import BottleneckOut, PairOut, RoundOut, UnmatchedOut

__all__ = ["BottleneckOut", "PairOut", "RoundOut", "UnmatchedOut", "_Model"]

Language = Literal["nl", "en"]
DeclinedBy = Literal["client", "volunteer", "coordinator"]
EndReason = Literal[
    "completed", "client-stopped", "volunteer-stopped", "moved", "referred", "deceased", "other"
]


# ------------------------------------------------------------------------------------ errors


@derived_from(Problem, added={"text": str})
class ProblemOut(_Model):
    """One problem, as the CLI prints it (`text`) and in its parts."""

    @classmethod
    def of(cls, problem: Problem) -> Self:
        return cls.of_fields(problem, text=str(problem))


class ErrorOut(_Model):
    status: int
    code: str  # bad-input, unauthorised, forbidden, not-found, busy, conflict, invalid-request
    message: str
    problems: list[ProblemOut] = Field(default_factory=list)


class ErrorResponse(_Model):
    error: ErrorOut


# ---------------------------------------------------------------------------------- requests


class ProposeRequest(_Model):
    policy: str | None = None
    date: dt.date | None = None


class AcceptRequest(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    only: list[str] = Field(default_factory=list)
    except_: list[str] = Field(default=[], alias="except")
    date: dt.date | None = None


class DeclineRequest(_Model):
    client_id: str = Field(min_length=1)
    by: DeclinedBy
    reason: str = Field(min_length=1, max_length=500)
    date: dt.date | None = None


class EndRequest(_Model):
    reason: EndReason
    rematch: bool | None = None
    date: dt.date | None = None


class PinRequest(_Model):
    client_id: str = Field(min_length=1)
    volunteer_id: str = Field(min_length=1)
    date: dt.date | None = None


class PauseRequest(_Model):
    until: dt.date
    date: dt.date | None = None


# --------------------------------------------------------------------------------- responses


# refused (only_valid): the rows left out, with their problems
@derived_from(ImportSummary, added={"refused": (list[ProblemOut], [])})
class ImportOut(_Model):
    """An import (matcher.rounds.ImportSummary): new, updated and unchanged records."""

    @classmethod
    def of(cls, summary: ImportSummary, refused: list[Problem] | None = None) -> Self:
        return cls.of_fields(summary, refused=[ProblemOut.of(p) for p in refused or []])


@derived_from(WaitingClient)
class WaitingOut(_Model):
    """A waiting client (matcher.rounds.WaitingClient)."""


@derived_from(ActiveMatch)
class ActiveOut(_Model):
    """An active match (matcher.rounds.ActiveMatch)."""


class LoadOut(_Model):
    volunteer_id: str
    capacity: int
    outside: int
    active: int
    pinned: int
    free: int
    paused_until: dt.date | None
    # Capacity in hours (README "Capacity in hours"): the week's hours (capacity, an hour per
    # place, when not given) and how many of them active and pinned clients take.
    hours_per_week: float
    hours_taken: float

    @classmethod
    def of(cls, load: Load) -> LoadOut:
        return cls.of_fields(load, hours_per_week=load.hours_given)


@derived_from(DueItem)
class DueItemOut(_Model):
    """Something due (matcher.rounds.due.DueItem): `number` is the fact in `what` (call number,
    calls unanswered, weeks), `since` an introduction's day."""


@derived_from(Due, retyped={field.name: list[DueItemOut] for field in dataclasses.fields(Due)})
class DueOut(_Model):
    """What `matcher status` says is due this week (the status day and the six after)."""

    @classmethod
    def of(cls, due: Due) -> Self:
        lists = {
            name: [DueItemOut.of_fields(i) for i in items] for name, items in vars(due).items()
        }
        return cls.of_fields(due, **lists)


class StatusOut(_Model):
    on: dt.date
    n_waiting: int
    offset: int
    waiting: list[WaitingOut]  # one page of the waiting list (offset, limit)
    active: list[ActiveOut]
    volunteers: list[LoadOut]
    flags: list[str]
    undecided: dict[str, int]  # round id -> proposals not yet decided
    closed_clients: int
    due: DueOut  # what is due this week, as `matcher status` says

    @classmethod
    def of(cls, status: Status) -> StatusOut:
        return cls.of_fields(
            status,
            offset=status.waiting_offset,
            waiting=[WaitingOut.of_fields(w) for w in status.waiting],
            active=[ActiveOut.of_fields(a) for a in status.active],
            volunteers=[LoadOut.of(v) for v in status.volunteers],
            undecided={str(k): v for k, v in status.undecided.items()},
            due=DueOut.of(status.due),
        )


class PairRef(_Model):
    client_id: str
    volunteer_id: str


class AcceptOut(_Model):
    round_id: int
    accepted: list[PairRef]


@derived_from(Decline, added={"flagged": bool})
class DeclineOut(_Model):
    """A recorded decline (matcher.rounds.Decline); `flagged`: declined often enough to flag."""


@derived_from(EndedMatch)
class EndOut(_Model):
    """An ended match (matcher.rounds.EndedMatch)."""


class PinOut(_Model):
    client_id: str
    volunteer_id: str
    replaced: str | None


class PauseOut(_Model):
    volunteer_id: str
    paused_until: dt.date | None


class ForgetOut(_Model):
    client_id: str
    rows_erased: dict[str, int]


class EventOut(_Model):
    event_id: int
    at: str
    user: str
    kind: str
    round_id: int | None
    client_id: str | None
    volunteer_id: str | None
    detail: str

    @classmethod
    def of(cls, event: Event) -> EventOut:
        return cls.of_fields(event, user=event.os_user)
