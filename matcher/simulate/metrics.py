"""What a reviewer asks of a policy over a simulated year, per run and over runs.

A metric over an empty group (the high-risk clients of a run that had none, the matches of a
policy that made none) is undefined, not 0: per run it is NaN, over runs it uses only the runs
where it is defined, and where it is defined in no run the summary holds None.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final, NotRequired, TypedDict

import numpy as np

from matcher.simulate.run import Outcome
from matcher.simulate.world import World

HIGH_RISK_WEEKS: Final = 4
TIER_NAMES: Final = ("low", "moderate", "high")
NAN: Final = float("nan")
# Shares of clients or matches: share -> (successes, trials), both counted per run. Over runs
# they are pooled: the share of all simulated high-risk clients, not a mean of run shares in
# which a run with one such client weighs as much as a run with ten.
SHARES: Final = {
    "matched_pct": ("matched", "clients"),
    "same_loss_pct": ("same_loss_matches", "matches"),
    "high_risk_within_4_weeks_pct": ("high_risk_within_4_weeks", "high_risk_clients"),
}
# Upper ends of bounded metrics; every metric is ≥ 0.
UPPER: Final = {"pct_of_hindsight": 100.0, "load_gini": 1.0} | {k: 100.0 for k in SHARES}
# What a metric is taken over, where a run may have none of it (words in the wording layers).
GROUP_OF: Final = {
    "matched_pct": "clients", "same_loss_pct": "matches", "mean_match_weight": "matches",
    "mean_travel_km": "visits", "load_gini": "volunteers", "pct_of_hindsight": "hindsight",
    "high_risk_within_4_weeks_pct": "high",
} | {
    f"wait_{stat}_{label}": "clients" if label == "all" else label
    for stat in ("median", "p90", "max") for label in ("all", *TIER_NAMES)
}  # fmt: skip
Z95: Final = 1.959963984540054
BOOTSTRAP_RESAMPLES: Final = 2000
BOOTSTRAP_SEED: Final = 20260105


class Stat(TypedDict):
    """A metric over runs: its estimate, 95 % interval, and the runs where it is defined."""

    mean: float | None
    low: float | None
    high: float | None
    runs: int
    method: str  # how the interval was made: "wilson", "bootstrap", "student-t"
    trials: NotRequired[int]  # shares: clients or matches pooled over those runs


def gini(values: Sequence[float]) -> float:
    """0 when every volunteer carries the same load, towards 1 when one carries all."""
    x = np.sort(np.asarray(values, dtype=float))
    if len(x) == 0:
        return NAN
    if x.sum() == 0:
        return 0.0
    n = len(x)
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))


def _mean(values: Sequence[float]) -> float:
    return float(np.mean(values)) if len(values) else NAN


def _share(successes: int, trials: int) -> float:
    return 100.0 * successes / trials if trials else NAN


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
    high = tiers == 2
    quick = int((matched & (waited <= HIGH_RISK_WEEKS) & high).sum())
    matches = len(outcome.matched_week)
    same_loss = sum(outcome.same_loss.values())
    metrics: dict[str, float] = {
        "clients": float(n),
        "matched": float(matched.sum()),
        "matches": float(matches),
        "same_loss_matches": float(same_loss),
        "high_risk_clients": float(high.sum()),
        "high_risk_within_4_weeks": float(quick),
        "matched_pct": _share(int(matched.sum()), n),
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
            metrics[f"wait_{stat}_{label}"] = float(fn(values)) if len(values) else NAN
    metrics["high_risk_within_4_weeks_pct"] = _share(quick, int(high.sum()))
    metrics["same_loss_pct"] = _share(same_loss, matches)
    metrics["mean_match_weight"] = _mean(list(outcome.weight.values()))
    metrics["mean_travel_km"] = _mean(list(outcome.travel_km.values()))
    loads = [outcome.volunteer_weeks_loaded.get(j, 0) for j in range(len(world.volunteers))]
    metrics["load_gini"] = gini(loads)
    total = sum(outcome.value.values())
    metrics["value"] = total
    # Nothing was possible in hindsight either: no share of it to report.
    metrics["pct_of_hindsight"] = 100.0 * total / hindsight_value if hindsight_value > 0 else NAN
    metrics["round_ms"] = 1000.0 * _mean(outcome.round_seconds)
    metrics["declined"] = float(outcome.declined)
    # Where the programme stands after the last round, and what its outreach brought in.
    metrics["waiting_end"] = float((world.arrival_week < world.weeks).sum() - matched.sum())
    last = world.weeks - 1
    ongoing = sum(
        world.initial_load(j, last)
        for j in range(len(world.volunteers))
        if world.join_week[j] <= last < world.leave_week[j]
    )
    # The matches made in the run and those already running at its start, where still on.
    metrics["active_matches_end"] = float(outcome.trace[-1]["active_matches"] + ongoing)
    metrics |= world.funnel_counts
    return metrics


def waiting_by_tier(world: World, outcome: Outcome, tiers: np.ndarray) -> list[dict[str, float]]:
    """Per week, after its round: how many of each tier wait, and their mean weeks waited.

    The mean is NaN in a week when nobody of the tier waits."""
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
            row[f"wait_weeks_{name}"] = _mean(week - world.arrival_week[mask])
        rows.append(row)
    return rows


def summarise(runs: Sequence[dict[str, float]]) -> dict[str, Stat]:
    """Every metric over runs, each with a 95 % interval that stays inside the metric's range.

    Shares pool their counts over runs (Wilson interval, widened by the design effect when
    runs differ more than chance); % of hindsight is a mean with a percentile bootstrap over
    runs; the rest are means with a Student t interval cut to the metric's range (a cut
    interval keeps its coverage: the metric cannot lie outside the range).
    """
    out: dict[str, Stat] = {}
    for key in runs[0]:
        values = np.array([run[key] for run in runs], dtype=float)
        upper = UPPER.get(key, math.inf)
        if key in SHARES:
            successes, trials = SHARES[key]
            out[key] = pooled_share(
                np.array([run[successes] for run in runs]), np.array([run[trials] for run in runs])
            )
        elif key == "pct_of_hindsight":
            out[key] = bootstrap_mean(values, upper=upper)
        else:
            out[key] = student_t_mean(values, upper=upper)
    return out


def _undefined(method: str) -> Stat:
    return {"mean": None, "low": None, "high": None, "runs": 0, "method": method}


def _inside(mean: float, low: float, high: float, upper: float) -> tuple[float, float, float]:
    # Float rounding only: the estimate stays inside its interval, both inside the range.
    mean = min(max(mean, 0.0), upper)
    return mean, min(max(low, 0.0), mean), max(min(high, upper), mean)


def pooled_share(successes: np.ndarray, trials: np.ndarray) -> Stat:
    """Successes over trials pooled across the runs that had trials, as a percentage.

    The clients of one run share its volunteers, so runs can differ by more than chance: the
    Wilson interval then uses the effective sample size (trials / design effect), where the
    design effect compares the ratio estimator's variance across runs with the binomial one.
    """
    defined = trials > 0
    y, n = successes[defined].astype(float), trials[defined].astype(float)
    if not defined.any():
        return _undefined("wilson")
    total = float(n.sum())
    p = float(y.sum()) / total
    design_effect = 1.0
    binomial = p * (1 - p) / total
    if len(n) > 1 and binomial > 0:
        between = len(n) / (len(n) - 1) * float(((y - p * n) ** 2).sum()) / total**2
        design_effect = max(1.0, between / binomial)
    low, high = wilson(p, total / design_effect)
    mean, low, high = _inside(100 * p, 100 * low, 100 * high, 100.0)
    return {
        "mean": mean, "low": low, "high": high, "runs": int(defined.sum()), "method": "wilson",
        "trials": int(total),
    }  # fmt: skip


def wilson(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion p observed over n (possibly effective) trials."""
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def bootstrap_mean(values: np.ndarray, *, upper: float) -> Stat:
    """Mean over the runs where defined, 95 % percentile bootstrap over those runs (seeded).

    Every resampled mean lies in the range of the values, so the interval does too."""
    v = values[~np.isnan(values)]
    if len(v) == 0:
        return _undefined("bootstrap")
    mean = float(v.mean())
    low = high = mean
    if len(v) > 1 and np.ptp(v) > 0:
        rng = np.random.default_rng(BOOTSTRAP_SEED)
        means = v[rng.integers(0, len(v), size=(BOOTSTRAP_RESAMPLES, len(v)))].mean(axis=1)
        low, high = (float(q) for q in np.percentile(means, [2.5, 97.5]))
    mean, low, high = _inside(mean, low, high, upper)
    return {"mean": mean, "low": low, "high": high, "runs": len(v), "method": "bootstrap"}


def student_t_mean(values: np.ndarray, *, upper: float) -> Stat:
    """Mean over the runs where defined, Student t interval cut to [0, upper]."""
    from scipy import stats  # imported here: slow, and only a simulation's end needs it

    v = values[~np.isnan(values)]
    if len(v) == 0:
        return _undefined("student-t")
    mean = float(v.mean())
    half = 0.0
    if len(v) > 1 and v.std(ddof=1) > 0:
        half = float(stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))
    mean, low, high = _inside(mean, mean - half, mean + half, upper)
    return {"mean": mean, "low": low, "high": high, "runs": len(v), "method": "student-t"}


def mean_difference(values: np.ndarray) -> Stat:
    """Mean of paired differences over the runs where defined, Student t interval (uncut: a
    difference can be negative)."""
    from scipy import stats  # imported here: slow, and only a simulation's end needs it

    v = values[~np.isnan(values)]
    if len(v) == 0:
        return _undefined("paired-t")
    mean = float(v.mean())
    half = 0.0
    if len(v) > 1 and v.std(ddof=1) > 0:
        half = float(stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))
    return {"mean": mean, "low": mean - half, "high": mean + half, "runs": len(v),
            "method": "paired-t"}  # fmt: skip
