"""`matcher scenario …`: list, show, generate and run the scenarios of the library.

Thin like the rest of the command line: parse, call matcher.scenarios, render. A scenario is
named (`zwolle-partnerverlies`) or given as a file (`--file my-programme.toml`); a malformed
file is reported like bad input, every problem at once, with exit code 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from matcher.cli.errors import reports_errors
from matcher.cli.options import INPUT_PATH, date_type, db_option, policy_option
from matcher.output import render_table
from matcher.scenarios import generate_round, load, scenario_names, write_round
from matcher.scenarios.library import source_text
from matcher.scenarios.round import run_scenario_round
from matcher.scenarios.show import describe, round_summary
from matcher.scenarios.spec import Scenario

F = TypeVar("F", bound=Callable[..., Any])


def scenario_argument(func: F) -> F:
    """NAME or --file: the scenario a command works on."""
    func = click.option(
        "--file",
        "path",
        type=INPUT_PATH,
        default=None,
        help="A scenario file of your own instead of a built-in NAME.",
    )(func)
    return click.argument("name", required=False)(func)


def scenario_reference(name: str | None, path: str | None) -> str:
    if (name is None) == (path is None):
        raise click.UsageError("give a scenario NAME or --file PATH (`matcher scenario list`)")
    return path if path is not None else name  # type: ignore[return-value]


def load_scenario(name: str | None, path: str | None) -> Scenario:
    return load(scenario_reference(name, path))


def _seed_and_date(func: F) -> F:
    func = click.option(
        "--date",
        "round_date",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Round date (YYYY-MM-DD); default the scenario's own.",
    )(func)
    return click.option(
        "--seed",
        type=click.IntRange(min=0),
        default=None,
        help="Seed of the people drawn; default the scenario's own.",
    )(func)


@click.group()
def scenario() -> None:
    """Realistic rounds from the scenario library: the real programmes and stress cases."""


@scenario.command("list")
@reports_errors
def list_scenarios() -> None:
    """Name, size and subject of every built-in scenario."""
    loaded = [load(name) for name in scenario_names()]
    sizes = [f"{s.clients.count:,} × {s.volunteers.count:,}" for s in loaded]
    width_name = max(len(s.name) for s in loaded)
    width_size = max(len(size) for size in sizes)
    for s, size in zip(loaded, sizes, strict=True):
        click.echo(f"{s.name:<{width_name}}  {size:>{width_size}}  {s.title}")
    click.echo("\nclients × volunteers; `matcher scenario show NAME` for the parameters")


@scenario.command()
@scenario_argument
@click.option("--toml", "as_toml", is_flag=True, help="Print the scenario file itself.")
@reports_errors
def show(name: str | None, path: str | None, as_toml: bool) -> None:
    """The parameters of a scenario and the figures they are based on."""
    if as_toml:
        click.echo(source_text(scenario_reference(name, path))[1], nl=False)
        return
    click.echo(describe(load_scenario(name, path)))


@scenario.command()
@scenario_argument
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    required=True,
    help="Directory for clients.csv, volunteers.csv and matcher.toml.",
)
@_seed_and_date
@reports_errors
def generate(
    name: str | None,
    path: str | None,
    out_dir: str,
    seed: int | None,
    round_date: dt.datetime | None,
) -> None:
    """Write a round of the scenario as the files `matcher match` reads."""
    loaded = load_scenario(name, path)
    drawn = generate_round(loaded, seed, round_date=round_date.date() if round_date else None)
    paths = write_round(drawn, out_dir)
    click.echo(
        f"{loaded.name}, seed {drawn.seed}: {drawn.n_clients:,} clients and "
        f"{drawn.n_volunteers:,} volunteers in {', '.join(str(p) for p in paths)}\n"
        f"Next: matcher match {paths[0]} {paths[1]} --config {paths[2]} "
        f"--date {drawn.round_date.isoformat()}"
    )


@scenario.command()
@scenario_argument
@_seed_and_date
@policy_option()
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Rows of the printed table.",
)
@reports_errors
def run(
    name: str | None,
    path: str | None,
    seed: int | None,
    round_date: dt.datetime | None,
    policy: str | None,
    limit: int,
) -> None:
    """Generate a round in memory, match it and print the proposals and a summary."""
    loaded = load_scenario(name, path)
    when = round_date.date() if round_date else None
    done = run_scenario_round(loaded, seed, round_date=when, policy=policy, explained=limit)
    click.echo(
        f"Scenario {loaded.name} (seed {done.seed}): {done.prepared.population.n_clients:,}"
        f" clients, {done.prepared.population.n_volunteers:,} volunteers, generated in"
        f" {done.generated_s:.2f} s\n"
    )
    click.echo(render_table(done.result, limit=limit))
    click.echo("\n" + round_summary(done.result, done.prepared.population))


@scenario.command()
@scenario_argument
@db_option()
@click.option("--weeks", type=click.IntRange(1, 520), default=52, show_default=True)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Seed of the simulated world (arrivals, people, match lengths).",
)
@click.option(
    "--start",
    type=date_type(),
    default=None,
    help="The first week's round (YYYY-MM-DD or DD-MM-YYYY); default 2026-01-05, as simulate.",
)
@policy_option("The policy whose run is written (default: the scenario config's).")
@reports_errors
def replay(
    name: str | None,
    path: str | None,
    db_path: str,
    weeks: int,
    seed: int,
    start: dt.datetime | None,
    policy: str | None,
) -> None:
    """Write a simulated year of a scenario into a new ledger, as a coordinator would have
    kept it (letters, calls, intakes, rounds, introductions, check-ins, endings)."""
    # The simulator and the ledger load only for a replay, not for `scenario list`.
    from matcher.rounds.new_ledger import fill_new_ledger, require_new_or_empty
    from matcher.simulate.replay import replay as replay_year
    from matcher.simulate.scenario import simulated_year

    loaded = load_scenario(name, path)
    require_new_or_empty(Path(db_path))  # before the simulation: refused at once
    first = start.date() if start else None
    world, outcome = simulated_year(loaded, weeks=weeks, seed=seed, start=first, policy=policy)
    done = fill_new_ledger(
        db_path, lambda ledger: replay_year(world, outcome, ledger, config=loaded.config)
    )
    steps = ", ".join(f"{method} {count}" for method, count in done.steps.items())
    click.echo(
        f"Wrote {db_path} (readable by you only): {weeks} week(s) of {loaded.name} from"
        f" {world.start} (seed {seed}, policy {outcome.policy}): {done.clients} clients,"
        f" {done.volunteers} volunteers, {done.rounds} rounds, {done.first_day} to"
        f" {done.last_day}.\nLedger steps: {steps}.\n"
        f"Next: matcher evaluate --from {done.first_day} --to {done.last_day} --db {db_path}"
    )
