"""Policies solved exactly: optimal, coverage-first, priority-first, balanced.

Capacity in places (or in equal hours, which are places): a min-cost flow. Capacity in mixed
hours: the same objective as an integer programme (matcher.solvers.hours), exact when its
status says optimal and otherwise feasible with its gap.
"""

from __future__ import annotations

import numpy as np

from matcher.arrays import IntArray
from matcher.errors import SolverError
from matcher.policies.greedy import greedy
from matcher.policies.hours import in_hours
from matcher.policies.problem import Assignment, AssignmentProblem
from matcher.solvers.flow import MAX_TOTAL_WEIGHT_UNITS, solve_max_weight


def optimal(problem: AssignmentProblem, *, load_penalty_units: int = 0) -> Assignment:
    if in_hours(problem):
        return _in_hours(problem, problem.weight_units, load_penalty_units=load_penalty_units)
    return _in_places(
        problem,
        problem.weight_units,
        load_penalty_units=load_penalty_units,
        current_load=problem.current_load,
    )


def coverage_first(problem: AssignmentProblem) -> Assignment:
    if in_hours(problem):
        # A bonus per matched client above any total weight makes the count come first.
        bonus = _total_weight_bound(problem) + 1
        return _in_hours(problem, problem.weight_units + bonus)
    return _in_places(problem, problem.weight_units, most_clients_first=True)


def priority_first(problem: AssignmentProblem) -> Assignment:
    """Most high-risk clients matched, then moderate, then low, then the most weight.

    In places, a solution differs from any other by alternating paths, and each path trades
    at most one matched client for another. So a bonus per tier that exceeds the largest
    possible total weight between neighbouring tiers makes the order strict:
    bonus(tier) = (tier+1)·(W+1). In hours one long match may give way to several short
    ones, so each tier's bonus must exceed everything the tiers below could add up to.
    """
    tiers = problem.client_tier[problem.edge_client].astype(np.int64)
    if in_hours(problem):
        return _in_hours(problem, problem.weight_units + _strict_tier_bonus(problem)[tiers])
    total_weight = int(problem.weight_units.max(initial=0)) * problem.n_clients
    step = total_weight + 1
    bonus = (tiers + 1) * step
    if (3 * step + total_weight) * max(problem.n_clients, 1) >= MAX_TOTAL_WEIGHT_UNITS:
        raise SolverError("priority-first: weights too large for exact tier bonuses")
    return _in_places(problem, problem.weight_units + bonus)


def _total_weight_bound(problem: AssignmentProblem) -> int:
    return int(problem.weight_units.max(initial=0)) * problem.n_clients


def _strict_tier_bonus(problem: AssignmentProblem) -> IntArray:
    """Bonus per tier (low, moderate, high), each above all that lower tiers and the weights
    could add up to: bonus(t) = W + n·Σ_{s<t} bonus(s) + 1."""
    weights, n = _total_weight_bound(problem), max(problem.n_clients, 1)
    # The integer programme of mixed hours loads only for a round in hours (see _in_hours).
    from matcher.solvers.hours import MAX_OBJECTIVE_UNITS

    bonuses: list[int] = []
    for _tier in range(3):
        bonuses.append(weights + n * sum(bonuses) + 1)
    if (weights + n * sum(bonuses)) >= MAX_OBJECTIVE_UNITS:
        raise SolverError("priority-first: weights too large for exact tier bonuses in hours")
    return np.array(bonuses, dtype=np.int64)


def _in_places(
    problem: AssignmentProblem,
    weight_units: IntArray,
    *,
    most_clients_first: bool = False,
    load_penalty_units: int = 0,
    current_load: IntArray | None = None,
) -> Assignment:
    """The min-cost flow of `problem` with these weights."""
    solution = solve_max_weight(
        problem.n_clients,
        problem.n_volunteers,
        problem.edge_client,
        problem.edge_volunteer,
        weight_units,
        problem.free_places,
        most_clients_first=most_clients_first,
        load_penalty_units=load_penalty_units,
        current_load=current_load,
    )
    return Assignment(solution.chosen, solution.status, solution.solve_s)


def _in_hours(
    problem: AssignmentProblem, weight_units: IntArray, *, load_penalty_units: int = 0
) -> Assignment:
    assert problem.client_hours is not None and problem.volunteer_hours is not None
    # Loaded by a round in mixed hours only: a round in places never needs CP-SAT's model.
    from matcher.solvers.hours import solve_max_weight_hours

    solution = solve_max_weight_hours(
        problem.n_clients,
        problem.n_volunteers,
        problem.edge_client,
        problem.edge_volunteer,
        weight_units,
        problem.client_hours,
        problem.volunteer_hours,
        load_penalty_units=load_penalty_units,
        current_load=problem.current_load,
        # Greedy in hours: a valid start, and the answer if the work limit comes first.
        start=greedy(problem).chosen,
    )
    return Assignment(solution.chosen, solution.status, solution.solve_s, gap=solution.gap)
