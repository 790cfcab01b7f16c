"""What a reviewer asks of a policy over a simulated year, per run and over runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

from matcher.simulate.run import Outcome
from matcher.simulate.world import World

HIGH_RISK_WEEKS: Final = 4
TIER_NAMES: Final = ("low", "moderate", "high")


def gini(values: Sequence[float]) -> float:
    """0 when every volunteer carries the same load, towards 1 when one carries all."""
    x = np.sort(np.asarray(values, dtype=float))
    if len(x) == 0 or x.sum() == 0:
        return 0.0
    n = len(x)
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))


def run_metrics(
    world: World, outcome: Outcome, tiers: np.ndarray, hindsight_value: float
) -> dict[str, float]:
    """One policy in one world. Waiting of clients never matched counts up to the horizon."""
    n = len(world.clients)
    matched = np.zeros(n, dtype=bool)
    waited = (world.weeks - world.arrival_week).astype(float)
    for i, week in outcome.matched_week.items():
        matched[i] = True
        waited[i] = week - world.arrival_week[i]
    metrics: dict[str, float] = {
        "clients": float(n),
        "matched_pct": 100.0 * matched.mean() if n else 0.0,
    }
    for label, mask in [("all", np.ones(n, dtype=bool))] + [
        (name, tiers == k) for k, name in enumerate(TIER_NAMES)
    ]:
        values = waited[mask]
        for stat, fn in (
            ("median", np.median),
            ("p90", lambda v: np.percentile(v, 90)),
            ("max", np.max),
        ):
            metrics[f"wait_{stat}_{label}"] = float(fn(values)) if len(values) else 0.0
    high = tiers == 2
    quick = matched & (waited <= HIGH_RISK_WEEKS)
    metrics["high_risk_within_4_weeks_pct"] = (
        100.0 * float(quick[high].mean()) if high.any() else 0.0
    )
    matches = len(outcome.matched_week)
    metrics["same_loss_pct"] = 100.0 * sum(outcome.same_loss.values()) / matches if matches else 0.0
    metrics["mean_match_weight"] = float(np.mean(list(outcome.weight.values()))) if matches else 0.0
    km = list(outcome.travel_km.values())
    metrics["mean_travel_km"] = float(np.mean(km)) if km else 0.0
    loads = [outcome.volunteer_weeks_loaded.get(j, 0) for j in range(len(world.volunteers))]
    metrics["load_gini"] = gini(loads)
    total = sum(outcome.value.values())
    metrics["value"] = total
    metrics["pct_of_hindsight"] = 100.0 * total / hindsight_value if hindsight_value > 0 else 100.0
    metrics["round_ms"] = (
        1000.0 * float(np.mean(outcome.round_seconds)) if outcome.round_seconds else 0.0
    )
    metrics["declined"] = float(outcome.declined)
    return metrics


def waiting_by_tier(world: World, outcome: Outcome, tiers: np.ndarray) -> list[dict[str, float]]:
    """Per week, after its round: how many of each tier wait, and their mean weeks waited."""
    matched_week = np.full(len(world.clients), world.weeks, dtype=np.int64)
    for i, week in outcome.matched_week.items():
        matched_week[i] = week
    rows = []
    for week in range(world.weeks):
        waiting = (world.arrival_week <= week) & (matched_week > week)
        row: dict[str, float] = {}
        for k, name in enumerate(TIER_NAMES):
            mask = waiting & (tiers == k)
            row[f"waiting_{name}"] = float(mask.sum())
            waited = week - world.arrival_week[mask]
            row[f"wait_weeks_{name}"] = float(waited.mean()) if mask.any() else 0.0
        rows.append(row)
    return rows


def summarise(runs: Sequence[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Mean and 95 % interval (Student t over runs) of every metric."""
    from scipy import stats  # imported here: slow, and only a simulation's end needs it

    out: dict[str, dict[str, float]] = {}
    for key in runs[0]:
        values = np.array([run[key] for run in runs], dtype=float)
        mean = float(values.mean())
        if len(values) > 1 and values.std(ddof=1) > 0:
            half = float(
                stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
            )
        else:
            half = 0.0
        # The interval of the mean, kept inside what the metric can be.
        low, high = max(mean - half, 0.0), mean + half
        if key.endswith("_pct"):
            high = min(high, 100.0)
        out[key] = {"mean": mean, "low": low, "high": high}
    return out
