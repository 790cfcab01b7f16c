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

from matcher.arrays import BoolArray, IntArray
from matcher.errors import SolverError
from matcher.solvers import components, pricing
from matcher.solvers.flow_round import FlowRound, compact_ids
from matcher.solvers.status import SolveStatus

# OR-Tools keeps costs and flows in int64; stay far inside it.
MAX_TOTAL_WEIGHT_UNITS = 2**62


@dataclass(frozen=True)
class FlowSolution:
    status: SolveStatus
    chosen: BoolArray
    objective_units: int
    solve_s: float


def solve_max_weight(
    n_clients: int,
    n_volunteers: int,
    edge_client: IntArray,
    edge_volunteer: IntArray,
    weight_units: IntArray,
    free_places: IntArray,
    *,
    most_clients_first: bool = False,
    load_penalty_units: int = 0,
    current_load: IntArray | None = None,
    decompose: bool = True,
    workers: int | None = None,
) -> FlowSolution:
    """The pairs of largest total weight: a client at most once, a volunteer up to its places.

    most_clients_first and load_penalty_units shape the objective (FlowRound).
    decompose: on large rounds, solve the parts that share no pair separately
    (matcher.solvers.components), and a part with many pairs per client from a few of them
    with proof that the rest would not help (matcher.solvers.pricing); the objective is the
    same, and so is the result for any number of `workers` (default: every usable core on
    large rounds, else 1). False: one network of every pair, as it stands.
    """
    started = time.perf_counter()
    network = FlowRound(
        n_clients, n_volunteers, edge_client, edge_volunteer, weight_units, free_places,
        most_clients_first, load_penalty_units, current_load,
    )  # fmt: skip
    n_edges = len(edge_client)
    if n_edges == 0:
        return FlowSolution(SolveStatus.OPTIMAL, np.zeros(0, dtype=bool), 0, 0.0)
    if np.any(weight_units <= 0):
        raise SolverError("edge weights must be positive")
    if int(weight_units.max()) * min(n_clients, n_edges) >= MAX_TOTAL_WEIGHT_UNITS:
        raise SolverError("edge weights too large: the total could overflow 64-bit integers")

    large = decompose and n_edges >= components.DECOMPOSE_FROM_EDGES

    def solve_part(part: IntArray | None) -> BoolArray:
        piece = network.part(part)
        if large:
            piece = piece.compact()  # numbered over its own people, as pricing counts them
            if pricing.worth_pricing(piece):
                return pricing.solve_by_pricing(piece, _solve_network)
        return _solve_network(piece)

    if large:
        parts = components.bundles(n_clients, n_volunteers, edge_client, edge_volunteer)
        count = components.worker_count(n_edges, workers)
        if len(parts) > 1:
            # Loaded before the workers fork, so that they need not each load it again.
            from ortools.graph.python import min_cost_flow  # noqa: F401

            chosen = components.solve_parts(solve_part, parts, n_edges, count)
        else:
            chosen = solve_part(None)  # one city, one organisation: nothing to split
    else:
        chosen = solve_part(None)
    objective_units = int(weight_units[chosen].sum())
    return FlowSolution(SolveStatus.OPTIMAL, chosen, objective_units, time.perf_counter() - started)


def _solve_network(network: FlowRound) -> BoolArray:
    """One OR-Tools network over the given pairs; the chosen ones as a mask over them."""
    # Imported here: OR-Tools takes 0.15 s to load, and `import matcher.solvers` need not wait.
    from ortools.graph.python import min_cost_flow

    n_clients, n_volunteers = network.n_clients, network.n_volunteers
    edge_client, edge_volunteer = network.edge_client, network.edge_volunteer
    free_places, current_load = network.free_places, network.current_load
    n_edges = len(edge_client)

    # Data: only clients and volunteers with an allowed pair enter the network.
    clients, client_node = compact_ids(edge_client, n_clients)
    volunteers, volunteer_node = compact_ids(edge_volunteer, n_volunteers)
    n_c, n_v = len(clients), len(volunteers)
    source, sink = n_c + n_v, n_c + n_v + 1
    places = np.minimum(free_places[volunteers], n_c)

    # Arcs, in families laid out one after another.
    # source → client: each client matched at most once.
    tails: list[npt.NDArray[Any]] = [np.full(n_c, source)]
    heads: list[npt.NDArray[Any]] = [np.arange(n_c)]
    caps: list[npt.NDArray[Any]] = [np.ones(n_c, np.int64)]
    costs: list[npt.NDArray[Any]] = [np.zeros(n_c, np.int64)]
    # client → volunteer: the allowed pairs, at minus their weight.
    tails.append(client_node)
    heads.append(n_c + volunteer_node)
    caps.append(np.ones(n_edges, np.int64))
    costs.append(-network.weight_units)
    # volunteer → sink: at most its free places; with a load penalty, one arc per place.
    if network.load_penalty_units:
        load = np.zeros(n_v, np.int64) if current_load is None else current_load[volunteers]
        owner = np.repeat(np.arange(n_v), places)
        k = np.arange(len(owner)) - np.repeat(np.cumsum(places) - places, places)
        tails.append(n_c + owner)
        heads.append(np.full(len(owner), sink))
        caps.append(np.ones(len(owner), np.int64))
        costs.append(network.load_penalty_units * (load[owner] + k))
    else:
        tails.append(n_c + np.arange(n_v))
        heads.append(np.full(n_v, sink))
        caps.append(places)
        costs.append(np.zeros(n_v, np.int64))
    # source → sink: the bypass that lets a client stay unmatched.
    if not network.most_clients_first:
        tails.append(np.array([source]))
        heads.append(np.array([sink]))
        caps.append(np.array([n_c]))
        costs.append(np.zeros(1, np.int64))
    # Concatenated straight into the types OR-Tools takes: no second copy of each column.
    all_costs = np.concatenate(costs, dtype=np.int64)

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails, dtype=np.int32),
        np.concatenate(heads, dtype=np.int32),
        np.concatenate(caps, dtype=np.int64),
        all_costs,
    )
    supplies = np.zeros(n_c + n_v + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n_c, -n_c
    flow.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)

    # Solve; every status but OPTIMAL is a bug or a limit, never a property of the input.
    status = flow.solve_max_flow_with_min_cost() if network.most_clients_first else flow.solve()
    if status != flow.OPTIMAL:
        raise SolverError(f"min-cost flow ended with status {status!r}; please report this")
    all_flows = flow.flows(arcs)
    if int(all_flows @ all_costs) != flow.optimal_cost():
        raise SolverError("solver cost disagrees with the chosen arcs; please report this")
    chosen: BoolArray = all_flows[n_c : n_c + n_edges] > 0
    return chosen


def most_clients(
    n_clients: int,
    n_volunteers: int,
    edge_client: IntArray,
    edge_volunteer: IntArray,
    free_places: IntArray,
) -> BoolArray:
    """A matching that serves as many clients as possible (a maximum flow, weights aside):
    each client at most once, each volunteer up to its places; a mask over the pairs."""
    from ortools.graph.python import max_flow  # imported here, as min_cost_flow above

    if len(edge_client) == 0:
        return np.zeros(0, dtype=bool)
    clients, client_node = compact_ids(edge_client, n_clients)
    volunteers, volunteer_node = compact_ids(edge_volunteer, n_volunteers)
    n_c, n_v = len(clients), len(volunteers)
    source, sink = n_c + n_v, n_c + n_v + 1
    flow = max_flow.SimpleMaxFlow()
    arcs = flow.add_arcs_with_capacity(
        np.concatenate([np.full(n_c, source), client_node, n_c + np.arange(n_v)]).astype(np.int32),
        np.concatenate([np.arange(n_c), n_c + volunteer_node, np.full(n_v, sink)]).astype(np.int32),
        np.concatenate(
            [np.ones(n_c + len(edge_client)), np.minimum(free_places[volunteers], n_c)]
        ).astype(np.int64),
    )
    if flow.solve(source, sink) != flow.OPTIMAL:
        raise SolverError("maximum flow did not end optimal; please report this")
    chosen: BoolArray = flow.flows(arcs)[n_c : n_c + len(edge_client)] > 0
    return chosen
