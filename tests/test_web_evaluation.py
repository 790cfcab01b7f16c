"""The Evaluatie page loads its charts as images of their own: each one the same SVG, with the
same text alternative, as in the report download for the same period and language; under the
app's strict headers; the page's query escaped into the image addresses."""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
import threading
from pathlib import Path
from typing import Any

import pytest

from matcher.io import read_clients, read_volunteers
from matcher.report.charts import count_bars
from matcher.rounds import Ledger
from matcher.web import evaluation_charts as charts
from matcher.web.security import CSP
from tests.web_support import EXAMPLES, logged_in, make_app, make_ledger

DAY = dt.date(2026, 11, 2)
QUERIES = ("", "from=2026-03-01&to=2026-12-31", "to=2026-12-31&programme=zwolle-partnerverlies")


@pytest.fixture
def client(tmp_path: Path) -> Any:
    db = make_ledger(tmp_path / "matcher.db", people=False)
    clients = read_clients(EXAMPLES / "clients.csv")
    with Ledger(db, user="test") as ledger:
        ledger.import_volunteers(read_volunteers(EXAMPLES / "volunteers.csv"), on=DAY)
        for i, client in enumerate(clients[:6]):
            ledger.outreach_add(client.client_id, programme=client.programme, by="letter",
                                on=dt.date(2026, 4, 1) + dt.timedelta(days=i))  # fmt: skip
        ledger.import_clients(clients, on=DAY - dt.timedelta(days=1))
        proposal = ledger.propose(round_date=DAY)
        ledger.accept(proposal.round_id, on=DAY)
    return logged_in(make_app(db))


def images(page: str) -> dict[str, tuple[str, str]]:
    """Each <img> of a page: its source and text alternative, by chart name."""
    found = re.findall(r'<img src="([^"]*)" alt="([^"]*)"', page)
    return {re.sub(r"\W.*", "", src.rsplit("/", 1)[1]): (src, alt) for src, alt in found}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_each_chart_is_the_reports_image(client: Any, lang: str) -> None:
    for query in QUERIES:
        asked = f"{query}&lang={lang}" if query else f"lang={lang}"
        page = client.get(f"/evaluation?{asked}")
        assert page.status_code == 200 and "data:image" not in page.text
        shown = images(page.text)
        assert sorted(shown) == ["ages", "funnel"]
        report = client.get(f"/evaluation/report.html?{asked}").text
        embedded = {
            (base64.b64decode(uri), html.unescape(alt))
            for uri, alt in re.findall(
                r'<img src="data:image/svg\+xml;base64,([^"]*)" alt="([^"]*)"', report
            )
        }
        assert len(embedded) == 2
        for name, (src, alt) in shown.items():
            assert re.fullmatch(
                rf"/evaluation/charts/{name}\.svg\?{re.escape(html.escape(asked))}"
                r"&amp;figures=[0-9a-f]{16}",
                src,
            )
            image = client.get(html.unescape(src))
            assert image.status_code == 200
            assert image.headers["content-type"] == "image/svg+xml"
            assert image.headers["content-security-policy"] == CSP
            assert image.headers["x-content-type-options"] == "nosniff"
            assert (image.content, html.unescape(alt)) in embedded


def test_a_chart_is_drawn_from_the_figures_the_page_showed(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The image does not count the ledger again, and is drawn once per figures; figures this
    server no longer keeps are counted again from the period."""
    src, _ = images(client.get("/evaluation?to=2026-12-31").text)["funnel"]
    src = html.unescape(src)
    first = client.get(src).content
    drawn = charts.drawn.cache_info()
    with monkeypatch.context() as patched:
        patched.setattr(Ledger, "evaluate", None)  # counting again would fail
        assert client.get(src).content == first
    assert charts.drawn.cache_info().hits == drawn.hits + 1
    unknown = re.sub(r"figures=\w+", "figures=" + "0" * 16, src)
    assert client.get(unknown).content == first
    assert client.get(src.replace("funnel.svg", "ages.svg")).status_code == 200
    assert client.get(re.sub(r"figures=\w+", "figures=X", src)).status_code == 422


def test_a_wrong_chart_or_date_is_refused(client: Any) -> None:
    assert client.get("/evaluation/charts/names.svg").status_code == 404
    refused = client.get("/evaluation/charts/funnel.svg?to=31-12")
    assert refused.status_code == 400 and "form: to: must be a date" in refused.text


def test_the_query_is_escaped_into_the_image_addresses(client: Any) -> None:
    hostile = '"><script>alert(1)</script>'
    page = client.get("/evaluation", params={"programme": hostile}).text
    assert "<script>alert" not in page
    for src, _ in images(page).values():
        assert client.get(html.unescape(src)).status_code == 200


def test_charts_drawn_at_once_are_the_charts_drawn_one_by_one() -> None:
    """A browser asks for both images at once, and the server draws them in two threads;
    matplotlib's style is global, so without one drawing at a time a chart could come out in
    other sizes (and stay so in the cache)."""
    asked = [(("a", "b", "c"), (5, 9, 3), "cliënten"), (("x", "y"), (50, 9), "people")] * 2
    alone = [count_bars(*chart).svg for chart in asked]
    for _ in range(4):
        drawn: dict[int, bytes] = {}

        def draw(k: int, chart: tuple[Any, ...], into: dict[int, bytes] = drawn) -> None:
            into[k] = count_bars(*chart).svg

        threads = [threading.Thread(target=draw, args=item) for item in enumerate(asked)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [drawn[k] for k in range(len(asked))] == alone
