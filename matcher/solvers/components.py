"""Independent parts of a round: clients and volunteers that share no allowed pair, solved apart.

A national round is a hundred organisations that never share a pair, so its flow network
falls apart into connected components. The optimum of a disjoint union is the union of the
optima, and min-cost flow time grows faster than linearly (about N^1.2), so solving the parts
separately is faster even on one core, and the parts can go to several processes.

Determinism: components are labelled by scipy from the edge arrays alone, and grouped into
bundles of consecutive labels by edge count alone, so what is solved together never depends
on how many workers there are. Each bundle is solved exactly as a small round would be.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np

from matcher.arrays import BoolArray, IntArray

# Below this many allowed pairs one network is solved as it stands: splitting would save
# little, and small rounds keep exactly the solution they always had.
DECOMPOSE_FROM_EDGES: Final = 200_000
# Small components are solved together until a bundle holds about this many pairs: one
# network per component would cost more in set-up than the solve itself. Larger bundles
# cost more than they save: min-cost flow grows faster than the pairs (the national round's
# solves, CPU: about 2.2 s in bundles of 50,000 pairs against 2.6 s in bundles of 100,000).
BUNDLE_EDGES: Final = 50_000
# Worker processes pay for themselves from about this many pairs (a fork and the results'
# return trip cost tens of milliseconds).
PARALLEL_FROM_EDGES: Final = 1_000_000
# Rounds of label passing before component_roots hands over to scipy; a city or a national
# round settles in a handful.
MAX_LABEL_ROUNDS: Final = 12
# MATCHER_WORKERS=1 keeps every solve in the calling process; the result is the same.
WORKERS_VARIABLE: Final = "MATCHER_WORKERS"


def bundles(
    n_clients: int,
    n_volunteers: int,
    edge_client: IntArray,
    edge_volunteer: IntArray,
    *,
    bundle_edges: int | None = None,
) -> list[IntArray]:
    """Edge indices per bundle of whole components, each in the edges' own order."""
    bundle_edges = BUNDLE_EDGES if bundle_edges is None else bundle_edges
    client_root, _ = component_roots(n_clients, n_volunteers, edge_client, edge_volunteer)
    degree = np.bincount(edge_client, minlength=n_clients)
    # Components numbered by their lowest client, as scipy's connected_components numbers
    # them by lowest node (clients come before volunteers, and every part has a client).
    present = np.zeros(n_clients, dtype=bool)
    present[client_root[degree > 0]] = True
    label_of_root = np.cumsum(present) - 1
    if label_of_root.size == 0 or label_of_root[-1] <= 0:
        return [np.arange(len(edge_client), dtype=np.int64)]  # one part: nothing to sort
    # Consecutive labels share a bundle while the edges before them fall in the same block of
    # `bundle_edges`; a component larger than a block takes one (or more) blocks alone.
    client_label = np.where(degree > 0, label_of_root[client_root], 0)  # 0: no pairs, unused
    sizes = np.bincount(client_label, weights=degree).astype(np.int64)
    before = np.cumsum(sizes) - sizes
    bundle_of_label = before // max(1, bundle_edges)
    _, bundle_of_label = np.unique(bundle_of_label, return_inverse=True)
    client_bundle = bundle_of_label[client_label]
    if np.any(edge_client[1:] < edge_client[:-1]):
        return _split_edges(client_bundle[edge_client])
    # The engine's edges come sorted by client: each bundle's edges are its clients' runs of
    # edges, in client order, so the clients are sorted instead of the (many more) edges.
    clients = np.argsort(client_bundle, kind="stable")
    clients = clients[degree[clients] > 0]
    run = degree[clients]
    first_edge = np.cumsum(degree) - degree
    edges = np.repeat(first_edge[clients] - (np.cumsum(run) - run), run) + np.arange(
        int(run.sum()), dtype=np.int64
    )
    cuts = np.cumsum(np.bincount(client_bundle[clients], weights=run).astype(np.int64))[:-1]
    return np.split(edges, cuts)


def _split_edges(edge_bundle: IntArray) -> list[IntArray]:
    """Edge indices per bundle, each in the edges' own order, from each edge's bundle."""
    # A stable sort of small integers is a radix sort: linear in the edges.
    small = np.uint16 if edge_bundle.max(initial=0) < 2**16 else np.int64
    order = np.argsort(edge_bundle.astype(small), kind="stable")
    cuts = np.cumsum(np.bincount(edge_bundle))[:-1]
    return [part.astype(np.int64, copy=False) for part in np.split(order, cuts)]


def component_roots(
    n_clients: int, n_volunteers: int, edge_client: IntArray, edge_volunteer: IntArray
) -> tuple[IntArray, IntArray]:
    """Each client's and volunteer's component, named by its lowest client index (a client
    without pairs: its own index; a volunteer without pairs: -1).

    The smallest label is passed client → volunteer → client along the pairs, and each
    client then takes its label's label until nothing changes (pointer jumping), so a chain
    of k clients settles in about log k rounds rather than k: a city or a national round in
    three. Whole columns at a time and no scipy, whose import alone (0.2 s) costs more than
    labelling a dense city; after MAX_LABEL_ROUNDS (a long thin chain numbered against its
    order) scipy's connected_components finishes the job.
    """
    label = np.arange(n_clients, dtype=np.int64)
    client, volunteer = np.asarray(edge_client), np.asarray(edge_volunteer)
    if len(client) == 0:
        return label, np.full(n_volunteers, -1, dtype=np.int64)
    if np.any(client[1:] < client[:-1]):
        order = np.argsort(client, kind="stable")
        client, volunteer = client[order], volunteer[order]
    # Each client's run of edges, for minimum.reduceat (which needs non-empty runs).
    client_start = np.flatnonzero(np.r_[True, client[1:] != client[:-1]])
    clients = client[client_start]
    volunteer_label = np.empty(n_volunteers, dtype=np.int64)
    for _ in range(MAX_LABEL_ROUNDS):
        volunteer_label.fill(n_clients)  # above every label: "no client yet"
        np.minimum.at(volunteer_label, volunteer, label[client])
        offered = np.minimum.reduceat(volunteer_label[volunteer], client_start)
        changed = bool(np.any(offered < label[clients]))
        label[clients] = np.minimum(offered, label[clients])
        while True:  # pointer jumping: a label is always a client of the same part
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
        if not changed:
            volunteer_label[volunteer_label == n_clients] = -1
            return label, volunteer_label
    return _scipy_roots(n_clients, n_volunteers, client, volunteer)


def _scipy_roots(
    n_clients: int, n_volunteers: int, client: IntArray, volunteer: IntArray
) -> tuple[IntArray, IntArray]:
    """component_roots by scipy's connected_components (edges sorted by client)."""
    # Imported here: only a chain that label passing does not settle needs scipy.
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import connected_components

    # Nodes: the clients, then the volunteers; an arc from each client to its volunteers.
    # With the edges in client order the arcs are a CSR matrix as they stand (no sort, no
    # copy), in float64 as csgraph works in.
    n_nodes = n_clients + n_volunteers
    index = np.int32 if n_nodes < 2**31 and len(client) < 2**31 else np.int64
    row_end = np.cumsum(np.bincount(client, minlength=n_clients))
    indptr = np.concatenate([[0], row_end, np.full(n_volunteers, len(client))]).astype(index)
    graph = csr_array(
        (np.ones(len(client)), (n_clients + volunteer).astype(index), indptr),
        shape=(n_nodes, n_nodes),
    )
    _, node_label = connected_components(graph, directed=False)
    # Each label is named by its lowest client (a volunteer without pairs: -1).
    client_label = node_label[:n_clients]
    labels, lowest = np.unique(client_label, return_index=True)
    root_of_label = np.full(int(node_label.max(initial=-1)) + 1, -1, dtype=np.int64)
    root_of_label[labels] = lowest
    return root_of_label[client_label], root_of_label[node_label[n_clients:]]


def usable_cores() -> int:
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return len(usable) if usable is not None else (os.cpu_count() or 1)


def worker_count(n_edges: int, workers: int | None) -> int:
    """How many processes solve the bundles: 1 for small rounds or when told so."""
    if workers is None:
        told = os.environ.get(WORKERS_VARIABLE, "").strip()
        if told.isdigit() and int(told) >= 1:
            workers = int(told)
        elif n_edges < PARALLEL_FROM_EDGES:
            workers = 1
        else:
            workers = usable_cores()
    if workers <= 1:
        return 1
    # Loaded only for a round that may fork: a small round does not load multiprocessing.
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # a spawned worker would re-import everything and copy every array
    return workers


@dataclass(frozen=True)
class _Shared:
    solve: Callable[[IntArray], BoolArray]
    parts: list[IntArray]


# Set before the workers fork, so each reads the arrays without copying them through a pipe.
_shared: _Shared | None = None


def _solve_part(index: int) -> BoolArray:
    assert _shared is not None, "set before the pool forks"
    return _shared.solve(_shared.parts[index])


def solve_parts(
    solve: Callable[[IntArray], BoolArray], parts: list[IntArray], n_edges: int, workers: int
) -> BoolArray:
    """Each part's chosen edges, from `solve(part_edge_indices)`, gathered into one mask."""
    global _shared
    chosen = np.zeros(n_edges, dtype=bool)
    if workers <= 1 or len(parts) <= 1:
        for part in parts:
            chosen[part] = solve(part)
        return chosen
    # Loaded only when workers fork (see worker_count).
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _shared = _Shared(solve, parts)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(workers, len(parts)), mp_context=context) as pool:
            # Largest parts first, so that no worker starts a big part last.
            order = sorted(range(len(parts)), key=lambda k: -len(parts[k]))
            for k, part_chosen in zip(order, pool.map(_solve_part, order), strict=True):
                chosen[parts[k]] = part_chosen
    finally:
        _shared = None
    return chosen
