"""Start-up time of the command: `matcher --help` and `matcher validate` on the demo files.

Each command runs as a fresh process, as a coordinator starts it, `--repeat` times after one
warm-up run (which fills the file cache); the median is reported with the range. The machine
may be busy, so the same run also times the bare interpreter and `import numpy, pydantic,
click` (what every command needs before it can do anything) and reports each command's ratio
to that baseline: the ratio is comparable across machines and loads, the seconds are not.

    python benchmarks/startup.py            # writes benchmarks/results/startup.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Final

from speed import machine, versions

ROOT: Final = Path(__file__).resolve().parent.parent
RESULTS: Final = Path(__file__).resolve().parent / "results"
CLIENTS: Final = str(ROOT / "examples" / "clients.csv")
VOLUNTEERS: Final = str(ROOT / "examples" / "volunteers.csv")
# Target of issue 16: both commands in under 0.35 s on the development machine.
TARGET_S: Final = 0.35
PYTHON: Final = [sys.executable]
CASES: Final = {
    "python": [*PYTHON, "-c", "pass"],
    "numpy+pydantic+click": [*PYTHON, "-c", "import numpy, pydantic, click"],
    "matcher --help": [*PYTHON, "-m", "matcher", "--help"],
    "matcher validate": [*PYTHON, "-m", "matcher", "-q", "validate", CLIENTS, VOLUNTEERS],
}
BASELINE: Final = "numpy+pydantic+click"


def time_command(command: list[str], repeat: int) -> list[float]:
    subprocess.run(command, check=True, capture_output=True)  # warm-up: the file cache
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        seconds.append(time.perf_counter() - started)
    return seconds


def heaviest_imports(command: list[str], top: int = 8) -> list[dict[str, Any]]:
    """The slowest imports (cumulative) of one run, from `python -X importtime`."""
    done = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]], capture_output=True, text=True, check=True
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.split(":", 1)[1].split("|")
        if len(name) - len(name.lstrip()) == 1:  # imported by the program, not by a module
            rows.append({"module": name.strip(), "cumulative_ms": int(cumulative) / 1000})
    return sorted(rows, key=lambda row: -row["cumulative_ms"])[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    # Interleaved rounds: a burst of load on the machine hits every case alike.
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.repeat):
        for name, command in CASES.items():
            samples[name] += time_command(command, 1)
    baseline = statistics.median(samples[BASELINE])
    cases = {}
    for name, seconds in samples.items():
        median = statistics.median(seconds)
        cases[name] = {
            "median_s": round(median, 4),
            "min_s": round(min(seconds), 4),
            "max_s": round(max(seconds), 4),
            "ratio_to_baseline": round(median / baseline, 3),
            "runs": len(seconds),
        }
        print(f"{name:<22} median {median:.3f} s  (min {min(seconds):.3f}, max {max(seconds):.3f})"
              f"  × {median / baseline:.2f} of {BASELINE}")  # fmt: skip
    result = {
        "benchmark": "startup",
        "target_s": TARGET_S,
        "baseline": BASELINE,
        "cases": cases,
        "heaviest_imports": {
            name: heaviest_imports(CASES[name]) for name in ("matcher --help", "matcher validate")
        },
        "versions": versions(),
        "machine": machine(),
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "startup.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {path}")


if __name__ == "__main__":
    main()
