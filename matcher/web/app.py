"""The application: routes of the pages and the API behind one guard (security.Guard).

Each request opens the ledger for itself, as its user, and closes it when done: the ledger's
own locking serialises writers, whether they come from this app, another tab or the CLI. A
writer that waits longer than the busy timeout answers 409 and changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from matcher.errors import MatcherError
from matcher.web import (
    api,
    auth_pages,
    errors,
    pages,
    people_pages,
    programme_api,
    programme_pages,
    report_pages,
)
from matcher.web.round_groups import RoundGroups
from matcher.web.routing import API_PREFIX
from matcher.web.security import (
    Guard,
    Scope,
    Sessions,
)
from matcher.web.settings import WebSettings
from matcher.web.uploads import Uploads

STATIC = Path(__file__).parent / "static"


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
    app.state.round_groups = RoundGroups()
    app.add_exception_handler(MatcherError, errors.matcher_error)
    app.add_exception_handler(RequestValidationError, errors.validation_error)
    app.add_exception_handler(StarletteHTTPException, errors.http_error)

    # The routes themselves, not include_router: FastAPI then lists them in app.routes, where
    # the security tests enumerate them.
    for module in (api, programme_api, auth_pages, pages, people_pages, programme_pages,
                   report_pages):  # fmt: skip
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
