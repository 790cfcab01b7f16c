"""Soft criteria and the weight of each allowed pair.

    fit(c, v)     = Σ_k w_k · s_k(c, v) / Σ_k w_k                                 in [0, 1]
    priority(c)   = tier_bonus[tier(c)] + waiting_bonus · min(weeks(c), cap) / cap
    weight(c, v)  = match_value + priority(c) + fit(c, v)

Every criterion score s_k is in [0, 1]; a criterion that cannot be judged (an age or a need
not given) scores a neutral 0.5. Priority belongs to the client, not the pair, so moving a
client to another volunteer never changes it; with match_value > 1, matching one more client
is always worth more than a better fit for another one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from matcher.arrays import FloatArray, IntArray
from matcher.config import MatchConfig
from matcher.population import DEPTH_FOR_TIER, NO_CODE, Population, can_visit, distance_km
from matcher.units import WEIGHT_DECIMALS, WEIGHT_SCALE

NEUTRAL: Final = 0.5
# Three shared slots leave enough room to plan a weekly meeting.
SLOTS_FOR_FULL_SCORE: Final = 3
AGE_GAP_FOR_ZERO_SCORE: Final = 40.0

CRITERIA: Final = ("lived_experience", "closeness", "availability", "needs", "age", "training")


@dataclass(frozen=True)
class PairScores:
    """Per allowed pair: criterion scores, fit, distance, contact mode and integer weight."""

    criteria: dict[str, FloatArray]
    fit: FloatArray
    priority: FloatArray
    distance_km: FloatArray
    visit: npt.NDArray[np.bool_]
    weight_units: IntArray


def client_priority(pop: Population, config: MatchConfig) -> FloatArray:
    bonus = config.priority.tier_bonus
    tier_bonus = np.array([bonus.low, bonus.moderate, bonus.high])[pop.c_tier]
    cap = config.priority.waiting_cap_weeks
    waited = np.minimum(pop.c_weeks_waited, cap) / cap
    return tier_bonus + config.priority.waiting_bonus * waited


def _bit_count(masks: IntArray) -> IntArray:
    return np.bitwise_count(masks.astype(np.uint64)).astype(np.int64)


def criterion_scores(
    pop: Population, ci: IntArray, vi: IntArray, km: FloatArray, visit: npt.NDArray[np.bool_]
) -> dict[str, FloatArray]:
    loss = pop.c_loss[ci]
    lived = pop.v_lived[vi]
    same_loss = (loss != NO_CODE) & (((lived >> np.maximum(loss, 0)) & 1) == 1)
    lived_experience = np.where(
        loss == NO_CODE, NEUTRAL, np.where(same_loss, 1.0, np.where(lived != 0, 0.5, 0.0))
    )

    radius = pop.v_radius_km[vi]
    with np.errstate(invalid="ignore", divide="ignore"):
        near = np.where(radius > 0, 1.0 - km / radius, 1.0)
    closeness = np.where(visit, np.clip(near, 0.0, 1.0), 0.0)

    shared_slots = _bit_count(pop.c_slots[ci] & pop.v_slots[vi])
    availability = np.minimum(shared_slots, SLOTS_FOR_FULL_SCORE) / SLOTS_FOR_FULL_SCORE

    needs = pop.c_needs[ci]
    wanted = _bit_count(needs)
    covered = _bit_count(needs & pop.v_skills[vi])
    needs_score = np.where(wanted > 0, covered / np.maximum(wanted, 1), NEUTRAL)

    age_gap = np.abs(pop.c_age[ci] - pop.v_age[vi])
    age = np.where(
        np.isnan(age_gap), NEUTRAL, np.clip(1.0 - age_gap / AGE_GAP_FOR_ZERO_SCORE, 0.0, 1.0)
    )

    required = DEPTH_FOR_TIER[pop.c_tier[ci]]
    training = np.minimum(pop.v_training_depth[vi] / required, 1.0)

    return {
        "lived_experience": lived_experience,
        "closeness": closeness,
        "availability": availability,
        "needs": needs_score,
        "age": age,
        "training": training,
    }


def score_pairs(pop: Population, config: MatchConfig, ci: IntArray, vi: IntArray) -> PairScores:
    km = distance_km(pop, ci, vi)
    visit = can_visit(pop, ci, vi, km)
    criteria = criterion_scores(pop, ci, vi, km, visit)
    weights = config.weights.model_dump()
    total = sum(weights[name] for name in CRITERIA)
    fit = sum((weights[name] * criteria[name] for name in CRITERIA), np.zeros(len(ci))) / total
    priority = client_priority(pop, config)[ci]
    weight = config.priority.match_value + priority + fit
    return PairScores(
        criteria=criteria,
        fit=fit,
        priority=priority,
        distance_km=km,
        visit=visit,
        weight_units=np.rint(weight * WEIGHT_SCALE).astype(np.int64),
    )


def format_weight(units: int) -> str:
    """Exact decimal text of an integer weight: 3412345 -> '3.412345'."""
    sign = "-" if units < 0 else ""
    whole, fraction = divmod(abs(units), WEIGHT_SCALE)
    return f"{sign}{whole}.{fraction:0{WEIGHT_DECIMALS}d}"
