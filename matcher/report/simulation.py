"""What a simulation report shows: policies side by side over the weeks and over runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matcher.report import charts
from matcher.report.comparison import TABLE, coverage_notes, interval_cell
from matcher.report.texts import texts
from matcher.simulate.metrics import TIER_NAMES, Stat


@dataclass
class SimulationView:
    lang: str
    t: Mapping[str, str]
    title: str
    facts: list[tuple[str, str]]
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    notes: list[str]  # how intervals are made; metrics not defined in every run
    charts: dict[str, charts.Chart] = field(default_factory=dict)


def simulation_view(
    scenario: str, result: Any, summary: Mapping[str, Mapping[str, Stat]], *,
    seed: int, lang: str,
) -> SimulationView:  # fmt: skip
    t = texts(lang)
    policies = list(result.policies)
    runs = len(result.runs)
    exact = result.hindsight_exact_runs
    view = SimulationView(
        lang=lang,
        t=t,
        title=t["simulation_title"].format(scenario=scenario),
        facts=[
            (t["scenario"], scenario),
            (t["runs"], str(runs)),
            (t["weeks"], str(result.weeks)),
            (t["seed"], str(seed)),
            (
                t["hindsight"],
                t["hindsight_skipped"]
                if not result.with_hindsight
                else t["hindsight_exact"]
                if exact == runs
                else t["hindsight_mixed"].format(
                    exact=exact, runs=runs, gap=f"{100 * result.hindsight_max_gap:.2f}"
                ),
            ),
        ],
        columns=[t[key] for key, _, _ in TABLE],
        rows=[
            (policy, [_cell(summary[policy][key], fmt, lang) for key, _, fmt in TABLE])
            for policy in policies
        ],
        notes=[
            t["interval_methods"],
            *coverage_notes(summary, [(key, t[key]) for key, _, _ in TABLE], runs, t),
        ],
    )
    weeks = np.arange(result.weeks)

    def trace(policy: str, column: str) -> np.ndarray:
        # (runs, weeks): one column of the weekly trace of every run.
        return np.array([[row[column] for row in run.traces[policy]] for run in result.runs])

    def mean_wait(policy: str, tier: str) -> np.ndarray:
        # Pooled over runs, weighted by how many wait; a gap in the line where nobody waits.
        # A run where nobody of the tier waits has no mean (NaN) and adds nothing.
        count, waited = trace(policy, f"waiting_{tier}"), trace(policy, f"wait_weeks_{tier}")
        total = count.sum(axis=0)
        weeks_waited = np.where(count > 0, count * np.nan_to_num(waited), 0.0).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, weeks_waited / total, np.nan)

    view.charts["wait_by_tier"] = charts.lines_per_tier(
        weeks,
        {p: {tier: mean_wait(p, tier) for tier in TIER_NAMES} for p in policies},
        TIER_NAMES,
        t,
    )
    view.charts["waiting"] = charts.lines(
        weeks, {p: trace(p, "waiting").mean(axis=0) for p in policies}, t["waiting_count"], t
    )
    for key, name, label, limit in (
        ("matched_pct", "matched", t["matched_share"], 100.0),
        ("pct_of_hindsight", "hindsight", t["pct_hindsight"], 100.0),
        ("load_gini", "balance", t["load_balance"], 1.0),
    ):
        # A policy whose metric is undefined in every run has no bar (its cell reads —).
        defined = [p for p in policies if summary[p][key]["mean"] is not None]
        view.charts[name] = charts.interval_bars(
            defined, [_bar(summary[p][key]) for p in defined], label, limit=limit
        )
    return view


def _bar(stat: Stat) -> dict[str, float]:
    assert stat["mean"] is not None and stat["low"] is not None and stat["high"] is not None
    return {"mean": stat["mean"], "low": stat["low"], "high": stat["high"]}


def _cell(stat: Stat, fmt: str, lang: str) -> str:
    text = interval_cell(stat, fmt)
    # Only numbers carry a point here: Dutch readers get decimal commas.
    return text.replace(".", ",") if lang == "nl" else text
