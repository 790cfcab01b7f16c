"""Greedy baselines: what a coordinator does by hand, and the heaviest-pair-first heuristic."""

from __future__ import annotations

import time

import numpy as np

from matcher.arrays import IntArray
from matcher.policies.problem import Assignment, AssignmentProblem, client_segments, total_order
from matcher.solvers.status import SolveStatus


def greedy(problem: AssignmentProblem) -> Assignment:
    """Heaviest pair first: exactly what scanning all edges by weight would choose.

    Instead of a Python loop over the edges, rounds of array operations: an edge that is its
    client's best remaining edge and among its volunteer's best `free places` remaining edges
    is taken by the sequential scan too, since no heavier edge can block it. The globally
    heaviest remaining edge always qualifies, so every round makes progress.
    """
    started = time.perf_counter()
    n_edges = len(problem.edge_client)
    chosen = np.zeros(n_edges, dtype=bool)
    if n_edges == 0:
        return Assignment(chosen, SolveStatus.FEASIBLE, 0.0)
    rank = total_order(problem)
    free = problem.free_places.copy()
    alive = free[problem.edge_volunteer] > 0
    # Views sorted by (client, rank) and by (volunteer, rank); filtering keeps them sorted.
    by_client = np.lexsort((rank, problem.edge_client))
    by_volunteer = np.lexsort((rank, problem.edge_volunteer))
    while alive.any():
        edges = by_client[alive[by_client]]
        best_of_client = edges[_first_in_group(problem.edge_client[edges])]
        edges = by_volunteer[alive[by_volunteer]]
        position = _position_in_group(problem.edge_volunteer[edges])
        top_of_volunteer = edges[position < free[problem.edge_volunteer[edges]]]
        take = np.intersect1d(best_of_client, top_of_volunteer, assume_unique=True)
        chosen[take] = True
        free -= np.bincount(problem.edge_volunteer[take], minlength=problem.n_volunteers)
        matched = np.zeros(problem.n_clients, dtype=bool)
        matched[problem.edge_client[take]] = True
        alive &= ~matched[problem.edge_client] & (free[problem.edge_volunteer] > 0)
    return Assignment(chosen, SolveStatus.FEASIBLE, time.perf_counter() - started)


def fifo_greedy(problem: AssignmentProblem) -> Assignment:
    """Longest-waiting client first (then higher risk, then id), each to its best free volunteer.

    One step per client, not per pair: each step looks at that client's own edges only.
    """
    started = time.perf_counter()
    chosen = np.zeros(len(problem.edge_client), dtype=bool)
    free = problem.free_places.copy()
    starts, ends = client_segments(problem)
    queue = np.lexsort(
        (np.arange(problem.n_clients), -problem.client_tier, -problem.client_weeks_waited)
    )
    for client in queue.tolist():
        start, end = int(starts[client]), int(ends[client])
        if start == end:
            continue
        volunteers = problem.edge_volunteer[start:end]
        weights = np.where(free[volunteers] > 0, problem.weight_units[start:end], -1)
        best = int(np.argmax(weights))  # the first maximum: the lowest volunteer id
        if weights[best] > 0:
            chosen[start + best] = True
            free[volunteers[best]] -= 1
    return Assignment(chosen, SolveStatus.FEASIBLE, time.perf_counter() - started)


def _first_in_group(groups: IntArray) -> IntArray:
    return np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if len(groups) else groups


def _position_in_group(groups: IntArray) -> IntArray:
    """0, 1, 2, … within each run of equal values of a sorted array."""
    if len(groups) == 0:
        return groups
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    lengths = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, lengths)
