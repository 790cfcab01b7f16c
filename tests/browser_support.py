"""Headless Chromium for tests of the HTML reports: find it, start it, open a page, check it.

Playwright's Python package drives the system Chromium (Debian's ``chromium``); it never
downloads a browser of its own. The ``browser`` fixture in tests/conftest.py starts one
browser per test session through :func:`launch`; a test opens pages with :func:`open_page`:

    def test_report(browser, tmp_path):
        page, problems = open_page(browser, tmp_path / "report.html")
        assert problems == []

Without a browser the tests that use it are skipped, except where MATCHER_REQUIRE_BROWSER=1
(as in CI, whose .ci/run installs Chromium): there a missing browser fails them.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Route

REPO_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"

NO_BROWSER = (
    "no Chromium found: install Debian's chromium (apt-get install chromium) "
    "or set MATCHER_CHROMIUM; CI installs it in .ci/run"
)

# Chromium runs as root here (so no sandbox) and with no network but the package registries:
# the last four flags stop it reaching out for updates, sync and field trials by itself.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PHONE = (390, 844)

# Schemes a self-contained page may load from; any other request is blocked and reported.
_LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
_PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")


def chromium_path() -> str | None:
    """The Chromium to use: $MATCHER_CHROMIUM, else /usr/bin/chromium, else one on the PATH."""
    configured = os.environ.get("MATCHER_CHROMIUM")
    if configured:
        # Named on purpose: a wrong name should fail at launch, not skip the tests.
        return shutil.which(configured) or configured
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_required() -> bool:
    return os.environ.get("MATCHER_REQUIRE_BROWSER") == "1"


def _no_browser(reason: str) -> NoReturn:
    if browser_required():
        pytest.fail(f"{reason} (MATCHER_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@contextmanager
def launch() -> Iterator[Browser]:
    """Start headless Chromium, or skip (fail under MATCHER_REQUIRE_BROWSER=1) without one."""
    executable = chromium_path()
    if executable is None:
        _no_browser(NO_BROWSER)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("the playwright package is missing: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        # Playwright gives each launch a fresh, empty user-data-dir. A browser that is there
        # but does not start is a failure, never a skip.
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def open_page(
    browser: Browser, html_path: Path | str, *, viewport: tuple[int, int] = (1280, 900)
) -> tuple[Page, list[str]]:
    """Open a local HTML file; return the page and a live list of what went wrong on it.

    The list collects console errors and warnings, uncaught exceptions, and every request the
    page makes beyond local files ("network request: URL"), which is blocked: an empty list
    after loading shows the page works and is self-contained. Close the page when done.
    """
    width, height = viewport
    page = browser.new_page(viewport={"width": width, "height": height})
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            problems.append(f"console {message.type}: {message.text}")

    def on_request(route: Route) -> None:
        url = route.request.url
        if url.startswith(_LOCAL_SCHEMES):
            route.continue_()
        else:
            problems.append(f"network request: {url}")
            route.abort("blockedbyclient")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.route("**/*", on_request)
    page.goto(Path(html_path).resolve().as_uri())
    return page, problems


def save_artifacts(page: Page, name: str) -> Path:
    """A full-page screenshot at test-artifacts/NAME.png (repository root), to look at."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    path = ARTIFACTS_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def overflows_horizontally(page: Page) -> bool:
    """Whether the page is wider than its viewport, so a phone would scroll sideways."""
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"))


def print_pdf(page: Page, path: Path | str) -> int:
    """Print the page as the browser would (print media, A4) to PATH; return its page count."""
    page.emulate_media(media="print")
    try:
        pdf = page.pdf(path=path, format="A4")
    finally:
        page.emulate_media(media="null")  # back to the default (screen)
    return len(_PDF_PAGE.findall(pdf))
