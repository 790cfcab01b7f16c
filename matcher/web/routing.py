"""What every route of the web app shares: the request's settings, user and ledger, and the
router whose routes check who may change what (a coordinator, and from a browser a CSRF token).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from matcher.errors import InputError, Problem
from matcher.rounds import Ledger
from matcher.web.render import principal
from matcher.web.security import CSRF_FIELD, CSRF_HEADER, SAFE_METHODS, VIEWER_MAY_POST, Principal
from matcher.web.settings import WebSettings

API_PREFIX = "/api/v1"


def settings_of(request: Request) -> WebSettings:
    found: WebSettings = request.app.state.settings
    return found


def who(request: Request) -> Principal:
    found = principal(request)
    if found is None:  # the guard lets only public paths through without one
        raise HTTPException(401, "log in first")
    return found


@contextlib.contextmanager
def ledger_for(request: Request) -> Iterator[Ledger]:
    """The ledger, opened for this request as its user (the audit trail names them)."""
    settings = settings_of(request)
    with Ledger(
        settings.db_path, busy_timeout_s=settings.busy_timeout_s, user=who(request).user
    ) as ledger:
        yield ledger


async def check_change_allowed(request: Request) -> None:
    """Every route: a state change needs a coordinator, and from a browser a CSRF token."""
    if request.method in SAFE_METHODS or request.url.path == "/login":
        return
    found = who(request)
    if not found.may_change and request.url.path not in VIEWER_MAY_POST:
        raise HTTPException(403, "a viewer may read but not change anything")
    if found.via != "session":
        return  # a Bearer token is not sent by a browser on its own: no CSRF to fear
    offered = request.headers.get(CSRF_HEADER)
    if offered is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        offered = value if isinstance(value, str) else None
    if not offered or not found.csrf or not hmac.compare_digest(offered, found.csrf):
        raise HTTPException(403, "the form is out of date (CSRF token): reload the page")


def form_date(text: str | None, column: str = "date") -> dt.date | None:
    """A form's optional date field (an empty field: today, as the ledger takes it)."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError([Problem("form", None, column, "must be a date", text)]) from None


def make_router(**options: Any) -> APIRouter:
    """Every router of the app: each of its routes checks who may change what."""
    return APIRouter(dependencies=[Depends(check_change_allowed)], **options)
