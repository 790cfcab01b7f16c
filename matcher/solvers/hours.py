"""Maximum-weight assignment with capacity in hours, as an integer programme (OR-Tools CP-SAT).

When clients need different hours, a client of h hours uses h of a volunteer's hours: a
generalized assignment problem (a multiple knapsack per volunteer), which no flow network
expresses. CP-SAT solves it exactly in integers (no rounding of large weights), on one
worker and under a limit of deterministic time, so the same input gives the same answer on
every machine; the status says whether the answer is proven optimal, and if not, how far
from the proven bound it may be.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from matcher.errors import SolverError
from matcher.solvers.status import SolveStatus

# CP-SAT's deterministic time: its own count of work, the same on every machine (roughly a
# second each on a fast one). Small rounds are proven optimal far below it.
WORK_LIMIT: Final = 10.0
# CP-SAT keeps the objective in int64; stay far inside it.
MAX_OBJECTIVE_UNITS: Final = 2**60

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class HoursSolution:
    status: SolveStatus
    chosen: npt.NDArray[np.bool_]
    objective_units: int  # the solver's objective: weights minus any load penalty
    # (bound − found) / bound when not proven optimal; 0.0 when proven.
    gap: float
    solve_s: float


def solve_max_weight_hours(
    n_clients: int,
    n_volunteers: int,
    edge_client: IntArray,
    edge_volunteer: IntArray,
    weight_units: IntArray,
    client_hours: IntArray,
    volunteer_hours: IntArray,
    *,
    load_penalty_units: int = 0,
    current_load: IntArray | None = None,
    work_limit: float = WORK_LIMIT,
    start: npt.NDArray[np.bool_] | None = None,
) -> HoursSolution:
    """The pairs of largest total weight: a client at most once, and each volunteer's chosen
    clients together within its hours (all in the same whole units, e.g. quarter-hours).

    load_penalty_units: the k-th new client of a volunteer who already carries `load`
    clients costs penalty · (load + k), as in the min-cost flow.
    start: a valid assignment to begin from (a greedy one): the answer is never worse, and
    if the limit comes before CP-SAT finds anything, it is the answer, with its gap.
    """
    started = time.perf_counter()
    n_edges = len(edge_client)
    if n_edges == 0:
        return HoursSolution(SolveStatus.OPTIMAL, np.zeros(0, dtype=bool), 0, 0.0, 0.0)
    if np.any(weight_units <= 0):
        raise SolverError("edge weights must be positive")
    if int(weight_units.max()) * min(n_clients, n_edges) >= MAX_OBJECTIVE_UNITS:
        raise SolverError("edge weights too large: the total could overflow 64-bit integers")

    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    # Variables: one yes/no per allowed pair.
    take = [model.new_bool_var(f"x{k}") for k in range(n_edges)]
    # Each client is matched at most once.
    for edges in _groups(edge_client, n_clients):
        if len(edges) > 1:
            model.add_at_most_one(take[k] for k in edges)
    # Each volunteer's chosen clients fit in its hours.
    slots: list[Any] = []
    slot_costs: list[int] = []
    for volunteer, edges in enumerate(_groups(edge_volunteer, n_volunteers)):
        if len(edges) == 0:
            continue
        takes = [take[k] for k in edges.tolist()]
        needs = client_hours[edge_client[edges]]
        hours = int(volunteer_hours[volunteer])
        if int(needs.sum()) > hours:
            model.add(cp_model.LinearExpr.weighted_sum(takes, needs.tolist()) <= hours)
        if load_penalty_units:
            load = 0 if current_load is None else int(current_load[volunteer])
            # At most as many new clients as the hours allow of the shortest matches.
            most = min(len(takes), hours // max(1, int(needs.min())))
            slots += _load_slots(model, takes, most)
            slot_costs += [load_penalty_units * (load + k) for k in range(most)]
    # Objective: the largest total weight, less the growing cost of each extra client.
    model.maximize(
        cp_model.LinearExpr.weighted_sum(take, weight_units.tolist())
        - cp_model.LinearExpr.weighted_sum(slots, slot_costs)
    )

    if start is not None:
        for x, value in zip(take, start.tolist(), strict=True):
            model.add_hint(x, value)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # one worker: deterministic, as the design asks
    solver.parameters.max_deterministic_time = work_limit
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status == cp_model.OPTIMAL:
        ours, gap = SolveStatus.OPTIMAL, 0.0
    elif status == cp_model.FEASIBLE:
        found, bound = solver.objective_value, solver.best_objective_bound
        ours, gap = SolveStatus.FEASIBLE, max(0.0, bound - found) / max(abs(bound), 1.0)
    elif status == cp_model.UNKNOWN:
        # Nothing found within the limit (taking no pair is always allowed, so not infeasible).
        elapsed = time.perf_counter() - started
        if start is None:
            none = np.zeros(n_edges, dtype=bool)
            return HoursSolution(SolveStatus.NOT_SOLVED, none, 0, 1.0, elapsed)
        value = int(weight_units[start].sum()) - _penalty(
            edge_volunteer[start], n_volunteers, load_penalty_units, current_load
        )
        # CP-SAT has no bound yet: each client's heaviest pair, summed, is one.
        heaviest = np.zeros(n_clients, dtype=np.int64)
        np.maximum.at(heaviest, edge_client, weight_units)
        bound = int(heaviest.sum())
        gap = max(0, bound - value) / max(bound, 1)
        return HoursSolution(SolveStatus.FEASIBLE, start.copy(), value, gap, elapsed)
    else:
        raise SolverError(f"CP-SAT ended with status {solver.status_name(status)}; please report")
    chosen = np.array([solver.boolean_value(x) for x in take], dtype=bool)
    objective = round(solver.objective_value)
    return HoursSolution(ours, chosen, objective, gap, time.perf_counter() - started)


def _penalty(
    chosen_volunteer: IntArray, n_volunteers: int, penalty_units: int, load: IntArray | None
) -> int:
    """The load penalty of an assignment: Σ over a volunteer's k new clients of p·(load + k)."""
    new = np.bincount(chosen_volunteer, minlength=n_volunteers).astype(np.int64)
    carried = np.zeros(n_volunteers, np.int64) if load is None else load
    return penalty_units * int(np.sum(new * carried + new * (new - 1) // 2))


def _groups(owner: IntArray, n: int) -> list[IntArray]:
    """The edge indices of each owner 0 … n-1."""
    order = np.argsort(owner, kind="stable")
    return np.split(order, np.searchsorted(owner[order], np.arange(1, n)))


def _load_slots(model: Any, takes: list[Any], most: int) -> list[Any]:
    """Yes/no per possible new client of one volunteer, the k-th costing more than the one
    before: the solver fills the cheap slots first; filling them in order is also required,
    which removes equivalent solutions from the search."""
    slots = [model.new_bool_var(f"slot{k}") for k in range(most)]
    for earlier, later in itertools.pairwise(slots):
        model.add_implication(later, earlier)
    model.add(sum(slots) == sum(takes))
    return slots
