"""The policy registry drives every list of policies, and a caller's own policy works."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import matcher
from matcher.cli import main
from matcher.config import config_from_dict
from matcher.engine import prepare, solve
from matcher.errors import ConfigError
from matcher.explain import explain_client
from matcher.policies import (
    POLICY_NAMES,
    REGISTRY,
    Assignment,
    AssignmentProblem,
    MatchPolicy,
    PolicyContext,
    PolicyName,
    get_policy,
    policy_table,
)
from matcher.solvers.status import SolveStatus

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = str(ROOT / "examples" / "clients.csv")
VOLUNTEERS = str(ROOT / "examples" / "volunteers.csv")
ROUND_DATE = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo() -> tuple[list[matcher.Client], list[matcher.Volunteer]]:
    return matcher.read_clients(CLIENTS), matcher.read_volunteers(VOLUNTEERS)


def test_the_literal_names_are_the_registry() -> None:
    assert PolicyName.__args__ == POLICY_NAMES  # type: ignore[attr-defined]
    assert tuple(p.name for p in REGISTRY) == POLICY_NAMES
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", name) for name in POLICY_NAMES)


@pytest.mark.parametrize(
    "command", [["match"], ["simulate"], ["scenario", "run"], ["round", "propose"]]
)
def test_every_policy_option_lists_every_registered_policy(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    choices = re.search(r"--policy \[([a-z|-]+)\]", result.output)
    assert choices is not None, result.output
    assert tuple(choices.group(1).split("|")) == POLICY_NAMES
    assert "reserve" in choices.group(1)


def test_policies_command_lists_the_registry() -> None:
    text = CliRunner().invoke(main, ["policies"])
    assert text.exit_code == 0
    rows = text.output.splitlines()[1 : 1 + len(REGISTRY)]
    assert [row.split()[0] for row in rows] == list(POLICY_NAMES)
    assert [row.split()[1:3] for row in rows] == [
        ["yes" if p.exact else "no", "yes" if p.exact_in_hours else "no"] for p in REGISTRY
    ]
    as_json = json.loads(CliRunner().invoke(main, ["policies", "--format", "json"]).output)
    assert as_json == [
        {
            "name": p.name,
            "exact": p.exact,
            "description": p.description,
            "exact_in_hours": p.exact_in_hours,
            "in_hours": p.in_hours,
        }
        for p in REGISTRY
    ]


def test_readme_table_is_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- policies:begin -->\n")[1].split("\n<!-- policies:end -->")[0]
    assert table == policy_table()


def test_config_accepts_exactly_the_registered_names() -> None:
    for name in POLICY_NAMES:
        assert config_from_dict({"policy": name}).policy == name
    with pytest.raises(ConfigError, match="did you mean 'reserve'"):
        config_from_dict({"policy": "reserv"})


def test_exact_policies_say_optimal_and_the_others_do_not(
    demo: tuple[list[matcher.Client], list[matcher.Volunteer]],
) -> None:
    prepared = prepare(*demo, round_date=ROUND_DATE)
    for policy in REGISTRY:
        status = solve(prepared, policy.name).status
        assert (status == SolveStatus.OPTIMAL) == policy.exact, policy.name


def _nobody(problem: AssignmentProblem, context: PolicyContext) -> Assignment:
    return Assignment(np.zeros(len(problem.edge_client), dtype=bool), SolveStatus.FEASIBLE, 0.0)


def test_a_callers_own_policy_object(
    demo: tuple[list[matcher.Client], list[matcher.Volunteer]],
) -> None:
    seen: list[PolicyContext] = []

    def fifo(problem: AssignmentProblem, context: PolicyContext) -> Assignment:
        seen.append(context)
        return get_policy("fifo-greedy", context.config)(problem)

    mine = matcher.MatchPolicy("first-come", "fifo under another name", exact=False, solve=fifo)
    result = matcher.match(*demo, {"policy": "greedy"}, round_date=ROUND_DATE, policy=mine)
    baseline = matcher.match(*demo, round_date=ROUND_DATE, policy="fifo-greedy")
    assert result.policy == "first-come"
    assert seen and seen[0].config.policy == "greedy"
    assert [(m.client_id, m.volunteer_id) for m in result.matches] == [
        (m.client_id, m.volunteer_id) for m in baseline.matches
    ]

    empty = matcher.match(
        *demo, round_date=ROUND_DATE, policy=MatchPolicy("none", "", False, _nobody)
    )
    assert empty.matches == ()
    assert len(empty.unmatched) == len(demo[0])


def test_explain_what_if_re_solves_with_the_rounds_own_policy(
    demo: tuple[list[matcher.Client], list[matcher.Volunteer]],
) -> None:
    calls: list[int] = []

    def counting(problem: AssignmentProblem, context: PolicyContext) -> Assignment:
        calls.append(int(problem.free_places.sum()))
        return get_policy("optimal", context.config)(problem)

    mine = MatchPolicy("counting", "optimal, counted", exact=True, solve=counting)
    prepared = prepare(*demo, round_date=ROUND_DATE)
    result = solve(prepared, mine)
    outcompeted = next(u for u in result.unmatched if u.reason == "outcompeted")
    before = len(calls)
    explanation = explain_client(prepared, result, outcompeted.client_id, policy=mine)
    places = int(prepared.free_places.sum())
    assert calls[:before] == [places]
    # every what-if went through the round's policy, with one place more
    assert len(calls) > before and set(calls[before:]) == {places + 1}
    assert explanation.options
    with pytest.raises(ConfigError, match="unknown policy 'counting'"):
        explain_client(prepared, result, outcompeted.client_id)
