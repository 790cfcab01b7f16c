"""A 0-1 packing programme solved exactly, or bounded, with HiGHS (scipy) in fixed work.

The simulator's hindsight optimum (matcher.simulate.hindsight) builds its matrix here. Its LP
relaxation is nearly integral (within about 0.02 % of the optimum) but tens of thousands of
variables wide, too wide for branch-and-cut to finish reliably; so the LP's reduced costs
decide which variables can matter at all:

  any solution worth ≥ U - δ (U the LP optimum) uses only variables whose reduced cost is at
  most δ, and keeps every variable whose reduced cost is below -δ.

The MIP is then solved over those few hundred or thousand variables only, for growing δ. If
its best solution is worth ≥ U - δ, no solution outside it can beat it, and its optimum is the
whole programme's; otherwise every solution outside is worth < U - δ, which bounds the whole
programme by max(U - δ, the small MIP's bound). Every limit counts work (nodes), never time:
the same model gives the same answer on any machine, under any load.

scipy's HiGHS, not OR-Tools' model builder: it returns the LP's reduced costs, the MIP's dual
bound and its best solution when a node limit stops it, and takes a node limit.

Where HiGHS's node limit leaves the programme unproven, a deeper stage hands the restricted MIP
to SCIP (matcher.solvers.scip_packing) with the best solution so far and thousands of nodes:
first over a narrow width, then over exactly the width that proves the best solution it found
(a solution worth s is proven when nothing outside the restricted set can be worth more than
s · (1 + tolerance), i.e. for δ = U - s · (1 + tolerance)). Still work, never time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix

from matcher.errors import SolverError
from matcher.solvers.scip_packing import solve_restricted

# The widths δ tried, as shares of the LP optimum: most runs are settled by the first; a
# small programme's MIP is cheap whole, and the last width keeps every variable.
WIDTHS: Final = (1e-4, 3e-4, 1e-3, 1e-2, 1.0)
# A wider MIP is tried only while the narrower ones were solved within the node limit (a hard
# one stays hard with more variables: its bound with the gap is then the answer), and only up
# to this many variables.
MAX_VARIABLES: Final = 20_000
# Branch-and-bound nodes per restricted MIP: the work limit that replaces a time limit.
NODE_LIMIT: Final = 50
# HiGHS's own optimality tolerance (its default): a solution within this share of the bound
# counts as optimal.
OPTIMALITY_GAP: Final = 1e-4
# The deeper stage (SCIP) where HiGHS left the programme unproven: its first width (narrow,
# so a good solution comes fast), and its work limit per restricted MIP. welzijn-op-recept's
# hardest year needed 2,543 nodes at the first width.
DEEP_WIDTH: Final = 3e-4
DEEP_NODE_LIMIT: Final = 5_000
# Reduced costs are floating point: a variable within this many objective units of the
# threshold is kept (the objective is integral, so one unit is a whole solution step).
SLACK: Final = 1.0


@dataclass(frozen=True)
class Packing:
    """The best solution found (its worth) and a proven upper bound on the optimum."""

    value: float
    bound: float

    @property
    def gap(self) -> float:
        """Share of the bound the best solution may still miss (0 when proven optimal)."""
        return max(self.bound - self.value, 0.0) / self.bound if self.bound > 0 else 0.0

    @property
    def optimal(self) -> bool:
        return self.gap <= OPTIMALITY_GAP


def max_packing(
    matrix: csr_matrix,
    upper: npt.NDArray[np.float64],
    objective: npt.NDArray[np.float64],
    *,
    widths: tuple[float, ...] = WIDTHS,
    node_limit: int = NODE_LIMIT,
    max_variables: int = MAX_VARIABLES,
    deep_node_limit: int = DEEP_NODE_LIMIT,
) -> Packing:
    """Maximise objective · x over 0-1 x with matrix · x ≤ upper (objective integral, ≥ 0).

    `deep_node_limit=0` leaves out the deeper stage (SCIP): HiGHS's answer alone.
    """
    # Imported here: scipy.optimize costs a third of a second at every command's start.
    from scipy.optimize import linprog

    relaxed = linprog(-objective, A_ub=matrix, b_ub=upper, bounds=(0, 1), method="highs")
    if relaxed.status != 0:
        raise SolverError(f"hindsight model: its LP relaxation failed ({relaxed.message})")
    search = _Search(matrix, upper, objective, float(np.floor(-relaxed.fun + 1e-6)))
    # In the minimisation scipy solves: ≥ 0 at x = 0, ≤ 0 at x = 1.
    search.reduced = np.asarray(relaxed.lower.marginals + relaxed.upper.marginals)
    for attempt, width in enumerate(widths):
        keep = search.keep(width * search.lp_bound)
        if attempt > 0 and len(keep) > max_variables:
            break
        solved = search.highs(width * search.lp_bound, node_limit)
        # Proven; or a node limit hit (a hard one stays hard with more variables). An infeasible
        # one (forcing can do that) goes on to the next width.
        if solved is not None and (search.packing().optimal or not solved):
            break
    if search.packing().optimal or deep_node_limit == 0:
        return search.packing()
    # The deeper stage: a narrow width first, for a good solution; then the width that proves it.
    delta = min(DEEP_WIDTH * search.lp_bound, search.proving_delta())
    inside = search.scip(delta, deep_node_limit)
    wider = search.proving_delta()
    # Wider only where the narrow MIP was closed, so that only its width stood in the way.
    if (
        not search.packing().optimal
        and inside <= search.lp_bound - delta
        and wider > delta
        and len(search.keep(wider)) <= max_variables
    ):
        search.scip(wider, deep_node_limit)
    return search.packing()


class _Search:
    """The best solution and the proven bound so far, over restricted MIPs of growing width.

    Each restricted MIP keeps the variables whose reduced cost is at most δ and forces those
    below -δ: solutions outside it are worth < U - δ, so it bounds the whole programme by the
    larger of U - δ and its own bound.
    """

    def __init__(
        self,
        matrix: csr_matrix,
        upper: npt.NDArray[np.float64],
        objective: npt.NDArray[np.float64],
        lp_bound: float,
    ) -> None:
        self.matrix, self.upper, self.objective = matrix, upper, objective
        self.lp_bound = lp_bound
        self.reduced = np.zeros(len(objective))
        self.best_value, self.bound = 0.0, lp_bound
        self.best_x: npt.NDArray[np.float64] | None = None

    def packing(self) -> Packing:
        return Packing(self.best_value, self.bound)

    def keep(self, delta: float) -> npt.NDArray[np.int64]:
        return np.flatnonzero(self.reduced <= delta + SLACK)

    def proving_delta(self) -> float:
        """The width that proves the best solution when the restricted MIP's bound meets it."""
        return self.lp_bound - self.best_value * (1 + OPTIMALITY_GAP)

    def record(
        self,
        delta: float,
        keep: npt.NDArray[np.int64],
        x: npt.NDArray[np.float64] | None,
        inside: float,
    ) -> None:
        if x is not None and float(self.objective[keep] @ x) > self.best_value:
            self.best_value = float(self.objective[keep] @ x)
            self.best_x = np.zeros(len(self.objective))
            self.best_x[keep] = x
        self.bound = min(self.bound, max(inside, self.lp_bound - delta))

    def highs(self, delta: float, node_limit: int) -> bool | None:
        """HiGHS on the restricted MIP: True solved, False node limit hit, None infeasible."""
        # Imported here, like linprog above: scipy.optimize slows every command's start.
        from scipy.optimize import Bounds, LinearConstraint, milp

        keep = self.keep(delta)
        forced = (self.reduced[keep] < -delta - SLACK).astype(float)
        restricted = milp(
            -self.objective[keep],
            constraints=LinearConstraint(self.matrix[:, keep], -np.inf, self.upper),
            integrality=np.ones(len(keep)),
            bounds=Bounds(forced, np.ones(len(keep))),
            options={"node_limit": node_limit, "mip_rel_gap": OPTIMALITY_GAP},
        )
        # No solution: infeasible (forcing can do that) or none within the node limit.
        infeasible = restricted.x is None and restricted.status == 2
        inside = -np.inf if infeasible else _upper_bound(restricted)
        x = None if restricted.x is None else np.round(restricted.x)
        self.record(delta, keep, x, inside)
        return None if infeasible else restricted.x is not None and restricted.status == 0

    def scip(self, delta: float, node_limit: int) -> float:
        """SCIP on the restricted MIP, from the best solution so far where it lies inside.

        Returns the restricted MIP's own bound.
        """
        keep = self.keep(delta)
        forced = self.reduced[keep] < -delta - SLACK
        start = None
        if self.best_x is not None:
            inside = np.zeros(len(self.objective), dtype=bool)
            inside[keep] = True
            fits = not np.any(self.best_x[~inside]) and bool(np.all(self.best_x[keep][forced]))
            start = self.best_x[keep] if fits else None
        restricted = solve_restricted(
            self.matrix[:, keep].tocsr(),
            self.upper,
            self.objective[keep],
            forced,
            start=start,
            node_limit=node_limit,
            gap=OPTIMALITY_GAP,
        )
        self.record(delta, keep, restricted.x, restricted.bound)
        return restricted.bound


def _upper_bound(result: object) -> float:
    """The restricted MIP's proven bound in the maximisation; integral, since the objective is."""
    dual = getattr(result, "mip_dual_bound", None)
    return np.inf if dual is None else float(np.floor(-dual + 1e-6))
