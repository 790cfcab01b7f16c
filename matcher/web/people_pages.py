"""Cliënt / vrijwilliger: the record, its history, and what a coordinator does with one person."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from matcher.errors import InputError, Problem
from matcher.rounds import END_REASONS
from matcher.rounds.aftercare import CHECKIN_OUTCOMES
from matcher.rounds.lookup import client_record, volunteer_record
from matcher.web.render import page
from matcher.web.routing import ledger_for, make_router, settings_of

router = make_router(include_in_schema=False)


def _back(to: str) -> Response:
    return RedirectResponse(to, status_code=303)


def _fields(record: object) -> list[tuple[str, str]]:
    """The record's fields as text, in the model's order; empty ones left out."""
    dumped = record.model_dump(mode="json")  # type: ignore[attr-defined]
    shown = []
    for name, value in dumped.items():
        if value in (None, "", [], ()):
            continue
        text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        shown.append((name, text))
    return shown


@router.get("/clients/{client_id}")
def client_page(request: Request, client_id: str) -> Response:
    with ledger_for(request) as ledger:
        found = client_record(ledger, client_id)
        events = ledger.history(client_id=client_id)
        status = ledger.status(config=settings_of(request).config, limit=0)
        course = ledger.match_course(client_id)
    active = next((a for a in status.active if a.client_id == client_id), None)
    # What `matcher status` says is due for this client this week (introduction, check-in, end).
    due = [
        (group, item)
        for group, items in vars(status.due).items()
        for item in items
        if item.client_id == client_id
    ]
    return page(request, "client.html.j2", record=found, fields=_fields(found.client),
                events=events, active=active, end_reasons=END_REASONS, course=course,
                checkin_outcomes=CHECKIN_OUTCOMES, due=due)  # fmt: skip


@router.post("/clients/{client_id}/end")
def end_match(
    request: Request,
    client_id: str,
    reason: Annotated[str, Form()],
    rematch: Annotated[str | None, Form()] = None,
) -> Response:
    if reason not in END_REASONS:
        raise InputError([Problem("form", None, "reason", "not a reason to end", reason)])
    with ledger_for(request) as ledger:
        ledger.end_match(client_id, reason=reason, rematch=True if rematch else None)
    return _back(f"/clients/{client_id}")


@router.post("/clients/{client_id}/forget")
def forget(request: Request, client_id: str, confirm: Annotated[str, Form()]) -> Response:
    if confirm.strip() != client_id:
        message = "type the client's id exactly to erase it"
        raise InputError([Problem("form", None, "confirm", message)])
    with ledger_for(request) as ledger:
        ledger.forget(client_id)
    return _back("/")


@router.get("/volunteers/{volunteer_id}")
def volunteer_page(request: Request, volunteer_id: str) -> Response:
    with ledger_for(request) as ledger:
        found = volunteer_record(ledger, volunteer_id)
        events = ledger.history(volunteer_id=volunteer_id)
        status = ledger.status(config=settings_of(request).config, limit=0)
    load = next((v for v in status.volunteers if v.volunteer_id == volunteer_id), None)
    active = [a for a in status.active if a.volunteer_id == volunteer_id]
    return page(request, "volunteer.html.j2", record=found, fields=_fields(found.volunteer),
                events=events, load=load, active=active)  # fmt: skip


@router.post("/volunteers/{volunteer_id}/pause")
def pause(request: Request, volunteer_id: str, until: Annotated[str, Form()]) -> Response:
    try:
        back_on = dt.date.fromisoformat(until)
    except ValueError:
        raise InputError([Problem("form", None, "until", "must be a date", until)]) from None
    with ledger_for(request) as ledger:
        ledger.pause(volunteer_id, until=back_on)
    return _back(f"/volunteers/{volunteer_id}")


@router.post("/volunteers/{volunteer_id}/resume")
def resume(request: Request, volunteer_id: str) -> Response:
    with ledger_for(request) as ledger:
        ledger.resume(volunteer_id)
    return _back(f"/volunteers/{volunteer_id}")


@router.get("/history")
def history_page(request: Request) -> Response:
    with ledger_for(request) as ledger:
        events = ledger.history()
    return page(request, "history.html.j2", events=events[-500:][::-1])
