"""Seeded array draws: quotas that meet a share exactly, weighted subsets, clipped normals.

Shares in a scenario are met as quotas: of 16 volunteers with `partner = 0.875`, exactly 14
have lost a partner, and the seed decides which 14. Where a share times the head count is not
whole, the count is rounded up or down at random with the right odds (stochastic rounding), so
the expected count is exact at every size. Everything works on whole columns; no Python loop
runs over people.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matcher.arrays import BoolArray, FloatArray, IntArray


def category_counts(
    shares: Sequence[float] | FloatArray, n: int, rng: np.random.Generator
) -> IntArray:
    """Head counts per category that add up to n, each n·share rounded up or down at random.

    Systematic rounding of the cumulative shares with one random offset: the counts always add
    up to n, and each count's expectation is exactly n·share.
    """
    p = np.asarray(shares, dtype=float)
    p = p / p.sum() if p.sum() > 0 else np.full(len(p), 1 / max(len(p), 1))
    edges = np.floor(n * np.concatenate([[0.0], np.cumsum(p)]) + rng.random())
    edges[-1] = n  # the cumulative sum may drift below 1 by a rounding error
    return np.diff(edges).astype(np.int64)


def quota_categories(
    shares: Sequence[float] | FloatArray, n: int, rng: np.random.Generator
) -> IntArray:
    """A category index per person, with the counts of category_counts, in random order."""
    counts = category_counts(shares, n, rng)
    return rng.permutation(np.repeat(np.arange(len(counts), dtype=np.int64), counts))


def quota_columns(prevalence: FloatArray, n: int, rng: np.random.Generator) -> BoolArray:
    """n × k: column j is true for round(n·prevalence[j]) people (rounded at random)."""
    prevalence = np.asarray(prevalence, dtype=float)
    counts = np.floor(n * prevalence + rng.random(len(prevalence))).astype(np.int64)
    if n == 0 or len(prevalence) == 0:
        return np.zeros((n, len(prevalence)), dtype=bool)
    # The people with the `count` smallest random keys in each column have the attribute.
    rank = np.argsort(np.argsort(rng.random((n, len(prevalence))), axis=0), axis=0)
    return rank < counts


def quota_of(mask: BoolArray, share: float, rng: np.random.Generator) -> BoolArray:
    """Among the people in `mask`, a quota of `share` is picked."""
    picked = np.zeros(len(mask), dtype=bool)
    members = np.flatnonzero(mask)
    picked[members] = quota_columns(np.array([share]), len(members), rng)[:, 0]
    return picked


def weighted_subsets(weights: FloatArray, sizes: IntArray, rng: np.random.Generator) -> BoolArray:
    """Per row, `sizes[row]` distinct columns drawn with the given weights (Gumbel top-k)."""
    weights = np.broadcast_to(np.asarray(weights, dtype=float), (len(sizes), len(weights)))
    with np.errstate(divide="ignore"):
        keys = np.log(weights) - np.log(-np.log(rng.random(weights.shape)))
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    # A column of weight 0 is never drawn, even when a row asks for more columns than remain.
    return (rank < sizes[:, None]) & (weights > 0)


def whole_numbers(lo: float, hi: float, n: int, rng: np.random.Generator) -> IntArray:
    """Uniform whole numbers from lo to hi, both included."""
    return rng.integers(int(np.ceil(lo)), int(np.floor(hi)) + 1, n, dtype=np.int64)


def clipped_normal(
    mean: float, sd: float, lo: float, hi: float, n: int, rng: np.random.Generator
) -> IntArray:
    """Whole numbers from a normal distribution, cut off at lo and hi."""
    return np.rint(np.clip(rng.normal(mean, sd, n), lo, hi)).astype(np.int64)


def pick_other(allowed: BoolArray, current: IntArray, rng: np.random.Generator) -> IntArray:
    """Per row, a random allowed column other than `current`; -1 where none is left."""
    options = allowed.copy()
    options[np.arange(len(current)), current] = False
    keys = np.where(options, rng.random(options.shape), -1.0)
    choice = np.argmax(keys, axis=1)
    return np.where(options.any(axis=1), choice, -1).astype(np.int64)
