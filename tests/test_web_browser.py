"""A coordinator's two weekly rounds done only through the pages, in headless Chromium; and
one person from the letter to the first check-in.

The server listens on 127.0.0.1 on a free port and is stopped by the test. After each step
the ledger is read with the library, not through the app. Screenshots: test-artifacts/web-*.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from matcher.io import read_volunteers
from matcher.io.workbook_out import Sheet, format_xlsx
from matcher.rounds import Ledger
from tests.browser_support import ARTIFACTS_DIR, PHONE, overflows_horizontally, save_artifacts
from tests.web_support import EXAMPLES, TOKEN, make_app, make_ledger, serving

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


def _workbook(kind: str, folder: Path) -> Path:
    """The example sheet as the .xlsx a coordinator keeps (semicolons, Dutch decimals)."""
    with (EXAMPLES / f"{kind}.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    path = folder / f"{kind}.xlsx"
    path.write_bytes(format_xlsx([Sheet(kind, rows[0], rows[1:])]))
    return path


def _watch(page: Page, base: str) -> list[str]:
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda error: problems.append(str(error)))

    def on_request(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(base):
            route.continue_()  # type: ignore[attr-defined]
        else:
            problems.append(f"request elsewhere: {url}")
            route.abort("blockedbyclient")  # type: ignore[attr-defined]

    page.route("**/*", on_request)
    return problems


def _import(page: Page, base: str, kind: str, path: Path) -> None:
    page.goto(f"{base}/import")
    page.select_option("select[name=kind]", kind)
    page.set_input_files("input[name=file]", str(path))
    page.click("form[action='/import'] button[type=submit]")
    assert page.locator("text=Geen problemen").count() == 1, page.content()
    assert page.locator("table tbody tr").count() > 5  # the column mapping
    page.click("button[value=all]")
    page.wait_for_selector("p.ok")


def _ledger(db: Path) -> Ledger:
    return Ledger(db, user="checker")


def test_two_weekly_rounds_through_the_pages(browser: Browser, tmp_path: Path) -> None:
    db = make_ledger(tmp_path / "matcher.db", people=False)
    app = make_app(db)
    today = dt.date.today()
    with serving(app) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        problems = _watch(page, base)
        page.goto(f"{base}/login?token={TOKEN}")
        assert page.url == f"{base}/"
        assert page.locator("h1").inner_text() == "Overzicht"

        # Week 1: volunteers and clients from workbooks.
        _import(page, base, "volunteers", _workbook("volunteers", tmp_path))
        _import(page, base, "clients", _workbook("clients", tmp_path))
        save_artifacts(page, "web-import")
        with _ledger(db) as ledger:
            status = ledger.status()
            assert len(status.waiting) == 30 and len(status.volunteers) == 15

        page.goto(f"{base}/round")
        page.select_option("select[name=policy]", "optimal")
        page.click("form[action='/rounds'] button[type=submit]")
        page.wait_for_url(f"{base}/rounds/1")
        save_artifacts(page, "web-round-1")
        # The README's picture (docs/web-round.png is a copy): the top of the round's page.
        page.screenshot(path=ARTIFACTS_DIR / "web-round-1-top.png")
        with _ledger(db) as ledger:
            first = ledger.round(1)
        assert len(first.pairs) >= 3
        assert page.locator("table.pairs tbody tr").count() == len(first.pairs)

        # Accept all but one; decline that one with a reason.
        declined = first.pairs[0]
        page.uncheck(f"input[name=client][value='{declined.client_id}']")
        page.click("button[form=accept]")
        page.wait_for_url(f"{base}/rounds/1")
        with _ledger(db) as ledger:
            active = {m.client_id for m in ledger.status().active}
        assert active == {p.client_id for p in first.pairs[1:]}
        row = page.locator(f"tr[data-client='{declined.client_id}']")
        row.locator("summary").click()
        row.locator("select[name=by]").select_option("client")
        row.locator("input[name=reason]").fill("wil liever een vrouw")
        row.locator("form button[type=submit]").click()
        page.wait_for_url(f"{base}/rounds/1")
        with _ledger(db) as ledger:
            kinds = [e.kind for e in ledger.history(client_id=declined.client_id)]
            assert kinds[-1] == "decline"
            assert ledger.round(1).pairs[0].decision == "declined"

        # End a match; pause a volunteer.
        ending = first.pairs[1]
        page.goto(f"{base}/clients/{ending.client_id}")
        page.select_option("select[name=reason]", "moved")
        page.click("form[action$='/end'] button[type=submit]")
        page.wait_for_url(f"{base}/clients/{ending.client_id}")
        with _ledger(db) as ledger:
            assert ending.client_id not in {m.client_id for m in ledger.status().active}
        paused = first.pairs[2].volunteer_id
        page.goto(f"{base}/volunteers/{paused}")
        page.fill("input[name=until]", (today + dt.timedelta(days=28)).isoformat())
        page.click("form[action$='/pause'] button[type=submit]")
        page.wait_for_url(f"{base}/volunteers/{paused}")
        save_artifacts(page, "web-volunteer")
        with _ledger(db) as ledger:
            load = {v.volunteer_id: v for v in ledger.status().volunteers}[paused]
            assert load.paused_until == today + dt.timedelta(days=28)

        # Week 2: propose again; the declined pair and the paused volunteer are left out.
        page.goto(f"{base}/round")
        page.wait_for_url(f"{base}/rounds/1")
        page.click("form[action='/rounds'] button[type=submit]")
        page.wait_for_url(f"{base}/rounds/2")
        save_artifacts(page, "web-round-2")
        with _ledger(db) as ledger:
            second = ledger.round(2)
        pairs = {(p.client_id, p.volunteer_id) for p in second.pairs}
        assert (declined.client_id, declined.volunteer_id) not in pairs
        assert paused not in {v for _, v in pairs}

        # Forget a client: the id typed to confirm.
        gone = second.waiting[0].client_id if second.waiting else declined.client_id
        page.goto(f"{base}/clients/{gone}")
        page.fill("input[name=confirm]", gone)
        page.click("form[action$='/forget'] button[type=submit]")
        page.wait_for_url(f"{base}/")
        with _ledger(db) as ledger:
            assert gone not in {w.client_id for w in ledger.status().waiting}
            assert ledger.history(client_id=gone) == []

        # English on request; the overview fits a phone and holds what the ledger holds.
        page.click("button[lang=en]")
        page.wait_for_url(f"{base}/")
        assert page.locator("h1").inner_text() == "Overview"
        save_artifacts(page, "web-overview")
        phone = context.new_page()
        phone.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
        phone.goto(f"{base}/rounds/2")
        assert not overflows_horizontally(phone)
        save_artifacts(phone, "web-round-2-phone")
        assert problems == []
        context.close()


def test_a_person_from_letter_to_check_in_through_the_pages(
    browser: Browser, tmp_path: Path
) -> None:
    """Outreach → intake → round → introduction → klik → check-in, only through the pages."""
    db = make_ledger(tmp_path / "matcher.db", people=False)
    with _ledger(db) as ledger:
        ledger.import_volunteers(read_volunteers(EXAMPLES / "volunteers.csv"))
    with serving(make_app(db)) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        problems = _watch(page, base)
        page.goto(f"{base}/login?token={TOKEN}")

        # A letter on 1 October (before K001 starts waiting in the example sheet), then a call.
        page.goto(f"{base}/outreach")
        add = page.locator("form#outreach-add")
        add.locator("input[name=client_id]").fill("K001")
        add.locator("input[name=programme]").fill("zwolle-partnerverlies")
        add.locator("select[name=by]").select_option("letter")
        add.locator("input[name=source]").fill("gemeente")
        add.locator("input[name=date]").fill("2026-10-01")
        add.locator("button[type=submit]").click()
        page.wait_for_url(f"{base}/outreach")
        with _ledger(db) as ledger:
            (person,) = ledger.outreach_people()
        assert (person.state, person.next_call_on) == ("approached", dt.date(2026, 10, 8))
        row = page.locator("tr[data-client='K001']")
        row.locator("select[name=outcome]").select_option("appointment")
        row.locator("form.contact input[name=date]").fill("2026-10-08")
        row.locator("form.contact button[type=submit]").click()
        page.wait_for_url(f"{base}/outreach")
        save_artifacts(page, "web-outreach")
        with _ledger(db) as ledger:
            assert ledger.outreach_people()[0].state == "appointment"

        # The intake is the import of the clients' sheet; then a round, accepted.
        _import(page, base, "clients", _workbook("clients", tmp_path))
        with _ledger(db) as ledger:
            assert ledger.outreach_people()[0].state == "intake"
        page.goto(f"{base}/round")
        page.click("form[action='/rounds'] button[type=submit]")
        page.wait_for_url(f"{base}/rounds/1")
        assert page.locator("#bottlenecks").count() == 1
        page.click("button[form=accept]")
        page.wait_for_url(f"{base}/rounds/1")
        with _ledger(db) as ledger:
            course = ledger.match_course("K001")
        assert course is not None and course.introduced_on is None

        # The introduction, the klik and a check-in on the client's page.
        page.goto(f"{base}/clients/K001")
        page.click("form#introduce button[type=submit]")
        page.wait_for_url(f"{base}/clients/K001")
        with _ledger(db) as ledger:
            course = ledger.match_course("K001")
        assert course is not None and course.introduced_on == dt.date.today()
        page.click("form#confirm button[type=submit]")
        page.wait_for_url(f"{base}/clients/K001")
        with _ledger(db) as ledger:
            course = ledger.match_course("K001")
        assert course is not None and course.confirmed_on == dt.date.today()
        checkin = page.locator("form#checkin")
        checkin.locator("select[name=outcome]").select_option("going-well")
        checkin.locator("textarea[name=note]").fill("fijne eerste weken")
        checkin.locator("button[type=submit]").click()
        page.wait_for_url(f"{base}/clients/K001")
        save_artifacts(page, "web-course")
        with _ledger(db) as ledger:
            course = ledger.match_course("K001")
            kinds = [e.kind for e in ledger.history(client_id="K001")]
        assert course is not None
        assert [(c.outcome, c.note) for c in course.checkins] == [
            ("going-well", "fijne eerste weken")
        ]
        assert kinds[-3:] == ["introduce", "confirm", "checkin"]

        # The evaluation counts the person from letter to couple.
        page.goto(f"{base}/evaluation")
        approached = page.locator("#funnel-table tbody tr").first.locator("td").nth(1)
        assert approached.inner_text() == "1"
        assert problems == []
        context.close()
