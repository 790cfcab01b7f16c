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

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import Final

import numpy as np
import numpy.typing as npt

from matcher.arrays import EdgeList, FloatArray, IntArray
from matcher.config import MatchConfig
from matcher.population import DEPTH_FOR_TIER, NO_CODE, Population, can_visit, distance_km
from matcher.solvers.components import usable_cores
from matcher.units import WEIGHT_DECIMALS, WEIGHT_SCALE

NEUTRAL: Final = 0.5
# Three shared slots leave enough room to plan a weekly meeting.
SLOTS_FOR_FULL_SCORE: Final = 3
AGE_GAP_FOR_ZERO_SCORE: Final = 40.0

CRITERIA: Final = ("lived_experience", "closeness", "availability", "needs", "age", "training")


# Edges are scored in blocks of this many: the temporaries of one block stay in the CPU's
# cache, where one array per operation over 6 million pairs would cost a fresh 50 MB each.
SCORE_BLOCK: Final = 1 << 16
# numpy lets go of the GIL inside each operation, so blocks can be scored on two threads;
# every block writes its own slice, so the numbers are the same for any thread count.
SCORE_THREADS_FROM_EDGES: Final = 1_000_000


@dataclass(frozen=True)
class PairScores(EdgeList):
    """The allowed pairs with their integer weights, and per pair: fit, distance and contact
    mode; criterion scores and priority on request (`criteria_at`, `priority_at`): they are
    needed for the few pairs that are shown, and recomputing those gives the very numbers the
    fit was made of."""

    population: Population
    fit: FloatArray
    distance_km: FloatArray
    visit: npt.NDArray[np.bool_]
    client_priority: FloatArray

    def criteria_at(self, edge: IntArray) -> dict[str, FloatArray]:
        """The criterion scores of the pairs at `edge` (indices into the edge arrays)."""
        return criterion_scores(
            self.population,
            self.edge_client[edge],
            self.edge_volunteer[edge],
            self.distance_km[edge],
            self.visit[edge],
        )

    def priority_at(self, edge: IntArray) -> FloatArray:
        return self.client_priority[self.edge_client[edge]]

    @cached_property
    def criteria(self) -> dict[str, FloatArray]:
        """Every pair's criterion scores (a large round's worth of memory: prefer criteria_at)."""
        return self.criteria_at(np.arange(len(self.edge_client)))

    @cached_property
    def priority(self) -> FloatArray:
        return self.client_priority[self.edge_client]


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
    weights = dict(config.weights)  # the fields as they are, no serializer built
    total = sum(weights[name] for name in CRITERIA)
    priority = client_priority(pop, config)
    n = len(ci)
    fit, km, weight_units = np.empty(n), np.empty(n), np.empty(n, dtype=np.int64)
    visit = np.empty(n, dtype=bool)

    def score_block(start: int) -> None:
        block = slice(start, start + SCORE_BLOCK)
        c, v = ci[block], vi[block]
        block_km = distance_km(pop, c, v)
        block_visit = can_visit(pop, c, v, block_km)
        criteria = criterion_scores(pop, c, v, block_km, block_visit)
        block_fit = (
            sum((weights[name] * criteria[name] for name in CRITERIA), np.zeros(len(c))) / total
        )
        weight = config.priority.match_value + priority[c] + block_fit
        fit[block], km[block], visit[block] = block_fit, block_km, block_visit
        weight_units[block] = np.rint(weight * WEIGHT_SCALE)

    starts = range(0, n, SCORE_BLOCK)
    threads = min(2, usable_cores()) if n >= SCORE_THREADS_FROM_EDGES else 1
    if threads > 1:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(score_block, starts))
    else:
        for start in starts:
            score_block(start)
    return PairScores(pop.n_clients, ci, vi, weight_units, pop, fit, km, visit, priority)


def format_weight(units: int) -> str:
    """Exact decimal text of an integer weight: 3412345 -> '3.412345'."""
    sign = "-" if units < 0 else ""
    whole, fraction = divmod(abs(units), WEIGHT_SCALE)
    return f"{sign}{whole}.{fraction:0{WEIGHT_DECIMALS}d}"
