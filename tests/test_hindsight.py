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
from matcher.solvers.scip_packing import solve_restricted


def brute_force(
    matrix: np.ndarray, upper: np.ndarray, objective: np.ndarray, forced: np.ndarray | None = None
) -> float:
    """The optimum by enumeration (-inf when nothing is feasible with the forced variables)."""
    best = -np.inf
    for bits in itertools.product((0, 1), repeat=matrix.shape[1]):
        x = np.array(bits)
        if np.all(matrix @ x <= upper) and (forced is None or np.all(x[forced] == 1)):
            best = max(best, float(objective @ x))
    return best


def random_packing(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n_rows, n_vars = 6, 10
    dense = (rng.random((n_rows, n_vars)) < 0.4).astype(float)
    upper = rng.integers(1, 3, n_rows).astype(float)
    objective = rng.integers(1, 50, n_vars).astype(float)
    return dense, upper, objective


@pytest.mark.parametrize("seed", range(12))
def test_the_packing_bound_holds_and_a_proven_optimum_is_the_optimum(seed: int) -> None:
    dense, upper, objective = random_packing(seed)
    optimum = brute_force(dense, upper, objective)
    # HiGHS alone, and with the deeper stage (SCIP) where HiGHS leaves a bound.
    for widths, deep in itertools.product(((1e-4,), (1e-4, 0.05, 1.0)), (0, 100)):
        packing = max_packing(
            csr_matrix(dense), upper, objective, widths=widths, deep_node_limit=deep
        )
        assert packing.value <= optimum <= packing.bound
        if packing.optimal:
            assert packing.value == optimum
    # Wide enough to keep every variable: always proven.
    assert max_packing(csr_matrix(dense), upper, objective, widths=(1.0,)).value == optimum


def test_a_weak_relaxation_is_a_bound_with_its_gap_not_an_optimum() -> None:
    # Three places pairwise exclusive: the LP takes half of each (1.5), the optimum one (1).
    matrix = csr_matrix(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1]], dtype=float))
    upper, objective = np.ones(3), np.full(3, 10.0)
    narrow = max_packing(matrix, upper, objective, widths=(1e-4,), deep_node_limit=0)
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


def test_the_deeper_stage_proves_what_highs_alone_leaves_as_a_bound() -> None:
    matrix = csr_matrix(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1]], dtype=float))
    upper, objective = np.ones(3), np.full(3, 10.0)
    alone = max_packing(matrix, upper, objective, widths=(1e-4,), deep_node_limit=0)
    deep = max_packing(matrix, upper, objective, widths=(1e-4,))
    assert not alone.optimal
    assert deep.optimal and deep.value == 10.0 <= deep.bound


@pytest.mark.parametrize("seed", range(12))
def test_scip_on_a_restricted_programme_agrees_with_enumeration(seed: int) -> None:
    dense, upper, objective = random_packing(seed)
    rng = np.random.default_rng(100 + seed)
    forced = rng.random(len(objective)) < 0.15
    optimum = brute_force(dense, upper, objective, np.flatnonzero(forced))
    # A start solution where one is at hand: the forced variables alone, when they fit.
    lone = forced.astype(float)
    start = lone if np.all(dense @ lone <= upper) else None
    solved = solve_restricted(
        csr_matrix(dense), upper, objective, forced, start=start, node_limit=1_000, gap=0.0
    )
    if optimum == -np.inf:
        assert solved.x is None and solved.bound == -np.inf
        return
    assert solved.x is not None
    assert np.all(dense @ solved.x <= upper) and np.all(solved.x[forced] == 1)
    assert solved.value == objective @ solved.x == optimum == solved.bound
