"""Maximum-weight capacitated assignment as a min-cost flow (OR-Tools SimpleMinCostFlow).

Network: source → client (capacity 1) → volunteer (capacity 1 per allowed pair, cost −weight)
→ sink (capacity = free places), plus a zero-cost source → sink bypass so that a client may
stay unmatched. Minimising cost then maximises the total weight of the chosen pairs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.errors import SolverError
from matcher.solvers import components
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
    *,
    most_clients_first: bool = False,
    load_penalty_units: int = 0,
    current_load: npt.NDArray[np.int64] | None = None,
    decompose: bool = True,
    workers: int | None = None,
) -> FlowSolution:
    """The pairs of largest total weight: a client at most once, a volunteer up to its places.

    most_clients_first: first as many clients as possible, then the largest weight among
    those (no bypass arc; OR-Tools' max-flow-with-min-cost).
    load_penalty_units: the k-th new client of a volunteer who already carries `load`
    costs penalty · (load + k), a convex cost that spreads clients over volunteers.
    decompose: on large rounds, solve the parts that share no pair separately
    (matcher.solvers.components); the objective is the same, and so is the result for any
    number of `workers` (default: every usable core on large rounds, else 1).
    """
    started = time.perf_counter()
    n_edges = len(edge_client)
    if n_edges == 0:
        return FlowSolution(SolveStatus.OPTIMAL, np.zeros(0, dtype=bool), 0, 0.0)
    if np.any(weight_units <= 0):
        raise SolverError("edge weights must be positive")
    if int(weight_units.max()) * min(n_clients, n_edges) >= MAX_TOTAL_WEIGHT_UNITS:
        raise SolverError("edge weights too large: the total could overflow 64-bit integers")

    def network(part: npt.NDArray[np.int64] | None) -> npt.NDArray[np.bool_]:
        def pick(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
            return values if part is None else values[part]

        return _solve_network(
            n_clients,
            n_volunteers,
            pick(edge_client),
            pick(edge_volunteer),
            pick(weight_units),
            free_places,
            most_clients_first=most_clients_first,
            load_penalty_units=load_penalty_units,
            current_load=current_load,
        )

    if decompose and n_edges >= components.DECOMPOSE_FROM_EDGES:
        parts = components.bundles(n_clients, n_volunteers, edge_client, edge_volunteer)
        count = components.worker_count(n_edges, workers)
        if len(parts) > 1:
            chosen = components.solve_parts(network, parts, n_edges, count)
        else:
            chosen = network(None)  # one city, one organisation: nothing to split
    else:
        chosen = network(None)
    objective_units = int(weight_units[chosen].sum())
    return FlowSolution(SolveStatus.OPTIMAL, chosen, objective_units, time.perf_counter() - started)


def _solve_network(
    n_clients: int,
    n_volunteers: int,
    edge_client: npt.NDArray[np.int64],
    edge_volunteer: npt.NDArray[np.int64],
    weight_units: npt.NDArray[np.int64],
    free_places: npt.NDArray[np.int64],
    *,
    most_clients_first: bool,
    load_penalty_units: int,
    current_load: npt.NDArray[np.int64] | None,
) -> npt.NDArray[np.bool_]:
    """One OR-Tools network over the given pairs; the chosen ones as a mask over them."""
    from ortools.graph.python import min_cost_flow

    n_edges = len(edge_client)

    # Data: only clients and volunteers with an allowed pair enter the network.
    clients, client_node = _compact(edge_client, n_clients)
    volunteers, volunteer_node = _compact(edge_volunteer, n_volunteers)
    n_c, n_v = len(clients), len(volunteers)
    source, sink = n_c + n_v, n_c + n_v + 1
    places = np.minimum(free_places[volunteers], n_c)

    # Arcs, in families laid out one after another.
    # source → client: each client matched at most once.
    tails: list[npt.NDArray[Any]] = [np.full(n_c, source)]
    heads: list[npt.NDArray[Any]] = [np.arange(n_c)]
    caps: list[npt.NDArray[Any]] = [np.ones(n_c)]
    costs: list[npt.NDArray[Any]] = [np.zeros(n_c)]
    # client → volunteer: the allowed pairs, at minus their weight.
    tails.append(client_node)
    heads.append(n_c + volunteer_node)
    caps.append(np.ones(n_edges))
    costs.append(-weight_units)
    # volunteer → sink: at most its free places; with a load penalty, one arc per place.
    if load_penalty_units:
        load = np.zeros(n_v, np.int64) if current_load is None else current_load[volunteers]
        owner = np.repeat(np.arange(n_v), places)
        k = np.arange(len(owner)) - np.repeat(np.cumsum(places) - places, places)
        tails.append(n_c + owner)
        heads.append(np.full(len(owner), sink))
        caps.append(np.ones(len(owner)))
        costs.append(load_penalty_units * (load[owner] + k))
    else:
        tails.append(n_c + np.arange(n_v))
        heads.append(np.full(n_v, sink))
        caps.append(places)
        costs.append(np.zeros(n_v))
    # source → sink: the bypass that lets a client stay unmatched.
    if not most_clients_first:
        tails.append(np.array([source]))
        heads.append(np.array([sink]))
        caps.append(np.array([n_c]))
        costs.append(np.zeros(1))
    all_costs = np.concatenate(costs).astype(np.int64)

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        all_costs,
    )
    supplies = np.zeros(n_c + n_v + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n_c, -n_c
    flow.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)

    # Solve; every status but OPTIMAL is a bug or a limit, never a property of the input.
    status = flow.solve_max_flow_with_min_cost() if most_clients_first else flow.solve()
    if status != flow.OPTIMAL:
        raise SolverError(f"min-cost flow ended with status {status!r}; please report this")
    all_flows = flow.flows(arcs)
    if int(all_flows @ all_costs) != flow.optimal_cost():
        raise SolverError("solver cost disagrees with the chosen arcs; please report this")
    chosen: npt.NDArray[np.bool_] = all_flows[n_c : n_c + n_edges] > 0
    return chosen
