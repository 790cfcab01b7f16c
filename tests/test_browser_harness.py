"""The browser harness itself (tests/browser_support.py), on small pages written here."""

from __future__ import annotations

import re
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

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

CLEAN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Clean</title>
<style>body { font-family: sans-serif; } @media print { .screen-only { display: none; } }</style>
</head><body><h1>Matches — week 47 ✓</h1><p class="screen-only">On screen only.</p>
<table><tr><th>Client</th><th>Volunteer</th></tr><tr><td>C1</td><td>V7</td></tr></table>
<script>document.body.dataset.ready = "yes";</script>
</body></html>
"""


def write(tmp_path: Path, body: str, name: str = "page.html") -> Path:
    path = tmp_path / name
    if not body.lstrip().startswith("<!doctype"):
        body = f'<!doctype html><html><head><meta charset="utf-8"></head><body>{body}</body></html>'
    path.write_text(body, encoding="utf-8")
    return path


def test_clean_page_has_no_problems(browser: Browser, tmp_path: Path) -> None:
    page, problems = open_page(browser, write(tmp_path, CLEAN))
    try:
        assert page.get_attribute("body", "data-ready") == "yes"
        assert problems == []
    finally:
        page.close()


def test_console_error_and_uncaught_exception_are_reported(
    browser: Browser, tmp_path: Path
) -> None:
    html = (
        '<script>console.error("x"); console.warn("w");</script>'
        '<script>throw new Error("boom")</script>'
    )
    page, problems = open_page(browser, write(tmp_path, html))
    try:
        assert "console error: x" in problems
        assert "console warning: w" in problems
        assert any(p.startswith("page error:") and "boom" in p for p in problems), problems
    finally:
        page.close()


def test_network_request_is_blocked_and_reported(browser: Browser, tmp_path: Path) -> None:
    page, problems = open_page(browser, write(tmp_path, '<img src="https://example.org/x.png">'))
    try:
        assert "network request: https://example.org/x.png" in problems
        # Blocked, so the image never loaded.
        assert page.evaluate("document.images[0].naturalWidth") == 0
    finally:
        page.close()


def test_screenshot_is_a_png(browser: Browser, tmp_path: Path) -> None:
    page, _ = open_page(browser, write(tmp_path, CLEAN))
    try:
        path = save_artifacts(page, "harness-clean")
    finally:
        page.close()
    assert path.parent.name == "test-artifacts"
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_phone_overflow_is_detected(browser: Browser, tmp_path: Path) -> None:
    clean = write(tmp_path, CLEAN, "clean.html")
    wide = write(tmp_path, '<div style="width: 2000px">wide</div>', "wide.html")
    for path, expected in ((clean, False), (wide, True)):
        page, problems = open_page(browser, path, viewport=PHONE)
        try:
            assert page.evaluate("window.innerWidth") == PHONE[0]
            assert overflows_horizontally(page) is expected, path.name
            assert problems == []
        finally:
            page.close()


def test_pdf_is_a4_and_counts_pages(browser: Browser, tmp_path: Path) -> None:
    long = "".join(f'<p style="height: 200px">Row {i}</p>' for i in range(20))
    for body, least in ((CLEAN, 1), (long, 3)):
        page, _ = open_page(browser, write(tmp_path, body))
        try:
            out = tmp_path / "out.pdf"
            pages = print_pdf(page, out)
            assert pages >= least
            pdf = out.read_bytes()
            assert pdf.startswith(b"%PDF-")
            # A4 is 595 x 842 points.
            assert re.search(rb"/MediaBox \[0 0 59[56][.\d]* 84[23][.\d]*\]", pdf), pdf[:2000]
            # The page is back on screen media afterwards.
            assert page.evaluate("matchMedia('screen').matches")
        finally:
            page.close()
