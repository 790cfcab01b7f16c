"""The fast paths of a round give exactly what the plain row-by-row code gave.

The population arrays, the scores and the facts of every waiting client are built with array
work over whole columns (once per distinct value, in blocks, gathered per waiting client);
each test keeps the plain per-row version as the oracle and compares on random rounds,
bit for bit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, cast

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher import scoring, vocab
from matcher.config import MatchConfig
from matcher.engine import Prepared, assignment_problem, prepare, solve
from matcher.models import Client, Volunteer
from matcher.outcome import waiting_clients
from matcher.policies import PolicyContext, find_policy
from matcher.population import (
    ALL_SLOTS,
    NO_CODE,
    SUFFICIENT_FOR_HIGH_RISK,
    TRAINING_DEPTH,
    Population,
    build_population,
    capacity_units,
    unit_vectors,
)
from matcher.result import ReasonCode, Unmatched
from matcher.triage import risk_tiers
from matcher.vocab import RISK_TIERS
from tests.strategies import rounds

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROUND_DATE = dt.date(2026, 11, 30)


@st.composite
def varied_rounds(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The strategy's rounds, with some own risk tiers and, sometimes, capacity in hours."""
    cs, vs = draw(rounds(max_clients=10, max_volunteers=6))
    hours = draw(st.booleans())
    for client in cs:
        client["risk_tier"] = draw(st.none() | st.sampled_from(vocab.RISK_TIERS))
        if hours:
            client["hours_per_week"] = draw(st.none() | st.sampled_from([0.5, 1.0, 2.5]))
    for volunteer in vs:
        if hours:
            volunteer["hours_per_week"] = draw(st.none() | st.sampled_from([3.0, 4.5]))
    return cs, vs


def _word_mask(words: Any, choices: tuple[str, ...]) -> int:
    return sum(1 << choices.index(word) for word in words)


def _masks(index: dict[str, int], width: int, rows: list[Any]) -> np.ndarray[Any, Any]:
    out = np.zeros((len(rows), width), dtype=np.uint64)
    for row, words in enumerate(rows):
        for word in words:
            out[row, index[word] // 64] |= np.uint64(1 << (index[word] % 64))
    return out


def plain_population(
    pop: Population, config: MatchConfig, round_date: dt.date
) -> dict[str, np.ndarray[Any, Any]]:
    """The arrays as build_population made them before: one Python expression per row."""
    clients, volunteers = pop.clients, pop.volunteers
    programmes, languages = pop.programmes, pop.languages

    def locations(items: Any) -> np.ndarray[Any, Any]:
        lat = np.array([np.nan if p.lat is None else p.lat for p in items], dtype=float)
        lon = np.array([np.nan if p.lon is None else p.lon for p in items], dtype=float)
        return unit_vectors(lat, lon).reshape(len(items), 3)

    def slots(items: Any) -> np.ndarray[Any, Any]:
        masks = [_word_mask(p.availability, vocab.SLOTS) or ALL_SLOTS for p in items]
        return np.array(masks, dtype=np.int64)

    def waited(client: Client) -> float:
        if client.waiting_since is None:
            return 0.0
        return max(0.0, (round_date - client.waiting_since).days / 7)

    def gender(value: str | None) -> int:
        return NO_CODE if value is None else vocab.GENDERS.index(value)

    _, need, free = capacity_units(clients, volunteers)
    return {
        "c_programme": np.array([programmes.index[c.programme] for c in clients], dtype=np.int64),
        "c_tier": risk_tiers(clients, config.triage),
        "c_xyz": locations(clients),
        "c_phone": np.array([c.contact != "visit" for c in clients], dtype=bool),
        "c_visit": np.array([c.contact != "phone" for c in clients], dtype=bool),
        "c_slots": slots(clients),
        "c_languages": _masks(languages.index, languages.width, [c.languages for c in clients]),
        "c_loss": np.array(
            [
                NO_CODE if c.loss_type in (None, "none") else vocab.LOSS_TYPES.index(c.loss_type)
                for c in clients
            ],
            dtype=np.int64,
        ),
        "c_needs": np.array([_word_mask(c.needs, vocab.NEEDS) for c in clients], dtype=np.int64),
        "c_age": np.array([np.nan if c.age is None else c.age for c in clients], dtype=float),
        "c_preferred_gender": np.array([gender(c.preferred_gender) for c in clients], np.int64),
        "c_weeks_waited": np.array([waited(c) for c in clients], dtype=float),
        "c_need": need,
        "v_programmes": _masks(
            programmes.index, programmes.width, [v.programmes for v in volunteers]
        ),
        "v_free": free,
        "v_xyz": locations(volunteers),
        "v_radius_km": np.array([v.max_travel_km for v in volunteers], dtype=float),
        "v_phone": np.array([v.contact != "visit" for v in volunteers], dtype=bool),
        "v_visit": np.array([v.contact != "phone" for v in volunteers], dtype=bool),
        "v_slots": slots(volunteers),
        "v_languages": _masks(languages.index, languages.width, [v.languages for v in volunteers]),
        "v_lived": np.array(
            [
                _word_mask([w for w in v.lived_experience if w != "none"], vocab.LOSS_TYPES)
                for v in volunteers
            ],
            dtype=np.int64,
        ),
        "v_skills": np.array([_word_mask(v.skills, vocab.NEEDS) for v in volunteers], np.int64),
        "v_age": np.array([np.nan if v.age is None else v.age for v in volunteers], dtype=float),
        "v_gender": np.array([gender(v.gender) for v in volunteers], dtype=np.int64),
        "v_training_depth": np.array(
            [max((TRAINING_DEPTH[t] for t in v.training), default=0) for v in volunteers],
            dtype=np.int64,
        ),
        "v_high_risk_ok": np.array(
            [any(t in SUFFICIENT_FOR_HIGH_RISK for t in v.training) for v in volunteers],
            dtype=bool,
        ),
    }


def plain_unmatched(prepared: Prepared, chosen: np.ndarray[Any, Any], policy: str) -> list[Any]:
    """Why each client waits, as the engine said it before: one client at a time."""
    pop, edges, candidates = prepared.population, prepared.edges, prepared.candidates
    matched = np.zeros(pop.n_clients, dtype=bool)
    matched[edges.edge_client[chosen]] = True
    codes = [rule.code for rule in candidates.rules]
    out = []
    for ci in np.flatnonzero(~matched).tolist():
        client = pop.clients[ci]
        left = candidates.options_left[:, ci].tolist()
        common: dict[str, Any] = {
            "client_id": client.client_id,
            "risk_tier": RISK_TIERS[pop.c_tier[ci]],
            "programme": client.programme,
            "options_left": tuple(zip(codes, left, strict=True)),
            "policy": policy,
        }
        empty = [k for k, n in enumerate(left) if n == 0]
        if not empty:
            own = np.flatnonzero(edges.edge_client == ci)
            # The highest weight, the lowest volunteer id on ties (edges are in id order).
            k = int(own[np.argmax(edges.weight_units[own])])
            vi = int(edges.edge_volunteer[k])
            takers = [t for t in np.flatnonzero(chosen).tolist() if edges.edge_volunteer[t] == vi]
            out.append(
                Unmatched(
                    reason="outcompeted",
                    best_volunteer=pop.volunteers[vi].volunteer_id,
                    best_weight_units=int(edges.weight_units[k]),
                    taken_by=tuple(
                        pop.clients[int(edges.edge_client[t])].client_id for t in takers
                    ),
                    taken_weight_units=tuple(int(edges.weight_units[t]) for t in takers),
                    **common,
                )
            )
            continue
        stage = empty[0]
        reason = codes[stage]
        hours = client.hours_needed if reason == "no-capacity" and pop.hours_mode else None
        out.append(
            Unmatched(
                reason=cast(ReasonCode, reason),
                options_before=left[stage - 1] if stage > 0 else pop.n_volunteers,
                hours_needed=hours,
                **common,
            )
        )
    return out


def _models(round_: Any) -> tuple[list[Client], list[Volunteer]]:
    cs, vs = round_
    return [Client.model_validate(c) for c in cs], [Volunteer.model_validate(v) for v in vs]


@SETTINGS
@given(varied_rounds())
def test_population_arrays_equal_the_row_by_row_ones(round_: Any) -> None:
    clients, volunteers = _models(round_)
    config = MatchConfig()
    pop = build_population(clients, volunteers, config, ROUND_DATE)
    for name, expected in plain_population(pop, config, ROUND_DATE).items():
        got = getattr(pop, name)
        assert got.dtype == expected.dtype, name
        assert got.shape == expected.shape, name
        assert np.array_equal(got, expected, equal_nan=got.dtype.kind == "f"), name
    assert pop.client_ids == [c.client_id for c in pop.clients]
    assert pop.volunteer_ids == [v.volunteer_id for v in pop.volunteers]


@SETTINGS
@given(varied_rounds(), st.sampled_from(["optimal", "greedy"]))
def test_unmatched_facts_equal_the_client_by_client_ones(round_: Any, policy: str) -> None:
    prepared = prepare(*_models(round_), None, ROUND_DATE)
    chosen = find_policy(policy)(
        assignment_problem(prepared), PolicyContext(prepared.config)
    ).chosen
    waiting = waiting_clients(
        prepared.population, prepared.candidates, prepared.scores.weight_units, chosen, policy
    )
    assert list(waiting) == plain_unmatched(prepared, chosen, policy)


@SETTINGS
@given(varied_rounds(), st.integers(1, 7))
def test_scores_do_not_depend_on_the_block_size_or_threads(round_: Any, block: int) -> None:
    prepared = prepare(*_models(round_), None, ROUND_DATE)
    pop, edges, whole = prepared.population, prepared.edges, prepared.scores
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scoring, "SCORE_BLOCK", block)
        patch.setattr(scoring, "SCORE_THREADS_FROM_EDGES", 0)
        blocks = scoring.score_pairs(pop, prepared.config, edges.edge_client, edges.edge_volunteer)
    for name in ("fit", "distance_km", "visit", "weight_units", "priority"):
        assert np.array_equal(getattr(blocks, name), getattr(whole, name), equal_nan=True), name
    some = np.arange(len(edges.edge_client))[::2]
    for name, values in whole.criteria.items():
        assert np.array_equal(blocks.criteria_at(some)[name], values[some]), name


def test_a_round_without_pairs_explains_every_client() -> None:
    clients = [Client(client_id="C1", programme="a", contact="phone")]
    volunteers = [Volunteer(volunteer_id="V1", programmes=("b",), contact="phone")]
    result = solve(prepare(clients, volunteers, None, ROUND_DATE))
    assert [dataclasses.astuple(u)[:3] for u in result.unmatched] == [("C1", "low", "no-programme")]
