"""What a scenario's parameters promise, computed exactly, and what a generated round delivers.

`expected_risk_tiers` sums over all 2^15 combinations of the triage factors, so a scenario's
claim ("58/36/6 %") is checked against its prevalences without sampling noise. The observed
shares of a generated round are compared with these in tests/test_scenarios_generate.py.
"""

from __future__ import annotations

import numpy as np

from matcher import vocab
from matcher.config import Triage
from matcher.models import Client, Volunteer
from matcher.scenarios.spec import ClientParams, Scenario, VolunteerParams
from matcher.triage import risk_scores, risk_tiers, tiers_from_scores


def expected_risk_tiers(params: ClientParams, triage: Triage | None = None) -> dict[str, float]:
    """Share of clients in each risk tier, with the factors drawn independently."""
    triage = triage or Triage()
    hindering = np.array([params.hindering_factors[f] for f in vocab.HINDERING_FACTORS])
    protective = np.array([params.protective_factors[f] for f in vocab.PROTECTIVE_FACTORS])
    prevalence = np.concatenate([hindering, protective])
    k = len(prevalence)
    # Every combination of factors present (rows) and its probability.
    present = (np.arange(2**k)[:, None] >> np.arange(k)) & 1 == 1
    probability = np.prod(np.where(present, prevalence, 1 - prevalence), axis=1)
    scores = risk_scores(present[:, : len(hindering)], present[:, len(hindering) :], triage)
    tiers = tiers_from_scores(scores, triage)
    shares = np.bincount(tiers, weights=probability, minlength=len(vocab.RISK_TIERS))
    return {tier: float(share) for tier, share in zip(vocab.RISK_TIERS, shares, strict=True)}


def scenario_risk_tiers(scenario: Scenario) -> dict[str, float]:
    """Expected tiers over all the scenario's programmes, weighted by their shares."""
    total: dict[str, float] = dict.fromkeys(vocab.RISK_TIERS, 0.0)
    for programme in scenario.resolved():
        for tier, share in expected_risk_tiers(programme.clients, scenario.config.triage).items():
            total[tier] += programme.share * share
    return total


def expected_places(params: VolunteerParams, count: int) -> tuple[float, float]:
    """(all places, free places) a pool of `count` such volunteers is expected to have."""
    mean_capacity = sum(int(places) * share for places, share in params.capacity.items())
    places = count * mean_capacity
    return places, places * (1 - params.occupied)


def scenario_free_places(scenario: Scenario) -> float:
    return sum(
        expected_places(p.volunteers, scenario.volunteers.count)[1] * p.share
        for p in scenario.resolved()
    )


def observed_shares(
    clients: list[Client], volunteers: list[Volunteer], triage: Triage | None = None
) -> dict[str, dict[str, float]]:
    """Shares in a generated round: risk tiers, loss types, lived experience, languages."""
    triage = triage or Triage()
    n_c, n_v = max(len(clients), 1), max(len(volunteers), 1)
    tiers = np.bincount(risk_tiers(clients, triage), minlength=len(vocab.RISK_TIERS)) / n_c
    languages = sorted(
        {code for c in clients for code in c.languages}
        | {code for v in volunteers for code in v.languages}
    )
    return {
        "risk_tiers": dict(zip(vocab.RISK_TIERS, tiers.tolist(), strict=True)),
        "loss_type": {
            loss: sum(c.loss_type == loss for c in clients) / n_c for loss in vocab.LOSS_TYPES
        },
        "lived_experience": {
            loss: sum(loss in v.lived_experience for v in volunteers) / n_v
            for loss in vocab.LOSS_TYPES
        },
        "client_languages": {
            code: sum(code in c.languages for c in clients) / n_c for code in languages
        },
        "volunteer_languages": {
            code: sum(code in v.languages for v in volunteers) / n_v for code in languages
        },
    }
