"""Helpers for the web app's tests: a ledger, an app on it, and a logged-in client."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from matcher.io import read_clients, read_volunteers
from matcher.rounds import Ledger
from matcher.rounds.accounts import add_account
from matcher.web import create_app
from matcher.web.settings import WebSettings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TOKEN = "test-token-" + "x" * 32
PASSWORD = "correct horse battery"


def make_ledger(path: Path, *, people: bool = True) -> Path:
    with Ledger.create(path, user="test") as ledger:
        if people:
            ledger.import_volunteers(read_volunteers(EXAMPLES / "volunteers.csv"))
            ledger.import_clients(read_clients(EXAMPLES / "clients.csv"))
    return path


def make_app(db: Path, **options: Any) -> Any:
    return create_app(WebSettings(db_path=db, token=TOKEN, token_user="tester", **options))


def fastapi_of(app: Any) -> Any:
    """The FastAPI application inside the guard."""
    return app.app


def client_for(app: Any) -> Any:
    from fastapi.testclient import TestClient

    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)


def logged_in(app: Any) -> Any:
    """A TestClient with a session from the one-time link."""
    client = client_for(app)
    answer = client.get(f"/login?token={TOKEN}")
    assert answer.status_code == 303, answer.text
    return client


def with_account(db: Path, name: str, role: str) -> None:
    with Ledger(db, user="test") as ledger:
        add_account(ledger, name, PASSWORD, role=role)


def log_in_as(app: Any, name: str) -> Any:
    client = client_for(app)
    form = client.get("/login")
    assert form.status_code == 200, form.text
    nonce = re.search(r'name="nonce" value="([^"]+)"', form.text)
    assert nonce is not None
    answer = client.post(
        "/login", data={"name": name, "password": PASSWORD, "nonce": nonce.group(1)}
    )
    assert answer.status_code == 303, answer.text
    return client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


BEARER = {"Authorization": f"Bearer {TOKEN}"}


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """The app on a real server (uvicorn) on 127.0.0.1 and a free port, stopped afterwards."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
