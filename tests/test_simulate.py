"""The simulator: common random numbers, determinism across workers, hindsight as a ceiling."""

from __future__ import annotations

import numpy as np
import pytest

from matcher import scenarios
from matcher.policies import POLICY_NAMES
from matcher.simulate import Dynamics, simulate
from matcher.simulate.scenario import sampler_of

CITY = sampler_of(scenarios.load("city-scale"))

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
    return simulate(SMALL, CITY, list(POLICY_NAMES), weeks=16, runs=3)


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
    again = simulate(SMALL, CITY, list(POLICY_NAMES), weeks=16, runs=3, workers=2)
    for first, second in zip(result.runs, again.runs, strict=True):
        for policy in POLICY_NAMES:
            a = {k: v for k, v in first.metrics[policy].items() if k != "round_ms"}
            b = {k: v for k, v in second.metrics[policy].items() if k != "round_ms"}
            # NaN (a metric over an empty group) equals NaN here, and only NaN does.
            np.testing.assert_equal(a, b)
        np.testing.assert_equal(first.traces, second.traces)


def test_summary_has_intervals(result) -> None:  # type: ignore[no-untyped-def]
    summary = result.summary()
    for policy in POLICY_NAMES:
        matched = summary[policy]["matched_pct"]
        assert matched["low"] <= matched["mean"] <= matched["high"]


def test_simulate_command_writes_summary_and_traces(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv
    import json

    from click.testing import CliRunner

    from matcher.cli import main

    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / workers
        result = CliRunner().invoke(
            main,
            ["simulate", "zwolle-partnerverlies", "--policy", "fifo-greedy", "--policy",
             "optimal", "--weeks", "10", "--runs", "2", "--workers", workers, "--out", str(out)],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "fifo-greedy" in result.stdout and "% hindsight" in result.stdout
        summary = json.loads((out / "summary.json").read_text())
        assert set(summary["policies"]) == {"fifo-greedy", "optimal"}
        for policy in summary["policies"].values():
            policy.pop("round_ms")
        outputs.append((summary, (out / "traces.csv").read_text()))
        with (out / "traces.csv").open() as handle:
            assert len(list(csv.DictReader(handle))) == 2 * 2 * 10
    assert outputs[0] == outputs[1]


def test_simulate_command_rejects_an_unknown_policy() -> None:
    from click.testing import CliRunner

    from matcher.cli import main

    result = CliRunner().invoke(main, ["simulate", "rural", "--policy", "resreve"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "--policy: unknown policy 'resreve'; did you mean 'reserve'?"
