"""Matching policies: a registry of policy objects by kebab-case name (registry.py). Each
turns an AssignmentProblem into an Assignment; the flow-based ones are exact, the greedy ones
are the baselines people use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from matcher.config import MatchConfig
from matcher.errors import ConfigError, Problem
from matcher.policies.problem import Assignment, AssignmentProblem
from matcher.policies.registry import (
    EXACT_POLICIES,
    POLICIES,
    POLICY_MAP,
    POLICY_NAMES,
    REGISTRY,
    MatchPolicy,
    PolicyContext,
    PolicySolve,
    policy_table,
)
from matcher.suggest import unknown_word_message
from matcher.vocab import PolicyName

if TYPE_CHECKING:
    from matcher.policies.reserve import FutureSample

Policy = Callable[[AssignmentProblem], Assignment]


def find_policy(policy: str | MatchPolicy) -> MatchPolicy:
    """The registered policy called `policy`, or the caller's own policy object as it is."""
    if isinstance(policy, MatchPolicy):
        return policy
    found = POLICY_MAP.get(policy)
    if found is None:
        message = unknown_word_message("policy", policy, POLICY_NAMES)
        raise ConfigError([Problem("policy", None, None, message)])
    return found


def get_policy(
    policy: str | MatchPolicy,
    config: MatchConfig | None = None,
    *,
    futures: Sequence[FutureSample] | None = None,
) -> Policy:
    """The policy `policy` (a name or a policy object), set up for `config`.

    `reserve` looks ahead at `futures` when given (the simulator samples them from the
    scenario); otherwise it resamples today's clients at the configured arrival rate.
    """
    chosen = find_policy(policy)
    context = PolicyContext(config or MatchConfig(), futures)
    return lambda problem: chosen(problem, context)


def __getattr__(name: str) -> Any:
    # FutureSample lives with `reserve`, whose modules load only when a program asks for it
    # or a round uses that policy (a plain round does not).
    if name == "FutureSample":
        from matcher.policies.reserve import FutureSample

        return FutureSample
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "EXACT_POLICIES",
    "POLICIES",
    "POLICY_NAMES",
    "REGISTRY",
    "Assignment",
    "AssignmentProblem",
    "FutureSample",
    "MatchPolicy",
    "Policy",
    "PolicyContext",
    "PolicyName",
    "PolicySolve",
    "find_policy",
    "get_policy",
    "policy_table",
]
