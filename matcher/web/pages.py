"""The pages of the weekly round: Overzicht, Importeren, Koppelronde (plain forms, no script).

Each page renders what one Ledger call returns; a form posts, the ledger changes in one
transaction, and the browser is sent back to the page that shows the result.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from matcher.errors import InputError, Problem
from matcher.policies import POLICY_NAMES
from matcher.rounds.explain_nl import ledger_explanation_text
from matcher.rounds.lookup import latest_round_id, round_bottlenecks
from matcher.web.imports import import_file, preview
from matcher.web.render import bars, language, page, words
from matcher.web.round_groups import RoundGroups
from matcher.web.routing import form_date, ledger_for, make_router, settings_of, who
from matcher.web.uploads import ACCEPTED_SUFFIXES, Uploads

router = make_router(include_in_schema=False)


def _back(to: str) -> Response:
    return RedirectResponse(to, status_code=303)


# ------------------------------------------------------------------------------------ overview


@router.get("/")
def overview(request: Request, number: Annotated[int, Query(alias="page", ge=1)] = 1) -> Response:
    settings = settings_of(request)
    size = settings.page_size
    with ledger_for(request) as ledger:
        status = ledger.status(config=settings.config, offset=(number - 1) * size, limit=size)
        pages = max(1, math.ceil(status.n_waiting / size))
        if number > pages:  # past the end (the list got shorter): the last page
            number = pages
            status = ledger.status(config=settings.config, offset=(number - 1) * size, limit=size)
    return page(request, "overview.html.j2", status=status, page_number=number, pages=pages,
                due_shown=size)  # fmt: skip


# -------------------------------------------------------------------------------------- import


def _uploads(request: Request) -> Uploads:
    found: Uploads = request.app.state.uploads
    return found


def _owner(request: Request) -> str:
    found = who(request)
    return found.session_id or found.user


@router.get("/import")
def import_page(request: Request) -> Response:
    return page(request, "import.html.j2", suffixes=", ".join(ACCEPTED_SUFFIXES), result=None)


@router.post("/import")
async def import_preview(
    request: Request,
    kind: Annotated[str, Form(pattern="^(clients|volunteers)$")],
    file: Annotated[UploadFile, File()],
) -> Response:
    settings = settings_of(request)
    upload = await run_in_threadpool(
        _uploads(request).save,
        file.file,
        filename=file.filename or kind,
        kind=kind,
        owner=_owner(request),
        max_unzipped_bytes=settings.max_unzipped_bytes,
    )
    found = await run_in_threadpool(preview, upload, settings.config)
    return page(request, "import_preview.html.j2", upload=upload, preview=found)


@router.post("/import/{upload_id}")
def import_upload(
    request: Request,
    upload_id: str,
    mode: Annotated[str, Form(pattern="^(all|valid|cancel)$")],
) -> Response:
    uploads = _uploads(request)
    upload = uploads.get(upload_id, _owner(request))
    if upload is None:
        raise HTTPException(404, "this upload is gone (imported or cancelled): upload it again")
    try:
        if mode == "cancel":
            return _back("/import")
        with ledger_for(request) as ledger:
            summary, refused = import_file(
                ledger, upload.kind, upload.path, upload.name, settings_of(request).config,
                only_valid=mode == "valid",
            )  # fmt: skip
    finally:
        uploads.remove(upload_id)  # imported or not, the file is gone: upload it again
    return page(request, "import_done.html.j2", summary=summary, refused=refused)


# ------------------------------------------------------------------------------ matching round


@router.get("/round")
def latest_round(request: Request) -> Response:
    with ledger_for(request) as ledger:
        latest = latest_round_id(ledger)
    if latest is not None:
        return _back(f"/rounds/{latest}")
    return page(request, "round.html.j2", proposal=None, policies=POLICY_NAMES, bars=bars,
                policy=settings_of(request).config.policy)  # fmt: skip


def _groups(request: Request) -> RoundGroups:
    found: RoundGroups = request.app.state.round_groups
    return found


@router.get("/rounds/{round_id}")
def show_round(request: Request, round_id: int) -> Response:
    with ledger_for(request) as ledger:
        proposal = ledger.round(round_id)
        latest = latest_round_id(ledger)
    groups = _groups(request).said(round_id, language(request))
    return page(request, "round.html.j2", proposal=proposal, policies=POLICY_NAMES, bars=bars,
                policy=proposal.policy, is_latest=latest == round_id,
                groups=groups)  # fmt: skip


@router.get("/rounds/{round_id}/bottlenecks")
def find_groups(request: Request, round_id: int) -> Response:
    """The round rebuilt and grouped again (a full solve: only when asked for)."""
    with ledger_for(request) as ledger:
        found = round_bottlenecks(ledger, round_id)
    _groups(request).put(round_id, found.bottlenecks, exact=found.exact)
    return _back(f"/rounds/{round_id}#bottlenecks")


@router.post("/rounds")
def propose(
    request: Request,
    policy: Annotated[str, Form()],
    date: Annotated[str | None, Form()] = None,
) -> Response:
    with ledger_for(request) as ledger:
        proposal = ledger.propose(settings_of(request).config, policy=policy,
                                  round_date=form_date(date))  # fmt: skip
    if proposal.bottlenecks is not None:
        _groups(request).put(proposal.round_id, proposal.bottlenecks)
    return _back(f"/rounds/{proposal.round_id}")


@router.post("/rounds/{round_id}/accept")
def accept(
    request: Request,
    round_id: int,
    client: Annotated[list[str] | None, Form()] = None,
) -> Response:
    if not client:
        # An empty `only` would mean every pair: never what an empty form means.
        raise InputError([Problem("form", None, "client", "check at least one proposal")])
    with ledger_for(request) as ledger:
        ledger.accept(round_id, only=client)
    return _back(f"/rounds/{round_id}")


@router.post("/rounds/{round_id}/decline")
def decline(
    request: Request,
    round_id: int,
    client_id: Annotated[str, Form()],
    by: Annotated[str, Form(pattern="^(client|volunteer|coordinator)$")],
    reason: Annotated[str, Form(min_length=1, max_length=500)],
) -> Response:
    with ledger_for(request) as ledger:
        ledger.decline(round_id, client_id, by=by, reason=reason)
    return _back(f"/rounds/{round_id}")


@router.post("/pins")
def pin(
    request: Request,
    client_id: Annotated[str, Form(min_length=1)],
    volunteer_id: Annotated[str, Form(min_length=1)],
) -> Response:
    with ledger_for(request) as ledger:
        ledger.pin(client_id.strip(), volunteer_id.strip())
    return _back(f"/clients/{client_id.strip()}")


@router.get("/rounds/{round_id}/explain/{client_id}")
def explain(request: Request, round_id: int, client_id: str) -> Response:
    with ledger_for(request) as ledger:
        found = ledger.explain(client_id, round_id=round_id)
    lang = language(request)
    # The same facts in the page's language: Dutch from the facts, English as `round explain`.
    text = ledger_explanation_text(found, lang, words(lang))
    return page(request, "explain.html.j2", round_id=round_id, client_id=client_id,
                text=text)  # fmt: skip
