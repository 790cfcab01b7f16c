"""A scenario from the library as the simulator's world model: its flows and its people."""

from __future__ import annotations

import functools

from matcher.models import Client, Volunteer
from matcher.scenarios import Scenario, generate
from matcher.simulate.world import Dynamics, Funnel, PeopleSampler

WEEKS_PER_YEAR = 52


def dynamics_of(scenario: Scenario) -> Dynamics:
    """The scenario's funnel and flows, per week.

    The round's waiting list starts the year; volunteers who stop are replaced at the same
    rate on average (a programme that keeps recruiting); an early end comes after about a
    quarter of a full match; a cap shortens every match longer than it; with a funnel and no
    given weekly arrivals, each week's approached people pass its stages by chance.
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
    )


def _sample(
    scenario: Scenario, n_clients: int, n_volunteers: int, seed: int
) -> tuple[list[Client], list[Volunteer]]:
    return generate(scenario.resized(clients=n_clients, volunteers=n_volunteers), seed)


def sampler_of(scenario: Scenario) -> PeopleSampler:
    """People of the scenario in any number; a partial, so worker processes can take it."""
    return functools.partial(_sample, scenario)
