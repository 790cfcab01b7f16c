"""Maximum-weight capacitated assignment as a min-cost flow (OR-Tools SimpleMinCostFlow).

Network: source → client (capacity 1) → volunteer (capacity 1 per allowed pair, cost −weight)
→ sink (capacity = free places), plus a zero-cost source → sink bypass so that a client may
stay unmatched. Minimising cost then maximises the total weight of the chosen pairs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matcher.errors import SolverError
from matcher.solvers.status import SolveStatus

# OR-Tools keeps costs and flows in int64; stay far inside it.
MAX_TOTAL_WEIGHT_UNITS = 2**62


def _compact(
    ids: npt.NDArray[np.int64], n: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The distinct ids in order, and each id's position among them (linear time)."""
    present = np.zeros(n, dtype=bool)
    present[ids] = True
    position = np.cumsum(present) - 1
    return np.flatnonzero(present), position[ids]


@dataclass(frozen=True)
class FlowSolution:
    status: SolveStatus
    chosen: npt.NDArray[np.bool_]
    objective_units: int
    solve_s: float


def solve_max_weight(
    n_clients: int,
    n_volunteers: int,
    edge_client: npt.NDArray[np.int64],
    edge_volunteer: npt.NDArray[np.int64],
    weight_units: npt.NDArray[np.int64],
    free_places: npt.NDArray[np.int64],
) -> FlowSolution:
    """The pairs of largest total weight: a client at most once, a volunteer up to its places."""
    started = time.perf_counter()
    n_edges = len(edge_client)
    if n_edges == 0:
        return FlowSolution(SolveStatus.OPTIMAL, np.zeros(0, dtype=bool), 0, 0.0)
    if np.any(weight_units <= 0):
        raise SolverError("edge weights must be positive")
    if int(weight_units.max()) * min(n_clients, n_edges) >= MAX_TOTAL_WEIGHT_UNITS:
        raise SolverError("edge weights too large: the total could overflow 64-bit integers")

    from ortools.graph.python import min_cost_flow

    # Only clients and volunteers with an allowed pair enter the network.
    clients, client_node = _compact(edge_client, n_clients)
    volunteers, volunteer_node = _compact(edge_volunteer, n_volunteers)
    n_c, n_v = len(clients), len(volunteers)
    source, sink = n_c + n_v, n_c + n_v + 1
    supply = n_c

    # Data: arcs in four families, laid out one after another.
    tails = np.concatenate(
        [
            np.full(n_c, source),  # source → client: each client matched at most once
            client_node,  # client → volunteer: the allowed pairs
            n_c + np.arange(n_v),  # volunteer → sink: at most its free places
            [source],  # source → sink: the bypass for unmatched clients
        ]
    ).astype(np.int32)
    heads = np.concatenate(
        [np.arange(n_c), n_c + volunteer_node, np.full(n_v, sink), [sink]]
    ).astype(np.int32)
    capacities = np.concatenate(
        [np.ones(n_c), np.ones(n_edges), np.minimum(free_places[volunteers], n_c), [supply]]
    ).astype(np.int64)
    costs = np.concatenate([np.zeros(n_c), -weight_units, np.zeros(n_v), [0]]).astype(np.int64)

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supplies = np.zeros(n_c + n_v + 2, dtype=np.int64)
    supplies[source], supplies[sink] = supply, -supply
    flow.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)

    status = flow.solve()
    if status != flow.OPTIMAL:
        raise SolverError(f"min-cost flow ended with status {status!r}; please report this")
    pair_arcs = arcs[n_c : n_c + n_edges]
    chosen = flow.flows(pair_arcs) > 0
    objective_units = int(weight_units[chosen].sum())
    if objective_units != -flow.optimal_cost():
        raise SolverError("solver cost disagrees with the chosen pairs; please report this")
    return FlowSolution(SolveStatus.OPTIMAL, chosen, objective_units, time.perf_counter() - started)
