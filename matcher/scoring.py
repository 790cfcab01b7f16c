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
from functools import cached_property
from typing import Any, Final

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


# One function per criterion, on arrays of what it reads: the plain path (criterion_scores)
# calls them on the pairs, the fast path (WeightedTerms) on every combination of the few
# values a criterion reads, so both give the very same numbers.


def lived_experience_score(loss: IntArray, lived: IntArray) -> FloatArray:
    same_loss = (loss != NO_CODE) & (((lived >> np.maximum(loss, 0)) & 1) == 1)
    return np.where(
        loss == NO_CODE, NEUTRAL, np.where(same_loss, 1.0, np.where(lived != 0, 0.5, 0.0))
    )


def closeness_score(km: FloatArray, radius: FloatArray, visit: npt.NDArray[np.bool_]) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        near = np.where(radius > 0, 1.0 - km / radius, 1.0)
    return np.where(visit, np.clip(near, 0.0, 1.0), 0.0)


def availability_score(shared_slots: IntArray) -> FloatArray:
    return np.minimum(shared_slots, SLOTS_FOR_FULL_SCORE) / SLOTS_FOR_FULL_SCORE


def needs_score(wanted: IntArray, covered: IntArray) -> FloatArray:
    return np.where(wanted > 0, covered / np.maximum(wanted, 1), NEUTRAL)


def age_score(client_age: FloatArray, volunteer_age: FloatArray) -> FloatArray:
    age_gap = np.abs(client_age - volunteer_age)
    return np.where(
        np.isnan(age_gap), NEUTRAL, np.clip(1.0 - age_gap / AGE_GAP_FOR_ZERO_SCORE, 0.0, 1.0)
    )


def training_score(tier: npt.NDArray[np.integer[Any]], depth: IntArray) -> FloatArray:
    return np.minimum(depth / DEPTH_FOR_TIER[tier], 1.0)


def criterion_scores(
    pop: Population, ci: IntArray, vi: IntArray, km: FloatArray, visit: npt.NDArray[np.bool_]
) -> dict[str, FloatArray]:
    needs = pop.c_needs[ci]
    return {
        "lived_experience": lived_experience_score(pop.c_loss[ci], pop.v_lived[vi]),
        "closeness": closeness_score(km, pop.v_radius_km[vi], visit),
        "availability": availability_score(_bit_count(pop.c_slots[ci] & pop.v_slots[vi])),
        "needs": needs_score(_bit_count(needs), _bit_count(needs & pop.v_skills[vi])),
        "age": age_score(pop.c_age[ci], pop.v_age[vi]),
        "training": training_score(pop.c_tier[ci], pop.v_training_depth[vi]),
    }


# A 64-bit mask has at most this many bits set.
MAX_BITS: Final = 64
# Ages looked up in a table of every (client age, volunteer age) up to this many cells (whole
# years and "not given": 122 × 122); beyond it (ages with fractions) computed per pair.
MAX_AGE_TABLE: Final = 1 << 16


class WeightedTerms:
    """Σ_k w_k · s_k of pairs, in CRITERIA order, as `criterion_scores` and the weights give
    it, with fewer operations per pair: lived experience, availability, needs and training
    read few distinct values (a loss code and a lived-experience mask, a count of shared
    slots, counts of needs, a tier and a training depth), so each weighted term is one lookup
    in a table the criterion's own function filled, at an index made of per-client and
    per-volunteer keys computed once; so is age (whole years, or none). Closeness is computed
    per pair as before. The terms are added in the same order, so the sum is the same to the
    last bit."""

    def __init__(self, pop: Population, weights: dict[str, float]) -> None:
        self.pop = pop
        self.w = [weights[name] for name in CRITERIA]
        w_lived, _, w_slots, w_needs, _, w_training = self.w
        # Lived experience: (client loss code + 1) × masks + volunteer mask.
        masks = int(pop.v_lived.max(initial=0)) + 1
        losses = np.arange(NO_CODE, int(pop.c_loss.max(initial=NO_CODE)) + 1)
        grid_loss, grid_lived = np.repeat(losses, masks), np.tile(np.arange(masks), len(losses))
        self.lived_table = w_lived * lived_experience_score(grid_loss, grid_lived)
        self.c_lived_key = (pop.c_loss - NO_CODE) * masks
        # Shared slots: the count of common bits.
        self.slots_table = w_slots * availability_score(np.arange(MAX_BITS + 1))
        # Needs: wanted (the client's) × (MAX_BITS + 1) + covered (the pair's).
        counts = np.arange(MAX_BITS + 1)
        grid_wanted, grid_covered = np.repeat(counts, len(counts)), np.tile(counts, len(counts))
        self.needs_table = w_needs * needs_score(grid_wanted, grid_covered)
        self.c_needs_key = np.bitwise_count(pop.c_needs).astype(np.int64) * (MAX_BITS + 1)
        # Training: client tier × depths + volunteer depth.
        depths = int(pop.v_training_depth.max(initial=0)) + 1
        tiers = np.arange(len(DEPTH_FOR_TIER))
        grid_tier, grid_depth = np.repeat(tiers, depths), np.tile(np.arange(depths), len(tiers))
        self.training_table = w_training * training_score(grid_tier, grid_depth)
        self.c_training_key = pop.c_tier.astype(np.int64) * depths
        # Age: whole years or none, so few distinct ages: client age code × ages + volunteer's.
        c_ages, c_code = np.unique(pop.c_age, return_inverse=True)
        v_ages, v_code = np.unique(pop.v_age, return_inverse=True)
        self.age_table: FloatArray | None = None
        if len(c_ages) * len(v_ages) <= MAX_AGE_TABLE:
            grid_c, grid_v = np.repeat(c_ages, len(v_ages)), np.tile(v_ages, len(c_ages))
            self.age_table = self.w[4] * age_score(grid_c, grid_v)
            self.c_age_key, self.v_age_code = c_code * len(v_ages), v_code

    def sum(
        self, ci: IntArray, vi: IntArray, km: FloatArray, visit: npt.NDArray[np.bool_]
    ) -> FloatArray:
        pop = self.pop
        _, w_closeness, _, _, w_age, _ = self.w
        total = np.zeros(len(ci))
        total += self.lived_table[self.c_lived_key[ci] + pop.v_lived[vi]]
        total += w_closeness * closeness_score(km, pop.v_radius_km[vi], visit)
        total += self.slots_table[np.bitwise_count(pop.c_slots[ci] & pop.v_slots[vi])]
        covered = np.bitwise_count(pop.c_needs[ci] & pop.v_skills[vi])
        total += self.needs_table[self.c_needs_key[ci] + covered]
        if self.age_table is None:
            total += w_age * age_score(pop.c_age[ci], pop.v_age[vi])
        else:
            total += self.age_table[self.c_age_key[ci] + self.v_age_code[vi]]
        total += self.training_table[self.c_training_key[ci] + pop.v_training_depth[vi]]
        return total


def score_pairs(pop: Population, config: MatchConfig, ci: IntArray, vi: IntArray) -> PairScores:
    weights = dict(config.weights)  # the fields as they are, no serializer built
    total = sum(weights[name] for name in CRITERIA)
    terms = WeightedTerms(pop, weights)
    priority = client_priority(pop, config)
    n = len(ci)
    fit, km, weight_units = np.empty(n), np.empty(n), np.empty(n, dtype=np.int64)
    visit = np.empty(n, dtype=bool)

    def score_block(start: int) -> None:
        block = slice(start, start + SCORE_BLOCK)
        c, v = ci[block], vi[block]
        block_km = distance_km(pop, c, v)
        block_visit = can_visit(pop, c, v, block_km)
        block_fit = terms.sum(c, v, block_km, block_visit) / total
        weight = config.priority.match_value + priority[c] + block_fit
        fit[block], km[block], visit[block] = block_fit, block_km, block_visit
        weight_units[block] = np.rint(weight * WEIGHT_SCALE)

    starts = range(0, n, SCORE_BLOCK)
    threads = min(2, usable_cores()) if n >= SCORE_THREADS_FROM_EDGES else 1
    if threads > 1:
        # Threads only for a large round: a small one does not load concurrent.futures.
        from concurrent.futures import ThreadPoolExecutor

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
