"""The hindsight optimum on every programme scenario: how often it is proven, and its time.

    python benchmarks/hindsight.py [--runs 20] [--weeks 52] [--seed 0] [--workers 2]

Solves the hindsight optimum of the same worlds `benchmarks/policies.py` simulates (run r of
seed S), and writes benchmarks/results/hindsight.json (per run: the bound, whether proven,
the gap, seconds) and hindsight.md, the table the README quotes. The limits are work, not
time, so the proven counts and the values are the machine's no matter its load; the seconds
are not.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from policies import PROGRAMMES
from speed import machine, versions

from matcher import scenarios
from matcher.simulate import run_world
from matcher.simulate.hindsight import hindsight_optimum
from matcher.simulate.scenario import dynamics_of, sampler_of

RESULTS: Final = Path(__file__).resolve().parent / "results"
DISCOUNT: Final = 0.97
# Every programme scenario: the policy comparison's, and the buddy programme the planner's
# two-year-cap question runs on.
HINDSIGHT_PROGRAMMES: Final = (*PROGRAMMES, "vriendschap-op-maat")


def solve(name: str, run: int, weeks: int, seed: int) -> dict[str, Any]:
    scenario = scenarios.load(name)
    world = run_world(run, dynamics_of(scenario), sampler_of(scenario), weeks=weeks, seed=seed)
    started = time.perf_counter()
    result = hindsight_optimum(world, scenario.config, weekly_discount=DISCOUNT)
    seconds = time.perf_counter() - started
    return {
        "run": run,
        "value": result.value,
        "exact": result.exact,
        "gap": result.gap,
        "seconds": round(seconds, 2),
    }


def markdown(entries: list[dict[str, Any]], runs: int, weeks: int) -> str:
    lines = [
        f"| scenario ({runs} runs of {weeks} weeks) | proven optimal | largest gap where not"
        " | seconds per run: mean | max |",
        "|---|---|---|---|---|",
    ]
    for entry in entries:
        done = entry["runs"]
        proven = sum(r["exact"] for r in done)
        gaps = [r["gap"] for r in done if not r["exact"]]
        gap = f"{100 * max(gaps):.3f} %" if gaps else "—"
        seconds = [r["seconds"] for r in done]
        lines.append(
            f"| {entry['scenario']} | {proven}/{len(done)} | {gap} |"
            f" {sum(seconds) / len(seconds):.1f} | {max(seconds):.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenarios", default=",".join(HINDSIGHT_PROGRAMMES))
    args = parser.parse_args()
    names = args.scenarios.split(",")
    load_at_start = os.getloadavg()[0]
    with ProcessPoolExecutor(args.workers) as pool:
        futures = {
            name: [pool.submit(solve, name, r, args.weeks, args.seed) for r in range(args.runs)]
            for name in names
        }
        entries = [
            {"scenario": name, "runs": [f.result() for f in futures[name]]} for name in names
        ]
    RESULTS.mkdir(exist_ok=True)
    report = {
        "benchmark": "hindsight",
        "command": f"python benchmarks/hindsight.py --runs {args.runs} --weeks {args.weeks}"
        f" --seed {args.seed} --workers {args.workers}",
        "runs": args.runs,
        "weeks": args.weeks,
        "seed": args.seed,
        "versions": versions() | {"pyscipopt": metadata.version("pyscipopt")},
        "machine": machine(),
        # The seconds depend on what else the machine ran; the proofs and values do not.
        "load_average_1min": {"start": load_at_start, "end": os.getloadavg()[0]},
        "scenarios": entries,
    }
    (RESULTS / "hindsight.json").write_text(json.dumps(report, indent=2) + "\n")
    table = markdown(entries, args.runs, args.weeks)
    (RESULTS / "hindsight.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
