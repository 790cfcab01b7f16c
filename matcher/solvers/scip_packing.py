"""A restricted 0-1 packing MIP solved with SCIP in a fixed number of nodes, from a start solution.

The second, deeper stage of matcher.solvers.mip: where HiGHS's 50 nodes leave a programme
unproven (welzijn-op-recept's hardest years), SCIP closes it in a few hundred to a few thousand
nodes. Measured on welzijn-op-recept run 8's restricted programme (6,770 variables): HiGHS had
its bound 0.026 % above its best solution after 1,000 nodes, SCIP proved the same solution
within 0.01 % in 2,543. Its cuts and its branching close the gap of this time-indexed programme
faster; HiGHS stays the first stage, since it settles almost every run in a fraction of SCIP's
set-up time. SCIP is deterministic under a node limit (one thread, no clock), like the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix


@dataclass(frozen=True)
class Restricted:
    """What a node-limited solve of the restricted MIP proved: its best solution and its bound.

    `x` is None when no solution was found; `bound` is -inf when the MIP is infeasible.
    """

    value: float
    bound: float
    x: npt.NDArray[np.float64] | None


def solve_restricted(
    matrix: csr_matrix,
    upper: npt.NDArray[np.float64],
    objective: npt.NDArray[np.float64],
    forced: npt.NDArray[np.bool_],
    *,
    start: npt.NDArray[np.float64] | None,
    node_limit: int,
    gap: float,
) -> Restricted:
    """Maximise objective · x over 0-1 x with matrix · x ≤ upper and x = 1 where `forced`."""
    # Imported here: SCIP's library is large, and only the hardest hindsight runs need it.
    from pyscipopt import Model, quicksum

    model = Model()
    model.hideOutput()
    x = [
        model.addVar(vtype="B", lb=1.0 if forced[k] else 0.0, obj=float(objective[k]))
        for k in range(len(objective))
    ]
    for row in range(matrix.shape[0]):
        columns = matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]
        # A row that cannot be exceeded even with all its variables at 1 constrains nothing.
        if len(columns) > upper[row]:
            model.addCons(quicksum(x[c] for c in columns) <= float(upper[row]))
    model.setMaximize()
    model.setParam("limits/nodes", node_limit)
    model.setParam("limits/gap", gap)
    if start is not None:
        # A solution found before (HiGHS's): SCIP prunes against it from the first node.
        solution = model.createSol()
        for k in np.flatnonzero(start > 0.5):
            model.setSolVal(solution, x[k], 1.0)
        model.addSol(solution)
    model.optimize()
    if model.getStatus() == "infeasible":
        return Restricted(0.0, -np.inf, None)
    # The objective is integral, so is the optimum: the bound rounds down to a whole unit.
    bound = float(np.floor(model.getDualbound() + 1e-6))
    if model.getNSols() == 0:
        return Restricted(0.0, bound, None)
    best = model.getBestSol()
    chosen = np.array([round(model.getSolVal(best, var)) for var in x], dtype=float)
    return Restricted(float(objective @ chosen), bound, chosen)
