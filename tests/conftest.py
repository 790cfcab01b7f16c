"""Fixtures shared by all test files."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests import browser_support

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session (see tests/browser_support.py).

    Skips the test without a browser, or fails it where MATCHER_REQUIRE_BROWSER=1 (CI).
    """
    with browser_support.launch() as started:
        yield started


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every test that uses the browser is a browser test: `pytest -m "not browser"` leaves it out.
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def fast_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder in memory where there is one: the ledger syncs every step to disk (by design),
    which on a shared disk is most of the test's time and none of what it checks."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=shm) as folder:
        yield Path(folder)
