"""A scenario from the library as the simulator's world model: its flows and its people."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence

from matcher.errors import ConfigError, Problem
from matcher.models import Client, Volunteer
from matcher.policies import POLICY_NAMES
from matcher.scenarios import Scenario, generate
from matcher.simulate import START, SimulationResult, simulate
from matcher.simulate.run import Outcome, run_policy
from matcher.simulate.world import Dynamics, Funnel, PeopleSampler, World, build_world
from matcher.suggest import unknown_word_message

WEEKS_PER_YEAR = 52


def dynamics_of(scenario: Scenario) -> Dynamics:
    """The scenario's funnel and flows, per week.

    The round's waiting list starts the year; volunteers who stop are replaced at the same
    rate on average (a programme that keeps recruiting); an early end comes after about a
    quarter of a full match; a cap shortens every match longer than it; with a funnel and no
    given weekly arrivals, each week's approached people pass its stages by chance; at each
    check-in moment of the programme's course a share of the running matches may end.
    """
    flows = scenario.dynamics
    stages = scenario.funnel
    # Outreach is drawn stage by stage only where it is what sets the arrivals.
    funnel = (
        Funnel(stages.approached_per_week, stages.reached, stages.intake, stages.wants_volunteer)
        if stages.approached_per_week is not None and scenario.clients.weekly_arrivals is None
        else None
    )
    churn = 1 - (1 - flows.volunteer_churn_per_year) ** (1 / WEEKS_PER_YEAR)
    lifecycle = scenario.config.lifecycle
    # One programme: its own course; several: the course every programme has by default.
    checkins = (
        lifecycle.course(scenario.programmes[0].name).checkin_weeks
        if len(scenario.programmes) == 1
        else lifecycle.checkin_weeks
    )
    return Dynamics(
        weekly_arrivals=scenario.weekly_arrivals or 0.0,
        initial_waiting=scenario.clients.count,
        volunteers=scenario.volunteers.count,
        mean_match_weeks=flows.match_weeks,
        early_end_share=flows.ends_early,
        early_end_mean_weeks=max(1.0, flows.match_weeks / 4),
        decline_share=flows.introductions_declined,
        weekly_volunteer_churn=churn,
        weekly_recruits=scenario.volunteers.count * churn,
        max_match_weeks=flows.max_match_weeks,
        funnel=funnel,
        checkin_weeks=checkins,
        checkin_dropout=flows.checkin_dropout,
    )


def _sample(
    scenario: Scenario, n_clients: int, n_volunteers: int, seed: int
) -> tuple[list[Client], list[Volunteer]]:
    return generate(scenario.resized(clients=n_clients, volunteers=n_volunteers), seed)


def sampler_of(scenario: Scenario) -> PeopleSampler:
    """People of the scenario in any number; a partial, so worker processes can take it."""
    return functools.partial(_sample, scenario)


def chosen_policies(policies: Sequence[str]) -> tuple[str, ...]:
    """The policies to compare, every one when none is named; an unknown name is a
    ConfigError with the closest known one."""
    chosen = tuple(policies) or POLICY_NAMES
    unknown = [p for p in chosen if p not in POLICY_NAMES]
    if unknown:
        raise ConfigError(
            [Problem("--policy", None, None, unknown_word_message("policy", p, POLICY_NAMES))
             for p in unknown]
        )  # fmt: skip
    return chosen


def simulate_scenario(
    scenario: Scenario,
    policies: Sequence[str] = (),
    *,
    weeks: int = 52,
    runs: int = 20,
    seed: int = 0,
    workers: int = 1,
    weekly_discount: float = 0.97,
    progress: Callable[[int], object] | None = None,
    hindsight: bool = True,
) -> SimulationResult:
    """`policies` (default: every one) compared on the scenario's programme over simulated
    weeks (see `chosen_policies`)."""
    chosen = list(chosen_policies(policies))
    return simulate(
        dynamics_of(scenario), sampler_of(scenario), chosen, weeks=weeks, runs=runs, seed=seed,
        workers=workers, config=scenario.config, weekly_discount=weekly_discount,
        progress=progress, hindsight=hindsight,
    )  # fmt: skip


def simulated_year(
    scenario: Scenario,
    *,
    weeks: int,
    seed: int,
    start: dt.date | None = None,
    policy: str | None = None,
    weekly_discount: float = 0.97,
) -> tuple[World, Outcome]:
    """One world of the scenario from `start` (default: simulate's START; its people drawn
    with `seed`) and one policy's run of it (default: the scenario config's policy): what
    `matcher scenario replay` writes into a ledger (matcher.simulate.replay)."""
    (chosen,) = chosen_policies([policy or scenario.config.policy])
    world = build_world(
        dynamics_of(scenario), sampler_of(scenario), weeks=weeks, seed=seed, start=start or START
    )
    return world, run_policy(world, chosen, scenario.config, weekly_discount=weekly_discount)
