"""A 0-1 packing programme solved with HiGHS through OR-Tools' model builder.

The simulator's hindsight optimum (matcher.simulate.hindsight) builds its matrix and asks
for the best value here, as a MIP or, when that is not proven in time, as its LP relaxation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix


def max_packing_value(
    matrix: csr_matrix,
    upper: npt.NDArray[np.float64],
    objective: npt.NDArray[np.float64],
    *,
    integral: bool,
    time_limit_s: float,
) -> float | None:
    """Maximise objective · x for 0 ≤ x ≤ 1, matrix · x ≤ upper; None if not proven optimal."""
    # Imported here: the model builder takes a second to load, needed only by the simulator.
    from ortools.linear_solver.python import model_builder

    n_vars = matrix.shape[1]
    model = model_builder.Model()  # type: ignore[no-untyped-call]
    # The helper's stubs misname numpy's array types; the call is as documented.
    helper: Any = model.helper
    helper.fill_model_from_sparse_data(
        np.zeros(n_vars), np.ones(n_vars), objective, np.full(len(upper), -np.inf), upper, matrix
    )
    helper.set_maximize(True)
    if integral:
        for var in range(n_vars):
            helper.set_var_integrality(var, True)
    # HiGHS, through OR-Tools: this LP-tight programme is its strength (CP-SAT left a 17 %
    # gap on the rural scenario where HiGHS proves the optimum in seconds).
    solver = model_builder.Solver("highs")
    solver.set_solver_specific_parameters("output_flag=false")
    solver.set_time_limit_in_seconds(time_limit_s)
    if solver.solve(model) != model_builder.SolveStatus.OPTIMAL:
        return None
    return float(solver.objective_value)
