"""LP relaxation of the capacitated assignment, for the dual price of each volunteer place.

The assignment LP is integral, so its optimum is the optimal assignment's weight (in hours it
is not: a relaxation, which is all a price needs); the duals
of the volunteer constraints price a place: what the best use of one more place would add.
Solved with HiGHS (scipy) on a sparse matrix; the only use of an LP solver in the package.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from matcher.errors import SolverError


def place_prices(
    n_clients: int,
    n_volunteers: int,
    edge_client: npt.NDArray[np.int64],
    edge_volunteer: npt.NDArray[np.int64],
    weight: npt.NDArray[np.float64],
    free_places: npt.NDArray[np.int64],
    client_hours: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[np.float64]:
    """Dual price of a place at each volunteer (0 where places are not scarce).

    With `client_hours`, `free_places` are the volunteers' free hours and a client uses its
    hours of them: the price is then per hour (per unit of hours)."""
    # Imported here: scipy.optimize costs a third of a second at every command's start.
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    n_edges = len(edge_client)
    if n_edges == 0:
        return np.zeros(n_volunteers)
    rows = np.r_[edge_client, n_clients + edge_volunteer]
    columns = np.r_[np.arange(n_edges), np.arange(n_edges)]
    # Each client at most once; each volunteer at most its free places.
    uses = np.ones(n_edges) if client_hours is None else client_hours[edge_client].astype(float)
    a = csr_matrix(
        (np.r_[np.ones(n_edges), uses], (rows, columns)), shape=(n_clients + n_volunteers, n_edges)
    )
    b = np.r_[np.ones(n_clients), free_places.astype(float)]
    result = linprog(-weight, A_ub=a, b_ub=b, bounds=(0, None), method="highs")
    if result.status != 0:
        raise SolverError(f"LP relaxation failed: {result.message}")
    return np.maximum(-np.asarray(result.ineqlin.marginals[n_clients:]), 0.0)
