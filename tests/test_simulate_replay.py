"""A simulated year of *De draad weer oppakken* written into a ledger through the Ledger's own
methods (matcher.simulate.replay), and `matcher evaluate --format json` on it: the ledger
must state exactly what the simulator counted — the funnel, the matches started, ended (by
reason) and still running, who still waits, the check-ins — and the ledger must be sound."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from matcher import scenarios
from matcher.cli import main
from matcher.rounds import Ledger
from matcher.scenarios import Scenario
from matcher.simulate.replay import ledger_steps, replay
from matcher.simulate.run import Outcome, run_policy
from matcher.simulate.scenario import dynamics_of, sampler_of
from matcher.simulate.world import CAP_END, CHECKIN_END, EARLY_END, Dynamics, World, build_world
from tests.ledger_checks import check_ledger

SCENARIO = "draad-weer-oppakken"
WEEKS = 52
START = dt.date(2026, 1, 5)
REASON = {EARLY_END: "client-stopped", CHECKIN_END: "client-stopped", CAP_END: "completed"}


def variant(**dynamics: Any) -> Scenario:
    scenario = scenarios.load(SCENARIO)
    raw = scenario.model_dump(mode="json", exclude_unset=True)
    raw["dynamics"] = raw.get("dynamics", {}) | dynamics
    return scenarios.scenario_from_dict(raw)


def simulated(scenario: Scenario, seed: int) -> tuple[Dynamics, World, Outcome]:
    dynamics = dynamics_of(scenario)
    world = build_world(dynamics, sampler_of(scenario), weeks=WEEKS, seed=seed, start=START)
    outcome = run_policy(world, "optimal", scenario.config, weekly_discount=0.97)
    return dynamics, world, outcome


def replayed(scenario: Scenario, seed: int, folder: Path) -> tuple[dict[str, Any], Any]:
    dynamics, world, outcome = simulated(scenario, seed)
    db = folder / "draad.db"
    with Ledger.create(db) as ledger:
        done = replay(world, outcome, ledger, config=scenario.config)
    result = CliRunner().invoke(
        main,
        ["evaluate", "--from", done.first_day.isoformat(), "--to", done.last_day.isoformat(),
         "--format", "json", "--db", str(db)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    check_ledger(db)
    return json.loads(result.stdout), (dynamics, world, outcome)


def ends(world: World, outcome: Outcome) -> tuple[Counter[str], int]:
    """The simulator's matches that ended within the horizon, by reason; and the volunteers
    who stopped with a client."""
    reasons: Counter[str] = Counter()
    stopped = set()
    for week, i, j in outcome.started:
        own, leaves = week + int(world.duration_weeks[i]), int(world.leave_week[j])
        if min(own, leaves) >= world.weeks:
            continue
        if leaves < own:
            reasons["volunteer-stopped"] += 1
            stopped.add(j)
        else:
            reasons[REASON.get(int(world.end_kind[i]), "completed")] += 1
    return reasons, len(stopped)


def check_against_the_simulator(found: dict[str, Any], world: World, outcome: Outcome) -> None:
    counts = world.funnel_counts
    from_funnel = len(world.clients) - int(counts["arrivals"])
    assert found["funnel"] == {
        "approached": counts["approached"],
        "reached": counts["reached"],
        "appointment": counts["intake"],
        "intake": counts["arrivals"],
        "coupled": sum(i >= from_funnel for i in outcome.matched_week),
    }
    last = outcome.trace[-1]
    reasons, stopped = ends(world, outcome)
    assert found["matches"]["started"] == len(outcome.matched_week) == len(outcome.started)
    assert found["matches"]["active_at_end"] == last["active_matches"]
    assert found["matches"]["ended"] == dict(sorted(reasons.items()))
    assert found["waiting"]["still_waiting_at_end"] == last["waiting"]
    assert found["introductions"]["introduced"] == found["introductions"]["confirmed"]
    assert found["introductions"]["introduced"] == len(outcome.started)
    assert found["volunteers"]["in_ledger"] == len(world.volunteers)
    assert found["volunteers"]["stopped"] == stopped
    waits = [
        (world.date_of(week) - world.clients[i].waiting_since).days / 7  # type: ignore[operator]
        for week, i, _ in outcome.started
    ]
    assert found["waiting"]["median_weeks"] == round(statistics.median(waits), 2)


def test_a_year_of_draad_weer_oppakken_in_the_ledger_states_the_simulators_counts(
    fast_dir: Path,
) -> None:
    found, (_, world, outcome) = replayed(scenarios.load(SCENARIO), 3, fast_dir)
    check_against_the_simulator(found, world, outcome)
    # A year of a real programme: people approached, matches made, ended and declined.
    assert found["funnel"]["approached"] > 50 and found["funnel"]["coupled"] > 5
    assert outcome.declines and sum(found["matches"]["ended"].values()) > 5
    assert found["checkins"] == {"going-well": found["checkins"]["going-well"]}


def test_check_in_drop_outs_and_the_cap_reach_the_ledger(fast_dir: Path) -> None:
    scenario = variant(checkin_dropout=0.3, max_match_weeks=20)
    found, (dynamics, world, outcome) = replayed(scenario, 5, fast_dir)
    check_against_the_simulator(found, world, outcome)
    assert dynamics.checkin_weeks == (6, 26, 52)
    dropped = sum(
        int(world.end_kind[i]) == CHECKIN_END
        and week + int(world.duration_weeks[i]) < min(int(world.leave_week[j]) + 1, WEEKS)
        for week, i, j in outcome.started
    )
    assert dropped > 0
    assert found["checkins"]["end"] == dropped
    # Nothing runs past the cap.
    assert max(world.duration_weeks) <= 20


def test_the_steps_are_dated_and_in_order() -> None:
    _, world, outcome = simulated(scenarios.load(SCENARIO), 3)
    steps = ledger_steps(world, outcome)
    assert [s.order for s in steps] == sorted(s.order for s in steps)
    assert steps == ledger_steps(world, outcome)
    propose = [s.on for s in steps if s.method == "propose"]
    assert len(propose) == len(set(propose))  # one round a week at most


def test_a_year_in_hours_fits_the_ledgers_own_hours(fast_dir: Path) -> None:
    # The ledger checks every pin and acceptance against the volunteer's free hours: a
    # simulator that counted places would be refused here.
    raw = scenarios.load(SCENARIO).model_dump(mode="json", exclude_unset=True)
    raw["clients"] |= {"hours_per_week": {"1": 0.4, "2": 0.6}}
    raw["volunteers"] |= {"hours_per_week": {"2": 0.5, "3": 0.5}}
    found, (_, world, outcome) = replayed(scenarios.scenario_from_dict(raw), 3, fast_dir)
    check_against_the_simulator(found, world, outcome)
    assert {world.clients[i].hours_per_week for _, i, _ in outcome.started} == {1.0, 2.0}


def test_the_readme_example_runs_and_reads_as_the_readme_says(
    fast_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### A simulated year as a ledger") :]
    start = section.index("```python\n") + len("```python\n")
    monkeypatch.chdir(fast_dir)
    exec(compile(section[start : section.index("```", start)], "README.md", "exec"), {})
    check_ledger(fast_dir / "draad.db")
    result = CliRunner().invoke(
        main, ["evaluate", "--from", "2025-12-29", "--to", "2026-12-21", "--db", "draad.db"]
    )
    assert result.exit_code == 0, result.output
    shown = section[section.index("```text\n") + len("```text\n") :]
    for line in shown[: shown.index("```")].splitlines():
        assert line in result.stdout.splitlines()


def test_the_ledger_has_every_method_a_replay_calls_with_those_parameters() -> None:
    # The simulator may not import the ledger (layers), so the Protocol is checked here.
    import inspect

    from matcher.simulate.replay import LedgerSteps

    called = {step.method for step in ledger_steps(*simulated(scenarios.load(SCENARIO), 3)[1:])}
    protocol = {
        name for name, _ in inspect.getmembers(LedgerSteps, inspect.isfunction)
        if not name.startswith("_")
    }  # fmt: skip
    assert called <= protocol
    for name in protocol:
        wanted = inspect.signature(getattr(LedgerSteps, name)).parameters
        have = inspect.signature(getattr(Ledger, name)).parameters
        assert set(wanted) <= set(have), name
        for parameter in wanted.values():
            assert have[parameter.name].kind == parameter.kind, (name, parameter.name)
