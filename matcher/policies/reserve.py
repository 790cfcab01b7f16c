"""Reserve: hold a scarce volunteer back when a better-fitting client is likely to come soon.

After "Annie MOORE" (dynamic refugee placement, Operations Research 2024): sample the coming
weeks' arrivals, solve the LP relaxation of placing today's clients and the sampled future
ones on today's free places, and price each place by its dual. Today a pair is proposed only
if its weight covers the price of the place it uses; the rest of the pairs are matched as
`optimal` would on the weights minus those prices. Future clients count at their weight
discounted for the weeks they would wait, so holding someone back is never free.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from matcher.arrays import EdgeList, IntArray
from matcher.models import DEFAULT_CLIENT_HOURS, HOUR_UNITS
from matcher.policies.flow import optimal
from matcher.policies.problem import Assignment, AssignmentProblem
from matcher.solvers.flow import solve_max_weight
from matcher.solvers.lp import place_prices
from matcher.solvers.status import SolveStatus


@dataclass(frozen=True)
class FutureSample(EdgeList):
    """One sampled future: its clients' allowed pairs with today's volunteers (volunteer
    indices as today's), weights already discounted for the weeks until arrival."""

    # Capacity in hours: each sampled client's need (None: one hour, the default need).
    client_hours: IntArray | None = None


def reserve(problem: AssignmentProblem, futures: Sequence[FutureSample]) -> Assignment:
    started = time.perf_counter()
    prices = np.zeros(problem.n_volunteers)
    hours = problem.client_hours
    for future in futures:
        both = problem.followed_by(future)
        prices += place_prices(
            both.n_clients,
            problem.n_volunteers,
            both.edge_client,
            both.edge_volunteer,
            both.weight_units.astype(float),
            problem.free_places if problem.volunteer_hours is None else problem.volunteer_hours,
            None if hours is None else np.r_[hours, _future_hours(future)],
        )
    prices /= max(1, len(futures))
    # A pair whose weight does not cover the place's price waits; ties go to matching now.
    # In hours the price is per hour, and a client uses its hours.
    uses = 1 if hours is None else hours[problem.edge_client]
    price = np.rint(prices[problem.edge_volunteer] * uses).astype(np.int64)
    adjusted = problem.weight_units - price
    keep = np.flatnonzero(adjusted >= 0)
    if problem.client_hours is not None:
        return _reserve_in_hours(problem, keep, adjusted[keep] + 1, started)
    solution = solve_max_weight(
        problem.n_clients,
        problem.n_volunteers,
        problem.edge_client[keep],
        problem.edge_volunteer[keep],
        adjusted[keep] + 1,
        problem.free_places,
    )
    chosen = np.zeros(len(problem.edge_client), dtype=bool)
    chosen[keep[solution.chosen]] = True
    # Exact for the price-adjusted weights, not for the total weight: report it as feasible.
    return Assignment(chosen, SolveStatus.FEASIBLE, time.perf_counter() - started)


def _future_hours(future: FutureSample) -> IntArray:
    if future.client_hours is not None:
        return future.client_hours
    return np.full(future.n_clients, HOUR_UNITS * DEFAULT_CLIENT_HOURS, dtype=np.int64)


def _reserve_in_hours(
    problem: AssignmentProblem, keep: IntArray, weight_units: IntArray, started: float
) -> Assignment:
    """The price-adjusted pairs matched as `optimal` would in hours."""
    kept = replace(
        problem,
        edge_client=problem.edge_client[keep],
        edge_volunteer=problem.edge_volunteer[keep],
        weight_units=weight_units,
        fit=problem.fit[keep],
    )
    chosen = np.zeros(len(problem.edge_client), dtype=bool)
    chosen[keep[optimal(kept).chosen]] = True
    return Assignment(chosen, SolveStatus.FEASIBLE, time.perf_counter() - started)


def bootstrap_futures(
    problem: AssignmentProblem,
    *,
    weekly_arrivals: float,
    weeks_ahead: int,
    samples: int,
    weekly_discount: float,
    seed: int,
) -> list[FutureSample]:
    """Futures resampled from today's clients: arrivals like the ones we see now.

    The historical-resampling idea of Annie MOORE, with today's waiting list as history.
    """
    rng = np.random.default_rng(seed)
    clients_with_edges = np.unique(problem.edge_client)
    if weekly_arrivals <= 0 or len(clients_with_edges) == 0:
        return []
    starts, ends = problem.client_segments(clients_with_edges)
    futures = []
    for _ in range(samples):
        arrivals = rng.poisson(weekly_arrivals, size=weeks_ahead)
        week = np.repeat(np.arange(1, weeks_ahead + 1), arrivals)
        picked = rng.integers(0, len(clients_with_edges), size=len(week))
        lengths = (ends - starts)[picked]
        edge = (
            np.concatenate(
                [np.arange(s, e) for s, e in zip(starts[picked], ends[picked], strict=True)]
            )
            if len(picked)
            else np.empty(0, np.int64)
        )
        owner = np.repeat(np.arange(len(picked)), lengths)
        discount = weekly_discount ** np.repeat(week, lengths)
        futures.append(
            FutureSample(
                n_clients=len(picked),
                edge_client=owner.astype(np.int64),
                edge_volunteer=problem.edge_volunteer[edge],
                weight_units=np.rint(problem.weight_units[edge] * discount).astype(np.int64),
                client_hours=None
                if problem.client_hours is None
                else problem.client_hours[clients_with_edges[picked]],
            )
        )
    return futures
