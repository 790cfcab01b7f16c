"""Every policy on every programme scenario: quality and time over simulated years.

    python benchmarks/policies.py [--runs 20] [--weeks 52] [--workers 2] [--scenarios a,b]
    python benchmarks/policies.py --resummarise   # the tables again from the stored runs
    python benchmarks/policies.py --hindsight-from results/hindsight.json   # newer hindsight

Writes benchmarks/results/policies.json (all metrics with 95 % intervals, every run's own
metrics (null where undefined, e.g. a run without high-risk clients), hindsight per run, wall
time per scenario, versions, machine facts) and benchmarks/results/policies.md, the table the
README quotes. The zwolle-partnerverlies wall time is the issue's 2-minute check.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any, Final

from speed import machine, versions

from matcher import scenarios
from matcher.policies import POLICY_NAMES
from matcher.report.comparison import coverage_notes, interval_cell
from matcher.report.texts import texts
from matcher.simulate import simulate
from matcher.simulate.metrics import summarise
from matcher.simulate.scenario import dynamics_of, sampler_of

RESULTS: Final = Path(__file__).resolve().parent / "results"
PROGRAMMES: Final = (
    "zwolle-partnerverlies",
    "draad-weer-oppakken",
    "seniorencoach",
    "levensboek",
    "welzijn-op-recept",
    "volunteer-shortage",
    "rural",
)
COLUMNS: Final = (
    ("matched_pct", "matched %", 1),
    ("pct_of_hindsight", "% of hindsight", 1),
    ("wait_median_all", "wait median (wk)", 1),
    ("wait_p90_all", "wait p90 (wk)", 1),
    ("high_risk_within_4_weeks_pct", "high risk ≤ 4 wk %", 1),
    ("same_loss_pct", "same loss %", 1),
    ("load_gini", "load Gini", 2),
    ("round_ms", "ms / round", 1),
)


def run(name: str, *, runs: int, weeks: int, workers: int, seed: int) -> dict[str, Any]:
    scenario = scenarios.load(name)
    started = time.perf_counter()
    result = simulate(
        dynamics_of(scenario),
        sampler_of(scenario),
        list(POLICY_NAMES),
        weeks=weeks,
        runs=runs,
        seed=seed,
        workers=workers,
        config=scenario.config,
    )
    return {
        "scenario": name,
        "wall_s": round(time.perf_counter() - started, 2),
        "hindsight_exact_runs": result.hindsight_exact_runs,
        "hindsight": [
            {"value": r.hindsight.value, "exact": r.hindsight.exact, "gap": r.hindsight.gap}
            for r in result.runs
        ],
        "policies": result.summary(),
        # JSON has no NaN: an undefined value of a run is null.
        "runs": [
            {
                policy: {k: None if math.isnan(v) else v for k, v in r.metrics[policy].items()}
                for policy in result.policies
            }
            for r in result.runs
        ],
    }


def resummarise(entry: dict[str, Any]) -> dict[str, Any]:
    """The summary of a stored scenario again from its runs' own metrics."""
    runs = [
        {policy: {k: math.nan if v is None else v for k, v in m.items()} for policy, m in r.items()}
        for r in entry["runs"]
    ]
    policies = {policy: summarise([r[policy] for r in runs]) for policy in entry["runs"][0]}
    return entry | {"policies": policies}


def with_hindsight(report: dict[str, Any], hindsight: dict[str, Any]) -> dict[str, Any]:
    """The stored runs against a newer hindsight optimum of the same worlds.

    benchmarks/hindsight.py solves run r of seed S, as the simulation does, so only the
    hindsight value changes: % of hindsight is rescaled by old value / new value (the same
    number as a rerun gives, up to float rounding), and each run's bound, proof and gap are
    replaced. A run proven in both must have the same value, or the worlds differ.
    """
    same = (hindsight["runs"], hindsight["weeks"], hindsight["seed"]) == (
        report["runs"],
        report["weeks"],
        int(report["command"].rsplit("--seed ", 1)[1].split()[0]),
    )
    if not same:
        raise SystemExit("hindsight.json: other runs, weeks or seed than policies.json")
    solved = {entry["scenario"]: entry["runs"] for entry in hindsight["scenarios"]}
    scenarios = []
    for entry in report["scenarios"]:
        new = solved.get(entry["scenario"])
        if new is None:
            scenarios.append(entry)
            continue
        runs = []
        for r, (old, metrics) in enumerate(zip(entry["hindsight"], entry["runs"], strict=True)):
            if old["exact"] and new[r]["exact"] and old["value"] != new[r]["value"]:
                raise SystemExit(f"{entry['scenario']} run {r}: another world's hindsight value")
            scale = old["value"] / new[r]["value"] if new[r]["value"] > 0 else math.nan
            runs.append(
                {
                    policy: m | {"pct_of_hindsight": None}
                    if m["pct_of_hindsight"] is None or math.isnan(scale)
                    else m | {"pct_of_hindsight": m["pct_of_hindsight"] * scale}
                    for policy, m in metrics.items()
                }
            )
        hindsight_runs = [{k: h[k] for k in ("value", "exact", "gap")} for h in new]
        scenarios.append(
            entry
            | {
                "hindsight": hindsight_runs,
                "hindsight_exact_runs": sum(h["exact"] for h in hindsight_runs),
                "runs": runs,
            }
        )
    return report | {"scenarios": scenarios, "hindsight_from": hindsight["command"]}


def overview(results: list[dict[str, Any]], runs: int) -> list[str]:
    """The README's two tables: % of hindsight, and high-risk clients matched within 4 weeks."""
    policies = list(results[0]["policies"])
    lines = [
        f"% of hindsight, mean over {runs} runs:",
        "",
        "| scenario | " + " | ".join(policies) + " | hindsight proven |",
        "|---" * (len(policies) + 2) + "|",
    ]
    for entry in results:
        proven = proven_cell(entry, runs)
        means = [entry["policies"][p]["pct_of_hindsight"]["mean"] for p in policies]
        cells = ["—" if mean is None else f"{mean:.1f}" for mean in means]
        lines.append(f"| {entry['scenario']} | " + " | ".join(cells) + f" | {proven} |")
    lines += [
        "",
        "High-risk clients matched within 4 weeks (%), pooled over the runs that had any:",
        "",
        "| scenario | runs with high-risk clients (clients) | " + " | ".join(policies) + " |",
        "|---" * (len(policies) + 2) + "|",
    ]
    for entry in results:
        stats = [entry["policies"][p]["high_risk_within_4_weeks_pct"] for p in policies]
        had = f"{stats[0]['runs']} of {runs} ({stats[0].get('trials', 0)})"
        cells = [interval_cell(stat, "{:.1f}") for stat in stats]
        lines.append(f"| {entry['scenario']} | {had} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def proven_cell(entry: dict[str, Any], runs: int) -> str:
    """'20/20', or '19/20 (gap ≤ 0.03 %)': how far a bound may lie above its optimum."""
    exact = entry["hindsight_exact_runs"]
    gaps = [h.get("gap", math.nan) for h in entry["hindsight"] if not h["exact"]]
    return f"{exact}/{runs}" + (f" (gap ≤ {100 * max(gaps):.2f} %)" if gaps else "")


def markdown(results: list[dict[str, Any]], runs: int, weeks: int) -> str:
    lines = [
        f"{runs} runs of {weeks} weeks, 95 % interval in brackets where runs differ, — where"
        " no run had the clients a metric is about. " + texts("en")["interval_methods"],
        "",
        *overview(results, runs),
    ]
    for entry in results:
        lines += [
            f"**{entry['scenario']}** ({entry['wall_s']:.0f} s; hindsight proven optimal in"
            f" {proven_cell(entry, runs)} runs)",
            "",
            "| policy | " + " | ".join(heading for _, heading, _ in COLUMNS) + " |",
            "|---" * (len(COLUMNS) + 1) + "|",
        ]
        for policy, metrics in entry["policies"].items():
            cells = [interval_cell(metrics[key], f"{{:.{digits}f}}") for key, _, digits in COLUMNS]
            lines.append(f"| {policy} | " + " | ".join(cells) + " |")
        notes = coverage_notes(
            entry["policies"], [(k, h) for k, h, _ in COLUMNS], runs, texts("en")
        )
        lines += ["", *notes] if notes else []
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scenarios", default=",".join(PROGRAMMES))
    parser.add_argument(
        "--resummarise",
        action="store_true",
        help="Recompute the summaries and tables from the runs stored in policies.json.",
    )
    parser.add_argument(
        "--hindsight-from",
        type=Path,
        help="Replace each run's hindsight optimum by the one in this hindsight.json (same runs,"
        " weeks and seed; benchmarks/hindsight.py) and recompute the summaries and tables.",
    )
    args = parser.parse_args()
    if args.resummarise or args.hindsight_from:
        report = json.loads((RESULTS / "policies.json").read_text())
        if args.hindsight_from:
            report = with_hindsight(report, json.loads(args.hindsight_from.read_text()))
        report["scenarios"] = [resummarise(entry) for entry in report["scenarios"]]
        args.runs, args.weeks = report["runs"], report["weeks"]
    else:
        results = []
        for name in args.scenarios.split(","):
            entry = run(
                name, runs=args.runs, weeks=args.weeks, workers=args.workers, seed=args.seed
            )
            print(f"{name}: {entry['wall_s']} s", flush=True)
            results.append(entry)
        RESULTS.mkdir(exist_ok=True)
        report = {
            "benchmark": "policies",
            "command": "python benchmarks/policies.py "
            f"--runs {args.runs} --weeks {args.weeks} --workers {args.workers} --seed {args.seed}",
            "versions": versions(),
            "machine": machine(),
            "runs": args.runs,
            "weeks": args.weeks,
            "scenarios": results,
        }
    results = report["scenarios"]
    (RESULTS / "policies.json").write_text(json.dumps(report, indent=2) + "\n")
    table = markdown(results, args.runs, args.weeks)
    (RESULTS / "policies.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
