"""What a planner's table shows, and `--target METRIC>=X`: the first cell that surely meets it.

"Surely" is the 95 % interval: for `>=` its lower end reaches X, for `<=` its upper end stays
at or below X. Cells are tried in the grid's order (the values as given, the first --vary
slowest), so with ascending values the answer is the smallest value, or the cheapest cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matcher import vocab
from matcher.errors import ConfigError, Problem
from matcher.simulate.metrics import Stat

# Every metric of a simulated run a plan can show or target, with its format; its heading is
# `m_<metric>` in the wording layer (matcher/report/texts.py).
_TWO_PLACES = ("load_gini", "mean_match_weight")
METRICS: dict[str, str] = {
    key: "{:.2f}" if key in _TWO_PLACES else "{:.1f}"
    for key in (
        "matched_pct", "high_risk_within_4_weeks_pct", "matches", "waiting_end",
        "active_matches_end", "wait_median_all", "wait_p90_all", "wait_max_all",
        *(f"wait_{stat}_{tier}" for stat in ("median", "p90", "max")
          for tier in ("low", "moderate", "high")),
        "same_loss_pct", "mean_travel_km", "load_gini", "mean_match_weight", "pct_of_hindsight",
        "value", "declined", "clients", "matched", "same_loss_matches", "high_risk_clients",
        "high_risk_within_4_weeks", "approached", "reached", "intake", "arrivals",
    )
}  # fmt: skip
DEFAULT_METRICS = (
    "matched_pct", "high_risk_within_4_weeks_pct", "wait_median_all", "matches", "waiting_end",
)  # fmt: skip
_TARGET = re.compile(r"^\s*([A-Za-z0-9_]+)\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Target:
    metric: str
    at_least: bool  # >= (else <=)
    threshold: float

    def __str__(self) -> str:
        return f"{self.metric}{'>=' if self.at_least else '<='}{self.threshold:g}"

    def met_by(self, stat: Stat) -> bool:
        if stat["low"] is None or stat["high"] is None:
            return False
        if self.at_least:
            return stat["low"] >= self.threshold
        return stat["high"] <= self.threshold

    def bound(self, stat: Stat) -> float | None:
        return stat["low"] if self.at_least else stat["high"]


def check_metrics(names: Sequence[str]) -> None:
    problems = [
        Problem("--metric", None, None, vocab.unknown_word_message("metric", name, tuple(METRICS)))
        for name in names
        if name not in METRICS
    ]
    if problems:
        raise ConfigError(problems)


def parse_target(text: str) -> Target:
    found = _TARGET.match(text)
    if not found:
        message = "must be METRIC>=X or METRIC<=X, as in high_risk_within_4_weeks_pct>=95"
        raise ConfigError([Problem("--target", None, None, message, text)])
    metric, sign, number = found.groups()
    if metric not in METRICS:
        message = vocab.unknown_word_message("metric", metric, tuple(METRICS))
        raise ConfigError([Problem("--target", None, None, message)])
    return Target(metric, sign == ">=", float(number))


@dataclass(frozen=True)
class Answer:
    policy: str
    cell: int | None  # the first cell meeting the target; None: none does
    bound: float | None  # that cell's interval end (or the best end over the cells)
    best_cell: int | None  # with no answer: the cell that came closest


def answer(
    target: Target, summary: Sequence[Mapping[str, Mapping[str, Stat]]], policies: Sequence[str]
) -> list[Answer]:
    out = []
    for policy in policies:
        stats = [cell[policy][target.metric] for cell in summary]
        met = [k for k, stat in enumerate(stats) if target.met_by(stat)]
        if met:
            out.append(Answer(policy, met[0], target.bound(stats[met[0]]), met[0]))
            continue
        bounds = [(target.bound(s), k) for k, s in enumerate(stats) if target.bound(s) is not None]
        if not bounds:
            out.append(Answer(policy, None, None, None))
            continue
        # The closest cell; among equals the first.
        best = max(bounds, key=lambda b: (b[0], -b[1])) if target.at_least else min(bounds)
        out.append(Answer(policy, None, best[0], best[1]))
    return out
