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

from matcher.plan.executors import run_dask, run_local
from matcher.plan.task import Task, TaskResult
from matcher.plan.vary import Cell, Vary
from matcher.scenarios import Scenario
from matcher.simulate.metrics import Stat, summarise

Progress = Callable[[int], None]


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
        Task(cell.index, run, cell.scenario, tuple(policies), weeks, seed, weekly_discount,
             hindsight, cell.recruit)
        for cell in cells
        for run in range(runs)
    ]  # fmt: skip


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
