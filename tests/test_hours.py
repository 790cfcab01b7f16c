"""Capacity in hours: respected by every policy, exact where the registry says so, and
nothing changed for rounds without hours."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from matcher.engine import assignment_problem, prepare
from matcher.models import Client, Volunteer, record_json
from matcher.policies import POLICY_MAP, POLICY_NAMES, AssignmentProblem, get_policy
from matcher.policies.hours import capacity_units
from matcher.solvers.status import SolveStatus
from tests.strategies import rounds

ROUND_DATE = dt.date(2026, 11, 23)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
Round = tuple[list[dict[str, Any]], list[dict[str, Any]]]
# The exact policies in hours are solved by CP-SAT; the brute force below checks them.
EXACT_IN_HOURS = tuple(p.name for p in POLICY_MAP.values() if p.exact)


@st.composite
def hours_rounds(draw: st.DrawFn, max_clients: int = 8, max_volunteers: int = 5) -> Round:
    """A random round in which clients need mixed hours and volunteers give hours (or not:
    then their places count one hour each)."""
    clients, volunteers = draw(rounds(max_clients=max_clients, max_volunteers=max_volunteers))
    for client in clients:
        client["hours_per_week"] = draw(st.sampled_from([None, 0.5, 1, 1.5, 2, 3]))
    for volunteer in volunteers:
        hours = draw(st.sampled_from([None, 0, 1, 2.5, 3, 4, 6]))
        if hours is not None:
            volunteer["hours_per_week"] = hours
            volunteer["active_hours"] = draw(st.sampled_from([0, 0.5, 1])) * min(hours, 2)
    return clients, volunteers


def problem_of(round_: Round) -> AssignmentProblem:
    return assignment_problem(prepare(round_[0], round_[1], None, ROUND_DATE))


def check_hours(problem: AssignmentProblem, chosen: np.ndarray[Any, Any]) -> None:
    """A client at most once; each volunteer's chosen clients within its free capacity."""
    clients = problem.edge_client[chosen]
    assert len(clients) == len(set(clients.tolist()))
    need, free = capacity_units(problem)
    used = np.bincount(
        problem.edge_volunteer[chosen], weights=need[clients], minlength=problem.n_volunteers
    )
    assert np.all(used <= free)


def check_hours_of_people(round_: Round, problem: AssignmentProblem, chosen: Any) -> None:
    """The same from the people's own fields: hours given minus taken, per volunteer."""
    prepared = prepare(round_[0], round_[1], None, ROUND_DATE)
    pop = prepared.population
    used: dict[int, float] = {}
    for k in np.flatnonzero(chosen).tolist():
        vi = int(problem.edge_volunteer[k])
        used[vi] = used.get(vi, 0.0) + pop.clients[int(problem.edge_client[k])].hours_needed
    for vi, hours in used.items():
        volunteer = pop.volunteers[vi]
        if pop.hours_mode:
            assert hours <= volunteer.hours_given - volunteer.hours_taken + 1e-9
        else:
            assert hours <= volunteer.free_places


@SETTINGS
@given(hours_rounds())
def test_every_policy_respects_the_hours(round_: Round) -> None:
    problem = problem_of(round_)
    for name in POLICY_NAMES:
        assignment = get_policy(name)(problem)
        check_hours(problem, assignment.chosen)
        check_hours_of_people(round_, problem, assignment.chosen)


def brute_force(problem: AssignmentProblem, value: Any) -> Any:
    """The best `value(chosen)` over every valid assignment (each client one of its edges or
    none), by enumeration: only for tiny problems."""
    need, free = capacity_units(problem)
    options = [
        [None, *np.flatnonzero(problem.edge_client == c).tolist()] for c in range(problem.n_clients)
    ]
    best = None
    for pick in itertools.product(*options):
        chosen = np.zeros(len(problem.edge_client), dtype=bool)
        chosen[[k for k in pick if k is not None]] = True
        used = np.bincount(
            problem.edge_volunteer[chosen],
            weights=need[problem.edge_client[chosen]],
            minlength=problem.n_volunteers,
        )
        if np.all(used <= free):
            score = value(chosen)
            best = score if best is None or score > best else best
    return best


def balanced_value(problem: AssignmentProblem, penalty: int) -> Any:
    def value(chosen: Any) -> int:
        new = np.bincount(problem.edge_volunteer[chosen], minlength=problem.n_volunteers)
        load = problem.current_load
        # the k-th new client (k = 0, 1, …) of a volunteer costs penalty · (load + k)
        cost = penalty * int(np.sum(new * load + new * (new - 1) // 2))
        return int(problem.weight_units[chosen].sum()) - cost

    return value


def objectives(problem: AssignmentProblem, penalty: int) -> dict[str, Any]:
    tier = problem.client_tier[problem.edge_client]
    weight = problem.weight_units
    return {
        "optimal": lambda c: int(weight[c].sum()),
        "coverage-first": lambda c: (int(c.sum()), int(weight[c].sum())),
        "priority-first": lambda c: (
            *(int((tier[c] == t).sum()) for t in (2, 1, 0)),
            int(weight[c].sum()),
        ),
        "balanced": balanced_value(problem, penalty),
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(hours_rounds(max_clients=5, max_volunteers=3))
def test_exact_policies_agree_with_brute_force_in_mixed_hours(round_: Round) -> None:
    prepared = prepare(round_[0], round_[1], None, ROUND_DATE)
    problem = assignment_problem(prepared)
    penalty = round(prepared.config.balanced.load_penalty * 1_000_000)
    for name, value in objectives(problem, penalty).items():
        assignment = get_policy(name)(problem)
        assert assignment.status == SolveStatus.OPTIMAL, name
        assert value(assignment.chosen) == brute_force(problem, value), name


def best_by_milp(problem: AssignmentProblem) -> float:
    """Largest total weight within the hours, by HiGHS integer programming (scipy)."""
    n_edges = len(problem.edge_client)
    if n_edges == 0:
        return 0.0
    need, free = capacity_units(problem)
    rows = np.r_[problem.edge_client, problem.n_clients + problem.edge_volunteer]
    a = coo_matrix(
        (
            np.r_[np.ones(n_edges), need[problem.edge_client]].astype(float),
            (rows, np.r_[np.arange(n_edges), np.arange(n_edges)]),
        ),
        shape=(problem.n_clients + problem.n_volunteers, n_edges),
    )
    result = milp(
        -problem.weight_units.astype(float),
        constraints=LinearConstraint(a, -np.inf, np.r_[np.ones(problem.n_clients), free]),
        integrality=np.ones(n_edges),
        bounds=Bounds(0, 1),
    )
    assert result.success
    return float(-result.fun)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(hours_rounds(max_clients=12, max_volunteers=5))
def test_optimal_in_hours_agrees_with_milp(round_: Round) -> None:
    problem = problem_of(round_)
    assignment = get_policy("optimal")(problem)
    assert assignment.status == SolveStatus.OPTIMAL
    assert assignment.objective_units(problem) == round(best_by_milp(problem))
    assert assignment.gap in (None, 0.0)


def _client(i: int, hours: float | None) -> dict[str, Any]:
    row: dict[str, Any] = {"client_id": f"C{i}", "programme": "p", "contact": "phone"}
    if hours is not None:
        row["hours_per_week"] = hours
    row["waiting_since"] = dt.date(2026, 1, 1) + dt.timedelta(weeks=i)
    row["hindering_factors"] = ["physical-health"] if i % 3 == 0 else []
    return row


def _volunteer(i: int, **fields: Any) -> dict[str, Any]:
    return {"volunteer_id": f"V{i}", "programmes": "p", "contact": "phone", **fields}


@pytest.mark.parametrize("name", POLICY_NAMES)
def test_equal_hours_are_places_exactly(name: str) -> None:
    """Every client 2 hours, volunteers 5 and 4 hours: the same round as 2 places each."""
    in_hours = (
        [_client(i, 2) for i in range(7)],
        [_volunteer(0, hours_per_week=5), _volunteer(1, hours_per_week=4)],
    )
    in_places = (
        [_client(i, None) for i in range(7)],
        [_volunteer(0, capacity=2), _volunteer(1, capacity=2)],
    )
    hours_problem, places_problem = problem_of(in_hours), problem_of(in_places)
    assert hours_problem.client_hours is None  # reduced to places
    assert hours_problem.free_places.tolist() == places_problem.free_places.tolist() == [2, 2]
    a, b = get_policy(name)(hours_problem), get_policy(name)(places_problem)
    assert a.chosen.tolist() == b.chosen.tolist()
    assert a.status == b.status


def test_mixed_hours_fill_a_volunteer_by_hours_not_by_count() -> None:
    """4 hours: one 3-hour client and one 1-hour client, or four 1-hour clients."""
    clients = [_client(0, 3), _client(1, 1), _client(2, 1), _client(3, 1), _client(4, 1)]
    problem = problem_of((clients, [_volunteer(0, hours_per_week=4)]))
    assert problem.client_hours is not None
    for name in POLICY_NAMES:
        chosen = get_policy(name)(problem).chosen
        hours = problem.client_hours[problem.edge_client[chosen]]
        assert hours.sum() <= problem.volunteer_hours[0] == 16, name  # in quarter-hours
        assert hours.sum() == 16, name  # every policy here fills the week
    coverage = get_policy("coverage-first")(problem).chosen
    assert coverage.sum() == 4  # four one-hour clients rather than the three-hour one


def test_without_hours_nothing_changes() -> None:
    """No hours anywhere: places, no hours in the problem, nothing new in the records."""
    clients, volunteers = [_client(i, None) for i in range(3)], [_volunteer(0, capacity=2)]
    problem = problem_of((clients, volunteers))
    assert problem.client_hours is None and problem.volunteer_hours is None
    assert problem.free_places.tolist() == [2]
    assert "hours" not in record_json(Client.model_validate(clients[0]))
    assert "hours" not in record_json(Volunteer.model_validate(volunteers[0]))
    with_hours = Volunteer.model_validate(_volunteer(0, hours_per_week=4))
    assert '"hours_per_week":4.0' in record_json(with_hours)
    assert "active_hours" not in record_json(with_hours)


def test_a_volunteer_without_hours_gives_an_hour_per_place() -> None:
    """Once anyone counts hours, places are hours of one hour each, and clients not giving
    hours need one."""
    clients = [_client(0, 2), _client(1, None), _client(2, None)]
    volunteers = [_volunteer(0, capacity=3, active_clients=1)]
    prepared = prepare(clients, volunteers, None, ROUND_DATE)
    assert prepared.population.hours_mode
    assert prepared.population.v_free.tolist() == [8]  # 3 − 1 hours, in quarter-hours
    assert prepared.population.c_need.tolist() == [8, 4, 4]


def test_hours_are_validated_with_clear_messages() -> None:
    with pytest.raises(ValueError, match="whole quarters of an hour"):
        Client.model_validate(_client(0, 1.3))
    with pytest.raises(ValueError, match="less than or equal to 40"):
        Client.model_validate(_client(0, 41))
    with pytest.raises(ValueError, match=r"must be ≤ hours_per_week \(2\) \(got 3\)"):
        Volunteer.model_validate(_volunteer(0, hours_per_week=2, active_hours=3))
    # A decimal comma, as a Dutch sheet writes it.
    assert Client.model_validate(_client(0, "1,5")).hours_per_week == 1.5  # type: ignore[arg-type]


def test_a_solve_stopped_by_its_work_limit_is_feasible_with_a_gap() -> None:
    """A deterministic work limit too small to prove anything: never called optimal, the
    greedy start is kept, and the gap bounds how far from the best it may be."""
    from matcher.solvers.hours import solve_max_weight_hours

    rng = np.random.default_rng(7)
    n_clients, n_volunteers = 150, 30
    keys = np.unique(rng.integers(0, n_clients * n_volunteers, 1500))
    edge_client, edge_volunteer = keys // n_volunteers, keys % n_volunteers
    weights = rng.integers(1, 1_000_000, len(keys))
    client_hours = rng.choice([2, 4, 6, 8], n_clients)
    volunteer_hours = rng.choice([4, 8, 12], n_volunteers)
    start = np.zeros(len(keys), dtype=bool)
    args = (n_clients, n_volunteers, edge_client, edge_volunteer, weights)
    limited = solve_max_weight_hours(
        *args, client_hours, volunteer_hours, work_limit=1e-6, start=start
    )
    assert limited.status == SolveStatus.FEASIBLE
    assert 0 < limited.gap <= 1
    full = solve_max_weight_hours(*args, client_hours, volunteer_hours)
    found = int(weights[limited.chosen].sum())
    assert found <= full.objective_units
    assert full.objective_units - found <= limited.gap * full.objective_units + 1e-6


def test_the_unmatched_reason_and_explain_say_hours() -> None:
    import matcher
    from matcher.explain import blocking_hint
    from matcher.wording import unmatched_detail

    clients = [_client(0, 3)]
    volunteers = [_volunteer(0, hours_per_week=4, active_hours=2)]
    result = matcher.match(clients, volunteers, round_date=ROUND_DATE)
    (unmatched,) = result.unmatched
    assert unmatched.reason == "no-capacity"
    assert unmatched.hours_needed == 3
    assert unmatched_detail(unmatched) == (
        "all 1 volunteer(s) of p are full for the client's 3 hour(s) a week"
    )
    assert unmatched_detail(unmatched, "nl") == (
        "alle 1 vrijwilliger(s) van p zitten vol voor de 3 uur per week van de cliënt"
    )
    pop = prepare(clients, volunteers, None, ROUND_DATE).population
    assert blocking_hint(pop, "no-capacity", 0, 0) == (
        "V0 has 2 of 4 hour(s) a week free; the client needs 3"
    )
