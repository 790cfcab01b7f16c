"""Policies compared over simulated weeks, as text: the table `matcher simulate` prints, its
notes, and the rows of summary.json and traces.csv (the HTML report shows the same table)."""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matcher.io import format_csv
from matcher.output import versions
from matcher.report.texts import texts
from matcher.simulate.metrics import GROUP_OF, Stat

# The comparison table: metric, heading, format.
TABLE = (
    ("matched_pct", "matched %", "{:.1f}"),
    ("pct_of_hindsight", "% hindsight", "{:.1f}"),
    ("wait_median_all", "wait med", "{:.1f}"),
    ("wait_p90_all", "wait p90", "{:.1f}"),
    ("wait_median_high", "high med", "{:.1f}"),
    ("high_risk_within_4_weeks_pct", "high ≤4 wk %", "{:.1f}"),
    ("same_loss_pct", "same loss %", "{:.1f}"),
    ("mean_travel_km", "km", "{:.1f}"),
    ("load_gini", "load Gini", "{:.2f}"),
    ("round_ms", "ms/round", "{:.1f}"),
)
TRACE_COLUMNS = ("policy", "run", "week", "waiting", "matched", "declined", "active_matches",
                 "volunteers", "waiting_low", "waiting_moderate", "waiting_high",
                 "wait_weeks_low", "wait_weeks_moderate", "wait_weeks_high")  # fmt: skip


def render(name: str, result: Any, summary: Mapping[str, Mapping[str, Stat]]) -> str:
    exact = result.hindsight_exact_runs
    reference = (
        "not computed (--no-hindsight)"
        if not result.with_hindsight
        else "optimum"
        if exact == len(result.runs)
        else f"optimum in {exact} runs, elsewhere a bound at most"
        f" {100 * result.hindsight_max_gap:.2f} % above the best solution found"
    )
    lines = [
        f"{name}: {len(result.runs)} runs × {result.weeks} weeks; estimate [95 % interval];"
        f" hindsight = {reference}",
        "",
    ]
    width = max(len(p) for p in result.policies)
    cells = {
        p: [interval_cell(summary[p][key], fmt) for key, _, fmt in TABLE] for p in result.policies
    }
    widths = [
        max(len(heading), *(len(cells[p][k]) for p in result.policies))
        for k, (_, heading, _) in enumerate(TABLE)
    ]
    header = "  ".join(h.rjust(w) for (_, h, _), w in zip(TABLE, widths, strict=True))
    lines.append(f"{'policy':<{width}}  {header}")
    for p in result.policies:
        row = "  ".join(c.rjust(w) for c, w in zip(cells[p], widths, strict=True))
        lines.append(f"{p:<{width}}  {row}")
    words = texts("en")
    notes = coverage_notes(summary, [(k, h) for k, h, _ in TABLE], len(result.runs), words)
    lines += ["", *(textwrap.fill(note, 100) for note in [words["interval_methods"], *notes])]
    return "\n".join(lines)


UNDEFINED = "—"


def interval_cell(stat: Stat, fmt: str) -> str:
    """'mean [low–high]', the mean alone when the interval is a point, '—' when undefined."""
    if stat["mean"] is None or stat["low"] is None or stat["high"] is None:
        return UNDEFINED
    if stat["high"] - stat["low"] < 1e-9:
        return fmt.format(stat["mean"])
    return f"{fmt.format(stat['mean'])} [{fmt.format(stat['low'])}–{fmt.format(stat['high'])}]"


def coverage_notes(
    summary: Mapping[str, Mapping[str, Stat]],
    columns: Sequence[tuple[str, str]],
    runs: int,
    words: Mapping[str, str],
) -> list[str]:
    """For each column not defined in every run: over how many runs it is taken, and why."""
    notes = []
    for key, heading in columns:
        group = GROUP_OF.get(key)
        counts = sorted({stats[key]["runs"] for stats in summary.values()})
        if group is None or counts == [runs]:
            continue
        what = words[f"group_{group}"]
        if counts == [0]:
            notes.append(words["no_run_had"].format(metric=heading, group=what))
        elif len(counts) == 1:
            notes.append(
                words["over_runs"].format(metric=heading, n=counts[0], runs=runs, group=what)
            )
        else:
            notes.append(
                words["over_runs_by_policy"].format(
                    metric=heading, low=counts[0], high=counts[-1], runs=runs, group=what
                )
            )
    return notes


def trace_cell(value: float) -> str:
    """A trace value for the CSV: empty where undefined (nobody of the tier waiting)."""
    return "" if math.isnan(value) else str(value)


def summary_data(
    name: str, result: Any, summary: Mapping[str, Mapping[str, Stat]], *, seed: int, discount: float
) -> dict[str, Any]:
    return {
        "scenario": name,
        "weeks": result.weeks,
        "runs": len(result.runs),
        "seed": seed,
        "weekly_discount": discount,
        "hindsight": [
            {
                "run": r.run,
                "value": r.hindsight.value,
                "exact": r.hindsight.exact,
                "gap": r.hindsight.gap,
            }
            for r in result.runs
        ],
        "policies": summary,
        "versions": versions(),
    }


def comparison_files(
    name: str, result: Any, summary: Mapping[str, Mapping[str, Stat]], out: Path, *,
    seed: int, discount: float,
) -> dict[Path, str]:  # fmt: skip
    """summary.json (the estimates, the hindsight values, versions) and traces.csv (every
    policy's weekly figures in every run) in `out`."""
    data = summary_data(name, result, summary, seed=seed, discount=discount)
    rows = [
        [policy, str(run.run), *(trace_cell(row[c]) for c in TRACE_COLUMNS[2:])]
        for run in result.runs
        for policy in result.policies
        for row in run.traces[policy]
    ]
    return {
        out / "summary.json": json.dumps(data, indent=2) + "\n",
        out / "traces.csv": format_csv(TRACE_COLUMNS, rows),
    }
