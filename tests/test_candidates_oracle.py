"""find_candidates against the rules' own definition: every pair, each enabled rule in turn.

The engine never forms all client × volunteer pairs; the oracle here does (small rounds
only), applies `rule.allows` to the surviving pairs in RULES order and counts what is left.
Pairs, their order and every count must be the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher import candidates, scenarios
from matcher.candidates import Candidates, enabled_rules
from matcher.engine import Prepared, prepare
from matcher.population import distance_km
from tests.strategies import rounds

ROUND_DATE = dt.date(2026, 11, 23)
RULE_SWITCHES = (
    "programme",
    "capacity",
    "distance",
    "shared_time",
    "language",
    "gender_preference",
    "excluded",
    "training_for_high_risk",
)


def oracle(prepared: Prepared) -> Candidates:
    pop, excluded = prepared.population, prepared.excluded
    ci = np.repeat(np.arange(pop.n_clients), pop.n_volunteers)
    vi = np.tile(np.arange(pop.n_volunteers), pop.n_clients)
    rules = enabled_rules(prepared.config)
    counts = []
    for rule in rules:
        keep = rule.allows(pop, ci, vi, excluded)
        ci, vi = ci[keep], vi[keep]
        counts.append(np.bincount(ci, minlength=pop.n_clients))
    left = np.array(counts, dtype=np.int64).reshape(len(rules), pop.n_clients)
    return Candidates(pop.n_clients, ci, vi, left, rules)


def assert_same(found: Candidates, expected: Candidates) -> None:
    assert found.rules == expected.rules
    np.testing.assert_array_equal(found.edge_client, expected.edge_client)
    np.testing.assert_array_equal(found.edge_volunteer, expected.edge_volunteer)
    np.testing.assert_array_equal(found.options_left, expected.options_left)


@st.composite
def configured_rounds(draw: st.DrawFn) -> tuple[Any, Any, dict[str, Any]]:
    clients, volunteers = draw(rounds(max_clients=14, max_volunteers=9))
    if draw(st.booleans()):  # capacity in hours: a volunteer may fit a short match only
        for client in clients:
            client["hours_per_week"] = draw(st.sampled_from([None, 0.5, 1, 2, 3]))
        for volunteer in volunteers:
            hours = draw(st.sampled_from([None, 0, 1, 2.5, 4]))
            if hours is not None:
                volunteer["hours_per_week"] = hours
                volunteer["active_hours"] = draw(st.sampled_from([0, 0.5, 1])) * min(hours, 2)
    switches = draw(st.fixed_dictionaries({name: st.booleans() for name in RULE_SWITCHES}))
    return clients, volunteers, {"rules": switches}


@settings(max_examples=100, deadline=None)
@given(configured_rounds(), st.sampled_from([1, 3, 2_000_000]))
def test_candidates_equal_the_rules_applied_to_every_pair(
    drawn: tuple[Any, Any, dict[str, Any]], block_pairs: int
) -> None:
    clients, volunteers, config = drawn
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(candidates, "BLOCK_PAIRS", block_pairs)  # one row a block, or all
        prepared = prepare(clients, volunteers, config, ROUND_DATE)
    assert_same(prepared.candidates, oracle(prepared))


@pytest.mark.parametrize("spatial_from", [0, candidates.SPATIAL_INDEX_FROM_PAIRS])
@pytest.mark.parametrize("name", ["dense-city", "region-scale"])
def test_scenario_rounds_equal_the_oracle(
    name: str, spatial_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A drawn round with thousands of pairs, some of them excluded, by grid or spatial index."""
    scenario = scenarios.load(name).resized(clients=300, volunteers=120)
    clients, volunteers = scenarios.generate(scenario, 5, round_date=scenario.round_date)
    rng = np.random.default_rng(5)
    ids = [v.volunteer_id for v in volunteers]
    clients = [
        c.model_copy(update={"excluded_volunteers": tuple(rng.choice(ids, 3, replace=False))})
        if k % 4 == 0
        else c
        for k, c in enumerate(clients)
    ]
    monkeypatch.setattr(candidates, "SPATIAL_INDEX_FROM_PAIRS", spatial_from)
    monkeypatch.setattr(candidates, "BLOCK_PAIRS", 500)
    prepared = prepare(clients, volunteers, None, scenario.round_date)
    assert len(prepared.candidates.edge_client) > 1_000
    assert len(prepared.excluded) > 0
    assert_same(prepared.candidates, oracle(prepared))


def test_a_client_exactly_at_the_travel_radius_is_in_range() -> None:
    """At the border the grid defers to can_visit: a radius equal to the distance reaches the
    client, one a hair shorter does not."""
    client = {"client_id": "c1", "programme": "p", "lat": 52.512, "lon": 6.094, "contact": "visit"}
    far = {"volunteer_id": "v1", "programmes": ["p"], "lat": 52.55, "lon": 6.13, "contact": "visit"}
    probe = prepare([client], [far], None, ROUND_DATE).population
    km = float(distance_km(probe, np.array([0]), np.array([0]))[0])
    volunteers = [
        far | {"volunteer_id": "v1", "max_travel_km": km},
        far | {"volunteer_id": "v2", "max_travel_km": float(np.nextafter(km, 0))},
    ]
    prepared = prepare([client], volunteers, None, ROUND_DATE)
    assert prepared.candidates.edge_volunteer.tolist() == [0]
    assert_same(prepared.candidates, oracle(prepared))


def test_more_than_64_languages_share_across_mask_words() -> None:
    """Languages beyond the 64th bit live in a second mask word."""
    codes = [a + b for a in "abc" for b in "abcdefghijklmnopqrstuvwxyz"][:70]
    clients = [
        {"client_id": f"c{k}", "programme": "p", "contact": "phone", "languages": [code]}
        for k, code in enumerate(codes)
    ]
    volunteers = [
        {"volunteer_id": f"v{k}", "programmes": ["p"], "contact": "phone", "languages": [c]}
        for k, c in enumerate(codes[::-1])
    ]
    prepared = prepare(clients, volunteers, None, ROUND_DATE)
    assert prepared.population.c_languages.shape[1] == 2
    assert len(prepared.candidates.edge_client) == len(codes)
    assert_same(prepared.candidates, oracle(prepared))
