"""Start-up time of the command: `matcher --help` and `matcher validate` on the demo files,
and `matcher match` on the city round against what it cannot avoid loading.

Each command runs as a fresh process, as a coordinator starts it, `--repeat` times after one
warm-up run (which fills the file cache); the median is reported with the range. The machine
may be busy, so the same run also times the bare interpreter and `import numpy, pydantic,
click` (what every command needs before it can do anything) and reports each command's ratio
to that baseline: the ratio is comparable across machines and loads, the seconds are not.

The city goal of issue 16: `matcher match` on the city round (1,000 × 400, seed 0, drawn as
benchmarks/speed.py draws it) end to end in at most twice the time it takes to start Python
and import numpy, pydantic, click and OR-Tools' flow module, timed in the same loop.

Each command reads its bytecode from a cache, as an installed package does (pip compiles
it): where PYTHONDONTWRITEBYTECODE is set, as on the development machine, every run would
otherwise compile matcher's modules again (about 0.08 s of CPU for `matcher match`), a cost
no user pays. The cache is a temporary PYTHONPYCACHEPREFIX the warm-up run fills; the source
tree is left as it is. Besides the wall-clock time, the CPU time of each run (user + system,
of the process and its children) is recorded: on a loaded machine it varies less.

    python benchmarks/startup.py            # writes benchmarks/results/startup.json

With `--compare-with TREE` (a source tree of matcher, e.g. `git archive main | tar -x -C
/tmp/before`), the same loop also runs `matcher match` on the city round from that tree
(PYTHONPATH=TREE): a before/after measured side by side, which a busy machine disturbs less
than two runs apart.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from speed import ROUND_DATE, SIZES, machine, size_scenario, versions

from matcher import scenarios

ROOT: Final = Path(__file__).resolve().parent.parent
RESULTS: Final = Path(__file__).resolve().parent / "results"
CLIENTS: Final = str(ROOT / "examples" / "clients.csv")
VOLUNTEERS: Final = str(ROOT / "examples" / "volunteers.csv")
# Target of issue 16: both commands in under 0.35 s on the development machine.
TARGET_S: Final = 0.35
# The city round end to end within this many times CITY_FLOOR, in the same run.
CITY_TARGET_RATIO: Final = 2.0
PYTHON: Final = [sys.executable]
CASES: Final = {
    "python": [*PYTHON, "-c", "pass"],
    "numpy+pydantic+click": [*PYTHON, "-c", "import numpy, pydantic, click"],
    "matcher --help": [*PYTHON, "-m", "matcher", "--help"],
    "matcher validate": [*PYTHON, "-m", "matcher", "-q", "validate", CLIENTS, VOLUNTEERS],
}
BASELINE: Final = "numpy+pydantic+click"
CITY_FLOOR: Final = "numpy+pydantic+click+flow"
CITY_MATCH: Final = "matcher match (city)"
CITY_BEFORE: Final = "matcher match (city, before)"
HEAVIEST: Final = ("matcher --help", "matcher validate")


def city_cases(folder: Path) -> dict[str, list[str]]:
    """The city round's files in `folder`, and the two commands its goal compares."""
    drawn = scenarios.generate_round(size_scenario(SIZES["city"]), 0, round_date=ROUND_DATE)
    clients, volunteers, config = scenarios.write_round(drawn, folder)
    imports = "import numpy, pydantic, click; from ortools.graph.python import min_cost_flow"
    return {
        CITY_FLOOR: [*PYTHON, "-c", imports],
        CITY_MATCH: [*PYTHON, "-m", "matcher", "--quiet", "match", str(clients), str(volunteers),
                     "--config", str(config), "--out", str(folder / "out"),
                     "--date", ROUND_DATE.isoformat()],
    }  # fmt: skip


def child_env(pycache: Path) -> dict[str, str]:
    """The environment of the timed commands: bytecode cached in `pycache` (module docstring)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(pycache)}


def time_command(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run, after a warm-up (file cache, bytecode cache)."""
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=cwd)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=cwd)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def heaviest_imports(
    command: list[str], env: dict[str, str], top: int = 8, *, by_self: bool = False
) -> list[dict[str, Any]]:
    """The slowest imports of one run, from `python -X importtime`: those the program itself
    imports by cumulative time, or (`by_self`) every module by its own time."""
    done = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, cumulative, name = line.split(":", 1)[1].split("|")
        if by_self:
            rows.append({"module": name.strip(), "self_ms": int(own) / 1000})
        elif len(name) - len(name.lstrip()) == 1:  # imported by the program, not by a module
            rows.append({"module": name.strip(), "cumulative_ms": int(cumulative) / 1000})
    key = "self_ms" if by_self else "cumulative_ms"
    return sorted(rows, key=lambda row: -row[key])[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", type=Path, default=RESULTS / "startup.json")
    parser.add_argument("--compare-with", type=Path, default=None, metavar="TREE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="matcher-startup-") as folder:
        commands = {**CASES, **city_cases(Path(folder))}
        env = child_env(Path(folder) / "pycache")
        envs = dict.fromkeys(commands, env)
        # An empty folder to run in: `python -m` puts the current folder first on sys.path
        # (a checkout would shadow --compare-with's PYTHONPATH), and a matcher.toml there
        # would be read by `validate`.
        cwd = Path(folder) / "cwd"
        cwd.mkdir()
        if args.compare_with is not None:
            commands[CITY_BEFORE] = commands[CITY_MATCH]
            envs[CITY_BEFORE] = {**env, "PYTHONPATH": str(args.compare_with.resolve())}
        # Interleaved rounds: a burst of load on the machine hits every case alike.
        samples: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, command in commands.items():
                wall, used = time_command(command, envs[name], cwd)
                samples[name].append(wall)
                cpu[name].append(used)
        heaviest = {name: heaviest_imports(CASES[name], env) for name in HEAVIEST}
        # Where the city round's imports spend their time (a module's own time; pydantic's
        # lazily loaded parts count to the matcher module that first needs them).
        heaviest[CITY_MATCH] = heaviest_imports(commands[CITY_MATCH], env, 12, by_self=True)
    baseline = statistics.median(samples[BASELINE])
    cases = {}
    for name, seconds in samples.items():
        median = statistics.median(seconds)
        cases[name] = {
            "median_s": round(median, 4),
            "min_s": round(min(seconds), 4),
            "max_s": round(max(seconds), 4),
            "ratio_to_baseline": round(median / baseline, 3),
            "cpu_median_s": round(statistics.median(cpu[name]), 4),
            "runs": len(seconds),
        }
        print(f"{name:<26} median {median:.3f} s  (min {min(seconds):.3f}, max {max(seconds):.3f})"
              f"  × {median / baseline:.2f} of {BASELINE}"
              f"; CPU {statistics.median(cpu[name]):.3f} s")  # fmt: skip
    city_ratio = cases[CITY_MATCH]["median_s"] / cases[CITY_FLOOR]["median_s"]
    city_cpu_ratio = cases[CITY_MATCH]["cpu_median_s"] / cases[CITY_FLOOR]["cpu_median_s"]
    print(f"city round: {city_ratio:.2f} × {CITY_FLOOR} (CPU {city_cpu_ratio:.2f} ×;"
          f" goal ≤ {CITY_TARGET_RATIO:g})")  # fmt: skip
    before = {}
    if CITY_BEFORE in cases:
        old = cases[CITY_BEFORE]
        before = {
            "tree": str(args.compare_with),
            "ratio": round(old["median_s"] / cases[CITY_FLOOR]["median_s"], 3),
            "cpu_ratio": round(old["cpu_median_s"] / cases[CITY_FLOOR]["cpu_median_s"], 3),
        }
        print(f"before ({args.compare_with}): {before['ratio']:.2f} × {CITY_FLOOR}"
              f" (CPU {before['cpu_ratio']:.2f} ×)")  # fmt: skip
    result = {
        "benchmark": "startup",
        "target_s": TARGET_S,
        "baseline": BASELINE,
        "cases": cases,
        "city_goal": {
            "floor": CITY_FLOOR,
            "ratio": round(city_ratio, 3),
            "cpu_ratio": round(city_cpu_ratio, 3),
            "target_ratio": CITY_TARGET_RATIO,
            "met": city_ratio <= CITY_TARGET_RATIO,
            **({"before": before} if before else {}),
        },
        "bytecode": "cached in a temporary PYTHONPYCACHEPREFIX, filled by the warm-up run",
        "heaviest_imports": heaviest,
        "versions": versions(),
        "machine": machine(),
    }
    path = args.out
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {path}")


if __name__ == "__main__":
    main()
