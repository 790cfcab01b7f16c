"""The hindsight optimum: the best a planner who knew the whole year in advance could do.

Same rules as the policies: a client is matched at most once, from its arrival week on, to a
volunteer present at the time who would not decline; the match then occupies one of the
volunteer's places for the client's drawn duration (or until the volunteer stops). Worth:
the match's value discounted for the weeks waited. Solved with HiGHS in a fixed amount of
work (matcher.solvers.mip: the LP's reduced costs leave a small MIP; SCIP takes it on where
HiGHS's nodes fall short), never a time limit, so the same world gives the same answer on any
machine. Policies are compared against the proven upper bound: in a proven run within 0.01 %
of a solution found (the solvers' optimality tolerance);
otherwise the result says how far the best solution found may be from it (`gap`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix

from matcher.config import MatchConfig
from matcher.engine import prepare
from matcher.row_index import row_of_ids
from matcher.simulate.run import match_value
from matcher.simulate.world import World
from matcher.solvers.mip import max_packing
from matcher.vocab import RISK_TIERS

VALUE_SCALE = 10_000


@dataclass(frozen=True)
class Hindsight:
    """A proven upper bound on the hindsight optimum; `exact` when a solution is within 0.01 %.

    `gap`: the share of `value` the best solution found may still miss (≤ 0.0001 when exact).
    """

    value: float
    exact: bool
    gap: float = 0.0


def hindsight_optimum(world: World, config: MatchConfig, *, weekly_discount: float) -> Hindsight:
    """Time-indexed integer programme, built as one sparse matrix, solved by HiGHS."""
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
    packing = max_packing(matrix, upper, objective)
    return Hindsight(packing.bound / VALUE_SCALE, exact=packing.optimal, gap=packing.gap)


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
    client_of = row_of_ids(c.client_id for c in world.clients)
    volunteer_of = row_of_ids(v.volunteer_id for v in world.volunteers)
    clients, volunteers_, values = [], [], []
    for k in range(len(prepared.candidates.edge_client)):
        ci, vi = int(prepared.candidates.edge_client[k]), int(prepared.candidates.edge_volunteer[k])
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
