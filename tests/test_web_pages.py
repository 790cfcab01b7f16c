"""The pages in-process: pagination, import preview and partial import, reports, busy, words."""

from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

from matcher.rounds import Ledger
from tests.web_support import (
    EXAMPLES,
    csrf_of,
    logged_in,
    make_app,
    make_ledger,
    serving,
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_ledger(tmp_path / "matcher.db")


def test_status_pages_put_together_are_the_whole_waiting_list(db: Path) -> None:
    with Ledger(db) as ledger:
        whole = ledger.status()
        pages = [ledger.status(offset=start, limit=7) for start in range(0, 35, 7)]
    assert whole.n_waiting == len(whole.waiting) == 30
    assert all(page.n_waiting == 30 for page in pages)
    assert tuple(w for page in pages for w in page.waiting) == whole.waiting
    assert pages[0].flags == whole.flags and pages[0].volunteers == whole.volunteers


def test_the_overview_shows_one_page_of_the_waiting_list(db: Path) -> None:
    client = logged_in(make_app(db, page_size=12))
    first = client.get("/").text
    assert "(30 wachtend)" in first and "Pagina 1 van 3" in first
    assert len(re.findall(r'<tr class="tier-', first)) == 12
    last = client.get("/?page=9").text  # past the end: the last page
    assert "Pagina 3 van 3" in last
    assert len(re.findall(r'<tr class="tier-', last)) == 6
    assert client.get("/?page=0").status_code == 422


def _preview(client: object, name: str, data: bytes, kind: str = "clients") -> str:
    page = client.get("/import")  # type: ignore[attr-defined]
    answer = client.post(  # type: ignore[attr-defined]
        "/import",
        data={"csrf": csrf_of(page.text), "kind": kind},
        files={"file": (name, data, "text/csv")},
    )
    assert answer.status_code == 200, answer.text
    return str(answer.text)


def test_import_shows_mapping_and_problems_then_imports_only_valid_rows_on_purpose(
    tmp_path: Path,
) -> None:
    db = make_ledger(tmp_path / "matcher.db", people=False)
    client = logged_in(make_app(db))
    volunteers = (EXAMPLES / "volunteers.csv").read_bytes()
    preview = _preview(client, "vrijwilligers.csv", volunteers, "volunteers")
    assert "Geen problemen: alle 15 rijen" in preview
    assert "naam" in preview and "genegeerd" in preview  # the name column is not read
    upload = re.search(r'action="/import/([^"]+)"', preview)
    assert upload is not None
    done = client.post(f"/import/{upload.group(1)}",
                       data={"csrf": csrf_of(preview), "mode": "all"})  # fmt: skip
    assert "15 nieuw" in done.text
    lines = (EXAMPLES / "clients.csv").read_text(encoding="utf-8-sig").splitlines()
    broken = lines[3].split(";")
    broken[3] = "-4"  # age
    text = "\n".join([lines[0], lines[1], lines[2], ";".join(broken)]) + "\n"
    preview = _preview(client, "clients.csv", text.encode())
    assert "clients.csv:4: age:" in preview
    assert "Alles importeren" not in preview and "Alleen de geldige rijen importeren (2)" in preview
    upload = re.search(r'action="/import/([^"]+)"', preview)
    assert upload is not None
    with Ledger(db) as ledger:
        assert ledger.status().n_waiting == 0  # a preview imports nothing
    done = client.post(f"/import/{upload.group(1)}",
                       data={"csrf": csrf_of(preview), "mode": "valid"})  # fmt: skip
    assert "2 nieuw" in done.text and "clients.csv:4: age:" in done.text
    with Ledger(db) as ledger:
        assert ledger.status().n_waiting == 2
    again = client.post(f"/import/{upload.group(1)}",
                        data={"csrf": csrf_of(preview), "mode": "all"})  # fmt: skip
    assert again.status_code == 404  # the upload is gone once imported


def test_reports_are_downloads_of_the_round_report_and_the_export(db: Path) -> None:
    client = logged_in(make_app(db))
    csrf = csrf_of(client.get("/").text)
    assert client.post("/rounds", data={"csrf": csrf, "policy": "optimal"}).status_code == 303
    assert "round-1.html" in client.get("/reports").text
    report = client.get("/reports/rounds/1.html")
    assert report.status_code == 200
    assert report.headers["content-disposition"] == 'attachment; filename="round-1.html"'
    assert "K001" in report.text and "<html" in report.text
    english = client.get("/reports/rounds/1.html?lang=en").text
    assert "Proposals" in english
    book = client.get("/reports/rounds/1.xlsx")
    assert book.status_code == 200
    sheets = zipfile.ZipFile(io.BytesIO(book.content)).namelist()
    assert "xl/worksheets/sheet1.xml" in sheets
    export = client.get("/reports/export.zip")
    names = zipfile.ZipFile(io.BytesIO(export.content)).namelist()
    assert "clients.csv" in names and "web_users.csv" not in names  # no password hashes


def test_a_busy_ledger_is_a_page_that_says_try_again(db: Path) -> None:
    app = make_app(db, busy_timeout_s=0.05)
    client = logged_in(app)
    csrf = csrf_of(client.get("/round").text)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        answer = client.post("/rounds", data={"csrf": csrf, "policy": "optimal"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answer.status_code == 409
    assert "Het grootboek is bezig" in answer.text
    with Ledger(db) as ledger:
        assert ledger.history()[-1].kind == "import"  # no round stored


def test_explain_on_demand_and_wrong_forms_answer_with_the_problem(db: Path) -> None:
    client = logged_in(make_app(db))
    csrf = csrf_of(client.get("/").text)
    client.post("/rounds", data={"csrf": csrf, "policy": "optimal"})
    proposal = client.get("/rounds/1").text
    waiting = re.search(r'href="/rounds/1/explain/([^"]+)"', proposal)
    assert waiting is not None
    explained = client.get(f"/rounds/1/explain/{waiting.group(1)}")
    assert explained.status_code == 200 and "<pre" in explained.text
    empty = client.post("/rounds/1/accept", data={"csrf": csrf})
    assert empty.status_code == 400 and "check at least one proposal" in empty.text
    with Ledger(db) as ledger:
        assert ledger.status().active == ()  # an empty form accepts nothing
    wrong = client.post("/clients/K001/forget", data={"csrf": csrf, "confirm": "K00"})
    assert wrong.status_code == 400
    assert client.get("/clients/NOBODY").status_code == 404


def test_serve_refuses_a_network_without_accounts(db: Path) -> None:
    from click.testing import CliRunner

    from matcher.cli import main

    result = CliRunner().invoke(main, ["serve", "--db", str(db), "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "matcher user add NAME" in result.output


def test_user_add_stores_a_hash_not_the_password(db: Path) -> None:
    from click.testing import CliRunner

    from matcher.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["user", "add", "cora", "--db", str(db)],
                           input="a long password\na long password\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    short = runner.invoke(main, ["user", "add", "bob", "--db", str(db), "--password", "short"])
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    with sqlite3.connect(db) as conn:
        (stored,) = conn.execute("SELECT password_hash FROM web_users").fetchone()
    assert stored.startswith("scrypt$") and "a long password" not in stored
    listed = runner.invoke(main, ["user", "list", "--db", str(db)])
    assert listed.output.startswith("cora\tcoordinator")


def test_the_server_answers_on_a_real_socket_and_stops(db: Path) -> None:
    import httpx2 as httpx

    with serving(make_app(db)) as url:
        assert httpx.get(f"{url}/").status_code == 401
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{url}/", timeout=2)


def test_the_round_page_shows_the_engines_bottleneck_groups(db: Path) -> None:
    from matcher.bottleneck import sentence_of
    from matcher.rounds.lookup import round_bottlenecks
    from matcher.wording import bottleneck_summary

    client = logged_in(make_app(db))
    form = client.get("/round")
    answer = client.post("/rounds", data={"csrf": csrf_of(form.text), "policy": "optimal",
                                          "date": "2026-11-23"})  # fmt: skip
    assert answer.status_code == 303
    page = client.get(answer.headers["location"]).text
    with Ledger(db) as ledger:
        found = round_bottlenecks(ledger, 1)
    groups = found.bottlenecks.groups
    assert found.exact and groups  # the example round has a group with too few places
    summary = bottleneck_summary(len(groups), found.bottlenecks.must_wait, "nl")
    first = sentence_of(groups[0], "nl")
    assert summary in page and first[1:] in page
    assert 'href="/rounds/1/bottlenecks"' not in page  # the groups came with the proposal
    report = client.get("/reports/rounds/1.html").text  # and the round report says them too
    assert '<section id="bottlenecks">' in report

    # Another server (a restart) has not seen them: rebuilt on request, the same groups.
    again = logged_in(make_app(db))
    page = again.get("/rounds/1?lang=en").text
    assert 'href="/rounds/1/bottlenecks"' in page and summary not in page
    rebuilt = again.get("/rounds/1/bottlenecks")
    assert rebuilt.status_code == 303 and rebuilt.headers["location"] == "/rounds/1#bottlenecks"
    page = again.get("/rounds/1?lang=en").text
    english = bottleneck_summary(len(groups), found.bottlenecks.must_wait, "en")
    assert english in page and sentence_of(groups[0], "en")[1:] in page


def test_waarom_says_the_explanations_facts_in_dutch(db: Path) -> None:
    import html

    from matcher.bottleneck import sentence_of
    from matcher.hint_wording import hint_text
    from matcher.rounds.explain_round import render_ledger_explanation
    from matcher.wording import REASON_LABELS, unmatched_detail

    client = logged_in(make_app(db))
    form = client.get("/round")
    client.post("/rounds", data={"csrf": csrf_of(form.text), "policy": "optimal",
                                 "date": "2026-11-23"})  # fmt: skip
    with Ledger(db) as ledger:
        waiting = ledger.round(1).waiting
        found = {u.client_id: ledger.explain(u.client_id, round_id=1) for u in waiting}
    assert waiting
    for cid, explained in found.items():
        assert explained.unmatched is not None and explained.explanation is not None
        ex = explained.explanation
        # Every change the engine found is kept as facts too, one for one.
        assert len(ex.change_facts) == len(ex.changes)
        dutch = html.unescape(client.get(f"/rounds/1/explain/{cid}").text)
        label = REASON_LABELS["nl"][explained.unmatched.reason]
        detail = unmatched_detail(explained.unmatched, "nl", weights=True)
        assert f"uitkomst: wacht: {label}: {detail}" in dutch
        assert "outcome:" not in dutch and "removed by hard rules" not in dutch
        if ex.bottleneck is not None:
            assert sentence_of(ex.bottleneck, "nl", client=cid) in dutch
        said = dutch.split("wat de uitkomst zou veranderen:")
        changes = said[1].split("in het grootboek:")[0] if len(said) > 1 else ""
        assert changes.count("\n  - ") >= len(ex.change_facts)
        # What blocks each volunteer shown, in Dutch from the same facts as the English.
        shown = [hint for hints in ex.hints.values() for hint in hints]
        assert shown  # a waiting client: some rule removed some volunteer
        for hint in shown:
            assert f"\n      {hint_text(hint, 'nl')}\n" in dutch
        english = html.unescape(client.get(f"/rounds/1/explain/{cid}?lang=en").text)
        assert render_ledger_explanation(explained) in english
