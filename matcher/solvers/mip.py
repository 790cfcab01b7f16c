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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix

from matcher.errors import SolverError

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
) -> Packing:
    """Maximise objective · x over 0-1 x with matrix · x ≤ upper (objective integral, ≥ 0)."""
    # Imported here: scipy.optimize costs a third of a second at every command's start.
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp

    relaxed = linprog(-objective, A_ub=matrix, b_ub=upper, bounds=(0, 1), method="highs")
    if relaxed.status != 0:
        raise SolverError(f"hindsight model: its LP relaxation failed ({relaxed.message})")
    lp_bound = float(np.floor(-relaxed.fun + 1e-6))
    # In the minimisation scipy solves: ≥ 0 at x = 0, ≤ 0 at x = 1.
    reduced = np.asarray(relaxed.lower.marginals + relaxed.upper.marginals)
    best_value, bound = 0.0, lp_bound
    for attempt, width in enumerate(widths):
        delta = width * lp_bound
        keep = np.flatnonzero(reduced <= delta + SLACK)
        if attempt > 0 and len(keep) > max_variables:
            break
        forced = (reduced[keep] < -delta - SLACK).astype(float)
        restricted = milp(
            -objective[keep],
            constraints=LinearConstraint(matrix[:, keep], -np.inf, upper),
            integrality=np.ones(len(keep)),
            bounds=Bounds(forced, np.ones(len(keep))),
            options={"node_limit": node_limit, "mip_rel_gap": OPTIMALITY_GAP},
        )
        if restricted.x is None:
            # No solution: infeasible (forcing can do that) or none within the node limit.
            # Solutions outside are worth < U - δ; inside at most the MIP's dual bound.
            infeasible = restricted.status == 2
            inside = -np.inf if infeasible else _upper_bound(restricted)
            bound = min(bound, max(lp_bound - delta, inside))
            if infeasible:
                continue
            break
        value = float(-restricted.fun)
        inside = _upper_bound(restricted)
        best_value = max(best_value, value)
        # Outside the restricted set every solution is worth < U - δ.
        bound = min(bound, max(inside, lp_bound - delta))
        if Packing(best_value, bound).optimal or restricted.status != 0:
            break
    return Packing(best_value, bound)


def _upper_bound(result: object) -> float:
    """The restricted MIP's proven bound in the maximisation; integral, since the objective is."""
    dual = getattr(result, "mip_dual_bound", None)
    return np.inf if dual is None else float(np.floor(-dual + 1e-6))
