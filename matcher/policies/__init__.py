"""Matching policies: a registry by kebab-case name. Each turns an AssignmentProblem into an
Assignment; the flow-based ones are exact, the greedy ones are the baselines people use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

import numpy as np

from matcher.config import MatchConfig
from matcher.policies.flow import coverage_first, optimal, priority_first
from matcher.policies.greedy import fifo_greedy, greedy
from matcher.policies.problem import Assignment, AssignmentProblem
from matcher.policies.reserve import FutureSample, bootstrap_futures, reserve
from matcher.policies.stable import stable
from matcher.scoring import WEIGHT_SCALE

Policy = Callable[[AssignmentProblem], Assignment]

POLICIES: Final[dict[str, str]] = {
    "optimal": "maximum total weight (the default)",
    "coverage-first": "most clients matched, then most weight",
    "priority-first": "most high-risk clients matched, then moderate, then low, then weight",
    "balanced": "like optimal, with a growing cost per client a volunteer already carries",
    "reserve": "like optimal, but holds scarce places for likely better-fitting arrivals",
    "greedy": "heaviest allowed pair first",
    "fifo-greedy": "longest-waiting client first, each to its best free volunteer (by hand)",
    "stable": "client-proposing deferred acceptance; no pair would rather swap",
}
POLICY_NAMES: Final = tuple(POLICIES)
# Weeks waited below this count as recent arrivals when reserve estimates the arrival rate.
RECENT_WEEKS: Final = 4


def get_policy(
    name: str,
    config: MatchConfig | None = None,
    *,
    futures: Sequence[FutureSample] | None = None,
) -> Policy:
    """The policy called `name`, set up from `config`.

    `reserve` looks ahead at `futures` when given (the simulator samples them from the
    scenario); otherwise it resamples today's clients at the configured arrival rate.
    """
    config = config or MatchConfig()
    if name == "balanced":
        penalty = round(config.balanced.load_penalty * WEIGHT_SCALE)
        return lambda problem: optimal(problem, load_penalty_units=penalty)
    if name == "reserve":
        return lambda problem: reserve(
            problem, futures if futures is not None else _bootstrap(problem, config)
        )
    return {
        "optimal": optimal,
        "coverage-first": coverage_first,
        "priority-first": priority_first,
        "greedy": greedy,
        "fifo-greedy": fifo_greedy,
        "stable": stable,
    }[name]


def _bootstrap(problem: AssignmentProblem, config: MatchConfig) -> list[FutureSample]:
    settings = config.reserve
    rate = settings.weekly_arrivals
    if rate is None:
        rate = float(np.sum(problem.client_weeks_waited < RECENT_WEEKS)) / RECENT_WEEKS
    return bootstrap_futures(
        problem,
        weekly_arrivals=rate,
        weeks_ahead=settings.weeks_ahead,
        samples=settings.samples,
        weekly_discount=settings.weekly_discount,
        seed=settings.seed,
    )


__all__ = [
    "POLICIES",
    "POLICY_NAMES",
    "Assignment",
    "AssignmentProblem",
    "FutureSample",
    "Policy",
    "get_policy",
]
