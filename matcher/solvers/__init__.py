"""Solver back-ends. Only this package imports OR-Tools."""

from matcher.solvers.flow import FlowSolution, solve_max_weight
from matcher.solvers.status import SolveStatus

__all__ = ["FlowSolution", "SolveStatus", "solve_max_weight"]
