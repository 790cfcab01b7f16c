"""One task of a sweep: a (cell, run) of the simulation, as processes and Dask workers run it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from matcher.models import Volunteer
from matcher.scenarios import Scenario
from matcher.simulate import simulate_run
from matcher.simulate.scenario import dynamics_of, sampler_of

# Wall-clock time is not a result: left out so results are identical on any machine.
UNREPEATABLE = ("round_ms",)


@dataclass(frozen=True)
class Task:
    cell: int
    run: int
    scenario: Scenario
    policies: tuple[str, ...]
    weeks: int
    seed: int
    weekly_discount: float
    hindsight: bool
    recruit: Volunteer | None = None  # one more volunteer in the world, from week 0


@dataclass(frozen=True)
class TaskResult:
    cell: int
    run: int
    metrics: dict[str, dict[str, float]]  # policy -> metric -> value


def run_task(task: Task) -> TaskResult:
    """One (cell, run): importable at the top level, so processes and Dask workers can run it."""
    dynamics = dynamics_of(task.scenario)
    if task.recruit is not None:
        dynamics = replace(dynamics, extra_volunteers=(task.recruit,))
    result = simulate_run(
        task.run, dynamics, sampler_of(task.scenario), task.policies,
        weeks=task.weeks, seed=task.seed, config=task.scenario.config,
        weekly_discount=task.weekly_discount, hindsight=task.hindsight, traces=False,
    )  # fmt: skip
    metrics = {
        policy: {k: v for k, v in values.items() if k not in UNREPEATABLE}
        for policy, values in result.metrics.items()
    }
    return TaskResult(task.cell, task.run, metrics)
