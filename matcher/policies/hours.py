"""Capacity in hours: when it reduces to places, and what each policy fills.

A client of h hours takes h of a volunteer's hours. When every client who could be matched
needs the same h, a volunteer with H free hours simply has floor(H / h) places, and every
policy works on places exactly as before. Only with mixed hours does the problem carry the
hours themselves (AssignmentProblem.client_hours / volunteer_hours), and the exact policies
become integer programmes (matcher.solvers.hours).
"""

from __future__ import annotations

import numpy as np

from matcher.policies.problem import AssignmentProblem, IntArray


def places_or_hours(
    client_need: IntArray, volunteer_free: IntArray, edge_client: IntArray
) -> tuple[IntArray, IntArray | None, IntArray | None]:
    """(free places, client hours, volunteer hours) for the policies, from hours in units.

    Equal needs among the clients with an allowed pair: places, and no hours. Mixed needs:
    the hours, with as free places the most clients a volunteer could take (its hours over
    the shortest need), a bound some policies use to size their search.
    """
    needs = np.unique(client_need[edge_client]) if len(edge_client) else np.ones(1, np.int64)
    if len(needs) == 1:
        return volunteer_free // int(needs[0]), None, None
    return volunteer_free // int(needs[0]), client_need, volunteer_free


def capacity_units(problem: AssignmentProblem) -> tuple[IntArray, IntArray]:
    """What each client needs and each volunteer has, in one unit: places or hours."""
    if problem.client_hours is None or problem.volunteer_hours is None:
        return np.ones(problem.n_clients, dtype=np.int64), problem.free_places
    return problem.client_hours, problem.volunteer_hours


def in_hours(problem: AssignmentProblem) -> bool:
    """Does the problem count mixed hours (not reducible to places)?"""
    return problem.client_hours is not None
