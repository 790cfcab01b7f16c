"""Greedy baselines: what a coordinator does by hand, and the heaviest-pair-first heuristic."""

from __future__ import annotations

import time

import numpy as np

from matcher.policies.hours import capacity_units
from matcher.policies.problem import (
    Assignment,
    AssignmentProblem,
    IntArray,
    client_segments,
    total_order,
)
from matcher.solvers.status import SolveStatus


def greedy(problem: AssignmentProblem) -> Assignment:
    """Heaviest pair first: exactly what scanning all edges by weight would choose.

    Instead of a Python loop over the edges, rounds of array operations: an edge that is its
    client's best remaining edge and among its volunteer's best `free places` remaining edges
    is taken by the sequential scan too, since no heavier edge can block it. The globally
    heaviest remaining edge always qualifies, so every round makes progress.

    In hours, "among its best free places" becomes "the hours of its heavier remaining
    edges and this one fit in its free hours": then however the scan treats those heavier
    edges, the hours are still there when it reaches this one. An edge stays alive while its
    volunteer has the hours its client needs, so a volunteer with an hour left skips a
    two-hour client and may still take a one-hour client further down, as the scan would.
    """
    started = time.perf_counter()
    n_edges = len(problem.edge_client)
    chosen = np.zeros(n_edges, dtype=bool)
    if n_edges == 0:
        return Assignment(chosen, SolveStatus.FEASIBLE, 0.0)
    rank = total_order(problem)
    need, free = capacity_units(problem)
    free = free.copy()
    edge_need = need[problem.edge_client]
    alive = free[problem.edge_volunteer] >= edge_need
    # Views sorted by (client, rank) and by (volunteer, rank); filtering keeps them sorted.
    by_client = np.lexsort((rank, problem.edge_client))
    by_volunteer = np.lexsort((rank, problem.edge_volunteer))
    while alive.any():
        edges = by_client[alive[by_client]]
        best_of_client = edges[_first_in_group(problem.edge_client[edges])]
        edges = by_volunteer[alive[by_volunteer]]
        used = _running_total_in_group(problem.edge_volunteer[edges], edge_need[edges])
        top_of_volunteer = edges[used <= free[problem.edge_volunteer[edges]]]
        take = np.intersect1d(best_of_client, top_of_volunteer, assume_unique=True)
        chosen[take] = True
        free -= np.bincount(
            problem.edge_volunteer[take], weights=edge_need[take], minlength=problem.n_volunteers
        ).astype(np.int64)
        matched = np.zeros(problem.n_clients, dtype=bool)
        matched[problem.edge_client[take]] = True
        alive &= ~matched[problem.edge_client] & (free[problem.edge_volunteer] >= edge_need)
    return Assignment(chosen, SolveStatus.FEASIBLE, time.perf_counter() - started)


def fifo_greedy(problem: AssignmentProblem) -> Assignment:
    """Longest-waiting client first (then higher risk, then id), each to its best free volunteer.

    One step per client, not per pair: each step looks at that client's own edges only.
    """
    started = time.perf_counter()
    chosen = np.zeros(len(problem.edge_client), dtype=bool)
    need, free = capacity_units(problem)
    free = free.copy()
    starts, ends = client_segments(problem)
    queue = np.lexsort(
        (np.arange(problem.n_clients), -problem.client_tier, -problem.client_weeks_waited)
    )
    for client in queue.tolist():
        start, end = int(starts[client]), int(ends[client])
        if start == end:
            continue
        volunteers = problem.edge_volunteer[start:end]
        fits = free[volunteers] >= need[client]
        weights = np.where(fits, problem.weight_units[start:end], -1)
        best = int(np.argmax(weights))  # the first maximum: the lowest volunteer id
        if weights[best] > 0:
            chosen[start + best] = True
            free[volunteers[best]] -= need[client]
    return Assignment(chosen, SolveStatus.FEASIBLE, time.perf_counter() - started)


def _first_in_group(groups: IntArray) -> IntArray:
    return np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if len(groups) else groups


def _running_total_in_group(groups: IntArray, amounts: IntArray) -> IntArray:
    """Cumulative sum of `amounts` within each run of equal values of a sorted array (this
    element included)."""
    if len(groups) == 0:
        return amounts
    total = np.cumsum(amounts)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    lengths = np.diff(np.r_[starts, len(groups)])
    before_group = np.repeat(total[starts] - amounts[starts], lengths)
    return np.asarray(total - before_group, dtype=np.int64)
