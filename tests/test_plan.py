"""The planner: --vary parsing and errors, common random numbers across cells, the same answer
on every executor, --target, and the two-year cap on the Vriendschap op Maat scenario."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from matcher import scenarios
from matcher.cli import main
from matcher.errors import ConfigError
from matcher.plan.sweep import PlanResult, plan
from matcher.plan.target import METRICS, Target, answer, parse_target
from matcher.plan.vary import cells, parse_values, parse_varies
from matcher.simulate import START, simulate
from matcher.simulate.metrics import Stat
from matcher.simulate.scenario import dynamics_of, sampler_of
from matcher.simulate.world import build_world


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def grid(name: str, *specs: str) -> tuple[list, list]:  # type: ignore[type-arg]
    source, data = scenarios.scenario_data(name)
    varies = parse_varies(specs)
    return varies, cells(data, scenarios.scenario_from_dict(data, source=source), varies)


# --vary: keys, values, cells -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("15..40:5", (15, 20, 25, 30, 35, 40)),
        ("1..4", (1, 2, 3, 4)),
        ("0.1..0.3:0.1", (0.1, 0.2, 0.3)),
        ("52,104,none", (52, 104, None)),
        ("0.2,0.35,0.5", (0.2, 0.35, 0.5)),
    ],
)
def test_values_ranges_and_lists(text: str, values: tuple) -> None:  # type: ignore[type-arg]
    assert parse_values(text) == (values, None)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("volunteers.cuont=1,2", "--vary: volunteers.cuont: unknown key; did you mean volunteers.count?"),  # noqa: E501
        ("dynamics.max_match_wekes=52", "--vary: dynamics.max_match_wekes: unknown key; did you mean dynamics.max_match_weeks?"),  # noqa: E501
        ("volunteers.training=0.2", "--vary: volunteers.training: is a table, not a value: vary one of its keys"),  # noqa: E501
        ("clients.age.mean.x=1", "--vary: clients.age.mean.x: clients.age.mean is a value, not a table; it has no key 'x'"),  # noqa: E501
        ("volunteers.count=40..15", "--vary: volunteers.count: the range runs backwards (40 > 15) (got '40..15')"),  # noqa: E501
        ("volunteers.count=1,1", "--vary: volunteers.count: a value appears twice (got '1,1')"),
        ("volunteers.count", "--vary: must be KEY=VALUES (got 'volunteers.count')"),
    ],
)  # fmt: skip
def test_a_bad_vary_is_one_clear_line_and_exit_1(spec: str, message: str) -> None:
    code, out = run("plan", "zwolle-partnerverlies", "--vary", spec, "--runs", "1")
    assert code == 1
    assert out.strip() == message


def test_a_value_the_scenario_cannot_take_names_its_cell_and_every_problem_at_once() -> None:
    code, out = run("plan", "zwolle-partnerverlies", "--vary", "volunteers.count=-1,5,-2")
    assert code == 1
    assert out.splitlines() == [
        "--vary: volunteers.count=-1: volunteers.count: must be ≥ 0 (got '-1')",
        "--vary: volunteers.count=-2: volunteers.count: must be ≥ 0 (got '-2')",
    ]


def test_a_share_keeps_its_siblings_and_none_restores_the_default() -> None:
    _, found = grid("zwolle-partnerverlies", "volunteers.training.grief=0.2,0.5",
                         "dynamics.max_match_weeks=104,none")  # fmt: skip
    assert [c.values for c in found] == [(0.2, 104), (0.2, None), (0.5, 104), (0.5, None)]
    base = scenarios.load("zwolle-partnerverlies").volunteers.training
    for cell in found:
        assert cell.scenario.volunteers.training == base | {"grief": cell.values[0]}
        assert cell.scenario.dynamics.max_match_weeks == cell.values[1]
    # A programme's own table starts from what it resolves to, not from the bare defaults.
    _, own = grid("seniorencoach", "programmes.0.volunteers.training.grief=0.9")
    resolved = own[0].scenario.resolved()[0].volunteers.training
    assert resolved == scenarios.load("seniorencoach").volunteers.training | {"grief": 0.9}


def test_target_parsing() -> None:
    assert parse_target("high_risk_within_4_weeks_pct>=95") == Target(
        "high_risk_within_4_weeks_pct", True, 95.0
    )
    assert parse_target("wait_median_high <= 4") == Target("wait_median_high", False, 4.0)
    with pytest.raises(ConfigError, match="did you mean 'matched_pct'"):
        parse_target("matchd_pct>=50")
    with pytest.raises(ConfigError, match="must be METRIC>=X"):
        parse_target("matched_pct=50")


def _stat(low: float | None, high: float | None) -> Stat:
    mean = None if low is None else (low + (high or low)) / 2
    return {"mean": mean, "low": low, "high": high, "runs": 3, "method": "wilson"}


def test_the_answer_is_the_first_cell_whose_interval_meets_the_target() -> None:
    lows = [60.0, 94.9, 95.0, 99.0]
    summary = [{"p": {"x": _stat(low, 100.0)}, "q": {"x": _stat(None, None)}} for low in lows]
    found = answer(Target("x", True, 95.0), summary, ["p", "q"])
    assert (found[0].cell, found[0].bound) == (2, 95.0)
    assert (found[1].cell, found[1].best_cell) == (None, None)
    # Nothing meets it: no cell, and the closest one with its interval's end.
    none = answer(Target("x", True, 99.5), summary, ["p"])[0]
    assert (none.cell, none.best_cell, none.bound) == (None, 3, 99.0)
    upper = answer(Target("x", False, 99.0), [{"p": {"x": _stat(1, h)}} for h in (100, 99, 50)],
                   ["p"])[0]  # fmt: skip
    assert upper.cell == 1


def test_every_metric_of_a_run_can_be_shown() -> None:
    result = simulate(dynamics_of(scenarios.load("zwolle-partnerverlies")),
                      sampler_of(scenarios.load("zwolle-partnerverlies")), ["fifo-greedy"],
                      weeks=4, runs=1, hindsight=False)  # fmt: skip
    assert set(result.runs[0].metrics["fifo-greedy"]) - {"round_ms"} == set(METRICS)


# The world: common random numbers, the cap, the funnel --------------------------------------


def test_more_volunteers_leave_the_clients_arrivals_and_first_volunteers_as_they_were() -> None:
    scenario = scenarios.load("zwolle-partnerverlies")
    base = dynamics_of(scenario)
    sample = sampler_of(scenario)
    few = build_world(base, sample, weeks=30, seed=7, start=START)
    more = build_world(dataclasses.replace(base, volunteers=base.volunteers + 20), sample,
                       weeks=30, seed=7, start=START)  # fmt: skip
    assert few.clients == more.clients
    np.testing.assert_array_equal(few.arrival_week, more.arrival_week)
    np.testing.assert_array_equal(few.duration_weeks, more.duration_weeks)
    assert more.volunteers[: base.volunteers] == few.volunteers[: base.volunteers]
    capped = build_world(dataclasses.replace(base, max_match_weeks=10), sample, weeks=30, seed=7,
                         start=START)  # fmt: skip
    assert capped.clients == few.clients
    np.testing.assert_array_equal(capped.duration_weeks, np.minimum(few.duration_weeks, 10))
    assert all(end <= 10 for ends in capped.initial_load_ends for end in ends)


def test_the_funnel_is_drawn_stage_by_stage() -> None:
    scenario = scenarios.load("zwolle-partnerverlies")  # 73 letters in 78 weeks …
    world = build_world(dynamics_of(scenario), sampler_of(scenario), weeks=78, seed=3,
                        start=START)  # fmt: skip
    counts = world.funnel_counts
    assert counts["approached"] >= counts["reached"] >= counts["intake"] >= counts["arrivals"]
    assert counts["arrivals"] == len(world.clients) - scenario.clients.count
    assert 40 <= counts["approached"] <= 110


# The sweep: same answer on every executor -----------------------------------------------------


def _sweep(**options: object) -> PlanResult:
    scenario = scenarios.load("zwolle-partnerverlies")
    varies, found = grid("zwolle-partnerverlies", "volunteers.count=4,10")
    return plan(scenario, varies, found, ["fifo-greedy", "optimal"], runs=2, weeks=8, seed=5,
                **options)  # type: ignore[arg-type]  # fmt: skip


def facts(result: PlanResult) -> list[tuple[int, int, dict[str, dict[str, float]]]]:
    # Plain lists and dicts: numpy's assert_equal holds NaN equal to NaN inside them.
    return [(r.cell, r.run, r.metrics) for r in result.results]


@pytest.fixture(scope="module")
def one_process() -> PlanResult:
    return _sweep()


def test_cells_meet_the_same_worlds(one_process: PlanResult) -> None:
    by_cell: dict[int, list[float]] = {}
    for result in one_process.results:
        by_cell.setdefault(result.cell, []).append(result.metrics["optimal"]["clients"])
    assert by_cell[0] == by_cell[1]  # the same arrivals in both pool sizes


def test_same_results_with_two_processes(one_process: PlanResult) -> None:
    np.testing.assert_equal(facts(_sweep(workers=2)), facts(one_process))


def test_same_results_on_a_dask_cluster_of_two_workers(one_process: PlanResult) -> None:
    distributed = pytest.importorskip("distributed")
    # Threads, not processes: starts in a fraction of a second; the tasks are the same.
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                 dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):  # fmt: skip
        result = _sweep(executor="dask", dask_client=client)
    np.testing.assert_equal(facts(result), facts(one_process))


def test_plan_command_writes_identical_files_with_any_workers(tmp_path: Path) -> None:
    texts = []
    for workers in ("1", "2"):
        out = tmp_path / workers
        code, output = run(
            "plan", "zwolle-partnerverlies", "--vary", "volunteers.count=2,12", "--runs", "2",
            "--weeks", "8", "--workers", workers, "--target", "matched_pct>=50",
            "--out", str(out), "--report", str(out / "plan.html"), "--lang", "en",
        )  # fmt: skip
        assert code == 0, output
        texts.append([(out / name).read_bytes() for name in ("plan.json", "runs.csv")])
        page = (out / "plan.html").read_text()
        assert page.count('<figure class="chart">') == 5  # the defaults; the target is one
    assert texts[0] == texts[1]
    data = json.loads(texts[0][0])
    assert [c["values"] for c in data["cells"]] == [{"volunteers.count": 2},
                                                     {"volunteers.count": 12}]  # fmt: skip
    assert data["target"]["metric"] == "matched_pct"
    assert "Target matched_pct>=50 (95 % interval):" in output


def test_plan_says_plainly_when_no_value_meets_the_target() -> None:
    code, out = run("plan", "zwolle-partnerverlies", "--vary", "volunteers.count=0,1",
                    "--runs", "2", "--weeks", "4", "--target", "matched_pct>=99",
                    "--policy", "fifo-greedy")  # fmt: skip
    assert code == 0, out
    assert "fifo-greedy: none from volunteers.count=0 to volunteers.count=1 meets it" in out


# The two-year cap on Vriendschap op Maat (issue 14) ------------------------------------------


def test_a_two_year_cap_raises_new_couples_from_38_to_57_and_cuts_the_waiting_list() -> None:
    # Calibrated on 108 couples, 38 new couples a year, 57 after a two-year cap, 15 waiting.
    scenario = scenarios.load("vriendschap-op-maat")
    varies, found = grid("vriendschap-op-maat", "dynamics.max_match_weeks=none,104")
    result = plan(scenario, varies, found, ["optimal"], runs=6, weeks=52)
    before, after = (cell["optimal"] for cell in result.summary())
    assert 105 <= before["active_matches_end"]["mean"] <= 112  # type: ignore[operator]
    assert 34 <= before["matches"]["mean"] <= 42  # type: ignore[operator]
    assert 53 <= after["matches"]["mean"] <= 64  # type: ignore[operator]
    assert after["matches"]["low"] > before["matches"]["high"]  # type: ignore[operator]
    assert 10 <= after["waiting_end"]["mean"] <= 20  # type: ignore[operator]
    assert after["waiting_end"]["high"] < before["waiting_end"]["low"]  # type: ignore[operator]
