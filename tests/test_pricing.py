"""Pricing: a network solved from a few of its pairs must reach the optimum of all of them."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matcher.solvers import components, pricing
from matcher.solvers.flow import _solve_network, solve_max_weight
from matcher.solvers.flow_round import FlowRound


def _dense_round(
    seed: int, clients: int, volunteers: int, density: float, weights: int
) -> FlowRound:
    """A city where most pairs are allowed; few distinct weights make ties common."""
    rng = np.random.default_rng(seed)
    allowed = rng.random((clients, volunteers)) < density
    client, volunteer = np.nonzero(allowed)
    return FlowRound(
        n_clients=clients,
        n_volunteers=volunteers,
        edge_client=client.astype(np.int64),
        edge_volunteer=volunteer.astype(np.int64),
        weight_units=rng.integers(1, weights + 1, size=len(client)).astype(np.int64) * 997,
        free_places=rng.integers(0, 4, size=volunteers).astype(np.int64),
    )


def _independent_optimum(network: FlowRound) -> int:
    """scipy's Hungarian method on the client × free-place matrix (a column per place)."""
    owner = np.repeat(np.arange(network.n_volunteers), network.free_places)
    if len(owner) == 0:
        return 0
    matrix = np.zeros((network.n_clients, network.n_volunteers))
    matrix[network.edge_client, network.edge_volunteer] = network.weight_units
    rows, columns = linear_sum_assignment(matrix[:, owner], maximize=True)
    return int(matrix[:, owner][rows, columns].sum())


def _check(network: FlowRound, chosen: np.ndarray) -> int:
    client, volunteer = network.edge_client[chosen], network.edge_volunteer[chosen]
    assert len(np.unique(client)) == len(client), "a client matched twice"
    load = np.bincount(volunteer, minlength=network.n_volunteers)
    assert np.all(load <= network.free_places), "a volunteer over her free places"
    return int(network.weight_units[chosen].sum())


@pytest.fixture
def small_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """One pair per client to start and one added per round: many pricing rounds."""
    monkeypatch.setattr(pricing, "START_PER_CLIENT", 1)
    monkeypatch.setattr(pricing, "START_PER_PLACE", 0)
    monkeypatch.setattr(pricing, "ADD_PER_CLIENT", 1)


@pytest.mark.usefixtures("small_steps")
@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    clients=st.integers(1, 40),
    volunteers=st.integers(1, 25),
    density=st.sampled_from([0.1, 0.5, 1.0]),
    weights=st.sampled_from([1, 3, 1000]),
)
def test_pricing_reaches_the_optimum_of_every_pair(
    seed: int, clients: int, volunteers: int, density: float, weights: int
) -> None:
    network = _dense_round(seed, clients, volunteers, density, weights)
    chosen = pricing.solve_by_pricing(network, _solve_network)
    objective = _check(network, chosen)
    assert objective == _check(network, _solve_network(network))
    assert objective == _independent_optimum(network)


@pytest.mark.parametrize("start, place, add", [(4, 4, 8), (1, 0, 1), (2, 8, 16)])
def test_pricing_is_deterministic_and_optimal_on_a_city(
    monkeypatch: pytest.MonkeyPatch, start: int, place: int, add: int
) -> None:
    monkeypatch.setattr(pricing, "START_PER_CLIENT", start)
    monkeypatch.setattr(pricing, "START_PER_PLACE", place)
    monkeypatch.setattr(pricing, "ADD_PER_CLIENT", add)
    network = _dense_round(7, 300, 120, 0.6, 50)
    chosen = pricing.solve_by_pricing(network, _solve_network)
    assert np.array_equal(chosen, pricing.solve_by_pricing(network, _solve_network))
    assert _check(network, chosen) == _check(network, _solve_network(network))
    assert _check(network, chosen) == _independent_optimum(network)


def test_duals_certify_the_restricted_optimum() -> None:
    """Tight on the chosen pairs, zero where a client waits or a place is left, feasible for
    every selected pair, and equal in value to the chosen pairs' weight."""
    network = _dense_round(3, 60, 30, 0.7, 20)
    edges = np.flatnonzero(np.random.default_rng(1).random(len(network.edge_client)) < 0.3)
    chosen_there = _solve_network(network.part(edges))
    duals = pricing._duals(network, edges, chosen_there)
    assert duals is not None
    surplus, price = duals
    client = network.edge_client[edges]
    volunteer = network.edge_volunteer[edges]
    weight = network.weight_units[edges]
    assert np.all(surplus >= 0) and np.all(price >= 0)
    assert np.all(surplus[client] + price[volunteer] >= weight)
    on = chosen_there
    assert np.array_equal(surplus[client[on]] + price[volunteer[on]], weight[on])
    waiting = np.ones(network.n_clients, dtype=bool)
    waiting[client[on]] = False
    assert np.all(surplus[waiting] == 0)
    load = np.bincount(volunteer[on], minlength=network.n_volunteers)
    assert np.all(price[load < network.free_places] == 0)
    dual_value = int(surplus.sum()) + int((price * network.free_places).sum())
    assert dual_value == int(weight[on].sum())


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    items=st.integers(1, 2_000),
    groups=st.integers(1, 20),
    spread=st.sampled_from([3, 10**6, 2**61]),
    per_group=st.booleans(),
    in_runs=st.booleans(),
)
def test_best_per_group_against_a_sort(
    seed: int, items: int, groups: int, spread: int, per_group: bool, in_runs: bool
) -> None:
    """The `count` largest of each group, the earliest first among equal values, with the
    items in runs by group (as a client's pairs come) or scattered (many more items than
    wanted: narrowed by bins first)."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, groups, size=items)
    if in_runs:
        group = np.sort(group)
    value = rng.integers(0, spread, size=items, dtype=np.int64)
    count = rng.integers(0, 5, size=groups) if per_group else 3
    picked = pricing._best_per_group(group, groups, value, count)
    wanted = np.broadcast_to(count, (groups,))
    expected = np.zeros(items, dtype=bool)
    for g in range(groups):
        members = sorted(np.flatnonzero(group == g), key=lambda k: (-value[k], k))
        expected[members[: wanted[g]]] = True
    assert np.array_equal(picked, expected)


def test_a_dense_round_is_priced_and_keeps_the_monolithic_objective(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """solve_max_weight prices a large dense round; the objective is the whole network's."""
    monkeypatch.setattr(components, "DECOMPOSE_FROM_EDGES", 1_000)
    calls: list[int] = []
    priced = pricing.solve_by_pricing

    def counting(network: FlowRound, solve: pricing.Solve) -> np.ndarray:
        calls.append(len(network.edge_client))
        return priced(network, solve)

    monkeypatch.setattr(pricing, "solve_by_pricing", counting)
    network = _dense_round(11, 500, 200, 0.9, 1000)
    arrays = (
        network.n_clients, network.n_volunteers, network.edge_client,
        network.edge_volunteer, network.weight_units, network.free_places,
    )  # fmt: skip
    by_pricing = solve_max_weight(*arrays)
    whole = solve_max_weight(*arrays, decompose=False)
    assert calls == [len(network.edge_client)], "the dense round was not priced"
    assert by_pricing.objective_units == whole.objective_units
    assert _check(network, by_pricing.chosen) == by_pricing.objective_units


def test_shaped_objectives_and_sparse_rounds_are_not_priced() -> None:
    network = _dense_round(5, 300, 300, 1.0, 10)
    assert pricing.worth_pricing(network)
    assert not pricing.worth_pricing(replace(network, load_penalty_units=3))
    assert not pricing.worth_pricing(replace(network, most_clients_first=True))
    sparse = _dense_round(5, 300, 300, 0.2, 10)
    assert not pricing.worth_pricing(sparse)


def test_a_round_limit_falls_back_to_the_whole_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pricing, "START_PER_CLIENT", 1)
    monkeypatch.setattr(pricing, "START_PER_PLACE", 0)
    monkeypatch.setattr(pricing, "MAX_ROUNDS", 1)
    solved: list[int] = []

    def solve(network: FlowRound) -> np.ndarray:
        solved.append(len(network.edge_client))
        return _solve_network(network)

    network = _dense_round(2, 80, 40, 0.8, 100)
    chosen = pricing.solve_by_pricing(network, solve)
    assert solved[-1] == len(network.edge_client), "the whole network was not solved"
    assert _check(network, chosen) == _independent_optimum(network)
