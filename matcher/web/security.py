"""Who is asking, and may they: sessions, the one-time token, Bearer tokens, CSRF and headers.

- The server prints one URL with a random token. Opened once, it becomes a session: a random
  id in an HttpOnly, SameSite=Strict cookie (the token itself is never a cookie, and the page
  it opens redirects at once so the token leaves the address bar). The URL works only once.
- The API also accepts `Authorization: Bearer <token>` (the same token; no cookie, no CSRF).
- With accounts (`matcher user add`), people log in by name and password instead.
- Without a session or Bearer token, every route answers 401: the middleware below stands in
  front of all of them, so a route added later cannot forget it.
- Every state-changing request from a browser session carries the session's CSRF token (a
  form field or an X-CSRF-Token header); a wrong or missing one answers 403. A viewer may
  read, never change (403).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Final

from matcher.web.settings import SESSION_IDLE_S, WebSettings

SESSION_COOKIE: Final = "matcher_session"
LOGIN_COOKIE: Final = "matcher_login"
CSRF_FIELD: Final = "csrf"
CSRF_HEADER: Final = "x-csrf-token"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
# Reachable without a session: the login page (which answers 401 itself to a wrong token) and
# the stylesheet, which holds no data.
PUBLIC_PATHS: Final = frozenset({"/login"})
PUBLIC_PREFIXES: Final = ("/static/",)
# State changes a viewer may make: her own session's, not the ledger's.
VIEWER_MAY_POST: Final = frozenset({"/logout", "/lang"})
CSP: Final = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self';"
    " form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS: Final = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    # Pages and API answers carry personal data: never kept in a cache.
    (b"cache-control", b"no-store"),
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass
class Principal:
    """Who a request acts for: the audit trail's user, the role, and how they proved it."""

    user: str
    role: str  # coordinator or viewer
    via: str  # session or bearer
    session_id: str | None = None
    csrf: str | None = None
    lang: str = "nl"

    @property
    def may_change(self) -> bool:
        return self.role == "coordinator"


@dataclass
class Session:
    user: str
    role: str
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    lang: str = "nl"
    last_seen: float = field(default_factory=time.monotonic)


class Sessions:
    """Sessions of one running server, in memory: a restart logs everyone out."""

    def __init__(self, settings: WebSettings) -> None:
        self._settings = settings
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()
        self._token_used = False

    def use_token(self, offered: str) -> bool:
        """True once: the first time the right token is offered for a browser login."""
        right = hmac.compare_digest(offered.encode(), self._settings.token.encode())
        with self._lock:
            if not right or self._token_used:
                return False
            self._token_used = True
            return True

    def bearer(self, offered: str) -> bool:
        return hmac.compare_digest(offered.encode(), self._settings.token.encode())

    def start(self, user: str, role: str) -> str:
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[session_id] = Session(user, role, lang=self._settings.lang)
        return session_id

    def get(self, session_id: str) -> Session | None:
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if now - session.last_seen > SESSION_IDLE_S:
                del self._sessions[session_id]
                return None
            session.last_seen = now
            return session

    def end(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)


def cookie_header(name: str, value: str, *, max_age: int | None = None) -> str:
    age = f"; Max-Age={max_age}" if max_age is not None else ""
    return f"{name}={value}; HttpOnly; SameSite=Strict; Path=/{age}"


def _cookies(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, text = part.strip().partition("=")
                found.setdefault(key, text)
    return found


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


def principal_of(scope: Scope, sessions: Sessions, settings: WebSettings) -> Principal | None:
    authorization = _header(scope, b"authorization")
    if authorization is not None:
        kind, _, offered = authorization.partition(" ")
        if kind.lower() == "bearer" and sessions.bearer(offered.strip()):
            user = settings.token_user
            return Principal(user, "coordinator", "bearer", lang=settings.lang)
        return None  # a wrong token is not a session either
    session_id = _cookies(scope).get(SESSION_COOKIE)
    session = sessions.get(session_id) if session_id else None
    if session is None or session_id is None:
        return None
    return Principal(session.user, session.role, "session", session_id, session.csrf, session.lang)


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class BodyTooLarge(Exception):
    pass


class Guard:
    """ASGI middleware in front of every route: headers, body size, and who is asking."""

    def __init__(
        self,
        app: App,
        *,
        settings: WebSettings,
        sessions: Sessions,
        unauthorised: Callable[[Scope], Awaitable[Any]],
        too_large: Callable[[Scope], Awaitable[Any]],
    ) -> None:
        self.app = app
        self.settings = settings
        self.sessions = sessions
        self.unauthorised = unauthorised
        self.too_large = too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        overflow = replaced = False

        async def send_with_headers(message: Message) -> None:
            nonlocal replaced
            if overflow:
                # Whatever the app made of the cut-off body, the answer is 413, sent once.
                if not replaced:
                    replaced = True
                    await (await self.too_large(scope))(scope, receive, send_secured)
                return
            await send_secured(message)

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {key for key, _ in SECURITY_HEADERS}
                headers = [pair for pair in message.get("headers", []) if pair[0] not in names]
                message["headers"] = headers + list(SECURITY_HEADERS)
            await send(message)

        limit = self.settings.max_upload_bytes
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            # Refused before a byte of the body is read.
            await (await self.too_large(scope))(scope, receive, send_secured)
            return
        principal = principal_of(scope, self.sessions, self.settings)
        if principal is None and not is_public(scope["path"]):
            await (await self.unauthorised(scope))(scope, receive, send_secured)
            return
        scope.setdefault("state", {})["principal"] = principal
        received = 0

        async def counted() -> Message:
            nonlocal received, overflow
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # A body without Content-Length (chunked) stops here, never read in full.
                    overflow = True
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send_with_headers)
        except BodyTooLarge:
            if not replaced:
                replaced = True
                await (await self.too_large(scope))(scope, receive, send_secured)
