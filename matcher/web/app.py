"""The application: routes of the pages and the API behind one guard (security.Guard).

Each request opens the ledger for itself, as its user, and closes it when done: the ledger's
own locking serialises writers, whether they come from this app, another tab or the CLI. A
writer that waits longer than the busy timeout answers 409 and changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from matcher.errors import MatcherError
from matcher.rounds import Ledger
from matcher.web import errors
from matcher.web.render import principal
from matcher.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SAFE_METHODS,
    VIEWER_MAY_POST,
    Guard,
    Principal,
    Scope,
    Sessions,
)
from matcher.web.settings import WebSettings
from matcher.web.uploads import Uploads

API_PREFIX = "/api/v1"
STATIC = Path(__file__).parent / "static"


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
    import hmac

    if not offered or not found.csrf or not hmac.compare_digest(offered, found.csrf):
        raise HTTPException(403, "the form is out of date (CSRF token): reload the page")


def make_router(**options: Any) -> APIRouter:
    """Every router of the app: each of its routes checks who may change what."""
    return APIRouter(dependencies=[Depends(check_change_allowed)], **options)


def build_app(settings: WebSettings) -> Any:
    sessions = Sessions(settings)
    uploads = Uploads()

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        uploads.close()  # pending uploads never outlive the server

    app = FastAPI(
        title="matcher",
        version="1",
        summary="The weekly matching round on the ledger: import, propose, decide.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc fetch scripts from a CDN: not here
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.uploads = uploads
    app.add_exception_handler(MatcherError, errors.matcher_error)
    app.add_exception_handler(RequestValidationError, errors.validation_error)
    app.add_exception_handler(StarletteHTTPException, errors.http_error)

    from matcher.web import api, auth_pages, pages, people_pages, report_pages

    # The routes themselves, not include_router: FastAPI then lists them in app.routes, where
    # the security tests enumerate them.
    for module in (api, auth_pages, pages, people_pages, report_pages):
        app.router.routes.extend(module.router.routes)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    async def unauthorised(scope: Scope) -> Any:
        api_call = str(scope["path"]).startswith("/api/")
        message = (
            "no session: send Authorization: Bearer <token>"
            if api_call
            else "not logged in: open the link `matcher serve` printed, or log in"
        )
        response = errors.plain_error(401, message, api=api_call)
        if api_call:
            response.headers["www-authenticate"] = "Bearer"
        return response

    async def too_large(scope: Scope) -> Any:
        limit_mb = settings.max_upload_bytes // (1024 * 1024)
        message = f"the upload is larger than {limit_mb} MB: refused"
        return errors.plain_error(413, message, api=str(scope["path"]).startswith("/api/"))

    return Guard(app, settings=settings, sessions=sessions, unauthorised=unauthorised,
                 too_large=too_large)  # fmt: skip
