"""score_pairs sums the weighted criteria by table lookups (scoring.WeightedTerms): its fit and
weights must be, to the last bit, those of the plain criterion scores weighted and summed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from matcher import scoring
from matcher.config import MatchConfig
from matcher.engine import prepare
from matcher.models import Client, Volunteer
from matcher.units import WEIGHT_SCALE
from tests.test_vectorised_round import SETTINGS, varied_rounds

ROUND_DATE = dt.date(2026, 11, 23)
WEIGHT = st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 0.1, 7.3])


@SETTINGS
@given(varied_rounds(), st.lists(WEIGHT, min_size=6, max_size=6).filter(any))
def test_fit_and_weights_equal_the_plain_weighted_sum(round_: Any, weights: list[float]) -> None:
    cs, vs = round_
    config = MatchConfig.model_validate(
        {"weights": dict(zip(scoring.CRITERIA, weights, strict=True))}
    )
    clients = [Client.model_validate(c) for c in cs]
    volunteers = [Volunteer.model_validate(v) for v in vs]
    prepared = prepare(clients, volunteers, config, ROUND_DATE)
    scores, pop = prepared.scores, prepared.population
    criteria = scoring.criterion_scores(
        pop, scores.edge_client, scores.edge_volunteer, scores.distance_km, scores.visit
    )
    w = config.weights.model_dump()
    plain_fit = sum(
        (w[name] * criteria[name] for name in scoring.CRITERIA), np.zeros(len(scores.fit))
    ) / sum(w[name] for name in scoring.CRITERIA)
    assert np.array_equal(scores.fit, plain_fit)
    plain_weight = config.priority.match_value + scores.priority + plain_fit
    assert np.array_equal(scores.weight_units, np.rint(plain_weight * WEIGHT_SCALE))
