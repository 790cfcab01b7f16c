"""What `--report` costs: `matcher match` end to end with and without the HTML report, at the
city (1,000 × 400) and region (10,000 × 4,000) sizes, and the report's size on disk.

Each size is generated from its scenario (default seed), then each command runs `--runs`
times as a subprocess (the median is reported). Writes benchmarks/results/report.json.

    python benchmarks/report.py                  # city and region, 3 runs each
    python benchmarks/report.py --sizes city --runs 1
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from speed import machine, matcher_command, versions

RESULTS: Final = Path(__file__).resolve().parent / "results"
SCENARIOS: Final = {"city": "city-scale", "region": "region-scale"}


def timed(command: list[str], runs: int) -> float:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def measure(size: str, runs: int, folder: Path) -> dict[str, Any]:
    data = folder / size
    matcher = matcher_command()
    subprocess.run([*matcher, "scenario", "generate", SCENARIOS[size], "--out", str(data)],
                   check=True, capture_output=True)  # fmt: skip
    match = [*matcher, "-q", "match", str(data / "clients.csv"), str(data / "volunteers.csv"),
             "--config", str(data / "matcher.toml"), "--out", str(data / "out")]  # fmt: skip
    report = data / "report.html"
    with_report = [*match, "--report", str(report)]
    figures = {
        "scenario": SCENARIOS[size],
        "match_s": round(timed(match, runs), 3),
        "match_with_report_s": round(timed(with_report, runs), 3),
        "report_bytes": report.stat().st_size,
    }
    figures["report_s"] = round(figures["match_with_report_s"] - figures["match_s"], 3)
    print(f"{size}: {figures}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="city,region")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sizes = {s: measure(s, args.runs, Path(folder)) for s in args.sizes.split(",")}
    RESULTS.mkdir(exist_ok=True)
    result = {"sizes": sizes, "runs": args.runs, "versions": versions(), "machine": machine()}
    (RESULTS / "report.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS / 'report.json'}")


if __name__ == "__main__":
    main()
