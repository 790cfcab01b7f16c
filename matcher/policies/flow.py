"""Policies solved exactly as min-cost flows: optimal, coverage-first, priority-first, balanced."""

from __future__ import annotations

from typing import Any

import numpy as np

from matcher.arrays import IntArray
from matcher.errors import SolverError
from matcher.policies.problem import Assignment, AssignmentProblem
from matcher.solvers.flow import MAX_TOTAL_WEIGHT_UNITS, solve_max_weight


def _flow(
    problem: AssignmentProblem, weight_units: IntArray | None = None, **options: Any
) -> Assignment:
    """The problem as one min-cost flow (with other weights, when given)."""
    solution = solve_max_weight(
        problem.n_clients,
        problem.n_volunteers,
        problem.edge_client,
        problem.edge_volunteer,
        problem.weight_units if weight_units is None else weight_units,
        problem.free_places,
        **options,
    )
    return Assignment(solution.chosen, solution.status, solution.solve_s)


def optimal(problem: AssignmentProblem, *, load_penalty_units: int = 0) -> Assignment:
    return _flow(problem, load_penalty_units=load_penalty_units, current_load=problem.current_load)


def coverage_first(problem: AssignmentProblem) -> Assignment:
    return _flow(problem, most_clients_first=True)


def priority_first(problem: AssignmentProblem) -> Assignment:
    """Most high-risk clients matched, then moderate, then low, then the most weight.

    A solution differs from any other by alternating paths, and each path trades at most one
    matched client for another. So a bonus per tier that exceeds the largest possible total
    weight between neighbouring tiers makes the order strict: bonus(tier) = (tier+1)·(W+1).
    """
    total_weight = int(problem.weight_units.max(initial=0)) * problem.n_clients
    step = total_weight + 1
    bonus = (problem.client_tier[problem.edge_client].astype(np.int64) + 1) * step
    if (3 * step + total_weight) * max(problem.n_clients, 1) >= MAX_TOTAL_WEIGHT_UNITS:
        raise SolverError("priority-first: weights too large for exact tier bonuses")
    return _flow(problem, problem.weight_units + bonus)
