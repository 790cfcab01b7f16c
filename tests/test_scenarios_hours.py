"""Scenarios that count capacity in hours: `hours_per_week` mixes for clients and volunteers,
validated, drawn, written, and used by the simulator's rounds."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from matcher import scenarios
from matcher.errors import InputError
from matcher.io import read_clients, read_volunteers
from matcher.models import Client, Volunteer
from matcher.scenarios import Scenario
from matcher.simulate.run import run_policy
from matcher.simulate.scenario import dynamics_of, sampler_of
from matcher.simulate.world import build_world

BASE = "draad-weer-oppakken"
CLIENT_HOURS = {"1": 0.5, "1.5": 0.3, "2": 0.2}
VOLUNTEER_HOURS = {"1": 0.25, "2": 0.25, "3.5": 0.5}


def with_keys(name: str = BASE, **tables: dict[str, Any]) -> Scenario:
    raw = scenarios.load(name).model_dump(mode="json", exclude_unset=True)
    for table, keys in tables.items():
        raw[table] = raw.get(table, {}) | keys
    return scenarios.scenario_from_dict(raw)


def in_hours(count: int = 400) -> Scenario:
    return with_keys(
        clients={"count": count, "hours_per_week": CLIENT_HOURS},
        volunteers={"count": count, "hours_per_week": VOLUNTEER_HOURS},
    )


@pytest.mark.parametrize(
    ("table", "mix", "message"),
    [
        ("clients", {"0": 1.0}, "hours '0' must be a number of hours from 0.25 to 40"),
        ("clients", {"1.1": 1.0}, "hours '1.1' must be a number of hours from 0.25 to 40"),
        ("volunteers", {"90": 1.0}, "hours '90' must be a number of hours from 0 to 80"),
        ("volunteers", {"two": 1.0}, "hours 'two' must be a number of hours from 0 to 80"),
        ("clients", {"1": 0.5, "2": 0.3}, "shares must add up to 1 (got 0.8)"),
        ("clients", {"1": 1.5}, "share of 1 hours must be between 0 and 1 (got 1.5)"),
    ],
)
def test_a_bad_hours_mix_is_a_clear_error(table: str, mix: dict[str, float], message: str) -> None:
    with pytest.raises(InputError) as caught:
        with_keys(**{table: {"hours_per_week": mix}})
    assert f"{table}.hours_per_week" in str(caught.value)
    assert message in str(caught.value)


def test_without_hours_nothing_changes() -> None:
    plain = scenarios.load(BASE)
    assert plain.clients.hours_per_week is None and plain.volunteers.hours_per_week is None
    clients, volunteers = scenarios.generate(plain, 1)
    assert all(c.hours_per_week is None for c in clients)
    assert all(v.hours_per_week is None and v.active_hours is None for v in volunteers)
    header = scenarios.generate_rows(plain, 1)[1][0]
    assert "hours_per_week" not in header and "active_hours" not in header


def test_hours_are_drawn_with_the_mix_and_written(tmp_path: Path) -> None:
    scenario = in_hours()
    drawn = scenarios.generate_round(scenario, 2)
    clients, volunteers = scenarios.generate(scenario, 2)
    # Quotas: each value's count is its share of the people, rounded.
    assert Counter(c.hours_per_week for c in clients) == {1.0: 200, 1.5: 120, 2.0: 80}
    assert Counter(v.hours_per_week for v in volunteers) == {1.0: 100, 2.0: 100, 3.5: 200}
    for v in volunteers:
        # Current clients take an hour each, within the hours given.
        assert v.active_hours == min(v.hours_per_week, v.active_clients)  # type: ignore[type-var]
    client_path, volunteer_path, _ = scenarios.write_round(drawn, tmp_path)
    assert read_clients(client_path) == clients
    assert read_volunteers(volunteer_path) == volunteers
    rows = scenarios.generate_rows(scenario, 2)
    assert [Client.model_validate(r) for r in rows[0]] == clients
    assert [Volunteer.model_validate(r) for r in rows[1]] == volunteers


def test_a_programme_without_hours_leaves_its_people_without() -> None:
    raw = scenarios.load("city-scale").model_dump(mode="json", exclude_unset=True)
    first = raw["programmes"][0]
    first["clients"] = first.get("clients", {}) | {"hours_per_week": {"2": 1.0}}
    scenario = scenarios.scenario_from_dict(raw).resized(clients=200, volunteers=50)
    clients, _ = scenarios.generate(scenario, 1)
    hours = {(c.programme.endswith(first["name"]), c.hours_per_week) for c in clients}
    assert hours == {(True, 2.0), (False, None)}


def test_the_simulators_rounds_count_hours() -> None:
    scenario = with_keys(
        clients={"count": 30, "hours_per_week": {"1": 0.5, "2": 0.5}},
        volunteers={"count": 10, "hours_per_week": {"2": 0.5, "3": 0.5}},
    )
    world = build_world(
        dynamics_of(scenario), sampler_of(scenario), weeks=26, seed=4, start=dt.date(2026, 1, 5)
    )
    outcome = run_policy(world, "optimal", scenario.config, weekly_discount=0.97)
    assert outcome.started
    # Replay the run: in no week does a volunteer carry more hours than it gives, and the
    # hours, not the places, are what stops it taking more.
    held_back_by_hours = 0
    for week in range(world.weeks):
        hours: Counter[int] = Counter()
        clients: Counter[int] = Counter()
        for start, i, j in outcome.started:
            if start <= week < min(start + int(world.duration_weeks[i]), int(world.leave_week[j])):
                hours[j] += world.clients[i].hours_needed
                clients[j] += 1
        for j, taken in hours.items():
            volunteer = world.volunteers[j]
            given = volunteer.hours_per_week
            assert given is not None
            assert taken + world.initial_load(j, week) <= given
            places_left = volunteer.capacity - clients[j] - world.initial_load(j, week)
            held_back_by_hours += given - taken < 1 and places_left > 0
    assert held_back_by_hours > 0


def test_show_states_the_hours_and_the_drop_out() -> None:
    from matcher.scenarios.show import describe

    scenario = with_keys(
        clients={"hours_per_week": {"1": 0.5, "1.5": 0.5}},
        volunteers={"hours_per_week": {"2": 1.0}},
        dynamics={"checkin_dropout": 0.1},
    )
    text = " ".join(describe(scenario).split())
    assert "a match takes 1 h 50%, 1.5 h 50% a week" in text
    assert "gives 2 h 100% a week" in text
    assert "10% of running matches end at each check-in" in text
    plain = describe(scenarios.load(BASE))
    assert " h " not in plain and "check-in" not in plain
