"""/api/v1: what the pages do, as JSON, for case-management systems (see api_models.py).

Each route is one Ledger call; its errors become the one error shape (errors.py).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from matcher.errors import InputError, Problem
from matcher.web import api_models as m
from matcher.web.errors import ERROR_RESPONSES
from matcher.web.imports import import_file, json_rows_file
from matcher.web.routing import API_PREFIX, ledger_for, make_router, settings_of, who
from matcher.web.uploads import check_zip, safe_name

router = make_router(prefix=API_PREFIX, responses=ERROR_RESPONSES, tags=["ledger"])

_IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A JSON list of rows in the input format (as a clients.json or"
        " volunteers.json file holds), or a file upload (CSV, JSON or workbook) in `file`.",
        "content": {
            "application/json": {
                "schema": {"type": "array", "items": {"type": "object"}},
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


async def _import(request: Request, kind: str, only_valid: bool, on: dt.date | None) -> m.ImportOut:
    settings = settings_of(request)
    with tempfile.TemporaryDirectory(prefix="matcher-api-") as folder:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            async with request.form() as form:  # closes the parser's spooled file
                upload = form.get("file")
                if not isinstance(upload, UploadFile):
                    problem = Problem("request", None, "file", "give the file to import")
                    raise InputError([problem])
                name = safe_name(upload.filename or kind, kind)
                path = Path(folder) / name
                with path.open("wb") as out:
                    while chunk := await upload.read(1024 * 1024):
                        out.write(chunk)
            await run_in_threadpool(check_zip, path, name, settings.max_unzipped_bytes)
        else:
            try:
                rows = json.loads(await request.body())
            except (ValueError, UnicodeDecodeError):
                raise InputError([Problem("request", None, None, "the body is not JSON")]) from None
            if not isinstance(rows, list):
                message = "must be a JSON list of rows in the input format"
                raise InputError([Problem("request", None, None, message)])
            path, name = json_rows_file(rows, Path(folder), kind)

        def work() -> m.ImportOut:
            with ledger_for(request) as ledger:
                summary, refused = import_file(
                    ledger, kind, path, name, settings.config, only_valid=only_valid, on=on
                )
            return m.ImportOut.of(summary, refused)

        return await run_in_threadpool(work)


@router.post("/clients", openapi_extra=_IMPORT_BODY)
async def import_clients(
    request: Request, only_valid: bool = False, date: dt.date | None = None
) -> m.ImportOut:
    """Add or update clients by id: every problem or nothing imported (unless only_valid)."""
    return await _import(request, "clients", only_valid, date)


@router.post("/volunteers", openapi_extra=_IMPORT_BODY)
async def import_volunteers(
    request: Request, only_valid: bool = False, date: dt.date | None = None
) -> m.ImportOut:
    """Add or update volunteers by id: every problem or nothing imported (unless only_valid)."""
    return await _import(request, "volunteers", only_valid, date)


@router.get("/status")
def status(
    request: Request,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    date: dt.date | None = None,
) -> m.StatusOut:
    """Waiting clients (one page), active matches, volunteer loads, flags, undecided rounds."""
    settings = settings_of(request)
    with ledger_for(request) as ledger:
        found = ledger.status(on=date, config=settings.config, offset=offset, limit=limit)
    return m.StatusOut.of(found)


@router.post("/rounds")
def propose(
    request: Request, body: m.ProposeRequest | None = None, lang: m.Language = "en"
) -> m.RoundOut:
    """Propose a round for waiting clients and free places; stored, with its facts (the words
    in `lang`)."""
    body = body or m.ProposeRequest()
    with ledger_for(request) as ledger:
        proposal = ledger.propose(
            settings_of(request).config, policy=body.policy, round_date=body.date
        )
    if proposal.bottlenecks is not None:  # for the Koppelronde page
        request.app.state.round_groups.put(proposal.round_id, proposal.bottlenecks)
    return m.RoundOut.of(proposal, lang)


@router.get("/rounds/{round_id}")
def get_round(request: Request, round_id: int, lang: m.Language = "en") -> m.RoundOut:
    """A stored round with each pair's decision so far (the words in `lang`)."""
    with ledger_for(request) as ledger:
        return m.RoundOut.of(ledger.round(round_id), lang)


@router.post("/rounds/{round_id}/accept")
def accept(request: Request, round_id: int, body: m.AcceptRequest | None = None) -> m.AcceptOut:
    """Accept undecided proposals: all, `only` these clients, or all `except` these."""
    body = body or m.AcceptRequest()
    if body.only and body.except_:
        raise InputError([Problem("request", None, "only", "give only or except, not both")])
    with ledger_for(request) as ledger:
        pairs = ledger.accept(round_id, only=body.only, but=body.except_, on=body.date)
    return m.AcceptOut(round_id=round_id, accepted=[m.PairRef(client_id=c, volunteer_id=v)
                                                    for c, v in pairs])  # fmt: skip


@router.post("/rounds/{round_id}/decline")
def decline(request: Request, round_id: int, body: m.DeclineRequest) -> m.DeclineOut:
    """Record that a pair was declined, by whom and why; it is never proposed again."""
    with ledger_for(request) as ledger:
        outcome = ledger.decline(
            round_id, body.client_id, by=body.by, reason=body.reason, on=body.date
        )
    return m.DeclineOut.of_fields(outcome)


@router.post("/pins")
def pin(request: Request, body: m.PinRequest) -> m.PinOut:
    """Keep a decided pair: the next round proposes it."""
    with ledger_for(request) as ledger:
        replaced = ledger.pin(body.client_id, body.volunteer_id, on=body.date)
    return m.PinOut(client_id=body.client_id, volunteer_id=body.volunteer_id, replaced=replaced)


@router.post("/matches/{client_id}/end")
def end_match(request: Request, client_id: str, body: m.EndRequest) -> m.EndOut:
    """End the client's active match; the place is free again."""
    with ledger_for(request) as ledger:
        ended = ledger.end_match(client_id, reason=body.reason, on=body.date,
                                 rematch=body.rematch)  # fmt: skip
    return m.EndOut.of_fields(ended)


@router.post("/volunteers/{volunteer_id}/pause")
def pause(request: Request, volunteer_id: str, body: m.PauseRequest) -> m.PauseOut:
    """No new clients for the volunteer before `until`; active matches go on."""
    with ledger_for(request) as ledger:
        ledger.pause(volunteer_id, until=body.until, on=body.date)
    return m.PauseOut(volunteer_id=volunteer_id, paused_until=body.until)


@router.post("/volunteers/{volunteer_id}/resume")
def resume(request: Request, volunteer_id: str) -> m.PauseOut:
    with ledger_for(request) as ledger:
        ledger.resume(volunteer_id)
    return m.PauseOut(volunteer_id=volunteer_id, paused_until=None)


@router.delete("/clients/{client_id}")
def forget(request: Request, client_id: str, confirm: str) -> m.ForgetOut:
    """Erase the client's personal data everywhere (GDPR); `confirm` must repeat the id."""
    if confirm != client_id:
        raise InputError(
            [Problem("request", None, "confirm", "must repeat the client's id to erase it")]
        )
    who(request)
    with ledger_for(request) as ledger:
        removed = ledger.forget(client_id)
    return m.ForgetOut(client_id=client_id, rows_erased=removed)


@router.get("/history")
def history(
    request: Request, client_id: str | None = None, volunteer_id: str | None = None
) -> list[m.EventOut]:
    """The audit trail, oldest first; for one client or volunteer when asked."""
    with ledger_for(request) as ledger:
        events = ledger.history(client_id=client_id, volunteer_id=volunteer_id)
    return [m.EventOut.of(event) for event in events]
