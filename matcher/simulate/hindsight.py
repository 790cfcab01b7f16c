"""The hindsight optimum: the best a planner who knew the whole year in advance could do.

Same rules as the policies: a client is matched at most once, from its arrival week on, to a
volunteer present at the time who would not decline; the match then occupies one of the
volunteer's places for the client's drawn duration (or until the volunteer stops). Worth:
the match's value discounted for the weeks waited. Solved with OR-Tools CP-SAT, exactly
when it proves optimality within the budget; otherwise its proven upper bound is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.config import MatchConfig
from matcher.engine import prepare
from matcher.scoring import CRITERIA
from matcher.simulate.run import match_value
from matcher.simulate.world import World
from matcher.vocab import RISK_TIERS

VALUE_SCALE = 10_000


@dataclass(frozen=True)
class Hindsight:
    value: float  # the optimum, or the best solution found
    bound: float  # proven upper bound (equal to value when exact)
    exact: bool

    @property
    def reference(self) -> float:
        """What policies are compared against: the optimum, or else the bound (conservative)."""
        return self.value if self.exact else self.bound


def hindsight_optimum(
    world: World, config: MatchConfig, *, weekly_discount: float, work_limit: float = 20.0
) -> Hindsight:
    from ortools.sat.python import cp_model

    # Allowed pairs under the static rules: every volunteer as if free.
    volunteers = [v.model_copy(update={"active_clients": 0}) for v in world.volunteers]
    rules = config.rules.model_copy(update={"capacity": False})
    static = config.model_copy(update={"rules": rules})
    prepared = prepare(list(world.clients), volunteers, static, world.start)
    pop = prepared.population
    client_of = {c.client_id: i for i, c in enumerate(world.clients)}
    volunteer_of = {v.volunteer_id: j for j, v in enumerate(world.volunteers)}

    model = cp_model.CpModel()
    terms: list[tuple[int, cp_model.IntVar]] = []
    per_client: dict[int, list[cp_model.IntVar]] = {}
    occupying: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for k in range(len(prepared.candidates.client)):
        ci, vi = int(prepared.candidates.client[k]), int(prepared.candidates.volunteer[k])
        i = client_of[pop.clients[ci].client_id]
        j = volunteer_of[pop.volunteers[vi].volunteer_id]
        if world.declines(world.clients[i].client_id, world.volunteers[j].volunteer_id):
            continue
        scores = {name: float(prepared.scores.criteria[name][k]) for name in CRITERIA}
        value = match_value(config, RISK_TIERS[int(pop.c_tier[ci])], scores)
        first = max(int(world.arrival_week[i]), int(world.join_week[j]))
        for week in range(first, int(world.leave_week[j])):
            x = model.new_bool_var(f"x{k}_{week}")
            worth = value * weekly_discount ** (week - int(world.arrival_week[i]))
            terms.append((round(worth * VALUE_SCALE), x))
            per_client.setdefault(i, []).append(x)
            end = min(week + int(world.duration_weeks[i]), int(world.leave_week[j]))
            for busy in range(week, end):
                occupying.setdefault((j, busy), []).append(x)

    # Each client matched at most once over the year.
    for variables in per_client.values():
        model.add_at_most_one(variables)
    # Each week, a volunteer's matches fit in the places left by pre-existing ones.
    for (j, week), variables in occupying.items():
        places = world.volunteers[j].capacity - world.initial_load(j, week)
        model.add(cp_model.LinearExpr.sum(variables) <= max(places, 0))
    model.maximize(cp_model.LinearExpr.weighted_sum([x for _, x in terms], [w for w, _ in terms]))

    solver = cp_model.CpSolver()
    # A deterministic work limit (not seconds), one worker and a fixed seed: the same world
    # gives the same answer on any machine, however busy.
    solver.parameters.max_deterministic_time = work_limit
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Hindsight(0.0, 0.0, exact=not terms)
    exact = status == cp_model.OPTIMAL
    return Hindsight(
        value=solver.objective_value / VALUE_SCALE,
        bound=solver.best_objective_bound / VALUE_SCALE,
        exact=exact,
    )
