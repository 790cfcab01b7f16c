"""The programme around a match in the web app: outreach, introduction, check-ins, the end at
the cap, what is due this week, and the evaluation; through /api/v1 (every answer checked
against openapi.json) and through the pages (CSRF, viewer), the ledger read with the library.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any, get_args

from matcher.config import MatchConfig
from matcher.io import read_clients, read_volunteers
from matcher.lifecycle import Lifecycle
from matcher.rounds import Ledger
from matcher.rounds.aftercare import CHECKIN_OUTCOMES
from matcher.rounds.outreach import CHANNELS, OUTCOMES
from matcher.web import programme_models as m
from tests.test_web_api import Checked
from tests.web_support import (
    EXAMPLES,
    csrf_of,
    log_in_as,
    logged_in,
    make_app,
    make_ledger,
    with_account,
)

CAPPED = MatchConfig(lifecycle=Lifecycle(max_match_weeks=8))


def test_the_api_vocabularies_are_the_librarys() -> None:
    assert get_args(m.Channel) == CHANNELS
    assert get_args(m.ContactOutcome) == OUTCOMES
    assert get_args(m.CheckInOutcome) == CHECKIN_OUTCOMES


def _volunteers(db: Path) -> None:
    with Ledger(db, user="test") as ledger:
        ledger.import_volunteers(read_volunteers(EXAMPLES / "volunteers.csv"), on=D(10, 1))


def D(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def _intake_and_accept(db: Path) -> str:
    """Import the clients (K001's intake) and accept round 1; returns K001's volunteer."""
    with Ledger(db, user="test") as ledger:
        ledger.import_clients(read_clients(EXAMPLES / "clients.csv"), on=D(10, 20))
        proposal = ledger.propose(CAPPED, round_date=D(11, 2))
        ledger.accept(proposal.round_id, on=D(11, 2))
        return next(p.volunteer_id for p in proposal.pairs if p.client_id == "K001")


def test_the_programme_routes_answer_as_described_and_the_ledger_agrees(tmp_path: Path) -> None:
    db = make_ledger(tmp_path / "matcher.db", people=False)
    _volunteers(db)
    api = Checked(make_app(db, config=CAPPED))
    programme = "zwolle-partnerverlies"
    added = api("POST", "/api/v1/outreach", 200,
                json={"client_id": "K001", "programme": programme, "by": "letter",
                      "source": "register", "date": "2026-10-01"})  # fmt: skip
    assert added["state"] == "approached" and added["next_call_on"] == "2026-10-08"
    api("POST", "/api/v1/outreach", 409,
        json={"client_id": "K001", "programme": programme, "by": "letter"})  # fmt: skip
    api("POST", "/api/v1/outreach", 422, json={"client_id": "X", "programme": "p", "by": "fax"})
    api("POST", "/api/v1/outreach", 200,
        json={"client_id": "P900", "programme": programme, "by": "referral",
              "source": "huisarts", "date": "2026-10-02"})  # fmt: skip
    call = api("POST", "/api/v1/outreach/K001/contact", 200,
               json={"outcome": "not-reached", "date": "2026-10-08"})  # fmt: skip
    assert call["attempt"] == 1 and call["unreached"] == 1 and call["state"] == "approached"
    soon = api("GET", "/api/v1/status?date=2026-10-10", 200)["due"]["calls"]
    assert [(i["client_id"], i["number"], i["due_on"]) for i in soon] == [
        ("K001", 2, "2026-10-15"),  # a week after the first call, which did not reach her
        ("P900", 1, "2026-10-09"),  # a week after the referral
    ]
    call = api("POST", "/api/v1/outreach/K001/contact", 200,
               json={"outcome": "appointment", "date": "2026-10-15"})  # fmt: skip
    assert call["state"] == "appointment"
    api("POST", "/api/v1/outreach/NOBODY/contact", 409, json={"outcome": "reached"})
    closed = api("POST", "/api/v1/outreach/P900/close", 200,
                 json={"reason": "no need", "date": "2026-10-09"})  # fmt: skip
    assert closed == {"client_id": "P900", "closed_from": "approached", "reason": "no need"}
    listed = {p["client_id"]: p for p in api("GET", "/api/v1/outreach", 200)}
    assert [p["client_id"] for p in api("GET", "/api/v1/outreach?offset=1&limit=1", 200)] == [
        "P900"
    ]
    assert listed["K001"]["state"] == "appointment" and listed["K001"]["calls"] == 2
    assert listed["K001"]["next_call_on"] is None
    assert listed["P900"]["close_reason"] == "no need"
    status = api("GET", "/api/v1/status?date=2026-10-15", 200)
    assert [i["client_id"] for i in status["due"]["intakes"]] == ["K001"]

    # The intake is the import; the match is accepted in a round.
    volunteer = _intake_and_accept(db)
    with Ledger(db) as ledger:
        people = {p.client_id: p for p in ledger.outreach_people()}
    assert people["K001"].state == "intake"
    course = api("GET", "/api/v1/matches/K001", 200)
    assert course["volunteer_id"] == volunteer and course["introduced_on"] is None
    api("GET", "/api/v1/matches/NOBODY", 404)
    api("POST", "/api/v1/matches/K001/confirm", 409, json={"date": "2026-11-05"})  # not yet
    met = api("POST", "/api/v1/matches/K001/introduce", 200, json={"date": "2026-11-05"})
    assert met == {"client_id": "K001", "volunteer_id": volunteer, "step": "introduced",
                   "on": "2026-11-05"}  # fmt: skip
    klik = api("POST", "/api/v1/matches/K001/confirm", 200, json={"date": "2026-11-09"})
    assert klik["step"] == "confirmed"
    held = api(
        "POST",
        "/api/v1/matches/K001/checkin",
        200,
        json={"outcome": "going-well", "note": "fijn gesprek", "date": "2026-12-14"},
    )
    assert held["number"] == 1 and held["ended"] is None  # fmt: skip
    api("POST", "/api/v1/matches/K001/checkin", 422, json={"outcome": "great"})
    with Ledger(db) as ledger:
        found = ledger.match_course("K001")
    assert found is not None and found.confirmed_on == D(11, 9)
    assert [(c.outcome, c.note) for c in found.checkins] == [("going-well", "fijn gesprek")]

    # Eight weeks is the cap: on 4 January every match of round 1 is past it.
    due = api("GET", "/api/v1/status?date=2027-01-04", 200)["due"]
    past = {i["client_id"] for i in due["past_end"]}
    assert "K001" in past
    done = api("POST", "/api/v1/matches/complete", 200, json={"date": "2027-01-04"})
    assert {e["client_id"] for e in done["ended"]} == past
    assert all(e["reason"] == "completed" for e in done["ended"])
    assert api("POST", "/api/v1/matches/complete", 200, json={"date": "2027-01-04"}) == {
        "ended": []
    }

    figures = api("GET", "/api/v1/evaluation?from=2026-10-01&to=2027-01-04", 200)
    assert figures["funnel"] == {"approached": 2, "reached": 1, "appointment": 1, "intake": 1,
                                 "coupled": 1}  # fmt: skip
    assert figures["outreach_closed"] == {"no need": 1}
    api("GET", "/api/v1/evaluation?from=yesterday", 422)

    programme_routes = {
        (method, path)
        for path, item in api.spec["paths"].items()
        for method, operation in item.items()
        if "programme" in operation.get("tags", ())
    }
    assert len(programme_routes) == 10
    assert api.covered >= programme_routes  # every programme route was called and checked
    api.check_answers("api/programme.txt")


def _post(client: Any, page: str, action: str, data: dict[str, str]) -> Any:
    form = client.get(page)
    assert form.status_code == 200, form.text
    answer = client.post(action, data={"csrf": csrf_of(form.text), **data})
    assert answer.status_code == 303, answer.text
    return answer


def test_the_pages_carry_a_person_from_letter_to_check_in(tmp_path: Path) -> None:
    db = make_ledger(tmp_path / "matcher.db", people=False)
    _volunteers(db)
    client = logged_in(make_app(db, config=CAPPED))
    _post(client, "/outreach", "/outreach", {"client_id": "K001", "programme":
          "zwolle-partnerverlies", "by": "letter", "source": "<b>register</b>",
          "date": "2026-10-01"})  # fmt: skip
    listing = client.get("/outreach").text
    assert "2026-10-08" in listing  # the first call, a week after the letter
    assert "&lt;b&gt;register&lt;/b&gt;" in listing and "<b>register" not in listing
    _post(client, "/outreach", "/outreach/K001/contact",
          {"outcome": "appointment", "date": "2026-10-08"})  # fmt: skip
    with Ledger(db) as ledger:
        assert ledger.outreach_people()[0].state == "appointment"
    assert "intake: importeer als cliënt" in client.get("/outreach").text

    volunteer = _intake_and_accept(db)
    page = client.get("/clients/K001").text
    assert "Verloop van de koppeling" in page and 'action="/clients/K001/introduce"' in page
    _post(client, "/clients/K001", "/clients/K001/introduce", {"date": "2026-11-05"})
    assert 'action="/clients/K001/confirm"' in client.get("/clients/K001").text
    _post(client, "/clients/K001", "/clients/K001/confirm", {"date": "2026-11-09"})
    _post(client, "/clients/K001", "/clients/K001/checkin",
          {"outcome": "concerns", "note": "moe", "date": "2026-12-14"})  # fmt: skip
    with Ledger(db) as ledger:
        course = ledger.match_course("K001")
    assert course is not None and course.volunteer_id == volunteer
    assert course.introduced_on == D(11, 5) and course.confirmed_on == D(11, 9)
    assert [(c.outcome, c.note) for c in course.checkins] == [("concerns", "moe")]
    page = client.get("/clients/K001").text
    assert "zorgen" in page and "moe" in page

    # A bad date is a clear problem, the ledger unchanged.
    form = client.get("/clients/K001")
    bad = client.post("/clients/K001/checkin", data={"csrf": csrf_of(form.text),
                      "outcome": "end", "date": "14-12"})  # fmt: skip
    assert bad.status_code == 400 and "form: date: must be a date (got &#39;14-12&#39;)" in bad.text
    with Ledger(db) as ledger:
        assert len(ledger.match_course("K001").checkins) == 1  # type: ignore[union-attr]

    # The evaluation: the funnel on the page, and the report and workbook as downloads.
    figures = client.get("/evaluation?from=2026-10-01&to=2026-12-31")
    assert figures.status_code == 200 and "Evaluatie" in figures.text
    cells = re.findall(r"<td class=\"num\">([^<]*)</td>", figures.text)
    assert cells[:1]  # the figures are there
    report = client.get("/evaluation/report.html?from=2026-10-01&to=2026-12-31")
    assert report.headers["content-disposition"] == 'attachment; filename="evaluation.html"'
    assert "<html" in report.text
    book = client.get("/evaluation/figures.xlsx?from=2026-10-01&to=2026-12-31")
    assert zipfile.is_zipfile(io.BytesIO(book.content))
    for download in ("report.html", "figures.xlsx"):
        refused = client.get(f"/evaluation/{download}?from=2026-10-01&to=31-12")
        assert refused.status_code == 400 and "form: to: must be a date" in refused.text
    shared = client.get("/evaluation/report.html?from=2026-10-01&to=2026-12-31&pseudonymise=1")
    assert shared.status_code == 200 and shared.text != report.text  # small groups hidden


def test_the_overview_lists_what_is_due_and_completes_at_the_cap(tmp_path: Path) -> None:
    db = make_ledger(tmp_path / "matcher.db", people=False)
    _volunteers(db)
    with Ledger(db, user="test") as ledger:
        ledger.outreach_add("P1", programme="zwolle-partnerverlies", by="letter",
                            on=dt.date.today() - dt.timedelta(days=10))  # fmt: skip
    week_cap = MatchConfig(lifecycle=Lifecycle(max_match_weeks=1))
    client = logged_in(make_app(db, config=week_cap))
    overview = client.get("/").text
    assert 'href="/outreach#o-P1"' in overview and "P1</a>: 1e belpoging (" in overview
    assert "P1</a>: call 1 (" in client.get("/?lang=en").text  # as `matcher status` says it
    assert 'action="/matches/complete"' not in overview
    started = dt.date.today() - dt.timedelta(days=14)  # a week past the cap
    with Ledger(db, user="test") as ledger:
        ledger.import_clients(read_clients(EXAMPLES / "clients.csv"), on=D(10, 20))
        proposal = ledger.propose(week_cap, round_date=started)
        ledger.accept(proposal.round_id, on=started)
        past = {d.client_id for d in ledger.status(config=week_cap).due.past_end}
    assert past == {p.client_id for p in proposal.pairs}
    overview = client.get("/").text
    assert 'action="/matches/complete"' in overview
    assert overview.count(": eindigt na 1 weken (") == len(past)
    _post(client, "/", "/matches/complete", {})
    with Ledger(db) as ledger:
        assert ledger.status().active == ()
        ended = [e for e in ledger.history() if e.kind == "end"]
    assert len(ended) == len(past) and all(e.os_user == "tester" for e in ended)


def test_a_viewer_reads_the_programme_pages_but_changes_nothing(tmp_path: Path) -> None:
    db = make_ledger(tmp_path / "matcher.db", people=False)
    with_account(db, "kijker", "viewer")
    client = log_in_as(make_app(db), "kijker")
    for path in ("/outreach", "/evaluation"):
        assert client.get(path).status_code == 200
    form = client.get("/outreach")
    refused = client.post("/outreach", data={"csrf": csrf_of(form.text), "client_id": "P1",
                          "programme": "p", "by": "letter"})  # fmt: skip
    assert refused.status_code == 403
    with Ledger(db) as ledger:
        assert ledger.outreach_people() == ()


def test_the_programme_words_exist_in_both_languages() -> None:
    from matcher.rounds.due import Due
    from matcher.web.texts_programme import PROGRAMME_WORDS

    assert PROGRAMME_WORDS["nl"].keys() == PROGRAMME_WORDS["en"].keys()
    groups = {f"what_{name}" for name in vars(Due())}
    assert groups <= PROGRAMME_WORDS["nl"].keys()  # every kind of due item is said


def test_the_outreach_page_shows_one_page_the_next_call_first(tmp_path: Path) -> None:
    db = make_ledger(tmp_path / "matcher.db", people=False)
    with Ledger(db, user="test") as ledger:
        for i in range(7):  # letters a day apart: P6's first call is due first
            ledger.outreach_add(f"P{i}", programme="p", by="letter", on=D(10, 7 - i))
        ledger.outreach_close("P0", reason="no need", on=D(10, 9))
    client = logged_in(make_app(db, page_size=4))
    first = client.get("/outreach").text
    assert re.findall(r'<tr id="o-(P\d)" data-client', first) == ["P6", "P5", "P4", "P3"]
    assert "(6)" in first and "Pagina 1 van 2" in first
    second = client.get("/outreach?page=2").text
    assert re.findall(r'<tr id="o-(P\d)" data-client', second) == ["P2", "P1"]
    assert 'id="o-P0"' in second  # done: the latest, on every page
    overview = client.get("/").text  # six calls overdue, four listed
    assert overview.count(": 1e belpoging (") == 4 and "… en 2 meer" in overview
