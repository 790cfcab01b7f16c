"""The hindsight programme: its bound is sound, its optimum exact, its answer the same each time."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from matcher import scenarios
from matcher.simulate import run_world
from matcher.simulate.hindsight import hindsight_optimum
from matcher.simulate.scenario import dynamics_of, sampler_of
from matcher.solvers.mip import max_packing


def brute_force(matrix: np.ndarray, upper: np.ndarray, objective: np.ndarray) -> float:
    best = 0.0
    for bits in itertools.product((0, 1), repeat=matrix.shape[1]):
        x = np.array(bits)
        if np.all(matrix @ x <= upper):
            best = max(best, float(objective @ x))
    return best


@pytest.mark.parametrize("seed", range(12))
def test_the_packing_bound_holds_and_a_proven_optimum_is_the_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_rows, n_vars = 6, 10
    dense = (rng.random((n_rows, n_vars)) < 0.4).astype(float)
    upper = rng.integers(1, 3, n_rows).astype(float)
    objective = rng.integers(1, 50, n_vars).astype(float)
    optimum = brute_force(dense, upper, objective)
    for widths in ((1e-4,), (1e-4, 0.05, 1.0)):
        packing = max_packing(csr_matrix(dense), upper, objective, widths=widths)
        assert packing.value <= optimum <= packing.bound
        if packing.optimal:
            assert packing.value == optimum
    # Wide enough to keep every variable: always proven.
    assert max_packing(csr_matrix(dense), upper, objective, widths=(1.0,)).value == optimum


def test_a_weak_relaxation_is_a_bound_with_its_gap_not_an_optimum() -> None:
    # Three places pairwise exclusive: the LP takes half of each (1.5), the optimum one (1).
    matrix = csr_matrix(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1]], dtype=float))
    upper, objective = np.ones(3), np.full(3, 10.0)
    narrow = max_packing(matrix, upper, objective, widths=(1e-4,))
    assert not narrow.optimal
    assert narrow.value <= 10.0 <= narrow.bound <= 15.0
    assert narrow.gap == pytest.approx((narrow.bound - narrow.value) / narrow.bound)
    wide = max_packing(matrix, upper, objective, widths=(1e-4, 1.0))
    assert wide.optimal and wide.value == wide.bound == 10.0


def test_the_hindsight_optimum_is_proven_and_the_same_every_time() -> None:
    scenario = scenarios.load("zwolle-partnerverlies")
    world = run_world(0, dynamics_of(scenario), sampler_of(scenario), weeks=26, seed=0)
    first = hindsight_optimum(world, scenario.config, weekly_discount=0.97)
    again = hindsight_optimum(world, scenario.config, weekly_discount=0.97)
    assert first.exact and first.gap <= 1e-4 and first.value > 0
    assert first == again
