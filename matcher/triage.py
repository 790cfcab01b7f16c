"""Triage: a risk tier per client from its hindering and protective factors.

risk score = Σ weight of each hindering factor present − Σ weight of each protective factor
present; `moderate` from `triage.moderate_from`, `high` from `triage.high_from`. The defaults
give about 58 % low, 35 % moderate and 6 % high risk on a population with TYPICAL_PREVALENCE,
the split a Dutch population study of the bereaved found (tests/test_triage.py checks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Protocol

import numpy as np
import numpy.typing as npt

from matcher import vocab
from matcher.config import Triage
from matcher.models import Client

TIER_LOW, TIER_MODERATE, TIER_HIGH = 0, 1, 2

# Share of bereaved clients with each factor, from practice and the Dutch grief guideline;
# used to calibrate the default thresholds and by the synthetic data generators.
TYPICAL_PREVALENCE: Final[dict[str, float]] = {
    "physical-health": 0.35,
    "social-contact-difficulty": 0.15,
    "little-social-support": 0.20,
    "sudden-death": 0.22,
    "caregiver-burden": 0.30,
    "anxiety-or-depression": 0.14,
    "financial-worries": 0.15,
    "young-children": 0.10,
    "living-alone": 0.50,
    "low-education": 0.25,
    "strong-network": 0.45,
    "employed": 0.35,
    "good-health": 0.50,
    "meaning-and-faith": 0.30,
    "coped-with-earlier-loss": 0.30,
}


def factor_weights(triage: Triage) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Weights of the hindering and protective factors, in vocabulary order."""
    # dict(): the fields as they are, without building the sections' serializers.
    hindering = dict(triage.hindering)
    protective = dict(triage.protective)
    return (
        np.array([hindering[name.replace("-", "_")] for name in vocab.HINDERING_FACTORS]),
        np.array([protective[name.replace("-", "_")] for name in vocab.PROTECTIVE_FACTORS]),
    )


def tiers_from_scores(scores: npt.NDArray[np.float64], triage: Triage) -> npt.NDArray[np.int8]:
    tiers = np.full(scores.shape, TIER_LOW, dtype=np.int8)
    tiers[scores >= triage.moderate_from] = TIER_MODERATE
    tiers[scores >= triage.high_from] = TIER_HIGH
    return tiers


def risk_scores(
    hindering: npt.NDArray[np.bool_], protective: npt.NDArray[np.bool_], triage: Triage
) -> npt.NDArray[np.float64]:
    """Scores from factor indicator matrices (clients × factors, in vocabulary order)."""
    hindering_weights, protective_weights = factor_weights(triage)
    return hindering @ hindering_weights - protective @ protective_weights


class TriageFacts(Protocol):
    """What triage reads of a client (a Client, or these three fields of one)."""

    @property
    def hindering_factors(self) -> tuple[str, ...]: ...
    @property
    def protective_factors(self) -> tuple[str, ...]: ...
    @property
    def risk_tier(self) -> str | None: ...


def risk_tiers(clients: Sequence[TriageFacts], triage: Triage) -> npt.NDArray[np.int8]:
    """The tier each client is treated with: the coordinator's own `risk_tier` when given
    (she knows the person; the factors are a screen), else the computed one."""
    tiers = computed_risk_tiers(clients, triage)
    for row, client in enumerate(clients):
        if client.risk_tier is not None:
            tiers[row] = vocab.RISK_TIERS.index(client.risk_tier)
    return tiers


def computed_risk_tiers(clients: Sequence[TriageFacts], triage: Triage) -> npt.NDArray[np.int8]:
    """The tier from the hindering and protective factors alone."""
    hindering = np.zeros((len(clients), len(vocab.HINDERING_FACTORS)), dtype=bool)
    protective = np.zeros((len(clients), len(vocab.PROTECTIVE_FACTORS)), dtype=bool)
    hindering_index = {name: i for i, name in enumerate(vocab.HINDERING_FACTORS)}
    protective_index = {name: i for i, name in enumerate(vocab.PROTECTIVE_FACTORS)}
    for row, client in enumerate(clients):
        for factor in client.hindering_factors:
            hindering[row, hindering_index[factor]] = True
        for factor in client.protective_factors:
            protective[row, protective_index[factor]] = True
    return tiers_from_scores(risk_scores(hindering, protective, triage), triage)


def overruled_tier(client: Client, triage: Triage) -> str | None:
    """The computed tier of a client whose own risk_tier differs from it, else None."""
    if client.risk_tier is None:
        return None
    computed = vocab.RISK_TIERS[int(computed_risk_tiers([client], triage)[0])]
    return None if computed == client.risk_tier else computed
