"""Matching policies: a registry by kebab-case name. Each turns an AssignmentProblem into an
Assignment; the flow-based ones are exact, the greedy ones are the baselines people use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from matcher.policies.flow import coverage_first, optimal, priority_first
from matcher.policies.greedy import fifo_greedy, greedy
from matcher.policies.problem import Assignment, AssignmentProblem
from matcher.policies.stable import stable

Policy = Callable[[AssignmentProblem], Assignment]

POLICIES: Final[dict[str, str]] = {
    "optimal": "maximum total weight (the default)",
    "coverage-first": "most clients matched, then most weight",
    "priority-first": "most high-risk clients matched, then moderate, then low, then weight",
    "balanced": "like optimal, with a growing cost per client a volunteer already carries",
    "greedy": "heaviest allowed pair first",
    "fifo-greedy": "longest-waiting client first, each to its best free volunteer (by hand)",
    "stable": "client-proposing deferred acceptance; no pair would rather swap",
}
POLICY_NAMES: Final = tuple(POLICIES)


def get_policy(name: str, *, load_penalty_units: int = 0) -> Policy:
    """The policy called `name`; `balanced` uses the given load penalty."""
    if name == "balanced":
        return lambda problem: optimal(problem, load_penalty_units=load_penalty_units)
    return {
        "optimal": optimal,
        "coverage-first": coverage_first,
        "priority-first": priority_first,
        "greedy": greedy,
        "fifo-greedy": fifo_greedy,
        "stable": stable,
    }[name]


__all__ = ["POLICIES", "POLICY_NAMES", "Assignment", "AssignmentProblem", "Policy", "get_policy"]
