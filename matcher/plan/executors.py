"""Where a sweep's tasks run: this process, local processes, or a Dask cluster.

Each yields the results as tasks finish, in whatever order; the sweep sorts them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from matcher.errors import ConfigError, Problem
from matcher.plan.sweep import Task, TaskResult, run_task


def run_local(tasks: Sequence[Task], *, workers: int) -> Iterator[TaskResult]:
    if workers <= 1:
        for task in tasks:
            yield run_task(task)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_task, task) for task in tasks]
        for future in as_completed(futures):
            yield future.result()


def dask_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("distributed") is not None


def run_dask(
    tasks: Sequence[Task], *, workers: int, scheduler: str | None, client: Any = None
) -> Iterator[TaskResult]:
    """On the scheduler at `scheduler` (tcp://HOST:8786), a client given, or a local cluster
    of `workers` single-threaded processes started and stopped here."""
    if not dask_available():
        raise ConfigError(
            [Problem("--executor", None, None,
                     "dask needs the optional extra: pip install 'matcher[dask]'", "dask")]
        )  # fmt: skip
    # Dask's functions carry no type hints: typed as Any here.
    import distributed

    Client: Any = distributed.Client
    LocalCluster: Any = distributed.LocalCluster
    dask_completed: Any = distributed.as_completed

    owned: list[Any] = []
    try:
        if client is None:
            if scheduler:
                client = Client(scheduler)
            else:
                cluster = LocalCluster(
                    n_workers=workers, threads_per_worker=1, dashboard_address=None
                )
                owned.append(cluster)
                client = Client(cluster)
            owned.insert(0, client)
        # Keys unique to this sweep: tasks of another sweep on a shared scheduler differ.
        sweep = uuid.uuid4().hex[:12]
        futures = [
            client.submit(run_task, task, key=f"plan-{sweep}-{task.cell}-{task.run}", pure=False)
            for task in tasks
        ]
        for future in dask_completed(futures):
            yield future.result()
            future.release()
    finally:
        for resource in owned:
            resource.close()
