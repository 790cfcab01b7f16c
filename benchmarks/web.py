"""How long the web app takes to render its pages for a region: 10,000 waiting clients and
4,000 volunteers in the ledger, and 10,000 more people approached by letter (target: the
overview, with the waiting list and what is due paginated, in under 1 s on the server; the
outreach list and the Evaluatie page likewise; the page's two charts are images of their own,
timed as the page names them: the first request draws a chart, later ones with the same
figures do not).

Seeded data of the region-scale scenario is imported into a fresh ledger (not timed); then
each page is asked for through the app in this process (Starlette's TestClient: no sockets,
so the time is the server's) several times, and the median is kept, of the wall time and of
the process's CPU time (on a shared machine the CPU time is the steadier figure). Correctness
is checked: the page says how many wait, shows one page of them, and the API's page equals the
ledger's. Writes benchmarks/results/web.json (versions, machine, load average, every figure).

    python benchmarks/web.py              # 10,000 × 4,000
    python benchmarks/web.py --quick      # 1,000 × 400
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from rounds import ROUND_DATE, write_rows
from speed import machine, versions

from matcher import scenarios
from matcher.io import read_clients, read_volunteers
from matcher.rounds import Ledger
from matcher.web import create_app
from matcher.web.settings import WebSettings

RESULTS: Final = Path(__file__).resolve().parent / "results"
TARGET_S: Final = 1.0
TOKEN: Final = "benchmark-token-" + "b" * 24
PAGES: Final = (
    "/",
    "/?page=100",
    "/api/v1/status?limit=100",
    "/round",
    "/history",
    "/outreach",
    "/outreach?page=100",
    "/api/v1/outreach?limit=100",
    "/evaluation",
    "/evaluation/charts/funnel.svg",
    "/evaluation/charts/ages.svg",
)


def build(folder: Path, n_clients: int, n_volunteers: int, seed: int) -> Path:
    region = scenarios.load("region-scale").resized(clients=n_clients, volunteers=n_volunteers)
    clients, volunteers = scenarios.generate_rows(region, seed)
    db = folder / "matcher.db"
    with Ledger.create(db) as ledger:
        ledger.import_volunteers(read_volunteers(write_rows(folder / "v.csv", volunteers)))
        ledger.import_clients(read_clients(write_rows(folder / "c.csv", clients)), on=ROUND_DATE)
        # A letter to a whole register: as many people again, approached over eight weeks.
        for i in range(n_clients):
            ledger.outreach_add(f"B{i:06d}", programme=clients[i]["programme"], by="letter",
                                on=ROUND_DATE - dt.timedelta(days=i % 56))  # fmt: skip
    return db


def time_pages(db: Path, runs: int) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    app = create_app(WebSettings(db_path=db, token=TOKEN))
    client = TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    figures: dict[str, Any] = {}
    # The charts as the page names them (by its figures), as a browser asks for them.
    evaluation = client.get("/evaluation", headers=headers).text
    assert "data:image" not in evaluation
    sources = re.findall(r'<img src="(/evaluation/charts/[^"]*)"', evaluation)
    asked = {src.split("?")[0]: html.unescape(src) for src in sources}
    for path in PAGES:
        seconds, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            answer = client.get(asked.get(path, path), headers=headers, follow_redirects=True)
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            assert answer.status_code == 200, (path, answer.status_code)
        figures[path] = {"median_s": statistics.median(seconds), "runs_s": seconds,
                         "median_cpu_s": statistics.median(cpu), "cpu_s": cpu,
                         "bytes": len(answer.content)}  # fmt: skip
    with Ledger(db) as ledger:
        waiting = ledger.status().waiting
    page = client.get("/", headers=headers).text
    assert f"({len(waiting)} wachtend)" in page
    assert len(re.findall(r'<tr class="tier-', page)) == 50  # one page, not 10,000 rows
    api = client.get("/api/v1/status?offset=100&limit=100", headers=headers).json()
    assert [w["client_id"] for w in api["waiting"]] == [w.client_id for w in waiting[100:200]]
    figures["n_waiting"] = len(waiting)
    outreach = client.get("/outreach", headers=headers).text
    assert len(re.findall(r'data-client="B', outreach)) == 50  # one page of those called
    figures["n_outreach"] = len(ledger_people(db))
    assert sorted(asked) == ["/evaluation/charts/ages.svg", "/evaluation/charts/funnel.svg"]
    return figures


def ledger_people(db: Path) -> tuple[Any, ...]:
    with Ledger(db) as ledger:
        return ledger.outreach_people()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 × 400, three runs")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    n_clients, n_volunteers, runs = (1000, 400, 3) if args.quick else (10_000, 4000, 5)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        db = build(Path(folder), n_clients, n_volunteers, args.seed)
        setup_s = time.perf_counter() - started
        figures = time_pages(db, runs)
    overview = figures["/"]["median_s"]
    evaluation = figures["/evaluation"]["median_s"]
    result = {
        "benchmark": "web",
        "clients": n_clients,
        "volunteers": n_volunteers,
        "seed": args.seed,
        "setup_s": setup_s,
        "target_s": TARGET_S,
        "overview_s": overview,
        "meets_target": overview < TARGET_S,
        "evaluation_s": evaluation,
        "evaluation_meets_target": evaluation < TARGET_S,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "pages": figures,
        "versions": versions(),
        "machine": machine(),
    }
    if not args.quick:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "web.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for path in PAGES:
        page = figures[path]
        print(f"{path:32} {page['median_s'] * 1000:8.1f} ms (CPU {page['median_cpu_s'] * 1000:.1f}"
              f" ms; first {page['runs_s'][0] * 1000:.1f} ms)")  # fmt: skip
    print(f"overview with {figures['n_waiting']} waiting and {figures['n_outreach']} in outreach:"
          f" {overview:.3f} s (target {TARGET_S} s); Evaluatie {evaluation:.3f} s")  # fmt: skip


if __name__ == "__main__":
    main()
