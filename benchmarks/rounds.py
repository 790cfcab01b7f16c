"""How long a weekly round takes when the ledger holds a region: 10,000 waiting clients and
4,000 volunteers (target: `matcher round propose` under 10 s, process start to printed).

Seeded data of the region-scale scenario is imported into a fresh ledger (timed too);
then each run proposes from its own copy of that ledger, so every run sees the same state:
  (a) `matcher round propose` as a subprocess, end to end;
  (b) `Ledger.propose` in this process, with its breakdown (load, engine stages, reasons, store);
then accepting every proposal and `matcher status` are timed once. Correctness is asserted:
one proposal per matched client, nobody over capacity, every pair with its reasons.
Writes benchmarks/results/rounds.json (versions, machine, every figure).

    python benchmarks/rounds.py              # 10,000 × 4,000
    python benchmarks/rounds.py --quick      # 1,000 × 400, one run
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from speed import machine, matcher_command, versions

import matcher
from matcher import scenarios
from matcher.rounds import Ledger

ROUND_DATE: Final = scenarios.load("region-scale").round_date
RESULTS: Final = Path(__file__).resolve().parent / "results"
TARGET_S: Final = 10.0


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def build_ledger(folder: Path, n_clients: int, n_volunteers: int, seed: int) -> dict[str, Any]:
    region = scenarios.load("region-scale").resized(clients=n_clients, volunteers=n_volunteers)
    clients, volunteers = scenarios.generate_rows(region, seed)
    clients_csv = write_rows(folder / "clients.csv", clients)
    volunteers_csv = write_rows(folder / "volunteers.csv", volunteers)
    timings = {}
    with Ledger.create(folder / "base.db") as ledger:
        started = time.perf_counter()
        ledger.import_volunteers(matcher.read_volunteers(str(volunteers_csv)), on=ROUND_DATE)
        timings["import_volunteers_s"] = round(time.perf_counter() - started, 3)
        started = time.perf_counter()
        ledger.import_clients(matcher.read_clients(str(clients_csv)), on=ROUND_DATE)
        timings["import_clients_s"] = round(time.perf_counter() - started, 3)
    timings["ledger_mb"] = round((folder / "base.db").stat().st_size / 2**20, 1)
    return timings


def fresh_copy(folder: Path) -> Path:
    target = folder / "run.db"
    shutil.copyfile(folder / "base.db", target)
    return target


def time_cli(folder: Path, runs: int) -> dict[str, Any]:
    command = [*matcher_command(), "-q", "round", "propose", "--date", ROUND_DATE.isoformat(),
               "--limit", "20"]  # fmt: skip
    seconds = []
    for _ in range(runs):
        db = fresh_copy(folder)
        started = time.perf_counter()
        done = subprocess.run(
            command, env={**os.environ, "MATCHER_DB": str(db)}, capture_output=True, text=True
        )
        seconds.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return {
        "runs": runs,
        "seconds": [round(s, 3) for s in seconds],
        "best_s": round(min(seconds), 3),
        "median_s": round(statistics.median(seconds), 3),
        "first_line": done.stdout.splitlines()[0],
    }


def check(db: Path, n_pairs: int) -> None:
    """What must hold of a stored round, in plain SQL."""
    conn = sqlite3.connect(db)
    try:
        stored = conn.execute("SELECT count(*), min(length(reasons)) FROM proposals").fetchone()
        assert stored[0] == n_pairs and stored[1] > 0, stored
        over = conn.execute(
            "SELECT count(*) FROM (SELECT p.volunteer_id, count(*) AS n,"
            " json_extract(v.record, '$.capacity') - json_extract(v.record, '$.active_clients')"
            " AS free FROM proposals p JOIN volunteers v USING (volunteer_id)"
            " GROUP BY p.volunteer_id) WHERE n > free"
        ).fetchone()[0]
        assert over == 0, f"{over} volunteers over capacity"
    finally:
        conn.close()


def time_library(folder: Path, runs: int) -> dict[str, Any]:
    seconds, proposal = [], None
    for _ in range(runs):
        db = fresh_copy(folder)
        with Ledger(db) as ledger:
            started = time.perf_counter()
            proposal = ledger.propose(round_date=ROUND_DATE)
            seconds.append(time.perf_counter() - started)
        check(db, len(proposal.pairs))
    assert proposal is not None
    db = folder / "run.db"
    with Ledger(db) as ledger:
        started = time.perf_counter()
        accepted = ledger.accept(proposal.round_id, on=ROUND_DATE)
        accept_s = time.perf_counter() - started
        started = time.perf_counter()
        ledger.status(on=ROUND_DATE)
        status_s = time.perf_counter() - started
    return {
        "runs": runs,
        "seconds": [round(s, 3) for s in seconds],
        "best_s": round(min(seconds), 3),
        "status": proposal.status,
        "n_waiting": proposal.n_waiting,
        "n_volunteers": proposal.n_volunteers,
        "n_proposals": len(proposal.pairs),
        "n_left_waiting": len(proposal.waiting),
        "objective_units": proposal.objective_units,
        "breakdown_s": {key: round(value, 3) for key, value in proposal.timings.items()},
        "accept_all_s": round(accept_s, 3),
        "n_accepted": len(accepted),
        "status_after_s": round(status_s, 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 × 400, one run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    n_clients, n_volunteers = (1_000, 400) if args.quick else (10_000, 4_000)
    runs = 1 if args.quick else args.runs
    out = args.out or RESULTS / ("rounds-quick.json" if args.quick else "rounds.json")

    with tempfile.TemporaryDirectory(prefix="matcher-rounds-") as tmp:
        folder = Path(tmp)
        print(f"ledger of {n_clients:,} × {n_volunteers:,} …", file=sys.stderr, flush=True)
        setup = build_ledger(folder, n_clients, n_volunteers, args.seed)
        print("matcher round propose …", file=sys.stderr, flush=True)
        cli = time_cli(folder, runs)
        print("Ledger.propose …", file=sys.stderr, flush=True)
        library = time_library(folder, runs)
    report = {
        "benchmark": "rounds",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seed": args.seed,
        "round_date": ROUND_DATE.isoformat(),
        "n_clients": n_clients,
        "n_volunteers": n_volunteers,
        "target_s": TARGET_S,
        "met": cli["median_s"] < TARGET_S,
        "versions": versions(),
        "machine": machine(),
        "setup": setup,
        "cli_propose": cli,
        "library_propose": library,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"{n_clients:,} waiting × {n_volunteers:,} volunteers: `matcher round propose`"
        f" median {cli['median_s']:.2f} s (best {cli['best_s']:.2f} s; target < {TARGET_S:g} s),"
        f" Ledger.propose best {library['best_s']:.2f} s;"
        f" {library['n_proposals']:,} proposals ({library['status']})"
    )
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
