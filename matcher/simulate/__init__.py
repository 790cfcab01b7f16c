"""Compare matching policies over simulated weeks of a programme.

    from matcher.simulate import simulate
    result = simulate(dynamics, sample_people, ["fifo-greedy", "optimal", "reserve"])

Every policy meets the same worlds (common random numbers); runs spread over processes
with `workers`, and the result is the same for any number of workers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from matcher.config import MatchConfig
from matcher.engine import prepare
from matcher.models import Volunteer
from matcher.policies import FutureSample
from matcher.row_index import row_of_ids
from matcher.simulate.hindsight import Hindsight, hindsight_optimum
from matcher.simulate.metrics import Stat, run_metrics, summarise, waiting_by_tier
from matcher.simulate.run import Outcome, run_policy
from matcher.simulate.world import Dynamics, PeopleSampler, World, build_world
from matcher.triage import risk_tiers

START = dt.date(2026, 1, 5)
# Forecast people for `reserve` are drawn from the same population with their own seed.
FORECAST_POOL = 200
# Not solved: % of hindsight is then undefined (NaN) for every policy.
NO_HINDSIGHT = Hindsight(float("nan"), exact=False)


@dataclass(frozen=True)
class RunResult:
    run: int
    hindsight: Hindsight
    metrics: dict[str, dict[str, float]]  # policy -> metric -> value
    traces: dict[str, list[dict[str, float]]]  # policy -> weekly rows


@dataclass(frozen=True)
class SimulationResult:
    policies: tuple[str, ...]
    weeks: int
    runs: tuple[RunResult, ...]
    with_hindsight: bool = True

    def summary(self) -> dict[str, dict[str, Stat]]:
        """Policy -> metric -> estimate and interval over the runs (see `summarise`)."""
        return {
            policy: summarise([run.metrics[policy] for run in self.runs])
            for policy in self.policies
        }

    @property
    def hindsight_exact_runs(self) -> int:
        return sum(run.hindsight.exact for run in self.runs)

    @property
    def hindsight_max_gap(self) -> float:
        """The largest share by which a run's bound may exceed its optimum (0 if none)."""
        return max((run.hindsight.gap for run in self.runs), default=0.0)


def _forecaster(
    dynamics: Dynamics, sample_people: PeopleSampler, config: MatchConfig, seed: int, weeks: int
) -> Any:
    pool, _ = sample_people(FORECAST_POOL, 0, seed)
    settings = config.reserve
    pool = [
        c.model_copy(update={"client_id": f"F{k:04d}", "excluded_volunteers": ()})
        for k, c in enumerate(pool)
    ]

    def forecast(week: int, volunteers: Sequence[Volunteer]) -> list[FutureSample]:
        rng = np.random.default_rng([seed, week])
        futures = []
        for _ in range(settings.samples):
            arrivals = rng.poisson(dynamics.weekly_arrivals, size=settings.weeks_ahead)
            ahead = np.repeat(np.arange(1, settings.weeks_ahead + 1), arrivals)
            picked = rng.integers(0, len(pool), size=len(ahead))
            clients = [
                pool[p].model_copy(update={"client_id": f"F{k:04d}"})
                for k, p in enumerate(picked.tolist())
            ]
            if not clients:
                continue
            prepared = prepare(clients, list(volunteers), config, START + dt.timedelta(weeks=week))
            order = row_of_ids(c.client_id for c in clients)
            owner = np.array(
                [
                    order[prepared.population.clients[c].client_id]
                    for c in prepared.candidates.edge_client.tolist()
                ],
                dtype=np.int64,
            )
            discount = settings.weekly_discount ** ahead[owner] if len(owner) else np.ones(0)
            futures.append(
                FutureSample(
                    n_clients=len(clients),
                    edge_client=owner,
                    edge_volunteer=prepared.candidates.edge_volunteer,
                    weight_units=np.rint(prepared.scores.weight_units * discount).astype(np.int64),
                )
            )
        return futures

    return forecast


def run_world(
    run: int, dynamics: Dynamics, sample_people: PeopleSampler, *, weeks: int, seed: int
) -> World:
    """Run `run`'s world of a simulation seeded `seed`: what every policy of that run meets."""
    world_seed = int(np.random.default_rng([seed, run]).integers(2**31))
    return build_world(dynamics, sample_people, weeks=weeks, seed=world_seed, start=START)


def simulate_run(
    run: int,
    dynamics: Dynamics,
    sample_people: PeopleSampler,
    policies: Sequence[str],
    *,
    weeks: int,
    seed: int,
    config: MatchConfig,
    weekly_discount: float,
    hindsight: bool = True,
    traces: bool = True,
) -> RunResult:
    """One world, every policy in it, and the hindsight optimum (unless asked not to)."""
    world = run_world(run, dynamics, sample_people, weeks=weeks, seed=seed)
    world_seed = world.seed
    tiers = risk_tiers(list(world.clients), config.triage)
    reference = (
        hindsight_optimum(world, config, weekly_discount=weekly_discount)
        if hindsight
        else NO_HINDSIGHT
    )
    forecast = (
        _forecaster(dynamics, sample_people, config, world_seed + 1, weeks)
        if "reserve" in policies
        else None
    )
    metrics, weekly = {}, {}
    for policy in policies:
        outcome: Outcome = run_policy(
            world, policy, config, weekly_discount=weekly_discount, forecaster=forecast
        )
        metrics[policy] = run_metrics(world, outcome, tiers, reference.value)
        if traces:
            tier_rows = waiting_by_tier(world, outcome, tiers)
            rows = zip(outcome.trace, tier_rows, strict=True)
            weekly[policy] = [row | more for row, more in rows]
    return RunResult(run, reference, metrics, weekly)


def simulate(
    dynamics: Dynamics,
    sample_people: PeopleSampler,
    policies: Sequence[str],
    *,
    weeks: int = 52,
    runs: int = 20,
    seed: int = 0,
    workers: int = 1,
    config: MatchConfig | None = None,
    weekly_discount: float = 0.97,
    progress: Any = None,
    hindsight: bool = True,
) -> SimulationResult:
    config = config or MatchConfig()
    arguments = dict(
        weeks=weeks, seed=seed, config=config, weekly_discount=weekly_discount, hindsight=hindsight
    )
    results: list[RunResult] = []
    if workers <= 1:
        for run in range(runs):
            results.append(simulate_run(run, dynamics, sample_people, policies, **arguments))  # type: ignore[arg-type]
            if progress:
                progress(1)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(simulate_run, run, dynamics, sample_people, policies, **arguments)  # type: ignore[arg-type]
                for run in range(runs)
            ]
            for future in futures:
                results.append(future.result())
                if progress:
                    progress(1)
    ordered = tuple(sorted(results, key=lambda r: r.run))
    return SimulationResult(tuple(policies), weeks, ordered, with_hindsight=hindsight)


__all__ = ["Dynamics", "SimulationResult", "World", "simulate", "simulate_run"]
