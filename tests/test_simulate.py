"""The simulator: common random numbers, determinism across workers, hindsight as a ceiling."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from matcher.policies import POLICY_NAMES
from matcher.simulate import Dynamics, simulate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synthetic

SMALL = Dynamics(
    weekly_arrivals=1.5,
    initial_waiting=6,
    volunteers=8,
    mean_match_weeks=12,
    early_end_share=0.4,
    early_end_mean_weeks=4,
    decline_share=0.2,
    weekly_volunteer_churn=0.01,
    weekly_recruits=0.1,
)


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return simulate(SMALL, synthetic.generate_models, list(POLICY_NAMES), weeks=16, runs=3)


def test_no_policy_beats_the_hindsight_optimum(result) -> None:  # type: ignore[no-untyped-def]
    assert result.hindsight_exact_runs == 3
    for run in result.runs:
        for policy in POLICY_NAMES:
            assert run.metrics[policy]["value"] <= run.hindsight.value + 1e-3


def test_every_policy_meets_the_same_world(result) -> None:  # type: ignore[no-untyped-def]
    for run in result.runs:
        clients = {run.metrics[p]["clients"] for p in POLICY_NAMES}
        assert len(clients) == 1
        volunteers = {tuple(row["volunteers"] for row in run.traces[p]) for p in POLICY_NAMES}
        assert len(volunteers) == 1


def test_same_seed_same_result_with_any_number_of_workers(result) -> None:  # type: ignore[no-untyped-def]
    again = simulate(
        SMALL, synthetic.generate_models, list(POLICY_NAMES), weeks=16, runs=3, workers=2
    )
    for first, second in zip(result.runs, again.runs, strict=True):
        for policy in POLICY_NAMES:
            a = {k: v for k, v in first.metrics[policy].items() if k != "round_ms"}
            b = {k: v for k, v in second.metrics[policy].items() if k != "round_ms"}
            assert a == b
        assert first.traces == second.traces


def test_summary_has_intervals(result) -> None:  # type: ignore[no-untyped-def]
    summary = result.summary()
    for policy in POLICY_NAMES:
        matched = summary[policy]["matched_pct"]
        assert matched["low"] <= matched["mean"] <= matched["high"]
