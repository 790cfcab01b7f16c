"""`matcher plan --recruit`: the round's suggestions as cells, ranked by what one more does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher import scenarios
from matcher.cli import main
from matcher.plan.recruit import Candidate, rank, recruit_cells, suggested
from matcher.plan.sweep import plan
from matcher.plan.vary import cells, parse_varies
from matcher.scenarios import Scenario

METRIC = "high_risk_within_4_weeks"


def without_grief_training() -> Scenario:
    """seniorencoach with no grief-trained volunteer: its high-risk clients wait for one."""
    source, data = scenarios.scenario_data("seniorencoach")
    scenario = scenarios.scenario_from_dict(data, source=source)
    varies = parse_varies(["volunteers.training.grief=0"])
    return cells(data, scenario, varies)[0].scenario


def candidates(scenario: Scenario) -> list[Candidate]:
    first = suggested(scenario, top=3).candidates[0]
    grief = first.volunteer.model_copy(update={"training": ("basic", "grief")})
    basic = first.volunteer.model_copy(update={"training": ("basic",)})
    elsewhere = first.volunteer.model_copy(update={"programmes": ("another-programme",)})
    return [
        Candidate("nobody can meet", elsewhere, 0),
        Candidate("basic", basic, first.reaches),
        Candidate("grief-trained", grief, first.reaches),
    ]


def ranking(scenario: Scenario, chosen: list[Candidate], **options: object) -> list:  # type: ignore[type-arg]
    vary, grid = recruit_cells(scenario, chosen)
    result = plan(scenario, [vary], grid, ["optimal"], runs=6, weeks=52, seed=0, **options)  # type: ignore[arg-type]
    return rank(result, result.summary(), chosen, METRIC, "optimal")


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return without_grief_training()


@pytest.fixture(scope="module")
def ranked(scenario: Scenario) -> list:  # type: ignore[type-arg]
    return ranking(scenario, candidates(scenario))


def test_the_volunteer_the_bottleneck_needs_ranks_first(ranked: list) -> None:  # type: ignore[type-arg]
    assert ranked[0].candidate.label == "grief-trained"
    assert ranked[0].improvement["mean"] > 0


def test_a_volunteer_nobody_can_meet_changes_nothing_and_ranks_last(ranked: list) -> None:  # type: ignore[type-arg]
    last = ranked[-1]
    assert last.candidate.label == "nobody can meet"
    # The same worlds plus a volunteer with no allowed pair: every run exactly as before.
    assert last.improvement["mean"] == last.improvement["low"] == last.improvement["high"] == 0
    # Without grief training nobody else serves the high-risk clients either.
    basic = next(r for r in ranked if r.candidate.label == "basic")
    assert basic.improvement["mean"] == 0


def test_the_ranking_is_the_same_with_any_number_of_workers(
    scenario: Scenario,
    ranked: list,  # type: ignore[type-arg]
) -> None:
    again = ranking(scenario, candidates(scenario), workers=2)
    assert [(r.candidate.label, r.improvement, r.value) for r in again] == [
        (r.candidate.label, r.improvement, r.value) for r in ranked
    ]


def test_the_command_prints_and_writes_the_ranking(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["plan", "zwolle-partnerverlies", "--recruit", "--top", "2", "--runs", "2",
            "--weeks", "8", "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Which profile to recruit" in result.output
    data = json.loads((out / "plan.json").read_text())
    ranking_ = data["recruit"]
    assert ranking_["metric"] == METRIC
    assert [r["rank"] for r in ranking_["ranking"]] == list(range(1, len(ranking_["ranking"]) + 1))
    assert data["vary"][0]["key"] == "recruit"
    assert len(data["cells"]) == len(ranking_["ranking"]) + 1


def test_recruit_and_vary_do_not_mix() -> None:
    args = ["plan", "zwolle-partnerverlies", "--recruit", "--vary", "volunteers.count=4,8"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "leave out --vary" in result.output
