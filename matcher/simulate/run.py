"""One policy through one simulated world, week by week."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from matcher.arrays import IntArray
from matcher.config import MatchConfig
from matcher.engine import Prepared, assignment_problem, prepare
from matcher.models import DEFAULT_CLIENT_HOURS, Volunteer
from matcher.policies import FutureSample, get_policy
from matcher.row_index import row_of_ids
from matcher.scoring import CRITERIA
from matcher.simulate.world import World
from matcher.vocab import RISK_TIERS

# Samples the coming weeks' arrivals for `reserve`: (week, present volunteers) -> futures.
Forecaster = Callable[[int, Sequence[Volunteer]], list[FutureSample]]


@dataclass
class Outcome:
    """What happened to each client of the world under one policy."""

    policy: str
    matched_week: dict[int, int] = field(default_factory=dict)  # client -> week matched
    value: dict[int, float] = field(default_factory=dict)  # client -> discounted value
    same_loss: dict[int, bool] = field(default_factory=dict)
    weight: dict[int, float] = field(default_factory=dict)
    travel_km: dict[int, float] = field(default_factory=dict)
    volunteer_weeks_loaded: dict[int, int] = field(default_factory=dict)  # client-weeks carried
    declined: int = 0
    # Every match and decline in the order made: (week, client, volunteer); a match lasts
    # the client's duration_weeks, or until its volunteer stops (matcher.simulate.replay).
    started: list[tuple[int, int, int]] = field(default_factory=list)
    declines: list[tuple[int, int, int]] = field(default_factory=list)
    round_seconds: list[float] = field(default_factory=list)
    trace: list[dict[str, float]] = field(default_factory=list)


def match_value(config: MatchConfig, tier: str, fit: float) -> float:
    """A match's worth without its waiting bonus: the same pair is worth the same any week.
    `fit` is scoring's, for the pair (PairScores.fit)."""
    bonus = getattr(config.priority.tier_bonus, tier)
    return float(config.priority.match_value + bonus + fit)


def run_policy(
    world: World,
    policy: str,
    config: MatchConfig,
    *,
    weekly_discount: float,
    forecaster: Forecaster | None = None,
) -> Outcome:
    outcome = Outcome(policy)
    index = row_of_ids(c.client_id for c in world.clients)
    volunteer_index = row_of_ids(v.volunteer_id for v in world.volunteers)
    waiting: set[int] = set()
    excluded: dict[int, set[str]] = {}
    active: list[tuple[int, int, int]] = []  # (client, volunteer, end week)
    for week in range(world.weeks):
        active = [m for m in active if m[2] > week and world.leave_week[m[1]] > week]
        waiting |= set(np.flatnonzero(world.arrival_week == week).tolist())
        present = np.flatnonzero((world.join_week <= week) & (world.leave_week > week))
        volunteers = _loaded(world, active, present, week)
        present_ids = {v.volunteer_id for v in volunteers}
        clients = [
            world.clients[i].model_copy(
                # Declined pairs are never proposed again (while the volunteer is around).
                update={"excluded_volunteers": tuple(sorted(excluded.get(i, set()) & present_ids))}
            )
            for i in sorted(waiting)
        ]
        started = time.perf_counter()
        prepared = prepare(clients, volunteers, config, world.date_of(week))
        futures = forecaster(week, volunteers) if forecaster and policy == "reserve" else None
        chosen = get_policy(policy, config, futures=futures)(assignment_problem(prepared))
        outcome.round_seconds.append(time.perf_counter() - started)
        matched_now = declined_now = 0
        for k in np.flatnonzero(chosen.chosen).tolist():
            i, j = _pair(prepared, k, index, volunteer_index)
            client, volunteer = world.clients[i], world.volunteers[j]
            if world.declines(client.client_id, volunteer.volunteer_id):
                excluded.setdefault(i, set()).add(volunteer.volunteer_id)
                outcome.declined += 1
                outcome.declines.append((week, i, j))
                declined_now += 1
                continue
            matched_now += 1
            waiting.discard(i)
            end = week + int(world.duration_weeks[i])
            active.append((i, j, end))
            outcome.started.append((week, i, j))
            _record(outcome, prepared, k, i, week, world, config, weekly_discount)
        outcome.trace.append(
            {
                "week": week,
                "waiting": len(waiting),
                "matched": matched_now,
                "declined": declined_now,
                "active_matches": len(active),
                "volunteers": len(present),
            }
        )
        for _, j, _ in active:
            outcome.volunteer_weeks_loaded[j] = outcome.volunteer_weeks_loaded.get(j, 0) + 1
    return outcome


def _loaded(
    world: World, active: list[tuple[int, int, int]], present: IntArray, week: int
) -> list[Volunteer]:
    """The present volunteers with this week's load: the matches the run made and those the
    volunteer had at the start, still going. A volunteer who counts in hours carries the
    hours of its clients (each match from the start takes one hour, as an unnamed client
    does), never more than it gives."""
    load = np.zeros(len(world.volunteers), dtype=np.int64)
    hours = np.zeros(len(world.volunteers))
    for i, j, _ in active:
        load[j] += 1
        hours[j] += world.clients[i].hours_needed
    out = []
    for j in present.tolist():
        volunteer = world.volunteers[j]
        before = world.initial_load(j, week)
        update: dict[str, float | int] = {
            "active_clients": min(volunteer.capacity, int(load[j]) + before)
        }
        if volunteer.hours_per_week is not None:
            update["active_hours"] = min(
                volunteer.hours_per_week, float(hours[j]) + before * DEFAULT_CLIENT_HOURS
            )
        out.append(volunteer.model_copy(update=update))
    return out


def _pair(
    prepared: Prepared, k: int, index: dict[str, int], volunteer_index: dict[str, int]
) -> tuple[int, int]:
    pop = prepared.population
    client = pop.clients[int(prepared.candidates.edge_client[k])]
    volunteer = pop.volunteers[int(prepared.candidates.edge_volunteer[k])]
    return index[client.client_id], volunteer_index[volunteer.volunteer_id]


def _record(
    outcome: Outcome,
    prepared: Prepared,
    k: int,
    i: int,
    week: int,
    world: World,
    config: MatchConfig,
    weekly_discount: float,
) -> None:
    scores = {name: float(prepared.scores.criteria[name][k]) for name in CRITERIA}
    tier = RISK_TIERS[int(prepared.population.c_tier[prepared.candidates.edge_client[k]])]
    waited = week - int(world.arrival_week[i])
    value = match_value(config, tier, float(prepared.scores.fit[k]))
    outcome.matched_week[i] = week
    outcome.value[i] = value * weekly_discount**waited
    outcome.weight[i] = value
    outcome.same_loss[i] = scores["lived_experience"] == 1.0
    km = float(prepared.scores.distance_km[k])
    if prepared.scores.visit[k] and not np.isnan(km):
        outcome.travel_km[i] = km
