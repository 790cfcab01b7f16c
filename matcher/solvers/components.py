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

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Final

import numpy as np

from matcher.arrays import BoolArray, IntArray

# Below this many allowed pairs one network is solved as it stands: splitting would save
# little, and small rounds keep exactly the solution they always had.
DECOMPOSE_FROM_EDGES: Final = 200_000
# Small components are solved together until a bundle holds about this many pairs: one
# network per component would cost more in set-up than the solve itself.
BUNDLE_EDGES: Final = 100_000
# Worker processes pay for themselves from about this many pairs (a fork and the results'
# return trip cost tens of milliseconds).
PARALLEL_FROM_EDGES: Final = 1_000_000
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
    # Imported here: scipy loads only for rounds large enough to split (DECOMPOSE_FROM_EDGES).
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import connected_components

    # Nodes: the clients, then the volunteers; an arc from each client to its volunteers.
    # With the edges in client order the arcs are a CSR matrix as they stand (no sort, no
    # copy), in float64 as csgraph works in. Labels go by lowest node, whatever the path.
    n_nodes = n_clients + n_volunteers
    client, volunteer = edge_client, edge_volunteer
    if np.any(client[1:] < client[:-1]):
        order = np.argsort(client, kind="stable")
        client, volunteer = client[order], volunteer[order]
    index = np.int32 if n_nodes < 2**31 and len(client) < 2**31 else np.int64
    row_end = np.cumsum(np.bincount(client, minlength=n_clients))
    indptr = np.concatenate([[0], row_end, np.full(n_volunteers, len(client))]).astype(index)
    graph = csr_array(
        (np.ones(len(client)), (n_clients + volunteer).astype(index), indptr),
        shape=(n_nodes, n_nodes),
    )
    _, node_label = connected_components(graph, directed=False)
    edge_label = node_label[edge_client]
    # Consecutive labels share a bundle while the edges before them fall in the same block of
    # `bundle_edges`; a component larger than a block takes one (or more) blocks alone.
    sizes = np.bincount(edge_label)
    before = np.cumsum(sizes) - sizes
    bundle_of_label = before // max(1, bundle_edges)
    _, bundle_of_label = np.unique(bundle_of_label, return_inverse=True)
    edge_bundle = bundle_of_label[edge_label]
    # A stable sort of small integers is a radix sort: linear in the edges.
    small = np.uint16 if len(sizes) and bundle_of_label.max() < 2**16 else np.int64
    order = np.argsort(edge_bundle.astype(small), kind="stable")
    cuts = np.cumsum(np.bincount(edge_bundle))[:-1]
    return [part.astype(np.int64) for part in np.split(order, cuts)]


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
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # a spawned worker would re-import everything and copy every array
    return max(1, workers)


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
