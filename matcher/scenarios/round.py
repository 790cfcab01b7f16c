"""`matcher scenario run`: a round of a scenario generated in memory, matched and explained."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from matcher.engine import Prepared, prepare, solve
from matcher.result import MatchResult
from matcher.scenarios.generate import generate
from matcher.scenarios.spec import Scenario


@dataclass(frozen=True)
class ScenarioRound:
    seed: int
    prepared: Prepared
    result: MatchResult
    generated_s: float


def run_scenario_round(
    scenario: Scenario,
    seed: int | None = None,
    *,
    round_date: dt.date | None = None,
    policy: str | None = None,
    explained: int | None = None,
) -> ScenarioRound:
    """Draw the scenario's people (its own seed and round date unless given), then match."""
    when = round_date or scenario.round_date
    started = time.perf_counter()
    clients, volunteers = generate(scenario, seed, round_date=when)
    generated_s = time.perf_counter() - started
    prepared = prepare(clients, volunteers, scenario.config, when)
    result = solve(prepared, policy)
    used = scenario.seed if seed is None else seed
    return ScenarioRound(used, prepared, result, generated_s)
