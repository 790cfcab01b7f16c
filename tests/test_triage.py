"""Triage: the default rule splits a typical population about 58/35/6 %."""

from __future__ import annotations

import numpy as np

from matcher import vocab
from matcher.config import MatchConfig, Triage
from matcher.models import Client
from matcher.triage import TYPICAL_PREVALENCE, risk_scores, risk_tiers, tiers_from_scores


def test_default_thresholds_give_the_population_split() -> None:
    rng = np.random.default_rng(2026)
    n = 200_000
    hindering = rng.random((n, len(vocab.HINDERING_FACTORS))) < np.array(
        [TYPICAL_PREVALENCE[f] for f in vocab.HINDERING_FACTORS]
    )
    protective = rng.random((n, len(vocab.PROTECTIVE_FACTORS))) < np.array(
        [TYPICAL_PREVALENCE[f] for f in vocab.PROTECTIVE_FACTORS]
    )
    triage = Triage()
    shares = np.bincount(tiers_from_scores(risk_scores(hindering, protective, triage), triage)) / n
    assert abs(shares[0] - 0.58) < 0.02
    assert abs(shares[1] - 0.35) < 0.02
    assert abs(shares[2] - 0.06) < 0.01


def test_tiers_follow_the_documented_score() -> None:
    clients = [
        Client(client_id="low", programme="p", contact="phone"),
        # 1.0 + 1.0 hindering - 0.5 protective = 1.5: moderate
        Client(
            client_id="moderate",
            programme="p",
            contact="phone",
            hindering_factors=("physical-health", "caregiver-burden"),
            protective_factors=("employed",),
        ),
        # 2.0 + 1.5 + 1.5 = 5.0 - 1.0 = 4.0: high
        Client(
            client_id="high",
            programme="p",
            contact="phone",
            hindering_factors=("anxiety-or-depression", "sudden-death", "little-social-support"),
            protective_factors=("strong-network",),
        ),
    ]
    assert risk_tiers(clients, MatchConfig().triage).tolist() == [0, 1, 2]


def test_thresholds_are_configurable() -> None:
    client = Client(
        client_id="c", programme="p", contact="phone", hindering_factors=("living-alone",)
    )
    strict = Triage(moderate_from=0.5, high_from=1.0)
    assert risk_tiers([client], strict).tolist() == [1]
