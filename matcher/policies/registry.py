"""The policy registry: one tuple of policy objects, every list of policies derived from it.

After CVXPY's solver registry (`reductions/solvers/defines.py`): the CLI's choices, the
config check, the README table and `matcher policies` all read `REGISTRY`. A caller may hand
`match()` a `MatchPolicy` of their own; it is used as the registered ones are.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np

from matcher.config import MatchConfig
from matcher.policies.flow import coverage_first, optimal, priority_first
from matcher.policies.greedy import fifo_greedy, greedy
from matcher.policies.problem import Assignment, AssignmentProblem
from matcher.units import WEIGHT_SCALE

if TYPE_CHECKING:
    from matcher.policies.reserve import FutureSample

# Weeks waited below this count as recent arrivals when reserve estimates the arrival rate.
RECENT_WEEKS: Final = 4


@dataclass(frozen=True)
class PolicyContext:
    """What a policy may read besides the problem: the round's config, and for `reserve` the
    simulator's samples of the coming weeks (None: resample today's waiting list)."""

    config: MatchConfig
    futures: Sequence[FutureSample] | None = None


PolicySolve = Callable[[AssignmentProblem, PolicyContext], Assignment]


@dataclass(frozen=True)
class MatchPolicy:
    """A way to choose pairs. `exact`: the answer is proven best for the policy's own
    objective (its status may then be `optimal`); heuristics and baselines are not.
    `exact_in_hours`: still exact when clients need different hours (matcher.policies.hours;
    equal hours are places, so `exact` holds there), and `in_hours` says how it treats them."""

    name: str
    description: str
    exact: bool
    solve: PolicySolve
    exact_in_hours: bool = False
    in_hours: str = "as its own solve function treats the hours"

    def __call__(self, problem: AssignmentProblem, context: PolicyContext) -> Assignment:
        return self.solve(problem, context)


def _balanced(problem: AssignmentProblem, context: PolicyContext) -> Assignment:
    penalty = round(context.config.balanced.load_penalty * WEIGHT_SCALE)
    return optimal(problem, load_penalty_units=penalty)


def _reserve(problem: AssignmentProblem, context: PolicyContext) -> Assignment:
    # The reserve policy's modules (its LP relaxation among them) load only for its rounds.
    from matcher.policies.reserve import reserve

    futures = context.futures
    return reserve(problem, futures if futures is not None else _bootstrap(problem, context))


def _bootstrap(problem: AssignmentProblem, context: PolicyContext) -> list[FutureSample]:
    from matcher.policies.reserve import bootstrap_futures  # see _reserve

    settings = context.config.reserve
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


def _plain(solve: Callable[[AssignmentProblem], Assignment]) -> PolicySolve:
    """A policy that needs nothing but the problem."""
    return lambda problem, _context: solve(problem)


def _plain_later(module: str, name: str) -> PolicySolve:
    """A policy that needs nothing but the problem, from a module loaded by its first round
    (a round of another policy does not load it)."""
    return lambda problem, _context: getattr(importlib.import_module(module), name)(problem)


# In the order the CLI, the README and `matcher policies` list them: the default first.
# How the exact policies treat mixed hours: the same objective as an integer programme.
_EXACT_IN_HOURS = "integer programme (CP-SAT): optimal when proven, else feasible with its gap"
REGISTRY: Final[tuple[MatchPolicy, ...]] = (
    MatchPolicy(
        "optimal",
        "maximum total weight (the default)",
        True,
        _plain(optimal),
        True,
        _EXACT_IN_HOURS,
    ),
    MatchPolicy(
        "coverage-first",
        "most clients matched, then most weight",
        True,
        _plain(coverage_first),
        True,
        _EXACT_IN_HOURS,
    ),
    MatchPolicy(
        "priority-first",
        "most high-risk clients matched, then moderate, then low, then weight",
        True,
        _plain(priority_first),
        True,
        _EXACT_IN_HOURS,
    ),
    MatchPolicy(
        "balanced",
        "like optimal, with a growing cost per client a volunteer already carries",
        True,
        _balanced,
        True,
        _EXACT_IN_HOURS,
    ),
    MatchPolicy(
        "reserve",
        "like optimal, but holds scarce places for likely better-fitting arrivals",
        False,
        _reserve,
        False,
        "prices per hour from the LP relaxation, then optimal's integer programme",
    ),
    MatchPolicy(
        "greedy",
        "heaviest allowed pair first",
        False,
        _plain(greedy),
        False,
        "fills each volunteer while hours remain",
    ),
    MatchPolicy(
        "fifo-greedy",
        "longest-waiting client first, each to its best free volunteer (by hand)",
        False,
        _plain(fifo_greedy),
        False,
        "fills each volunteer while hours remain",
    ),
    MatchPolicy(
        "stable",
        "client-proposing deferred acceptance; no pair would rather swap",
        False,
        _plain_later("matcher.policies.stable", "stable"),
        False,
        "a volunteer holds its preferred proposals while hours suffice; not always stable",
    ),
)
POLICY_MAP: Final[dict[str, MatchPolicy]] = {policy.name: policy for policy in REGISTRY}
POLICY_NAMES: Final[tuple[str, ...]] = tuple(POLICY_MAP)
POLICIES: Final[dict[str, str]] = {policy.name: policy.description for policy in REGISTRY}
EXACT_POLICIES: Final[tuple[str, ...]] = tuple(p.name for p in REGISTRY if p.exact)


def policy_table() -> str:
    """The README's policy table, as Markdown."""
    lines = [
        "| policy | exact | what it does | exact in mixed hours | with mixed hours |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| `{p.name}` | {_yes(p.exact)} | {p.description} | {_yes(p.exact_in_hours)}"
        f" | {p.in_hours} |"
        for p in REGISTRY
    ]
    return "\n".join(lines)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
