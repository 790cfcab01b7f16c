"""Security of `matcher serve`: every route guarded, CSRF, roles, headers, escaping, uploads."""

from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute

from matcher.web.security import CSP, SESSION_COOKIE, VIEWER_MAY_POST
from tests.web_support import (
    BEARER,
    TOKEN,
    client_for,
    csrf_of,
    fastapi_of,
    log_in_as,
    logged_in,
    make_app,
    make_ledger,
    serving,
    with_account,
)

PUBLIC = {("GET", "/login"), ("POST", "/login")}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_ledger(tmp_path / "matcher.db")


def _routes(app: Any) -> Iterator[tuple[str, str]]:
    """(method, path with every parameter filled in) for each route the app has."""
    for route in fastapi_of(app).routes:
        methods = getattr(route, "methods", None) or {"GET"}
        path = re.sub(r"\{[^}]+\}", "1", route.path)
        if not isinstance(route, APIRoute) and route.path == "/static":
            path = "/static/app.css"
        for method in sorted(methods - {"HEAD"}):
            yield method, path


def _unsafe(app: Any) -> list[tuple[str, str]]:
    return [(m, p) for m, p in _routes(app) if m not in ("GET", "OPTIONS") and (m, p) not in PUBLIC]


def _ledger_rows(db: Path) -> list[Any]:
    with sqlite3.connect(db) as conn:
        return [
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (
                "clients",
                "volunteers",
                "rounds",
                "proposals",
                "matches",
                "events",
                "outreach",
                "contact_attempts",
                "checkins",
            )
        ]


def test_every_route_answers_401_without_a_session(db: Path) -> None:
    app = make_app(db)
    client = client_for(app)
    routes = list(_routes(app))
    assert len(routes) > 30  # the enumeration found the app's routes
    for method, path in routes:
        answer = client.request(method, path)
        if path == "/static/app.css":
            assert answer.status_code == 200  # the stylesheet holds no data
            continue
        if (method, path) == ("POST", "/login"):
            assert answer.status_code in (403, 422)  # no form: nobody logs in
            continue
        assert answer.status_code == 401, (method, path, answer.status_code)
        assert "K001" not in answer.text
    # A path no route has is 401 too, not 404: nothing to learn without logging in.
    assert client.get("/no/such/page").status_code == 401
    api = client.get("/api/v1/status")
    assert api.json()["error"]["code"] == "unauthorised"
    assert api.headers["www-authenticate"] == "Bearer"


def test_a_wrong_bearer_token_or_cookie_is_no_session(db: Path) -> None:
    client = client_for(make_app(db))
    wrong = {"Authorization": "Bearer " + "y" * len(TOKEN)}
    assert client.get("/api/v1/status", headers=wrong).status_code == 401
    client.cookies.set(SESSION_COOKIE, "made-up")
    assert client.get("/").status_code == 401
    assert client.get("/api/v1/status", headers=BEARER).status_code == 200


def test_the_login_link_works_once_and_sets_a_strict_httponly_cookie(db: Path) -> None:
    app = make_app(db)
    first = client_for(app)
    answer = first.get(f"/login?token={TOKEN}")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert TOKEN not in cookie  # the session id is new, not the token
    assert first.get("/").status_code == 200
    again = client_for(app).get(f"/login?token={TOKEN}")
    assert again.status_code == 401
    # Logging out ends the session on the server.
    csrf = csrf_of(first.get("/").text)
    assert first.post("/logout", data={"csrf": csrf}).status_code == 303
    assert first.get("/").status_code == 401


def test_a_wrong_or_missing_csrf_token_is_refused_on_every_state_change(db: Path) -> None:
    app = make_app(db)
    client = logged_in(app)
    before = _ledger_rows(db)
    unsafe = _unsafe(app)
    assert len(unsafe) > 15
    for method, path in unsafe:
        for data in ({"csrf": "wrong"}, {}):
            answer = client.request(method, path, data=data)
            assert answer.status_code == 403, (method, path, answer.status_code, answer.text)
        answer = client.request(method, path, json={}, headers={"X-CSRF-Token": "wrong"})
        assert answer.status_code == 403, (method, path)
    assert _ledger_rows(db) == before


def test_a_viewer_cannot_change_anything(db: Path) -> None:
    with_account(db, "vera", "viewer")
    app = make_app(db)
    client = log_in_as(app, "vera")
    page = client.get("/")
    assert page.status_code == 200 and "kijker" in page.text
    csrf = csrf_of(page.text)
    before = _ledger_rows(db)
    for method, path in _unsafe(app):
        if path in VIEWER_MAY_POST:
            continue
        answer = client.request(method, path, data={"csrf": csrf, "policy": "optimal"})
        assert answer.status_code == 403, (method, path, answer.status_code)
    assert _ledger_rows(db) == before
    assert client.get("/api/v1/status").status_code == 200  # reading is fine


def test_accounts_log_in_by_password_and_record_the_web_user(db: Path) -> None:
    with_account(db, "cora", "coordinator")
    app = make_app(db, require_accounts=True)
    assert client_for(app).get(f"/login?token={TOKEN}").status_code == 200  # form, no session
    client = log_in_as(app, "cora")
    csrf = csrf_of(client.get("/").text)
    assert client.post("/rounds", data={"csrf": csrf, "policy": "optimal"}).status_code == 303
    with sqlite3.connect(db) as conn:
        users = {row[0] for row in conn.execute("SELECT os_user FROM events WHERE kind='round'")}
    assert users == {"web:cora"}
    wrong = client_for(app)
    nonce = re.search(r'name="nonce" value="([^"]+)"', wrong.get("/login").text)
    assert nonce is not None
    failed = wrong.post("/login", data={"name": "cora", "password": "x" * 12,
                                        "nonce": nonce.group(1)})  # fmt: skip
    assert failed.status_code == 401
    assert wrong.get("/").status_code == 401


def test_responses_carry_the_strict_headers(db: Path) -> None:
    client = logged_in(make_app(db))
    for path in ("/", "/api/v1/status", "/no-such", "/static/app.css"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CSP
        assert "unsafe-inline" not in CSP and "http" not in CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
    page = client.get("/").text
    assert "<script" not in page and "style=" not in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing from elsewhere


HOSTILE_DISTRICT = "<script>alert(1)</script>"
HOSTILE_ID = '"><img src=x onerror=alert(1)>'


def test_values_from_a_spreadsheet_are_escaped(db: Path) -> None:
    client = logged_in(make_app(db))
    row = {"client_id": HOSTILE_ID, "programme": "zwolle-partnerverlies", "age": 50,
           "district": HOSTILE_DISTRICT, "lat": 52.5, "lon": 6.1, "loss_type": "partner",
           "availability": ["mon-am"], "languages": ["nl"]}  # fmt: skip
    assert client.post("/api/v1/clients", json=[row], headers=BEARER).status_code == 200
    assert client.post("/api/v1/rounds", json={}, headers=BEARER).status_code == 200
    from urllib.parse import quote

    for path in ("/", f"/clients/{quote(HOSTILE_ID)}", "/round", "/rounds/1", "/history"):
        answer = client.get(path, follow_redirects=True)
        assert answer.status_code == 200, path
        assert HOSTILE_ID not in answer.text and HOSTILE_DISTRICT not in answer.text, path
        assert "<img" not in answer.text and "<script" not in answer.text, path
    record = client.get(f"/clients/{quote(HOSTILE_ID)}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in record
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in record


def _upload(client: Any, csrf: str, name: str, data: Any, **headers: str) -> Any:
    return client.post(
        "/import",
        data={"csrf": csrf, "kind": "clients"},
        files={"file": (name, data, "application/octet-stream")},
        headers=headers,
    )


def test_a_200_mb_upload_is_refused_before_it_is_read(db: Path, tmp_path: Path) -> None:
    app = make_app(db)
    client = logged_in(app)
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        chunk = b"x" * (1024 * 1024)
        for _ in range(200):
            sent += len(chunk)
            yield chunk

    declared = {"content-length": str(200 * 1024 * 1024), "content-type": "text/csv"}
    answer = client.post("/api/v1/clients", content=body(), headers={**BEARER, **declared})
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too-large"
    assert sent <= 2 * 1024 * 1024  # refused on its Content-Length: hardly anything read
    # Without a Content-Length (chunked), a real server stops reading at the limit.
    with serving(app) as url:
        sent, status = _send_chunked(url, "/api/v1/clients", 200 * 1024 * 1024)
    assert status == 413
    assert sent < 100 * 1024 * 1024  # the limit (20 MB) and what the sockets buffer
    assert list(app.app.state.uploads.root.iterdir()) == []  # nothing left on disk


def _send_chunked(url: str, path: str, total: int) -> tuple[int, int]:
    """Stream `total` bytes without a Content-Length; (bytes sent before the answer, status)."""
    import select
    import socket

    host, port = url.removeprefix("http://").split(":")
    sent = 0
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN}\r\n"
                "Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n")  # fmt: skip
        conn.sendall(head.encode())
        chunk = b"x" * (256 * 1024)
        framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        while sent < total:
            readable, _, _ = select.select([conn], [], [], 0)
            if readable:
                break  # the server answered already
            try:
                conn.sendall(framed)
            except OSError:
                break  # the server closed the connection
            sent += len(chunk)
        answer = conn.recv(4096).decode("latin-1")
    return sent, int(answer.split()[1])


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            zeros = b"\0" * (1024 * 1024)
            for _ in range(300):  # 300 MB of zeros, about 300 KB packed
                member.write(zeros)
    return buffer.getvalue()


def test_a_zip_bomb_workbook_is_refused_and_removed(db: Path) -> None:
    app = make_app(db)
    client = logged_in(app)
    csrf = csrf_of(client.get("/import").text)
    bomb = _zip_bomb()
    assert len(bomb) < 2 * 1024 * 1024
    answer = _upload(client, csrf, "clients.xlsx", bomb)
    assert answer.status_code == 400
    assert "clients.xlsx: refused: it unpacks to" in answer.text
    assert list(app.app.state.uploads.root.iterdir()) == []
    api = client.post("/api/v1/clients", files={"file": ("c.xlsx", bomb)}, headers=BEARER)
    assert api.status_code == 400
    assert api.json()["error"]["problems"][0]["source"] == "c.xlsx"


def test_an_upload_name_cannot_leave_its_folder(db: Path) -> None:
    app = make_app(db)
    client = logged_in(app)
    csrf = csrf_of(client.get("/import").text)
    data = (Path(__file__).parents[1] / "examples" / "clients.csv").read_bytes()
    answer = _upload(client, csrf, "../../etc/clients.csv", data)
    assert answer.status_code == 200
    root = app.app.state.uploads.root
    (folder,) = root.iterdir()
    assert [p.name for p in folder.iterdir()] == ["clients.csv"]
    assert "../" not in answer.text
