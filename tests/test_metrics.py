"""Simulation metrics over runs: undefined is not zero, and no interval leaves its range."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher import scenarios
from matcher.report.comparison import coverage_notes, interval_cell, render, summary_data
from matcher.simulate import Dynamics, simulate
from matcher.simulate.metrics import (
    SHARES,
    UPPER,
    pooled_share,
    student_t_mean,
    summarise,
    wilson,
)
from matcher.simulate.scenario import dynamics_of, sampler_of

CITY = sampler_of(scenarios.load("city-scale"))
TINY = Dynamics(
    weekly_arrivals=1.0,
    initial_waiting=4,
    volunteers=4,
    mean_match_weeks=8,
    early_end_share=0.2,
    early_end_mean_weeks=3,
    decline_share=0.1,
    weekly_volunteer_churn=0.0,
    weekly_recruits=0.0,
)


def calm_people(clients: int, volunteers: int, seed: int):  # type: ignore[no-untyped-def]
    """City-scale people without hindering factors: a programme with no high-risk client."""
    people, pool = CITY(clients, volunteers, seed)
    return [c.model_copy(update={"hindering_factors": ()}) for c in people], pool


def high_risk_run(successes: int, trials: int) -> dict[str, float]:
    share = 100.0 * successes / trials if trials else math.nan
    return {
        "high_risk_within_4_weeks": float(successes),
        "high_risk_clients": float(trials),
        "high_risk_within_4_weeks_pct": share,
        "wait_median_high": 2.0 if trials else math.nan,
    }


def test_a_run_without_high_risk_clients_does_not_lower_the_mean() -> None:
    with_clients = [high_risk_run(2, 3), high_risk_run(1, 1)]
    alone = summarise(with_clients)
    together = summarise([*with_clients, high_risk_run(0, 0)])
    assert together["high_risk_within_4_weeks_pct"] == alone["high_risk_within_4_weeks_pct"]
    assert together["high_risk_within_4_weeks_pct"]["mean"] == pytest.approx(75.0)
    assert together["high_risk_within_4_weeks_pct"]["runs"] == 2
    assert together["high_risk_within_4_weeks_pct"]["trials"] == 4
    assert together["wait_median_high"]["mean"] == 2.0
    assert together["wait_median_high"]["runs"] == 2


def test_a_metric_undefined_in_every_run_is_none_and_prints_a_dash() -> None:
    summary = summarise([high_risk_run(0, 0), high_risk_run(0, 0)])
    stat = summary["high_risk_within_4_weeks_pct"]
    assert (stat["mean"], stat["low"], stat["high"], stat["runs"]) == (None, None, None, 0)
    assert interval_cell(stat, "{:.1f}") == "—"
    assert json.loads(json.dumps(stat))["mean"] is None


@pytest.mark.parametrize(
    ("scenario", "runs", "weeks"), [("seniorencoach", 6, 13), ("levensboek", 5, 13)]
)
def test_the_issue_probes_pool_only_runs_with_high_risk_clients(
    scenario: str, runs: int, weeks: int
) -> None:
    # Both probes have runs without any high-risk client (seed 0), which used to count as 0 %.
    programme = scenarios.load(scenario)
    result = simulate(dynamics_of(programme), sampler_of(programme), ["optimal", "fifo-greedy"],
                      weeks=weeks, runs=runs, config=programme.config)  # fmt: skip
    summary = result.summary()
    for policy in result.policies:
        per_run = [run.metrics[policy] for run in result.runs]
        had = [m for m in per_run if m["high_risk_clients"] > 0]
        assert 0 < len(had) < runs
        assert all(math.isnan(m["high_risk_within_4_weeks_pct"]) for m in per_run if m not in had)
        assert all(math.isnan(m["wait_median_high"]) for m in per_run if m not in had)
        stat = summary[policy]["high_risk_within_4_weeks_pct"]
        pooled = sum(m["high_risk_within_4_weeks"] for m in had)
        trials = sum(m["high_risk_clients"] for m in had)
        assert stat["mean"] == pytest.approx(100 * pooled / trials)
        assert (stat["runs"], stat["trials"]) == (len(had), trials)
        wait = summary[policy]["wait_median_high"]
        assert wait["mean"] == pytest.approx(np.mean([m["wait_median_high"] for m in had]))
    notes = coverage_notes(summary, [("high_risk_within_4_weeks_pct", "high ≤4 wk %")], runs,
                           {"over_runs": "{metric}: {n} of {runs} with {group}",
                            "group_high": "high-risk clients"})  # fmt: skip
    assert notes == [f"high ≤4 wk %: {len(had)} of {runs} with high-risk clients"]


def test_a_programme_without_high_risk_clients_shows_dashes_and_nulls(tmp_path: Path) -> None:
    from matcher.report import simulation_report

    result = simulate(TINY, calm_people, ["optimal"], weeks=6, runs=2)
    summary = result.summary()
    assert summary["optimal"]["high_risk_within_4_weeks_pct"]["mean"] is None
    assert summary["optimal"]["wait_median_high"]["mean"] is None
    table = render("calm", result, summary)
    row = next(line for line in table.splitlines() if line.startswith("optimal"))
    assert row.count("—") == 2  # high med, high ≤4 wk %
    assert "high med: — (no run had high-risk clients)." in table
    data = json.loads(json.dumps(summary_data("calm", result, summary, seed=0, discount=0.97)))
    assert data["policies"]["optimal"]["high_risk_within_4_weeks_pct"]["mean"] is None
    html = simulation_report("calm", result, summary, seed=0, lang="en")
    assert 'data-label="high risk ≤ 4 wk %">—<' in html
    assert "high risk ≤ 4 wk %: — (no run had high-risk clients)." in html
    for run in result.runs:
        for row_of_week in run.traces["optimal"]:
            assert row_of_week["waiting_high"] == 0
            assert math.isnan(row_of_week["wait_weeks_high"])


def test_traces_leave_the_mean_wait_of_a_tier_nobody_is_in_empty(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from matcher.cli import main

    out = tmp_path / "sim"
    options = ["--policy", "optimal", "--runs", "2", "--weeks", "6", "--out", str(out)]
    result = CliRunner().invoke(main, ["simulate", "levensboek", *options])
    assert result.exit_code == 0, result.output
    with (out / "traces.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    empty = 0
    for row in rows:
        for tier in ("low", "moderate", "high"):
            if float(row[f"waiting_{tier}"]) == 0:
                assert row[f"wait_weeks_{tier}"] == ""
                empty += 1
            else:
                assert float(row[f"wait_weeks_{tier}"]) >= 0
    assert empty > 0  # the probe has weeks when nobody of some tier waits
    assert "NaN" not in (out / "summary.json").read_text()


def test_pct_of_hindsight_interval_stays_at_or_below_100() -> None:
    # The issue's probe: a Student t interval of 98.7 % ran to 100.2 %.
    values = [100.0, 100.0, 100.0, 94.8, 100.0, 97.4]
    assert student_t_mean(np.array(values), upper=math.inf)["high"] > 100  # type: ignore[operator]
    stat = summarise([{"pct_of_hindsight": v} for v in values])["pct_of_hindsight"]
    assert stat["method"] == "bootstrap"
    assert stat["low"] is not None and stat["high"] is not None and stat["mean"] is not None
    assert 94.8 <= stat["low"] < stat["mean"] < stat["high"] <= 100.0
    # Seeded: the same runs give the same interval.
    assert summarise([{"pct_of_hindsight": v} for v in values])["pct_of_hindsight"] == stat


def test_wilson_interval_known_values() -> None:
    assert wilson(1.0, 1) == pytest.approx((0.2065, 1.0), abs=1e-4)
    assert wilson(0.5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson(0.0, 5) == pytest.approx((0.0, 0.4345), abs=1e-4)


def test_runs_that_differ_more_than_chance_widen_the_share_interval() -> None:
    alike = pooled_share(np.array([10, 10, 10, 10]), np.array([20, 20, 20, 20]))
    apart = pooled_share(np.array([0, 20, 0, 20]), np.array([20, 20, 20, 20]))
    assert alike["mean"] == apart["mean"] == 50.0
    plain = wilson(0.5, 80)
    assert (alike["low"], alike["high"]) == pytest.approx((100 * plain[0], 100 * plain[1]))
    assert apart["low"] is not None and alike["low"] is not None
    assert apart["high"] is not None and alike["high"] is not None
    assert apart["low"] < alike["low"] - 10 and apart["high"] > alike["high"] + 10


maybe_nan = st.one_of(st.just(math.nan), st.floats(0, 100))


@st.composite
def run_metrics(draw: st.DrawFn) -> dict[str, float]:
    run: dict[str, float] = {}
    for share, (successes, trials) in SHARES.items():
        n = draw(st.integers(0, 60))
        y = draw(st.integers(0, n))
        run |= {successes: float(y), trials: float(n), share: 100.0 * y / n if n else math.nan}
    run["pct_of_hindsight"] = draw(maybe_nan)
    run["load_gini"] = draw(st.one_of(st.just(math.nan), st.floats(0, 1)))
    run["wait_median_high"] = draw(st.one_of(st.just(math.nan), st.floats(0, 520)))
    run["round_ms"] = draw(st.floats(0, 1e4))
    return run


@settings(max_examples=200, deadline=None)
@given(st.lists(run_metrics(), min_size=1, max_size=8))
def test_no_interval_bound_leaves_the_metric_range(runs: list[dict[str, float]]) -> None:
    for key, stat in summarise(runs).items():
        defined = [run[key] for run in runs if not math.isnan(run[key])]
        if key in SHARES:
            defined = [run[key] for run in runs if run[SHARES[key][1]] > 0]
        if not defined:
            assert stat["mean"] is stat["low"] is stat["high"] is None
            continue
        assert stat["mean"] is not None and stat["low"] is not None and stat["high"] is not None
        assert 0.0 <= stat["low"] <= stat["mean"] <= stat["high"] <= UPPER.get(key, math.inf)
        assert stat["runs"] == len(defined)
