"""Each kind of report in real headless Chromium: loads clean, shows its parts, fits a phone,
prints on A4. Screenshots land in test-artifacts/ to look at."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser_support import (
    PHONE,
    open_page,
    overflows_horizontally,
    print_pdf,
    save_artifacts,
)
from tests.report_support import CLIENTS as EXAMPLE_CLIENTS
from tests.report_support import DATE, KEY, VOLUNTEERS, match_report, run, simulation_report

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


def images_drawn(page: Page) -> list[str]:
    """Alt texts of the charts that failed to decode (an empty list: all drawn)."""
    broken: list[str] = page.evaluate(
        "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.alt)"
    )
    return broken


def check_page(browser: Browser, report: Path, name: str, selectors: dict[str, int]) -> None:
    page, problems = open_page(browser, report)
    try:
        for selector, at_least in selectors.items():
            assert page.locator(selector).count() >= at_least, selector
        assert images_drawn(page) == []
        assert problems == []
        save_artifacts(page, name)
        pages = print_pdf(page, report.with_suffix(".pdf"))
        assert pages >= 1
    finally:
        page.close()
    phone, problems = open_page(browser, report, viewport=PHONE)
    try:
        assert not overflows_horizontally(phone)
        assert problems == []
        save_artifacts(phone, f"{name}-phone")
    finally:
        phone.close()


def test_round_report_in_a_browser(browser: Browser, tmp_path: Path) -> None:
    report = match_report(tmp_path, "--lang", "nl")
    check_page(
        browser,
        report,
        "round-report-nl",
        {
            "#summary .facts div": 8,
            "#tier-chart img": 1,
            "#proposals tr.pair": 25,
            "#proposals .crit .bar span": 25 * 6,
            "#waiting .group": 3,
            "#recruits li": 1,
            "#map-chart img": 1,
            "#loads-chart img": 1,
        },
    )


def test_pseudonymised_english_round_report_in_a_browser(browser: Browser, tmp_path: Path) -> None:
    report = match_report(tmp_path, "--lang", "en", "--pseudonymise")
    check_page(browser, report, "round-report-en-pseudonymised",
               {"#pseudonymised": 1, "#proposals tr.pair": 25})  # fmt: skip


def test_ledger_round_report_in_a_browser(browser: Browser, tmp_path: Path) -> None:
    env = {**KEY, "MATCHER_DB": str(tmp_path / "m.db")}
    for args in (
        ("db", "init"),
        ("import", "volunteers", VOLUNTEERS),
        ("import", "clients", EXAMPLE_CLIENTS, *DATE),
    ):
        assert run(*args, env=env).exit_code == 0
    report = tmp_path / "round.html"
    assert run("round", "propose", *DATE, "--report", str(report), env=env).exit_code == 0
    check_page(browser, report, "ledger-round-report", {"#proposals tr.pair": 25})


def test_simulation_report_in_a_browser(browser: Browser, tmp_path: Path) -> None:
    report = simulation_report(tmp_path, "--lang", "nl")
    check_page(
        browser,
        report,
        "simulation-report-nl",
        {
            "#results tr.policy": 2,
            "#wait-chart img": 1,
            "#waiting-chart img": 1,
            "#matched-chart img": 1,
            "#hindsight-chart img": 1,
            "#balance-chart img": 1,
        },
    )
