"""Invariants of a matching round, checked against independent re-implementations."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

import matcher
from matcher.candidates import RULES
from matcher.engine import prepare, solve
from matcher.models import Client, Volunteer
from matcher.triage import risk_tiers
from matcher.wording import unmatched_detail
from tests.strategies import rounds

ROUND_DATE = dt.date(2026, 11, 23)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def allowed_by_hand(client: Client, volunteer: Volunteer, tier: str) -> bool:
    """The hard rules as the README states them, one pair at a time."""
    if client.programme not in volunteer.programmes:
        return False
    if volunteer.capacity - volunteer.active_clients < 1:
        return False
    both_phone = client.contact != "visit" and volunteer.contact != "visit"
    visit = (
        client.contact != "phone"
        and volunteer.contact != "phone"
        and client.lat is not None
        and volunteer.lat is not None
        and haversine_km(client.lat, client.lon, volunteer.lat, volunteer.lon)  # type: ignore[arg-type]
        <= volunteer.max_travel_km
    )
    if not (visit or both_phone):
        return False
    if (
        client.availability
        and volunteer.availability
        and not set(client.availability) & set(volunteer.availability)
    ):
        return False
    if not set(client.languages) & set(volunteer.languages):
        return False
    if client.preferred_gender and volunteer.gender != client.preferred_gender:
        return False
    if volunteer.volunteer_id in client.excluded_volunteers:
        return False
    return not (tier == "high" and not {"grief", "advanced"} & set(volunteer.training))


def independent_optimum(edges: list[tuple[int, int, int]], free: list[int], n: int) -> int:
    """Maximum total weight by integer programming (HiGHS), not by min-cost flow."""
    if not edges:
        return 0
    weights = np.array([w for _, _, w in edges], dtype=float)
    rows = [c for c, _, _ in edges] + [n + v for _, v, _ in edges]
    cols = list(range(len(edges))) * 2
    a = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n + len(free), len(edges)))
    upper = np.array([1.0] * n + [float(f) for f in free])
    result = milp(
        -weights,
        constraints=LinearConstraint(a, -np.inf, upper),
        integrality=np.ones(len(edges)),
        bounds=Bounds(0, 1),
    )
    assert result.success
    return round(-result.fun)


@SETTINGS
@given(rounds())
def test_round_invariants(round_: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    client_rows, volunteer_rows = round_
    prepared = prepare(client_rows, volunteer_rows, None, ROUND_DATE)
    result = solve(prepared)
    pop = prepared.population
    clients = {c.client_id: c for c in pop.clients}
    volunteers = {v.volunteer_id: v for v in pop.volunteers}
    tiers = dict(
        zip(
            clients,
            (
                ["low", "moderate", "high"][t]
                for t in risk_tiers(list(clients.values()), matcher.MatchConfig().triage)
            ),
            strict=True,
        )
    )

    # Exactly the pairs the rules allow, found without enumerating all pairs.
    edges = {
        (pop.clients[c].client_id, pop.volunteers[v].volunteer_id)
        for c, v in zip(
            prepared.edges.edge_client.tolist(), prepared.edges.edge_volunteer.tolist(), strict=True
        )
    }
    by_hand = {
        (c.client_id, v.volunteer_id)
        for c in clients.values()
        for v in volunteers.values()
        if allowed_by_hand(c, v, tiers[c.client_id])
    }
    assert edges == by_hand

    # Every client once, matched or unmatched; only allowed pairs; capacities respected.
    matched_ids = [m.client_id for m in result.matches]
    assert len(matched_ids) == len(set(matched_ids))
    assert set(matched_ids) | {u.client_id for u in result.unmatched} == set(clients)
    assert not set(matched_ids) & {u.client_id for u in result.unmatched}
    assert all((m.client_id, m.volunteer_id) in by_hand for m in result.matches)
    for vid, volunteer in volunteers.items():
        load = sum(m.volunteer_id == vid for m in result.matches)
        assert load <= volunteer.capacity - volunteer.active_clients

    # Objective = sum of the chosen weights, also as printed with six decimals.
    assert result.objective_units == sum(m.weight_units for m in result.matches)
    printed = sum(int(m.weight_text.replace(".", "")) for m in result.matches)
    assert printed == result.objective_units

    # The optimum agrees with an independent integer-programming solver.
    edge_list = list(
        zip(
            prepared.edges.edge_client.tolist(),
            prepared.edges.edge_volunteer.tolist(),
            prepared.edges.weight_units.tolist(),
            strict=True,
        )
    )
    assert result.objective_units == independent_optimum(
        edge_list, prepared.free_places.tolist(), pop.n_clients
    )

    # Unmatched reasons: a rule only when no allowed pair exists, else outcompeted.
    with_options = {c for c, _ in by_hand}
    for u in result.unmatched:
        assert u.reason in matcher.REASON_CODES
        assert (u.reason == "outcompeted") == (u.client_id in with_options)


@settings(max_examples=60, deadline=None)
@given(rounds(), st.randoms(use_true_random=False))
def test_shuffled_rows_give_the_same_result(
    round_: tuple[list[dict[str, Any]], list[dict[str, Any]]], rng: random.Random
) -> None:
    client_rows, volunteer_rows = round_
    first = matcher.match(client_rows, volunteer_rows, round_date=ROUND_DATE)
    shuffled_clients, shuffled_volunteers = client_rows[:], volunteer_rows[:]
    rng.shuffle(shuffled_clients)
    rng.shuffle(shuffled_volunteers)
    second = matcher.match(shuffled_clients, shuffled_volunteers, round_date=ROUND_DATE)
    assert first.matches == second.matches
    assert first.unmatched == second.unmatched


def test_agrees_with_networkx_on_expanded_places() -> None:
    rng = np.random.default_rng(7)
    clients = [
        {
            "client_id": f"C{i:02d}",
            "programme": "p",
            "contact": "phone",
            "loss_type": str(rng.choice(["partner", "child", "parent"])),
            "age": int(rng.integers(30, 90)),
            "availability": "mon-am|tue-pm",
        }
        for i in range(14)
    ]
    volunteers = [
        {
            "volunteer_id": f"V{i}",
            "programmes": "p",
            "contact": "phone",
            "lived_experience": str(rng.choice(["partner", "child"])),
            "age": int(rng.integers(30, 80)),
            "capacity": int(rng.integers(1, 3)),
            "training": "grief",
        }
        for i in range(5)
    ]
    prepared = prepare(clients, volunteers, None, ROUND_DATE)
    result = solve(prepared)
    graph = nx.Graph()
    for c, v, w in zip(
        prepared.edges.edge_client.tolist(),
        prepared.edges.edge_volunteer.tolist(),
        prepared.edges.weight_units.tolist(),
        strict=True,
    ):
        for place in range(int(prepared.free_places[v])):
            graph.add_edge(("c", c), ("v", v, place), weight=w)
    chosen = nx.max_weight_matching(graph)
    assert result.objective_units == sum(graph.edges[a, b]["weight"] for a, b in chosen)


def test_one_more_client_beats_a_better_fit() -> None:
    # C1 fits V1 far better than V2; C2 can only have V1. Both must be matched.
    clients = [
        {
            "client_id": "C1",
            "programme": "p",
            "contact": "phone",
            "loss_type": "partner",
            "needs": "practical",
        },
        {"client_id": "C2", "programme": "p", "contact": "phone", "languages": "en"},
    ]
    volunteers = [
        {
            "volunteer_id": "V1",
            "programmes": "p",
            "contact": "phone",
            "languages": "nl|en",
            "lived_experience": "partner",
            "skills": "practical",
            "training": "advanced",
        },
        {"volunteer_id": "V2", "programmes": "p", "contact": "phone"},
    ]
    result = matcher.match(clients, volunteers, round_date=ROUND_DATE)
    assert {(m.client_id, m.volunteer_id) for m in result.matches} == {("C1", "V2"), ("C2", "V1")}


def test_outcompeted_names_the_best_option_and_who_took_it() -> None:
    clients = [
        {
            "client_id": "C1",
            "programme": "p",
            "contact": "phone",
            "hindering_factors": "anxiety-or-depression|sudden-death|little-social-support",
        },
        {"client_id": "C2", "programme": "p", "contact": "phone"},
    ]
    volunteers = [
        {"volunteer_id": "V1", "programmes": "p", "contact": "phone", "training": "grief"}
    ]
    result = matcher.match(clients, volunteers, round_date=ROUND_DATE)
    assert [m.client_id for m in result.matches] == ["C1"]  # high risk goes first
    (waiting,) = result.unmatched
    assert waiting.reason == "outcompeted"
    assert unmatched_detail(waiting, weights=True).startswith("best option V1 (weight ")
    assert "went to C1 (" in unmatched_detail(waiting, weights=True)


# One blocking case per hard rule: (client fields, volunteer fields, reason code).
RULE_CASES = [
    ({"programme": "q"}, {}, "no-programme"),
    ({}, {"capacity": 1, "active_clients": 1}, "no-capacity"),
    ({"contact": "visit"}, {"contact": "phone", "lat": 52.5216}, "contact-mismatch"),
    ({"contact": "visit", "lat": 52.5, "lon": 6.1}, {"lat": 53.5, "lon": 6.1}, "too-far"),
    ({"availability": "mon-am"}, {"availability": "sun-eve"}, "no-shared-time"),
    ({"languages": "tr"}, {}, "no-shared-language"),
    ({"preferred_gender": "f"}, {"gender": "m"}, "gender-preference"),
    ({"excluded_volunteers": "V1"}, {}, "excluded"),
    (
        {"hindering_factors": "anxiety-or-depression|sudden-death|little-social-support"},
        {"training": "basic"},
        "training-required",
    ),
]
ONE_PAIR = (
    {"client_id": "C1", "programme": "p", "lat": 52.5, "lon": 6.1},
    {"volunteer_id": "V1", "programmes": "p", "lat": 52.5, "lon": 6.1, "contact": "visit"},
)


def one_pair_round(
    client: dict[str, Any], volunteer: dict[str, Any], config: dict[str, Any] | None = None
) -> matcher.MatchResult:
    return matcher.match(
        [ONE_PAIR[0] | client], [ONE_PAIR[1] | volunteer], config, round_date=ROUND_DATE
    )


@pytest.mark.parametrize(("client", "volunteer", "reason"), RULE_CASES)
def test_each_rule_has_its_reason(
    client: dict[str, Any], volunteer: dict[str, Any], reason: str
) -> None:
    result = one_pair_round(client, volunteer)
    assert [(u.client_id, u.reason) for u in result.unmatched] == [("C1", reason)]


@pytest.mark.parametrize(("client", "volunteer", "reason"), RULE_CASES)
def test_each_rule_can_be_switched_off(
    client: dict[str, Any], volunteer: dict[str, Any], reason: str
) -> None:
    (rule,) = [r for r in RULES if r.code == reason]
    result = one_pair_round(client, volunteer, {"rules": {rule.config_key: False}})
    assert [(m.client_id, m.volunteer_id) for m in result.matches] == [("C1", "V1")]


def test_round_date_fixes_weeks_waited() -> None:
    clients = [
        {"client_id": "C1", "programme": "p", "contact": "phone", "waiting_since": "2026-01-01"}
    ]
    volunteers = [{"volunteer_id": "V1", "programmes": "p", "contact": "phone"}]
    early = matcher.match(clients, volunteers, round_date=dt.date(2026, 1, 8))
    late = matcher.match(clients, volunteers, round_date=dt.date(2026, 6, 1))
    assert late.matches[0].priority > early.matches[0].priority
    again = matcher.match(clients, volunteers, round_date=dt.date(2026, 1, 8))
    assert again.matches == early.matches


def test_library_reports_every_bad_dict_at_once() -> None:
    with pytest.raises(matcher.InputError) as caught:
        matcher.match(
            [
                {"client_id": "C1", "programme": "p", "loss_type": "partnr", "contact": "phone"},
                {"client_id": "C1", "programme": "p", "age": "old", "contact": "phone"},
            ],
            [],
        )
    assert str(caught.value).splitlines() == [
        "clients:1: loss_type: unknown loss type 'partnr'; did you mean 'partner'? (got 'partnr')",
        "clients:2: age: must be a whole number (got 'old')",
    ]


def test_a_visit_client_and_a_phone_volunteer_nearby_cannot_meet_rather_than_too_far() -> None:
    # The probe of issue 10: 2.4 km apart, the volunteer travels 15 km, but only phones.
    client = {"contact": "visit"}
    volunteer = {"volunteer_id": "VW010", "contact": "phone", "lat": 52.5216, "max_travel_km": 15}
    (waiting,) = one_pair_round(client, volunteer).unmatched
    assert waiting.reason == "contact-mismatch"
    assert unmatched_detail(waiting, weights=True) == (
        "1 volunteer(s) have a free place; none accepts the client's way of contact"
    )
    assert waiting.options_before == 1
    assert unmatched_detail(waiting, "nl") == (
        "1 vrijwilliger(s) hebben plaats; niemand wil contact op de manier van de cliënt"
    )

    from matcher.explain import explain_client, render_explanation

    prepared = prepare([ONE_PAIR[0] | client], [ONE_PAIR[1] | volunteer], None, ROUND_DATE)
    explanation = explain_client(prepared, solve(prepared), "C1")
    assert explanation.removed["contact-mismatch"] == ("VW010",)
    assert explanation.removed["too-far"] == ()
    text = render_explanation(explanation, prepared)
    assert "VW010 meets by phone only, the client by visit only" in text
    assert "km away" not in text
    # Accepting phone on the client's side is the one change that meets, at any distance.
    assert explanation.changes == (
        "VW010 meets by phone only, the client by visit only: the only rule in the way"
        " (contact-mismatch)",
    )


def test_a_visit_pair_out_of_range_is_too_far_and_phone_on_both_sides_meets_at_any_distance() -> (
    None
):
    far = {"lat": 53.5, "lon": 6.1}
    (waiting,) = one_pair_round({"contact": "visit"}, far).unmatched
    assert waiting.reason == "too-far"
    assert one_pair_round({"contact": "either"}, far | {"contact": "phone"}).matches
    (waiting,) = one_pair_round({"contact": "phone"}, far | {"contact": "visit"}).unmatched
    assert waiting.reason == "contact-mismatch"


def test_reason_codes_are_the_rules_in_order_and_two_more() -> None:
    from matcher.candidates import RULE_CODES

    assert [c for c in matcher.REASON_CODES if c in RULE_CODES] == list(RULE_CODES)
    assert set(matcher.REASON_CODES) == set(RULE_CODES) | {"outcompeted", "volunteers-paused"}
