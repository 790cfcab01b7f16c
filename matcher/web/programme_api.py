"""/api/v1 for the programme around a match: outreach, introduction, check-ins, the end at the
cap, and the evaluation. Each route is one Ledger call, as `matcher outreach`, `introduce`,
`confirm`, `checkin`, `complete` and `evaluate` make it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query, Request

from matcher.rounds import LedgerNotFoundError
from matcher.web import programme_models as m
from matcher.web.api_models import EndOut
from matcher.web.errors import ERROR_RESPONSES
from matcher.web.routing import API_PREFIX, ledger_for, make_router, settings_of

router = make_router(prefix=API_PREFIX, responses=ERROR_RESPONSES, tags=["programme"])


@router.get("/outreach")
def outreach_list(
    request: Request,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[m.PersonOut]:
    """Everyone approached or referred, by id (one page: `offset`, `limit`), with the day
    their next call is due."""
    with ledger_for(request) as ledger:
        people = ledger.outreach_people(config=settings_of(request).config)
    return [m.PersonOut.of_fields(person) for person in people[offset : offset + limit]]


@router.post("/outreach")
def outreach_add(request: Request, body: m.OutreachAddRequest) -> m.PersonOut:
    """Someone approached by letter or referred; nobody waits yet (an id and dates only)."""
    config = settings_of(request).config
    with ledger_for(request) as ledger:
        ledger.outreach_add(body.client_id, programme=body.programme, by=body.by,
                            source=body.source, on=body.date)  # fmt: skip
        people = ledger.outreach_people(config=config)
    return m.PersonOut.of_fields(next(p for p in people if p.client_id == body.client_id.strip()))


@router.post("/outreach/{client_id}/contact")
def outreach_contact(request: Request, client_id: str, body: m.ContactRequest) -> m.ContactOut:
    """A call and its outcome; `declined` closes outreach, `appointment` plans the intake."""
    with ledger_for(request) as ledger:
        found = ledger.outreach_contact(
            client_id, outcome=body.outcome, on=body.date, config=settings_of(request).config
        )
    return m.ContactOut.of_fields(found)


@router.post("/outreach/{client_id}/close")
def outreach_close(
    request: Request, client_id: str, body: m.OutreachCloseRequest
) -> m.OutreachCloseOut:
    """Outreach ends without a client (no need, referred elsewhere, not reached …)."""
    with ledger_for(request) as ledger:
        was = ledger.outreach_close(client_id, reason=body.reason, on=body.date)
    return m.OutreachCloseOut(client_id=client_id, closed_from=was, reason=body.reason.strip())


@router.get("/matches/{client_id}")
def match_course(request: Request, client_id: str) -> m.CourseOut:
    """The client's active match: its introduction, "klik" and check-ins so far."""
    with ledger_for(request) as ledger:
        found = ledger.match_course(client_id)
    if found is None:
        raise LedgerNotFoundError(f"client {client_id}: no active match")
    return m.CourseOut.of(found)


@router.post("/matches/{client_id}/introduce")
def introduce(request: Request, client_id: str, body: m.DayRequest | None = None) -> m.StepOut:
    """The introductory meeting took place; either side may still decline for a while."""
    on = (body or m.DayRequest()).date or dt.date.today()
    with ledger_for(request) as ledger:
        volunteer_id = ledger.introduce(client_id, on=on)
    return m.StepOut(client_id=client_id, volunteer_id=volunteer_id, step="introduced", on=on)


@router.post("/matches/{client_id}/confirm")
def confirm(request: Request, client_id: str, body: m.DayRequest | None = None) -> m.StepOut:
    """Both sides go on after the introduction ("klik")."""
    on = (body or m.DayRequest()).date or dt.date.today()
    with ledger_for(request) as ledger:
        volunteer_id = ledger.confirm(client_id, on=on)
    return m.StepOut(client_id=client_id, volunteer_id=volunteer_id, step="confirmed", on=on)


@router.post("/matches/{client_id}/checkin")
def checkin(request: Request, client_id: str, body: m.CheckInRequest) -> m.CheckInOut:
    """A check-in with its outcome and note; outcome `end` ends the match (`end_reason`)."""
    with ledger_for(request) as ledger:
        found = ledger.checkin(client_id, outcome=body.outcome, note=body.note, on=body.date,
                               end_reason=body.end_reason)  # fmt: skip
    return m.CheckInOut.of(found)


@router.post("/matches/complete")
def complete(request: Request, body: m.DayRequest | None = None) -> m.CompleteOut:
    """End every match past its programme's max_match_weeks as completed (one transaction)."""
    on = (body or m.DayRequest()).date
    with ledger_for(request) as ledger:
        ended = ledger.complete_at_cap(on=on, config=settings_of(request).config)
    return m.CompleteOut(ended=[EndOut.of_fields(match) for match in ended])


@router.get("/evaluation")
def evaluation(
    request: Request,
    start: Annotated[dt.date | None, Query(alias="from")] = None,
    end: Annotated[dt.date | None, Query(alias="to")] = None,
    programme: str | None = None,
) -> m.EvaluationOut:
    """The funder's figures for a period, as `matcher evaluate --format json` gives them."""
    config = settings_of(request).config
    with ledger_for(request) as ledger:
        found = ledger.evaluate(start=start, end=end, programme=programme, config=config)
    return m.EvaluationOut.of(found)
