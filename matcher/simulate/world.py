"""One simulated year of a programme, drawn before any policy runs (common random numbers).

Everything random is fixed here, per run: who arrives when, how long each match would last,
which volunteers stop or join, and which introductions would be declined. Every policy then
meets exactly the same world, so differences between policies are the policies' own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matcher.models import Client, Volunteer

IntArray = npt.NDArray[np.int64]
# Draws n clients and m volunteers from a programme's population with a seed.
PeopleSampler = Callable[[int, int, int], tuple[list[Client], list[Volunteer]]]


@dataclass(frozen=True)
class Dynamics:
    """How a programme changes from week to week (the scenario's funnel and flows)."""

    weekly_arrivals: float  # clients who want a volunteer, per week, after the intake funnel
    initial_waiting: int  # clients already waiting in week 0
    volunteers: int  # volunteers at the start
    mean_match_weeks: float  # a match that runs its course lasts this long on average
    early_end_share: float  # share of matches that end early
    early_end_mean_weeks: float
    decline_share: float  # share of introductions declined by one side
    weekly_volunteer_churn: float  # chance a volunteer stops in any week
    weekly_recruits: float  # new volunteers per week


@dataclass(frozen=True)
class World:
    start: dt.date
    weeks: int
    seed: int
    decline_share: float
    clients: tuple[Client, ...]  # every client of the year, ids unique
    arrival_week: IntArray
    duration_weeks: IntArray  # how long this client's match lasts, whoever the volunteer
    volunteers: tuple[Volunteer, ...]  # active_clients = pre-existing matches at week 0
    join_week: IntArray
    leave_week: IntArray  # the week a volunteer stops (weeks = never within the horizon)
    # Pre-existing matches end one by one: per volunteer, the weeks they end.
    initial_load_ends: tuple[tuple[int, ...], ...]

    def date_of(self, week: int) -> dt.date:
        return self.start + dt.timedelta(weeks=week)

    def declines(self, client_id: str, volunteer_id: str) -> bool:
        """Would this introduction be declined? Fixed per pair, whatever the policy."""
        digest = hashlib.blake2b(
            f"{self.seed}\0{client_id}\0{volunteer_id}".encode(), digest_size=8
        ).digest()
        return int.from_bytes(digest, "big") / 2**64 < self.decline_share

    def initial_load(self, volunteer: int, week: int) -> int:
        return sum(end > week for end in self.initial_load_ends[volunteer])


def _durations(rng: np.random.Generator, n: int, dynamics: Dynamics) -> IntArray:
    early = rng.random(n) < dynamics.early_end_share
    full = rng.gamma(4.0, dynamics.mean_match_weeks / 4.0, size=n)
    short = rng.exponential(dynamics.early_end_mean_weeks, size=n)
    return np.maximum(1, np.rint(np.where(early, short, full))).astype(np.int64)


def build_world(
    dynamics: Dynamics,
    sample_people: PeopleSampler,
    *,
    weeks: int,
    seed: int,
    start: dt.date,
) -> World:
    """Draw one year: arrivals (Poisson per week), durations, churn and recruits."""
    rng = np.random.default_rng(seed)
    arrivals = rng.poisson(dynamics.weekly_arrivals, size=weeks)
    arrival_week = np.r_[
        np.zeros(dynamics.initial_waiting, np.int64), np.repeat(np.arange(weeks), arrivals)
    ].astype(np.int64)
    recruits = rng.poisson(dynamics.weekly_recruits, size=weeks)
    join_week = np.r_[
        np.zeros(dynamics.volunteers, np.int64), np.repeat(np.arange(weeks), recruits)
    ].astype(np.int64)
    people_seed = int(rng.integers(2**31))
    clients, volunteers = sample_people(len(arrival_week), len(join_week), people_seed)

    # Clients already waiting at the start have waited a while; the others from arrival.
    waited_before = rng.integers(0, 13, size=dynamics.initial_waiting)
    client_rows = []
    for i, client in enumerate(clients):
        week = int(arrival_week[i])
        since = start + dt.timedelta(weeks=week)
        if i < dynamics.initial_waiting:
            since -= dt.timedelta(weeks=int(waited_before[i]))
        client_rows.append(
            client.model_copy(
                update={"client_id": f"S{i:05d}", "waiting_since": since, "excluded_volunteers": ()}
            )
        )
    churn = rng.geometric(max(dynamics.weekly_volunteer_churn, 1e-9), size=len(volunteers))
    leave_week = np.minimum(join_week + churn, weeks).astype(np.int64)
    volunteer_rows, load_ends = [], []
    for j, volunteer in enumerate(volunteers):
        joined_now = j >= dynamics.volunteers
        active = 0 if joined_now else volunteer.active_clients
        load_ends.append(tuple(int(w) for w in rng.integers(1, 26, size=active)))
        volunteer_rows.append(
            volunteer.model_copy(update={"volunteer_id": f"W{j:04d}", "active_clients": active})
        )
    return World(
        start=start,
        weeks=weeks,
        seed=seed,
        decline_share=dynamics.decline_share,
        clients=tuple(client_rows),
        arrival_week=arrival_week,
        duration_weeks=_durations(rng, len(clients), dynamics),
        volunteers=tuple(volunteer_rows),
        join_week=join_week,
        leave_week=leave_week,
        initial_load_ends=tuple(load_ends),
    )
