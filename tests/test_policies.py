"""Every policy against one validator, and each against an independent reference."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from matching.games import HospitalResident
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

import matcher
from matcher.engine import assignment_problem, prepare
from matcher.policies import POLICY_NAMES, AssignmentProblem, FutureSample, get_policy
from tests.strategies import rounds

ROUND_DATE = dt.date(2026, 11, 23)
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
Round = tuple[list[dict[str, Any]], list[dict[str, Any]]]


def problem_of(round_: Round) -> AssignmentProblem:
    return assignment_problem(prepare(round_[0], round_[1], None, ROUND_DATE))


def check_valid(problem: AssignmentProblem, chosen: np.ndarray[Any, Any]) -> None:
    """One validator for every policy: a client at most once, places respected."""
    clients = problem.edge_client[chosen]
    assert len(clients) == len(set(clients.tolist()))
    load = np.bincount(problem.edge_volunteer[chosen], minlength=problem.n_volunteers)
    assert np.all(load <= problem.free_places)


def best_by_milp(problem: AssignmentProblem, value: np.ndarray[Any, Any]) -> float:
    """Largest total `value` over valid assignments, by HiGHS integer programming."""
    n_edges = len(problem.edge_client)
    if n_edges == 0:
        return 0.0
    rows = np.r_[problem.edge_client, problem.n_clients + problem.edge_volunteer]
    a = coo_matrix(
        (np.ones(2 * n_edges), (rows, np.r_[np.arange(n_edges), np.arange(n_edges)])),
        shape=(problem.n_clients + problem.n_volunteers, n_edges),
    )
    upper = np.r_[np.ones(problem.n_clients), problem.free_places].astype(float)
    result = milp(
        -value.astype(float),
        constraints=LinearConstraint(a, -np.inf, upper),
        integrality=np.ones(n_edges),
        bounds=Bounds(0, 1),
    )
    assert result.success
    return float(-result.fun)


@SETTINGS
@given(rounds())
def test_every_policy_gives_a_valid_assignment(round_: Round) -> None:
    problem = problem_of(round_)
    best = None
    for name in POLICY_NAMES:
        assignment = get_policy(name)(problem)
        check_valid(problem, assignment.chosen)
        if name == "optimal":
            best = assignment.objective_units(problem)
    assert best is not None
    for name in POLICY_NAMES:
        assert get_policy(name)(problem).objective_units(problem) <= best


@SETTINGS
@given(rounds())
def test_coverage_first_matches_the_most_clients(round_: Round) -> None:
    problem = problem_of(round_)
    chosen = get_policy("coverage-first")(problem).chosen
    n_edges = len(problem.edge_client)
    assert chosen.sum() == round(best_by_milp(problem, np.ones(n_edges)))
    # Among the assignments of that size, the heaviest: a bonus per client makes it strict.
    bonus = int(problem.weight_units.sum()) + 1
    lexicographic = best_by_milp(problem, problem.weight_units + bonus)
    assert chosen.sum() * bonus + problem.weight_units[chosen].sum() == round(lexicographic)


@SETTINGS
@given(rounds(max_clients=10))
def test_priority_first_matches_the_most_high_risk_clients(round_: Round) -> None:
    problem = problem_of(round_)
    chosen = get_policy("priority-first")(problem).chosen
    tier = problem.client_tier[problem.edge_client]
    for level in (2, 1, 0):
        # Given the tiers above, as many of this tier as possible.
        best = best_by_milp(problem, (tier >= level).astype(float))
        assert (tier[chosen] >= level).sum() == round(best)


def sequential_greedy(problem: AssignmentProblem) -> set[int]:
    order = np.lexsort((problem.edge_volunteer, problem.edge_client, -problem.weight_units))
    free = problem.free_places.copy()
    matched: set[int] = set()
    chosen = set()
    for edge in order.tolist():
        client, volunteer = int(problem.edge_client[edge]), int(problem.edge_volunteer[edge])
        if client not in matched and free[volunteer] > 0:
            matched.add(client)
            free[volunteer] -= 1
            chosen.add(edge)
    return chosen


@SETTINGS
@given(rounds(max_clients=12, max_volunteers=6))
def test_greedy_equals_the_sequential_scan(round_: Round) -> None:
    problem = problem_of(round_)
    chosen = get_policy("greedy")(problem).chosen
    assert set(np.flatnonzero(chosen).tolist()) == sequential_greedy(problem)


@SETTINGS
@given(rounds(max_clients=12, max_volunteers=6))
def test_fifo_greedy_serves_the_longest_waiting_first(round_: Round) -> None:
    problem = problem_of(round_)
    chosen = get_policy("fifo-greedy")(problem).chosen
    free = problem.free_places.copy()
    queue = sorted(
        range(problem.n_clients),
        key=lambda c: (-problem.client_weeks_waited[c], -problem.client_tier[c], c),
    )
    expected = set()
    for client in queue:
        edges = [e for e in range(len(problem.edge_client)) if problem.edge_client[e] == client]
        open_edges = [e for e in edges if free[problem.edge_volunteer[e]] > 0]
        if open_edges:
            best = max(open_edges, key=lambda e: (problem.weight_units[e], -e))
            expected.add(best)
            free[problem.edge_volunteer[best]] -= 1
    assert set(np.flatnonzero(chosen).tolist()) == expected


@SETTINGS
@given(rounds(max_clients=12, max_volunteers=6))
def test_stable_agrees_with_the_matching_package(round_: Round) -> None:
    problem = problem_of(round_)
    chosen = get_policy("stable")(problem).chosen
    edges = range(len(problem.edge_client))
    client_prefs: dict[str, list[str]] = {}
    for c in range(problem.n_clients):
        mine = [e for e in edges if problem.edge_client[e] == c]
        mine.sort(key=lambda e: (-problem.fit[e], problem.edge_volunteer[e]))
        client_prefs[f"c{c}"] = [f"v{problem.edge_volunteer[e]}" for e in mine]
    volunteer_prefs: dict[str, list[str]] = {}
    for v in range(problem.n_volunteers):
        theirs = [e for e in edges if problem.edge_volunteer[e] == v]
        theirs.sort(key=lambda e: (-problem.weight_units[e], problem.edge_client[e]))
        volunteer_prefs[f"v{v}"] = [f"c{problem.edge_client[e]}" for e in theirs]
    # The package wants every volunteer ranked by someone and a place to give.
    listed = {v for prefs in client_prefs.values() for v in prefs}
    capacities = {v: int(problem.free_places[int(v[1:])]) for v in listed}
    game = HospitalResident.create_from_dictionaries(
        {c: p for c, p in client_prefs.items() if p},
        {v: p for v, p in volunteer_prefs.items() if v in listed},
        capacities,
    )
    expected = {
        (str(client), str(volunteer))
        for volunteer, clients in game.solve(optimal="resident").items()
        for client in clients
    }
    ours = {
        (f"c{problem.edge_client[e]}", f"v{problem.edge_volunteer[e]}")
        for e in np.flatnonzero(chosen).tolist()
    }
    assert ours == expected


def test_balanced_spreads_clients_over_volunteers() -> None:
    clients = [
        {"client_id": f"C{i}", "programme": "p", "contact": "phone", "age": 60} for i in range(4)
    ]
    # V1 fits everyone a little better (age), but not enough to carry four.
    volunteers = [
        {"volunteer_id": "V1", "programmes": "p", "contact": "phone", "capacity": 4, "age": 60},
        {"volunteer_id": "V2", "programmes": "p", "contact": "phone", "capacity": 4, "age": 64},
    ]
    optimal = matcher.match(clients, volunteers, round_date=ROUND_DATE)
    balanced = matcher.match(clients, volunteers, round_date=ROUND_DATE, policy="balanced")
    assert {m.volunteer_id for m in optimal.matches} == {"V1"}
    loads = [sum(m.volunteer_id == v for m in balanced.matches) for v in ("V1", "V2")]
    assert loads == [2, 2]


def test_unknown_policy_suggests_one() -> None:
    with pytest.raises(matcher.ConfigError) as caught:
        matcher.match([], [], policy="gredy")
    assert str(caught.value) == ("policy: unknown policy 'gredy'; did you mean 'greedy'?")


@SETTINGS
@given(rounds())
def test_reserve_without_a_future_is_optimal(round_: Round) -> None:
    problem = problem_of(round_)
    reserve = get_policy("reserve", futures=[])(problem)
    optimum = get_policy("optimal")(problem)
    assert reserve.objective_units(problem) == optimum.objective_units(problem)


def test_reserve_holds_a_scarce_volunteer_for_a_likely_better_fit() -> None:
    # Today: a client who fits V1 poorly. Every sampled future: two who fit it very well.
    problem = problem_of(
        (
            [{"client_id": "C1", "programme": "p", "contact": "phone", "loss_type": "child",
              "age": 30}],
            [{"volunteer_id": "V1", "programmes": "p", "contact": "phone",
              "lived_experience": "partner", "age": 80}],
        )
    )  # fmt: skip
    weight = int(problem.weight_units[0])
    better = FutureSample(
        n_clients=2,
        edge_client=np.array([0, 1]),
        edge_volunteer=np.array([0, 0]),
        weight_units=np.array([weight + 500_000, weight + 400_000]),
    )
    assert get_policy("optimal")(problem).chosen.tolist() == [True]
    assert get_policy("reserve", futures=[better])(problem).chosen.tolist() == [False]
    # A future that fits no better than today does not hold anyone back.
    same = FutureSample(1, np.array([0]), np.array([0]), np.array([weight - 1]))
    assert get_policy("reserve", futures=[same])(problem).chosen.tolist() == [True]
