"""Logging in (the one-time token, or name and password), logging out, choosing the language."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from matcher.rounds import Ledger
from matcher.rounds.accounts import has_accounts, verify_login
from matcher.web import errors
from matcher.web.app import make_router, settings_of, who
from matcher.web.render import page
from matcher.web.security import LOGIN_COOKIE, SESSION_COOKIE, Sessions, cookie_header
from matcher.wording import LANGUAGES

router = make_router(include_in_schema=False)


def _sessions(request: Request) -> Sessions:
    found: Sessions = request.app.state.sessions
    return found


def _signed_in(session_id: str, to: str = "/") -> Response:
    response = RedirectResponse(to, status_code=303)
    response.headers.append("set-cookie", cookie_header(SESSION_COOKIE, session_id))
    response.headers.append("set-cookie", cookie_header(LOGIN_COOKIE, "", max_age=0))
    return response


def _accounts_exist(request: Request) -> bool:
    settings = settings_of(request)
    with Ledger(settings.db_path, busy_timeout_s=settings.busy_timeout_s) as ledger:
        return has_accounts(ledger)


@router.get("/login")
def login_page(request: Request, token: str | None = None) -> Response:
    settings = settings_of(request)
    sessions = _sessions(request)
    if token is not None and not settings.require_accounts:
        if sessions.use_token(token):
            return _signed_in(sessions.start(settings.token_user, "coordinator"))
        return errors.plain_error(
            401, "this link was used already or is wrong: restart `matcher serve`", api=False
        )
    if not (settings.require_accounts or _accounts_exist(request)):
        return errors.plain_error(401, "open the link `matcher serve` printed", api=False)
    # Double-submit for the login form: the same random value in a cookie and a field.
    nonce = secrets.token_urlsafe(32)
    response = page(request, "login.html.j2", nonce=nonce, failed=False)
    response.headers.append("set-cookie", cookie_header(LOGIN_COOKIE, nonce, max_age=600))
    return response


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    nonce: Annotated[str, Form(max_length=100)],
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(nonce, expected):
        return errors.plain_error(403, "the login form is out of date: reload it", api=False)
    settings = settings_of(request)
    with Ledger(settings.db_path, busy_timeout_s=settings.busy_timeout_s) as ledger:
        account = verify_login(ledger, name, password)
    if account is None:
        return page(request, "login.html.j2", 401, nonce=expected, failed=True)
    return _signed_in(_sessions(request).start(f"web:{account.name}", account.role))


@router.post("/logout")
def logout(request: Request) -> Response:
    found = who(request)
    if found.session_id:
        _sessions(request).end(found.session_id)
    response = RedirectResponse("/login", status_code=303)
    response.headers.append("set-cookie", cookie_header(SESSION_COOKIE, "", max_age=0))
    return response


@router.post("/lang")
def choose_language(
    request: Request,
    lang: Annotated[str, Form()],
    back: Annotated[str, Form()] = "/",
) -> Response:
    found = who(request)
    if lang in LANGUAGES and found.session_id:
        session = _sessions(request).get(found.session_id)
        if session is not None:
            session.lang = lang
    # Only a path of this site: never a redirect elsewhere.
    to = back if back.startswith("/") and not back.startswith("//") else "/"
    return RedirectResponse(to, status_code=303)
