"""The solver-neutral assignment problem every policy works on, and what a policy returns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matcher.arrays import EdgeList, FloatArray, IntArray
from matcher.solvers.status import SolveStatus


@dataclass(frozen=True)
class AssignmentProblem(EdgeList):
    """Allowed pairs as edge arrays sorted by (client, volunteer); indices follow id order.
    weight_units: the pair's weight, the optimum's currency."""

    n_volunteers: int
    fit: FloatArray  # how well the pair fits in the client's view, for preferences
    free_places: IntArray  # per volunteer
    current_load: IntArray  # per volunteer: clients already carried
    client_tier: npt.NDArray[np.int8]  # 0 low, 1 moderate, 2 high
    client_weeks_waited: FloatArray
    # Capacity in hours, when clients need different hours (matcher.policies.hours): each
    # client's need and each volunteer's free hours, in quarter-hours. None: capacity is
    # free_places (equal hours are already turned into places).
    client_hours: IntArray | None = None
    volunteer_hours: IntArray | None = None


@dataclass(frozen=True)
class Assignment:
    chosen: npt.NDArray[np.bool_]  # per edge
    status: SolveStatus
    solve_s: float
    # How far from proven optimal a limited solve may be ((bound − found) / bound); None
    # when the policy has no bound to compare with.
    gap: float | None = None

    def objective_units(self, problem: AssignmentProblem) -> int:
        return int(problem.weight_units[self.chosen].sum())


def client_segments(problem: AssignmentProblem) -> tuple[IntArray, IntArray]:
    """Start and end of each client's run of edges (edges are sorted by client)."""
    return problem.client_segments()


def total_order(problem: AssignmentProblem) -> IntArray:
    """Each edge's rank when all edges are sorted by weight, best first; ties by id order."""
    order = np.lexsort((problem.edge_volunteer, problem.edge_client, -problem.weight_units))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank
