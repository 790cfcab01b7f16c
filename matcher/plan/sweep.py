"""A sweep: every cell of the grid × every run, one task each, gathered as they finish.

Task (cell c, run r) simulates run r's world of cell c's scenario under every policy. Run r's
world seed depends on the sweep's seed and r only, never on c: all cells meet the same draws
wherever the varied key does not change them (common random numbers, matcher.simulate.world),
so neighbouring cells differ by the change, not by luck. A task's result depends on nothing
but its inputs, and results are put in (cell, run) order before anything is summed, so the
answer is the same byte for byte with any executor and any number of workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from matcher.plan.vary import Cell, Vary
from matcher.scenarios import Scenario
from matcher.simulate.metrics import Stat, summarise

# Wall-clock time is not a result: left out so results are identical on any machine.
UNREPEATABLE = ("round_ms",)
Progress = Callable[[int], None]


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


@dataclass(frozen=True)
class TaskResult:
    cell: int
    run: int
    metrics: dict[str, dict[str, float]]  # policy -> metric -> value


def run_task(task: Task) -> TaskResult:
    """One (cell, run): importable at the top level, so processes and Dask workers can run it."""
    from matcher.simulate import simulate_run
    from matcher.simulate.scenario import dynamics_of, sampler_of

    result = simulate_run(
        task.run, dynamics_of(task.scenario), sampler_of(task.scenario), task.policies,
        weeks=task.weeks, seed=task.seed, config=task.scenario.config,
        weekly_discount=task.weekly_discount, hindsight=task.hindsight, traces=False,
    )  # fmt: skip
    metrics = {
        policy: {k: v for k, v in values.items() if k not in UNREPEATABLE}
        for policy, values in result.metrics.items()
    }
    return TaskResult(task.cell, task.run, metrics)


@dataclass(frozen=True)
class PlanResult:
    """Every cell's runs, in (cell, run) order, and their summaries over runs."""

    scenario: str
    varies: tuple[Vary, ...]
    cells: tuple[Cell, ...]
    policies: tuple[str, ...]
    runs: int
    weeks: int
    seed: int
    hindsight: bool
    results: tuple[TaskResult, ...]  # sorted by (cell, run)

    def summary(self) -> list[dict[str, dict[str, Stat]]]:
        """Per cell: policy -> metric -> estimate and 95 % interval over the runs."""
        by_cell: list[list[TaskResult]] = [[] for _ in self.cells]
        for result in self.results:
            by_cell[result.cell].append(result)
        return [
            {p: summarise([r.metrics[p] for r in runs]) for p in self.policies} for runs in by_cell
        ]


def tasks_of(
    cells: Sequence[Cell], policies: Sequence[str], *, runs: int, weeks: int, seed: int,
    weekly_discount: float, hindsight: bool,
) -> list[Task]:  # fmt: skip
    return [
        Task(
            cell.index, run, cell.scenario, tuple(policies), weeks, seed, weekly_discount, hindsight
        )
        for cell in cells
        for run in range(runs)
    ]


def plan(
    scenario: Scenario,
    varies: Sequence[Vary],
    cells: Sequence[Cell],
    policies: Sequence[str],
    *,
    runs: int = 20,
    weeks: int = 52,
    seed: int = 0,
    weekly_discount: float = 0.97,
    hindsight: bool = False,
    executor: str = "local",
    workers: int = 1,
    scheduler: str | None = None,
    dask_client: Any = None,
    progress: Progress | None = None,
) -> PlanResult:
    """Run the sweep; `executor` is "local" (processes) or "dask" (a cluster, or a local one)."""
    from matcher.plan.executors import run_dask, run_local

    tasks = tasks_of(cells, policies, runs=runs, weeks=weeks, seed=seed,
                     weekly_discount=weekly_discount, hindsight=hindsight)  # fmt: skip
    gathered: Iterable[TaskResult]
    if executor == "dask":
        gathered = run_dask(tasks, workers=workers, scheduler=scheduler, client=dask_client)
    elif executor == "local":
        gathered = run_local(tasks, workers=workers)
    else:
        raise ValueError(f"executor={executor!r} must be 'local' or 'dask'")
    results = []
    for result in gathered:
        results.append(result)
        if progress:
            progress(1)
    return PlanResult(
        scenario.name, tuple(varies), tuple(cells), tuple(policies), runs, weeks, seed, hindsight,
        tuple(sorted(results, key=lambda r: (r.cell, r.run))),
    )  # fmt: skip
