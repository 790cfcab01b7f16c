"""The funders' two questions answered by `matcher plan`, and how a sweep scales with workers.

    python benchmarks/plan.py [--runs 200] [--cap-runs 20] [--skip-questions] [--skip-timing]

1. Pool size: the smallest volunteer pool for which high-risk clients are matched within 4
   weeks in ≥ 95 % of cases with 95 % confidence, on seniorencoach and zwolle-partnerverlies.
2. The two-year cap on the Vriendschap op Maat scenario: new couples and waiting, with and
   without `dynamics.max_match_weeks = 104`.
3. One 200-task sweep (10 cells × 20 runs) timed with 1 and 2 local processes and on a local
   Dask cluster of 2 workers; the results must be identical.

Writes benchmarks/results/plan.json (answers, every cell's estimates, wall times, versions,
machine facts). Seeded: the same numbers on any machine; only the times differ.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any, Final

from speed import machine, versions

from matcher import scenarios
from matcher.plan.sweep import PlanResult, plan
from matcher.plan.target import Target, answer
from matcher.plan.vary import cells, parse_varies, value_text

RESULTS: Final = Path(__file__).resolve().parent / "results"
HIGH_RISK: Final = Target("high_risk_within_4_weeks_pct", True, 95.0)
POOLS: Final = {
    "seniorencoach": "volunteers.count=15..40:5",
    "zwolle-partnerverlies": "volunteers.count=4..24:4",
}
TIMED: Final = ("zwolle-partnerverlies", "volunteers.count=4..22:2", 20)  # 10 cells × 20 runs


def sweep(name: str, specs: list[str], *, runs: int, **options: Any) -> tuple[PlanResult, float]:
    source, data = scenarios.scenario_data(name)
    scenario = scenarios.scenario_from_dict(data, source=source)
    varies = parse_varies(specs)
    grid = cells(data, scenario, varies)
    started = time.perf_counter()
    result = plan(scenario, varies, grid, ["optimal"], runs=runs, **options)
    return result, time.perf_counter() - started


def estimates(result: PlanResult, metrics: list[str]) -> list[dict[str, Any]]:
    summary = result.summary()
    return [
        {
            "cell": cell.label(result.varies),
            **{m: summary[cell.index]["optimal"][m] for m in metrics},
        }
        for cell in result.cells
    ]


def pool_question(name: str, runs: int, workers: int) -> dict[str, Any]:
    result, seconds = sweep(name, [POOLS[name]], runs=runs, workers=workers)
    found = answer(HIGH_RISK, result.summary(), ["optimal"])[0]
    cell = None if found.cell is None else result.cells[found.cell].label(result.varies)
    closest = (
        None if found.best_cell is None else result.cells[found.best_cell].label(result.varies)
    )
    return {
        "scenario": name,
        "vary": POOLS[name],
        "target": str(HIGH_RISK),
        "runs": runs,
        "answer": cell,
        "bound": found.bound,
        "closest": closest,
        "cells": estimates(result, ["high_risk_within_4_weeks_pct", "wait_median_all"]),
        "wall_s": round(seconds, 2),
    }


def cap_question(runs: int, workers: int) -> dict[str, Any]:
    specs = ["dynamics.max_match_weeks=none,104"]
    result, seconds = sweep("vriendschap-op-maat", specs, runs=runs, workers=workers)
    return {
        "scenario": "vriendschap-op-maat",
        "vary": specs[0],
        "runs": runs,
        "reported": {
            "new_couples_before": 38,
            "new_couples_after": 57,
            "waiting_after": 15,
            "couples": 108,
        },
        "cells": estimates(
            result, ["matches", "waiting_end", "active_matches_end", "wait_median_all"]
        ),
        "wall_s": round(seconds, 2),
    }


def facts(result: PlanResult) -> str:
    return json.dumps([(r.cell, r.run, r.metrics) for r in result.results], sort_keys=True)


def timing() -> dict[str, Any]:
    name, spec, runs = TIMED
    times, answers = {}, set()
    for label, options in (
        ("local_1", {"workers": 1}),
        ("local_2", {"workers": 2}),
        ("dask_local_cluster_2", {"workers": 2, "executor": "dask"}),
    ):
        result, seconds = sweep(name, [spec], runs=runs, **options)
        times[label] = round(seconds, 2)
        answers.add(facts(result))
    return {
        "scenario": name,
        "vary": spec,
        "tasks": 10 * runs,
        "wall_s": times,
        "speed_up_2_workers": round(times["local_1"] / times["local_2"], 2),
        "identical_results": len(answers) == 1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="runs per cell, pool question")
    parser.add_argument("--cap-runs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-questions", action="store_true")
    parser.add_argument("--skip-timing", action="store_true")
    args = parser.parse_args()
    out: dict[str, Any] = {"versions": versions(), "machine": machine()}
    if not args.skip_questions:
        out["pool_size"] = [pool_question(n, args.runs, args.workers) for n in POOLS]
        out["two_year_cap"] = cap_question(args.cap_runs, args.workers)
    if not args.skip_timing:
        out["sweep_200_tasks"] = timing()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "plan.json").write_text(json.dumps(out, indent=2, default=value_text) + "\n")
    for question in out.get("pool_size", []):
        print(f"{question['scenario']}: {question['answer'] or 'none'} "
              f"(bound {question['bound']}, closest {question['closest']}), "
              f"{question['wall_s']} s")  # fmt: skip
        for row in question["cells"]:
            stat = row["high_risk_within_4_weeks_pct"]
            print(f"  {row['cell']}: {stat['mean']:.1f} [{stat['low']:.1f}–{stat['high']:.1f}]"
                  f" over {stat.get('trials')} high-risk clients")  # fmt: skip
    if "two_year_cap" in out:
        for row in out["two_year_cap"]["cells"]:
            print("  cap", row["cell"], {k: round(v["mean"], 1) for k, v in row.items()
                                         if isinstance(v, dict)})  # fmt: skip
    if "sweep_200_tasks" in out:
        print(out["sweep_200_tasks"])


if __name__ == "__main__":
    main()
