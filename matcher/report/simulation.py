"""What a simulation report shows: policies side by side over the weeks and over runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matcher.report import charts
from matcher.report.texts import texts
from matcher.simulate.cli import TABLE, interval_cell
from matcher.simulate.metrics import TIER_NAMES


@dataclass
class SimulationView:
    lang: str
    t: Mapping[str, str]
    title: str
    facts: list[tuple[str, str]]
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    charts: dict[str, charts.Chart] = field(default_factory=dict)


def simulation_view(
    scenario: str, result: Any, summary: Mapping[str, Mapping[str, Mapping[str, float]]], *,
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
                t["hindsight_exact"]
                if exact == runs
                else t["hindsight_mixed"].format(exact=exact, runs=runs),
            ),
        ],
        columns=[t[key] for key, _, _ in TABLE],
        rows=[
            (policy, [_cell(summary[policy][key], fmt, lang) for key, _, fmt in TABLE])
            for policy in policies
        ],
    )
    weeks = np.arange(result.weeks)

    def trace(policy: str, column: str) -> np.ndarray:
        # (runs, weeks): one column of the weekly trace of every run.
        return np.array([[row[column] for row in run.traces[policy]] for run in result.runs])

    def mean_wait(policy: str, tier: str) -> np.ndarray:
        # Pooled over runs, weighted by how many wait; a gap in the line where nobody waits.
        count, waited = trace(policy, f"waiting_{tier}"), trace(policy, f"wait_weeks_{tier}")
        total = count.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, (count * waited).sum(axis=0) / total, np.nan)

    view.charts["wait_by_tier"] = charts.lines_per_tier(
        weeks,
        {p: {tier: mean_wait(p, tier) for tier in TIER_NAMES} for p in policies},
        TIER_NAMES,
        t,
    )
    view.charts["waiting"] = charts.lines(
        weeks, {p: trace(p, "waiting").mean(axis=0) for p in policies}, t["waiting_count"], t
    )
    stats = {
        key: [summary[p][key] for p in policies]
        for key in ("matched_pct", "pct_of_hindsight", "load_gini")
    }
    view.charts["matched"] = charts.interval_bars(
        policies, stats["matched_pct"], t["matched_share"], limit=100
    )
    view.charts["hindsight"] = charts.interval_bars(
        policies,
        stats["pct_of_hindsight"],
        t["pct_hindsight"],
        limit=max(100.0, *(s["high"] for s in stats["pct_of_hindsight"])),
    )
    view.charts["balance"] = charts.interval_bars(
        policies, stats["load_gini"], t["load_balance"], limit=1
    )
    return view


def _cell(stat: Mapping[str, float], fmt: str, lang: str) -> str:
    text = interval_cell(stat, fmt)
    # Only numbers carry a point here: Dutch readers get decimal commas.
    return text.replace(".", ",") if lang == "nl" else text
