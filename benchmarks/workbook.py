"""A round read from workbooks against the same round read from CSV.

The national-scale scenario round (100,000 clients, 40,000 volunteers) is written as CSV by the
scenario engine, then as .xlsx by XlsxWriter with typed cells (numbers as numbers, dates as
Excel dates), as a coordinator's Excel would save it. Measured, each best of --runs:
  (a) reading: `read_clients` + `read_volunteers` in this process;
  (b) `matcher match` end to end as a subprocess, process start to files written;
and checked: both give byte-identical matches.csv. Target: the workbook run within 1.5x the
CSV run end to end. Writes benchmarks/results/workbook.json.

    python benchmarks/workbook.py              # national size
    python benchmarks/workbook.py --quick      # city size, a smoke run
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from speed import machine, matcher_command, versions  # benchmarks/ is the working folder

from matcher import scenarios
from matcher.io import read_clients, read_volunteers

HERE: Final = Path(__file__).resolve().parent
RESULTS: Final = HERE / "results"
TARGET_RATIO: Final = 1.5
_NUMBERS: Final = {"age", "lat", "lon", "max_travel_km", "capacity", "active_clients"}
_DATES: Final = {"loss_date", "waiting_since"}


def to_xlsx(source: Path, target: Path) -> None:
    """The CSV as a workbook with typed cells, streamed (XlsxWriter's constant memory mode)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    sheet = book.add_worksheet("Blad1")
    date_format = book.add_format({"num_format": "dd-mm-yyyy"})
    with source.open(newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        sheet.write_row(0, 0, header)
        for number, row in enumerate(rows, start=1):
            for column, (name, text) in enumerate(zip(header, row, strict=True)):
                if not text:
                    continue
                if name in _NUMBERS:
                    sheet.write_number(number, column, float(text))
                elif name in _DATES:
                    day = dt.datetime.strptime(text, "%Y-%m-%d")
                    sheet.write_datetime(number, column, day, date_format)
                else:
                    sheet.write_string(number, column, text)
    book.close()


def time_read(clients: Path, volunteers: Path, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        read_clients(clients)
        read_volunteers(volunteers)
        best = min(best, time.perf_counter() - started)
    return round(best, 3)


def time_match(clients: Path, volunteers: Path, out_dir: Path, runs: int, day: str) -> float:
    command = [*matcher_command(), "-q", "match", str(clients), str(volunteers)]
    command += ["--out", str(out_dir), "--date", day]
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - started)
    return round(best, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="city size instead of national")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scenario = scenarios.load("city-scale" if args.quick else "national-scale")
    day = scenario.round_date.isoformat()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        drawn = scenarios.generate_round(scenario, args.seed, round_date=scenario.round_date)
        scenarios.write_round(drawn, tmp)
        started = time.perf_counter()
        for name in ("clients", "volunteers"):
            to_xlsx(tmp / f"{name}.csv", tmp / f"{name}.xlsx")
        write_s = round(time.perf_counter() - started, 3)
        files = {
            suffix: (tmp / f"clients{suffix}", tmp / f"volunteers{suffix}")
            for suffix in (".csv", ".xlsx")
        }
        record: dict[str, Any] = {
            "clients": scenario.clients.count,
            "volunteers": scenario.volunteers.count,
            "xlsx_mb": round(sum(p.stat().st_size for p in files[".xlsx"]) / 2**20, 1),
            "csv_mb": round(sum(p.stat().st_size for p in files[".csv"]) / 2**20, 1),
            "write_xlsx_s": write_s,
        }
        for suffix, (clients, volunteers) in files.items():
            kind = suffix.lstrip(".")
            record[f"read_{kind}_s"] = time_read(clients, volunteers, args.runs)
            out = tmp / f"out-{kind}"
            record[f"match_{kind}_s"] = time_match(clients, volunteers, out, args.runs, day)
        same = (tmp / "out-csv" / "matches.csv").read_bytes() == (
            tmp / "out-xlsx" / "matches.csv"
        ).read_bytes()
    record["same_matches"] = same
    record["read_ratio"] = round(record["read_xlsx_s"] / record["read_csv_s"], 2)
    record["match_ratio"] = round(record["match_xlsx_s"] / record["match_csv_s"], 2)
    record["target_met"] = same and record["match_ratio"] <= TARGET_RATIO
    result = {
        "benchmark": "workbook",
        "date": dt.date.today().isoformat(),
        "seed": args.seed,
        "scenario": scenario.name,
        "versions": versions() | {"python-calamine": _version("python-calamine")},
        "machine": machine(),
        "target_ratio": TARGET_RATIO,
        "result": record,
    }
    RESULTS.mkdir(exist_ok=True)
    name = "workbook-quick.json" if args.quick else "workbook.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))
    if not same:
        sys.exit("the workbook round gave other matches than the CSV round")


def _version(package: str) -> str:
    from importlib import metadata

    return metadata.version(package)


if __name__ == "__main__":
    main()
