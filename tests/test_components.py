"""Solving the parts of a round that share no pair separately: same optimum, any worker count."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.solvers import components
from matcher.solvers.flow import solve_max_weight


def _round(seed: int, groups: int, clients: int, volunteers: int, pairs: int) -> dict[str, object]:
    """`groups` organisations that never share a pair, edges sorted by (client, volunteer)."""
    rng = np.random.default_rng(seed)
    client = rng.integers(0, clients, size=(groups, pairs))
    volunteer = rng.integers(0, volunteers, size=(groups, pairs))
    group = np.arange(groups)[:, None]
    client, volunteer = (client + group * clients).ravel(), (volunteer + group * volunteers).ravel()
    keys = np.unique(client * groups * volunteers + volunteer)
    client, volunteer = keys // (groups * volunteers), keys % (groups * volunteers)
    # Few distinct weights, so that ties are common and the tie cases are exercised.
    weight = rng.integers(1, 4, size=len(keys)) * 1000
    free = rng.integers(0, 3, size=groups * volunteers)
    return {
        "n_clients": groups * clients,
        "n_volunteers": groups * volunteers,
        "edge_client": client.astype(np.int64),
        "edge_volunteer": volunteer.astype(np.int64),
        "weight_units": weight.astype(np.int64),
        "free_places": free.astype(np.int64),
        "current_load": rng.integers(0, 2, size=groups * volunteers).astype(np.int64),
    }


@pytest.fixture
def decompose_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Decompose even tiny rounds, in bundles of a few pairs, so tests see many parts."""
    monkeypatch.setattr(components, "DECOMPOSE_FROM_EDGES", 1)
    monkeypatch.setattr(components, "BUNDLE_EDGES", 7)


def _check_assignment(problem: dict[str, object], chosen: np.ndarray) -> None:
    client = problem["edge_client"][chosen]
    volunteer = problem["edge_volunteer"][chosen]
    assert len(np.unique(client)) == len(client), "a client matched twice"
    load = np.bincount(volunteer, minlength=problem["n_volunteers"])
    assert np.all(load <= problem["free_places"]), "a volunteer over her free places"


@pytest.mark.usefixtures("decompose_small")
@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    groups=st.integers(1, 6),
    most_clients_first=st.booleans(),
    penalty=st.sampled_from([0, 300]),
)
def test_parts_reach_the_monolithic_optimum(
    seed: int, groups: int, most_clients_first: bool, penalty: int
) -> None:
    problem = _round(seed, groups, clients=6, volunteers=3, pairs=8)
    options = {"most_clients_first": most_clients_first, "load_penalty_units": penalty}
    whole = solve_max_weight(**problem, **options, decompose=False)
    parts = solve_max_weight(**problem, **options, workers=1)
    _check_assignment(problem, parts.chosen)
    assert parts.objective_units == whole.objective_units
    # Matched clients count too: coverage-first must keep its lexicographic first goal.
    assert parts.chosen.sum() == whole.chosen.sum() or not most_clients_first


@pytest.mark.usefixtures("decompose_small")
def test_two_workers_choose_exactly_what_one_does() -> None:
    problem = _round(3, groups=12, clients=40, volunteers=15, pairs=90)
    one = solve_max_weight(**problem, workers=1)
    two = solve_max_weight(**problem, workers=2)
    assert np.array_equal(one.chosen, two.chosen)
    assert one.objective_units == two.objective_units


def test_bundles_hold_whole_components_in_edge_order() -> None:
    problem = _round(5, groups=9, clients=20, volunteers=8, pairs=30)
    client, volunteer = problem["edge_client"], problem["edge_volunteer"]
    parts = components.bundles(
        problem["n_clients"],
        problem["n_volunteers"],
        client,
        volunteer,
        bundle_edges=50,
    )
    every = np.concatenate(parts)
    assert np.array_equal(np.sort(every), np.arange(len(client)))
    owner = np.empty(len(client), dtype=int)
    for k, part in enumerate(parts):
        assert np.all(np.diff(part) > 0), "a bundle keeps the edges' own order"
        owner[part] = k
    # No client and no volunteer has edges in two bundles: the parts share nothing.
    for side in (client, volunteer):
        for node in np.unique(side):
            assert len(np.unique(owner[side == node])) == 1
    assert len(parts) > 1


def test_workers_variable_keeps_solves_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(components.WORKERS_VARIABLE, "1")
    assert components.worker_count(10**9, None) == 1
    monkeypatch.delenv(components.WORKERS_VARIABLE)
    assert components.worker_count(components.PARALLEL_FROM_EDGES - 1, None) == 1


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    groups=st.integers(1, 6),
    bundle_edges=st.integers(1, 40),
    shuffle=st.booleans(),
)
def test_bundles_are_those_of_scipys_weak_components(
    seed: int, groups: int, bundle_edges: int, shuffle: bool
) -> None:
    """The bundles built from the edges' own CSR are those of the plain construction (a COO
    matrix, weakly connected components), edges in order or not."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    problem = _round(seed, groups, clients=5, volunteers=4, pairs=6)
    client, volunteer = problem["edge_client"], problem["edge_volunteer"]
    n_clients, n_volunteers = problem["n_clients"], problem["n_volunteers"]
    if shuffle:
        order = np.random.default_rng(seed).permutation(len(client))
        client, volunteer = client[order], volunteer[order]
    n = n_clients + n_volunteers
    graph = coo_array((np.ones(len(client)), (client, n_clients + volunteer)), shape=(n, n))
    _, label = connected_components(graph.tocsr(), directed=True, connection="weak")
    edge_label = label[client]
    sizes = np.bincount(edge_label)
    _, bundle_of_label = np.unique((np.cumsum(sizes) - sizes) // bundle_edges, return_inverse=True)
    edge_bundle = bundle_of_label[edge_label]
    expected = [np.flatnonzero(edge_bundle == b) for b in np.unique(edge_bundle)]
    got = components.bundles(n_clients, n_volunteers, client, volunteer, bundle_edges=bundle_edges)
    assert [part.tolist() for part in got] == [part.tolist() for part in expected]


def _scipy_components(
    n_clients: int, n_volunteers: int, client: np.ndarray, volunteer: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The oracle: scipy's weak components of the plain COO graph, named by lowest client."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    n = n_clients + n_volunteers
    graph = coo_array((np.ones(len(client)), (client, n_clients + volunteer)), shape=(n, n))
    _, label = connected_components(graph.tocsr(), directed=True, connection="weak")
    lowest = {}
    for node in range(n_clients):
        lowest.setdefault(label[node], node)
    client_root = np.array([lowest[label[c]] for c in range(n_clients)], dtype=np.int64)
    volunteer_root = np.array(
        [lowest.get(label[n_clients + v], -1) for v in range(n_volunteers)], dtype=np.int64
    )
    return client_root, volunteer_root


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_clients=st.integers(1, 30),
    n_volunteers=st.integers(1, 12),
    n_pairs=st.integers(0, 40),
    max_rounds=st.sampled_from([1, 2, components.MAX_LABEL_ROUNDS]),
)
def test_component_roots_are_scipys_components(
    seed: int, n_clients: int, n_volunteers: int, n_pairs: int, max_rounds: int
) -> None:
    """Random pairs in any order, people without pairs, and few label rounds (so that the
    hand-over to scipy is taken too): each part named by its lowest client."""
    rng = np.random.default_rng(seed)
    client = rng.integers(0, n_clients, n_pairs).astype(np.int64)
    volunteer = rng.integers(0, n_volunteers, n_pairs).astype(np.int64)
    expected = _scipy_components(n_clients, n_volunteers, client, volunteer)
    original = components.MAX_LABEL_ROUNDS
    try:
        components.MAX_LABEL_ROUNDS = max_rounds  # type: ignore[misc]
        got = components.component_roots(n_clients, n_volunteers, client, volunteer)
    finally:
        components.MAX_LABEL_ROUNDS = original  # type: ignore[misc]
    assert got[0].tolist() == expected[0].tolist()
    assert got[1].tolist() == expected[1].tolist()


def test_a_long_chain_numbered_against_its_order_is_one_part() -> None:
    """Client k shares a volunteer with client k+1, ids shuffled: the worst case for passing
    the smallest label along; labelled rightly, by label rounds or by scipy."""
    rng = np.random.default_rng(1)
    n = 3000
    name = rng.permutation(n)
    client = np.r_[name, name[1:]].astype(np.int64)
    volunteer = np.r_[np.arange(n), np.arange(n - 1)].astype(np.int64)
    client_root, volunteer_root = components.component_roots(n, n, client, volunteer)
    assert np.all(client_root == 0) and np.all(volunteer_root == 0)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), groups=st.integers(1, 4))
def test_most_clients_is_a_maximum_matching(seed: int, groups: int) -> None:
    """As many clients as any assignment can serve (networkx's maximum flow on the same
    network), each once, no volunteer over her places."""
    import networkx as nx

    from matcher.solvers.flow import most_clients

    problem = _round(seed, groups, clients=6, volunteers=3, pairs=8)
    client, volunteer = problem["edge_client"], problem["edge_volunteer"]
    free = problem["free_places"]
    chosen = most_clients(problem["n_clients"], problem["n_volunteers"], client, volunteer, free)
    _check_assignment(problem, chosen)
    graph = nx.DiGraph()
    for c, v in zip(client.tolist(), volunteer.tolist(), strict=True):
        graph.add_edge("s", ("c", c), capacity=1)
        graph.add_edge(("c", c), ("v", v), capacity=1)
        graph.add_edge(("v", v), "t", capacity=int(free[v]))
    most = nx.maximum_flow_value(graph, "s", "t") if graph.number_of_nodes() else 0
    assert int(chosen.sum()) == most
