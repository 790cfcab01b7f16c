"""/api/v1: every route, every answer checked against /api/v1/openapi.json, and the ledger after;
each route's first answer pinned byte for byte (tests/golden/api/)."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from matcher.io import read_clients, read_volunteers
from matcher.rounds import Ledger
from tests.test_golden import check
from tests.web_support import (
    BEARER,
    EXAMPLES,
    TOKEN,
    client_for,
    fastapi_of,
    make_app,
    make_ledger,
    serving,
)

# When the ledger wrote an event (the clock's time): the one part of an answer a rerun changes.
_EVENT_TIME = re.compile(r'"at":"[^"]*"')
EVENT_TIME_SHOWN = '"at":"(the time of the call)"'


class Checked:
    """A client whose every answer must match the OpenAPI description of its route."""

    def __init__(self, app: Any) -> None:
        self.client = client_for(app)
        self.spec = self.client.get("/api/v1/openapi.json", headers=BEARER).json()
        self.covered: set[tuple[str, str]] = set()
        self.answers: dict[tuple[str, str, int], str] = {}  # each route's first, as sent
        self._routes = [
            (route.path, route.path_regex, method.lower())
            for route in fastapi_of(app).routes
            if route.path.startswith("/api/v1/") and hasattr(route, "methods")
            for method in route.methods
        ]

    def __call__(self, method: str, path: str, status: int, **options: Any) -> Any:
        headers = {**BEARER, **options.pop("headers", {})}
        answer = self.client.request(method, path, headers=headers, **options)
        assert answer.status_code == status, (method, path, answer.text)
        template = next(
            t
            for t, regex, m in self._routes
            if m == method.lower() and regex.match(path.split("?")[0])
        )
        operation = self.spec["paths"][template][method.lower()]
        described = operation["responses"].get(str(status))
        assert described is not None, f"{method} {template}: {status} is not described"
        schema = described["content"]["application/json"]["schema"]
        document = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                    "components": self.spec["components"], **schema}  # fmt: skip
        jsonschema.validate(answer.json(), document)
        self.covered.add((method.lower(), template))
        self.answers.setdefault((method, template, status), answer.text)
        return answer.json()

    def check_answers(self, name: str) -> None:
        """Every route's first answer as the golden file `name` has it, byte for byte."""
        pinned = [
            f"{method} {template} {status}\n{_EVENT_TIME.sub(EVENT_TIME_SHOWN, text)}\n"
            for (method, template, status), text in self.answers.items()
        ]
        check(name, "".join(pinned))


def _rows(kind: str) -> list[dict[str, Any]]:
    reader = read_clients if kind == "clients" else read_volunteers
    return [item.model_dump(mode="json") for item in reader(EXAMPLES / f"{kind}.csv")]


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    return make_ledger(tmp_path / "matcher.db", people=False)


def test_every_route_answers_as_described_and_the_ledger_agrees(empty_db: Path) -> None:
    api = Checked(make_app(empty_db))
    # Imports: a file upload, then JSON rows; a bad row imports nothing and says where.
    volunteers = (EXAMPLES / "volunteers.csv").read_bytes()
    found = api(
        "POST",
        "/api/v1/volunteers?date=2026-11-16",
        200,
        files={"file": ("volunteers.csv", volunteers)},
    )
    assert found["new"] == 15 and found["source"] == "volunteers.csv"
    bad = [*_rows("clients")[:2], {"client_id": "BAD", "programme": "zwolle-partnerverlies",
                                   "age": -3}]  # fmt: skip
    error = api("POST", "/api/v1/clients?date=2026-11-16", 400, json=bad)["error"]
    assert error["code"] == "bad-input"
    assert any(p["text"].startswith("clients.json:3: age:") for p in error["problems"])
    with Ledger(empty_db) as ledger:
        assert ledger.status().waiting == ()
    only = api("POST", "/api/v1/clients?only_valid=true&date=2026-11-16", 200, json=bad)
    assert only["new"] == 2 and only["refused"][0]["row"] == 3
    assert api("POST", "/api/v1/clients?date=2026-11-16", 200, json=_rows("clients"))["new"] == 28
    api(
        "POST",
        "/api/v1/clients",
        400,
        content=b"{not json",
        headers={"content-type": "application/json"},
    )

    status = api("GET", "/api/v1/status?limit=5&date=2026-11-23", 200)
    assert status["n_waiting"] == 30 and len(status["waiting"]) == 5
    everyone = api("GET", "/api/v1/status?limit=1000&date=2026-11-23", 200)["waiting"]
    page = api("GET", "/api/v1/status?offset=5&limit=5&date=2026-11-23", 200)["waiting"]
    assert page == everyone[5:10] and status["waiting"] == everyone[:5]

    # A round: propose, read back, accept all but one, decline that one.
    proposed = api("POST", "/api/v1/rounds", 200, json={"policy": "optimal", "date": "2026-11-23"})
    round_id = proposed["round_id"]
    pairs = proposed["pairs"]
    assert len(pairs) >= 3
    read_back = api("GET", f"/api/v1/rounds/{round_id}", 200)
    assert read_back["pairs"] == pairs
    # The engine's bottleneck groups come with the proposal; the ledger stores none.
    assert proposed["bottlenecks"] and read_back["bottlenecks"] is None
    group = proposed["bottlenecks"][0]
    assert group["must_wait"] == len(group["clients"]) - group["free_places"] > 0
    assert set(group["waiting"]) <= {w["client_id"] for w in proposed["waiting"]}
    dutch = api("GET", f"/api/v1/rounds/{round_id}?lang=nl", 200)["pairs"]
    assert [p["reasons"] for p in dutch] == [p["reasons"] for p in pairs]  # the same facts
    assert [p["why"] for p in dutch] != [p["why"] for p in pairs]  # in other words
    api("GET", "/api/v1/rounds/99", 404)
    kept, declined = pairs[0]["client_id"], pairs[1]["client_id"]
    accepted = api("POST", f"/api/v1/rounds/{round_id}/accept", 200,
                   json={"except": [declined], "date": "2026-11-23"})  # fmt: skip
    assert {p["client_id"] for p in accepted["accepted"]} == {p["client_id"] for p in pairs} - {
        declined
    }
    api("POST", f"/api/v1/rounds/{round_id}/accept", 409, json={"only": [kept]})  # decided
    api("POST", f"/api/v1/rounds/{round_id}/decline", 422, json={"client_id": declined})
    outcome = api("POST", f"/api/v1/rounds/{round_id}/decline", 200,
                  json={"client_id": declined, "by": "client", "reason": "wants a woman",
                        "date": "2026-11-23"})  # fmt: skip
    assert outcome["volunteer_id"] == pairs[1]["volunteer_id"] and not outcome["ended_match"]
    with Ledger(empty_db) as ledger:
        active = {a.client_id for a in ledger.status().active}
        assert active == {p["client_id"] for p in pairs} - {declined}

    # End a match, pause and resume a volunteer, pin a pair.
    ended = api("POST", f"/api/v1/matches/{kept}/end", 200,
                json={"reason": "moved", "date": "2026-11-30"})  # fmt: skip
    assert ended["client_id"] == kept and not ended["client_waits_again"]
    api("POST", f"/api/v1/matches/{kept}/end", 409, json={"reason": "moved"})
    api("POST", "/api/v1/matches/NOBODY/end", 404, json={"reason": "moved"})
    volunteer = pairs[2]["volunteer_id"]
    paused = api("POST", f"/api/v1/volunteers/{volunteer}/pause", 200,
                 json={"until": "2027-01-04", "date": "2026-11-30"})  # fmt: skip
    assert paused["paused_until"] == "2027-01-04"
    assert api("POST", f"/api/v1/volunteers/{volunteer}/resume", 200)["paused_until"] is None
    now = api("GET", "/api/v1/status?date=2026-11-30", 200)
    free = [w["client_id"] for w in now["waiting"] if w["pinned_to"] is None]
    room = next(v["volunteer_id"] for v in now["volunteers"] if v["free"] and not v["paused_until"])
    pin = {"client_id": free[0], "volunteer_id": room, "date": "2026-11-30"}
    pinned = api("POST", "/api/v1/pins", 200, json=pin)
    assert pinned["replaced"] is None

    # History, and forgetting a client (the id must be repeated).
    events = api("GET", f"/api/v1/history?client_id={declined}", 200)
    assert [e["kind"] for e in events][-1] == "decline"
    assert all(e["user"] == "tester" for e in events if e["kind"] == "decline")
    api("DELETE", f"/api/v1/clients/{declined}?confirm=other", 400)
    erased = api("DELETE", f"/api/v1/clients/{declined}?confirm={declined}", 200)
    assert sum(erased["rows_erased"].values()) > 0
    assert api("GET", f"/api/v1/history?client_id={declined}", 200) == []
    api("POST", "/api/v1/rounds/1/decline", 404,
        json={"client_id": declined, "by": "client", "reason": "x"})  # fmt: skip

    described = {
        (method, path)
        for path, item in api.spec["paths"].items()
        for method, operation in item.items()
        if "programme" not in operation.get("tags", ())  # tests/test_web_programme.py
    }
    assert api.covered == described  # every route of the API was called and checked
    api.check_answers("api/ledger.txt")  # every day given, so that a rerun answers the same


def test_the_openapi_description_fetches_nothing_and_has_no_ui(empty_db: Path) -> None:
    client = client_for(make_app(empty_db))
    spec = client.get("/api/v1/openapi.json", headers=BEARER)
    assert spec.status_code == 200
    assert "ErrorResponse" in spec.json()["components"]["schemas"]
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert client.get(path, headers=BEARER).status_code == 404


def _propose_in_threads(url: str, n: int) -> list[int]:
    import httpx2 as httpx

    codes: list[int] = []
    lock = threading.Lock()

    def one() -> None:
        answer = httpx.post(f"{url}/api/v1/rounds", headers=BEARER, json={}, timeout=60)
        with lock:
            codes.append(answer.status_code)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def test_the_web_app_and_the_cli_share_the_ledger_one_writer_at_a_time(tmp_path: Path) -> None:
    db = make_ledger(tmp_path / "matcher.db")
    app = make_app(db, busy_timeout_s=0.05)
    env = {**os.environ, "MATCHER_BUSY_TIMEOUT_S": "30"}
    with serving(app) as url:
        cli = subprocess.Popen(
            [sys.executable, "-m", "matcher", "round", "propose", "--db", str(db), "--limit", "0"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        codes = _propose_in_threads(url, 6)
        _, errors = cli.communicate(timeout=120)
        assert cli.returncode == 0, errors
        # The ledger held by someone else: the web app answers 409 at once, changing nothing.
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            import httpx2 as httpx

            busy = httpx.post(f"{url}/api/v1/rounds", headers=BEARER, json={}, timeout=60)
            page = httpx.get(f"{url}/api/v1/status", headers=BEARER, timeout=60)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    assert set(codes) <= {200, 409} and 200 in codes
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "busy"
    assert page.status_code == 200  # readers are not writers
    with Ledger(db) as ledger:
        assert ledger.check() == []
        rounds = {e.round_id for e in ledger.history() if e.kind == "round"}
        # Every round answered 200 is stored whole; the CLI's too; a 409 stored nothing.
        assert len(rounds) == codes.count(200) + 1
        undecided = ledger.status().undecided
        assert list(undecided) == [max(rounds)]  # earlier proposals superseded, none half-done


def test_the_readme_python_client_runs(empty_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx2

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The HTTP API") :]
    start = section.index("```python\n") + len("```python\n")
    code = section[start : section.index("```", start)]
    assert len(code.strip().splitlines()) <= 10
    with Ledger(empty_db) as ledger:
        ledger.import_volunteers(read_volunteers(EXAMPLES / "volunteers.csv"))
    monkeypatch.setitem(sys.modules, "httpx", httpx2)  # the client the tests install
    with serving(make_app(empty_db)) as url:
        code = code.replace("http://127.0.0.1:8765", url)
        exec(compile(code, "README.md", "exec"), {"TOKEN": TOKEN, "new_intakes": _rows("clients")})
    with Ledger(empty_db) as ledger:
        active = ledger.status(limit=0).active
        assert active and all(m.round_id == 1 for m in active)
