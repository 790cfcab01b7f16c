"""One simulated year of a programme, drawn before any policy runs (common random numbers).

Everything random is fixed here, per run: who arrives when, how long each match would last,
which volunteers stop or join, and which introductions would be declined. Every policy then
meets exactly the same world, so differences between policies are the policies' own.

Each kind of draw has its own random stream, and people are drawn in fixed blocks, so a world
with five more volunteers has the same clients, arrivals and first volunteers as without them:
a planner's neighbouring cells differ by the change, not by luck.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from matcher.arrays import IntArray
from matcher.lifecycle import DEFAULT_CHECKIN_WEEKS
from matcher.models import Client, Volunteer

# People are drawn this many at a time, each block with its own seed (see the module's doc).
PEOPLE_BLOCK = 16
# Ongoing matches at week 0 are a sample of this many drawn match lengths, length-biased.
ONGOING_SAMPLE = 4096
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
    max_match_weeks: int | None = None  # a match ends at this length at the latest (a cap)
    # Outreach before the waiting list: approached per week, then the shares reached, given an
    # intake, and wanting a volunteer. Without it, arrivals are Poisson(weekly_arrivals).
    funnel: Funnel | None = None
    # At each check-in moment (weeks into a match) this share of the matches still running
    # ends there: the evaluation is where a pair that does not work says so.
    checkin_weeks: tuple[int, ...] = DEFAULT_CHECKIN_WEEKS
    checkin_dropout: float = 0.0
    # Volunteers added as they are, from week 0 (a planner's "one more such volunteer"): after
    # the drawn ones, with their own churn stream, so the rest of the world stays the same.
    extra_volunteers: tuple[Volunteer, ...] = ()


@dataclass(frozen=True)
class Funnel:
    approached_per_week: float
    reached: float
    intake: float
    wants_volunteer: float


# The funnel's stages as a run counts them; the last is the clients who join the waiting list.
FUNNEL_STAGES = ("approached", "reached", "intake", "arrivals")
# How a match's drawn length ends it (World.end_kind): it ran its course, it ended early, at a
# check-in, or at the programme's cap.
END_KINDS = ("completed", "early", "checkin", "cap")
COMPLETED, EARLY_END, CHECKIN_END, CAP_END = range(len(END_KINDS))


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
    # Over the horizon: approached, reached, intake, arrivals (people who came to wait);
    # NaN for stages a scenario without a funnel does not model.
    funnel_counts: dict[str, float]
    # The same per week (empty for a world without a funnel): who was approached in week w.
    funnel_weekly: dict[str, IntArray]
    # Why each client's match (whenever it starts) ends when it does: an index of END_KINDS.
    end_kind: IntArray
    # The check-in moments of a match, in weeks from its start (the dynamics').
    checkin_weeks: tuple[int, ...] = DEFAULT_CHECKIN_WEEKS

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


def _stream(*parts: int) -> np.random.Generator:
    return np.random.default_rng(list(parts))


# One stream per kind of draw (see the module's doc); the numbers only need to differ.
ARRIVALS, RECRUITS, WAITED, CLIENTS, VOLUNTEERS, CHURN, LENGTHS, ONGOING, EXTRA = range(9)
EARLY, FULL, SHORT, CHECKINS = range(4)


def _durations(stream: tuple[int, ...], n: int, dynamics: Dynamics) -> tuple[IntArray, IntArray]:
    """Match lengths and how each ends (END_KINDS); drawn per match so that more clients keep
    the first ones'. A check-in drop-out can only end a match at a check-in before its drawn
    end; the cap then shortens whatever is longer than it."""
    early = _stream(*stream, EARLY).random(n) < dynamics.early_end_share
    full = _stream(*stream, FULL).gamma(4.0, dynamics.mean_match_weeks / 4.0, size=n)
    short = _stream(*stream, SHORT).exponential(dynamics.early_end_mean_weeks, size=n)
    weeks = np.maximum(1, np.rint(np.where(early, short, full))).astype(np.int64)
    kind = np.where(early, EARLY_END, COMPLETED).astype(np.int64)
    if dynamics.checkin_dropout > 0 and dynamics.checkin_weeks:
        # Drawn only when modelled, so worlds without it keep every other draw.
        moments = np.asarray(dynamics.checkin_weeks, dtype=np.int64)
        drops = _stream(*stream, CHECKINS).random((n, len(moments))) < dynamics.checkin_dropout
        drops &= moments[None, :] < weeks[:, None]
        first = np.argmax(drops, axis=1)
        dropped = drops.any(axis=1)
        weeks = np.where(dropped, moments[first], weeks)
        kind = np.where(dropped, CHECKIN_END, kind)
    if dynamics.max_match_weeks is not None:
        kind = np.where(weeks > dynamics.max_match_weeks, CAP_END, kind)
        weeks = np.minimum(weeks, dynamics.max_match_weeks)
    return weeks, kind


def _ongoing_ends(seed: int, loads: list[int], dynamics: Dynamics) -> list[tuple[int, ...]]:
    """When the matches running at week 0 end: the rest of a match caught in mid-course.

    A programme that has run for years holds matches of every age; one running today is
    more likely a long one (length-biased) and is somewhere uniform along its length. With a
    cap, every length is capped: the cap has been in force (the steady state it leads to).
    """
    lengths = _durations((seed, ONGOING, LENGTHS), ONGOING_SAMPLE, dynamics)[0].astype(float)
    total = sum(loads)
    which = _stream(seed, ONGOING, 0).choice(len(lengths), size=total, p=lengths / lengths.sum())
    along = _stream(seed, ONGOING, 1).random(total)
    rest = np.maximum(1, np.ceil(lengths[which] * along)).astype(np.int64).tolist()
    ends, k = [], 0
    for load in loads:
        ends.append(tuple(rest[k : k + load]))
        k += load
    return ends


def _arrivals(seed: int, weeks: int, dynamics: Dynamics) -> tuple[IntArray, dict[str, IntArray]]:
    """New clients per week, and the funnel's stages per week (none without a funnel):
    through the outreach funnel's stages, or Poisson at the rate."""
    rng = _stream(seed, ARRIVALS)
    funnel = dynamics.funnel
    if funnel is None:
        return rng.poisson(dynamics.weekly_arrivals, size=weeks).astype(np.int64), {}
    approached = rng.poisson(funnel.approached_per_week, size=weeks)
    reached = rng.binomial(approached, funnel.reached)
    intake = rng.binomial(reached, funnel.intake)
    arrivals = rng.binomial(intake, funnel.wants_volunteer).astype(np.int64)
    stages = (approached, reached, intake, arrivals)
    return arrivals, {k: v.astype(np.int64) for k, v in zip(FUNNEL_STAGES, stages, strict=True)}


def _funnel_counts(arrivals: IntArray, weekly: dict[str, IntArray]) -> dict[str, float]:
    # Stages before the waiting list that a world does not model are not zero but unknown.
    counts = {k: float(weekly[k].sum()) if weekly else float("nan") for k in FUNNEL_STAGES}
    return counts | {"arrivals": float(arrivals.sum())}


def _blocks(n: int, seed: int, kind: int) -> list[tuple[int, int]]:
    """(seed, how many to keep) of each block of PEOPLE_BLOCK people that n people need."""
    return [
        (int(_stream(seed, kind, block).integers(2**31)), min(PEOPLE_BLOCK, n - start))
        for block, start in enumerate(range(0, n, PEOPLE_BLOCK))
    ]


def _clients(sample_people: PeopleSampler, n: int, seed: int) -> list[Client]:
    blocks = _blocks(n, seed, CLIENTS)
    return [c for s, keep in blocks for c in sample_people(PEOPLE_BLOCK, 0, s)[0][:keep]]


def _volunteers(sample_people: PeopleSampler, n: int, seed: int) -> list[Volunteer]:
    blocks = _blocks(n, seed, VOLUNTEERS)
    return [v for s, keep in blocks for v in sample_people(0, PEOPLE_BLOCK, s)[1][:keep]]


def build_world(
    dynamics: Dynamics,
    sample_people: PeopleSampler,
    *,
    weeks: int,
    seed: int,
    start: dt.date,
) -> World:
    """Draw one horizon: arrivals (through the funnel), people, match lengths, churn, recruits."""
    arrivals, funnel_weekly = _arrivals(seed, weeks, dynamics)
    arrival_week = np.r_[
        np.zeros(dynamics.initial_waiting, np.int64), np.repeat(np.arange(weeks), arrivals)
    ].astype(np.int64)
    recruits = _stream(seed, RECRUITS).poisson(dynamics.weekly_recruits, size=weeks)
    join_week = np.r_[
        np.zeros(dynamics.volunteers, np.int64), np.repeat(np.arange(weeks), recruits)
    ].astype(np.int64)
    clients = _clients(sample_people, len(arrival_week), seed)
    volunteers = _volunteers(sample_people, len(join_week), seed)

    # Clients already waiting at the start have waited a while; the others from arrival.
    waited_before = _stream(seed, WAITED).integers(0, 13, size=dynamics.initial_waiting)
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
    chance = max(dynamics.weekly_volunteer_churn, 1e-9)
    churn = _stream(seed, CHURN).geometric(chance, size=len(volunteers))
    leave_week = np.minimum(join_week + churn, weeks).astype(np.int64)
    if dynamics.extra_volunteers:
        extra = len(dynamics.extra_volunteers)
        stays = _stream(seed, CHURN, EXTRA).geometric(chance, size=extra)
        join_week = np.r_[join_week, np.zeros(extra, np.int64)]
        leave_week = np.r_[leave_week, np.minimum(stays, weeks)].astype(np.int64)
        volunteers = [*volunteers, *dynamics.extra_volunteers]
    volunteer_rows, loads = [], []
    for j, volunteer in enumerate(volunteers):
        # Recruits during the year and added volunteers start without clients.
        joined_now = j >= dynamics.volunteers
        active = 0 if joined_now else volunteer.active_clients
        loads.append(active)
        volunteer_rows.append(
            volunteer.model_copy(update={"volunteer_id": f"W{j:04d}", "active_clients": active})
        )
    durations, end_kind = _durations((seed, LENGTHS), len(clients), dynamics)
    return World(
        start=start,
        weeks=weeks,
        seed=seed,
        decline_share=dynamics.decline_share,
        clients=tuple(client_rows),
        arrival_week=arrival_week,
        duration_weeks=durations,
        volunteers=tuple(volunteer_rows),
        join_week=join_week,
        leave_week=leave_week,
        initial_load_ends=tuple(_ongoing_ends(seed, loads, dynamics)),
        funnel_counts=_funnel_counts(arrivals, funnel_weekly),
        funnel_weekly=funnel_weekly,
        end_kind=end_kind,
        checkin_weeks=dynamics.checkin_weeks,
    )
