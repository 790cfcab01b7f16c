"""The hindsight optimum: the best a planner who knew the whole year in advance could do.

Same rules as the policies: a client is matched at most once, from its arrival week on, to a
volunteer present at the time who would not decline; the match then occupies one of the
volunteer's places for the client's drawn duration (or until the volunteer stops). Worth:
the match's value discounted for the weeks waited. Solved with HiGHS through OR-Tools' model
builder: exact when it proves optimality within the time limit; otherwise policies are
compared against the LP relaxation's optimum (an upper bound), and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix

from matcher.config import MatchConfig
from matcher.engine import prepare
from matcher.errors import SolverError
from matcher.simulate.run import match_value
from matcher.simulate.world import World
from matcher.vocab import RISK_TIERS

VALUE_SCALE = 10_000


@dataclass(frozen=True)
class Hindsight:
    """The hindsight optimum (exact), or the LP relaxation's optimum: an upper bound."""

    value: float
    exact: bool


def hindsight_optimum(
    world: World, config: MatchConfig, *, weekly_discount: float, time_limit_s: float = 30.0
) -> Hindsight:
    """Time-indexed integer programme, built as one sparse matrix, solved by HiGHS.

    Proven optimal within the time limit: exact (the optimum's value is unique, so the same
    on every machine). Otherwise the LP relaxation's optimum, an upper bound.
    """
    pair_client, pair_volunteer, pair_value = _allowed_pairs(world, config)
    arrival = world.arrival_week[pair_client]
    leave = world.leave_week[pair_volunteer]
    first = np.maximum(arrival, world.join_week[pair_volunteer])
    starts = np.maximum(leave - first, 0)
    if starts.sum() == 0:
        return Hindsight(0.0, exact=True)

    # Variables: x = 1 when a pair's match starts in a given week.
    var_pair = np.repeat(np.arange(len(pair_client)), starts)
    var_week = first[var_pair] + _ranks(starts)
    worth = pair_value[var_pair] * weekly_discount ** (var_week - arrival[var_pair])
    n_vars, n_clients, weeks = len(var_pair), len(world.clients), world.weeks

    # Each client starts at most one match over the year.
    rows = [pair_client[var_pair]]
    columns = [np.arange(n_vars)]
    # Each week, a volunteer's running matches fit in the places left by the ones running
    # at the start. A match runs for the client's duration or until the volunteer stops.
    length = np.minimum(world.duration_weeks[pair_client[var_pair]], leave[var_pair] - var_week)
    busy_var = np.repeat(np.arange(n_vars), length)
    busy_week = var_week[busy_var] + _ranks(length)
    rows.append(n_clients + pair_volunteer[var_pair[busy_var]] * weeks + busy_week)
    columns.append(busy_var)
    places = np.array(
        [
            world.volunteers[j].capacity - world.initial_load(j, week)
            for j in range(len(world.volunteers))
            for week in range(weeks)
        ],
        dtype=float,
    )
    upper = np.r_[np.ones(n_clients), np.maximum(places, 0)]
    matrix = csr_matrix(
        (np.ones(sum(len(r) for r in rows)), (np.concatenate(rows), np.concatenate(columns))),
        shape=(len(upper), n_vars),
    )

    objective = np.rint(worth * VALUE_SCALE)
    optimum = _solve(matrix, upper, objective, integral=True, time_limit_s=time_limit_s)
    if optimum is not None:
        return Hindsight(optimum / VALUE_SCALE, exact=True)
    # Not proven within the limit: the LP relaxation's optimum, a bound that is the same on
    # every machine (an incumbent found by then would depend on the machine's speed).
    bound = _solve(matrix, upper, objective, integral=False, time_limit_s=time_limit_s)
    if bound is None:
        raise SolverError("hindsight model: not even its LP relaxation solved in time")
    return Hindsight(bound / VALUE_SCALE, exact=False)


def _solve(
    matrix: csr_matrix,
    upper: npt.NDArray[np.float64],
    objective: npt.NDArray[np.float64],
    *,
    integral: bool,
    time_limit_s: float,
) -> float | None:
    """Maximise objective · x for 0 ≤ x ≤ 1, matrix · x ≤ upper; None if not proven optimal."""
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


def _ranks(lengths: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """0, 1, …, n-1 for each run of the given lengths, concatenated."""
    total = int(lengths.sum())
    return np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)


def _allowed_pairs(
    world: World, config: MatchConfig
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Pairs the static rules allow and that would not be declined, with their worth."""
    volunteers = [v.model_copy(update={"active_clients": 0}) for v in world.volunteers]
    rules = config.rules.model_copy(update={"capacity": False})
    prepared = prepare(
        list(world.clients), volunteers, config.model_copy(update={"rules": rules}), world.start
    )
    pop = prepared.population
    client_of = {c.client_id: i for i, c in enumerate(world.clients)}
    volunteer_of = {v.volunteer_id: j for j, v in enumerate(world.volunteers)}
    clients, volunteers_, values = [], [], []
    for k in range(len(prepared.candidates.client)):
        ci, vi = int(prepared.candidates.client[k]), int(prepared.candidates.volunteer[k])
        i = client_of[pop.clients[ci].client_id]
        j = volunteer_of[pop.volunteers[vi].volunteer_id]
        if world.declines(world.clients[i].client_id, world.volunteers[j].volunteer_id):
            continue
        clients.append(i)
        volunteers_.append(j)
        tier = RISK_TIERS[int(pop.c_tier[ci])]
        values.append(match_value(config, tier, float(prepared.scores.fit[k])))
    return (
        np.array(clients, dtype=np.int64),
        np.array(volunteers_, dtype=np.int64),
        np.array(values, dtype=float),
    )
