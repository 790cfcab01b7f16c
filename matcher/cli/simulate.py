"""`matcher simulate SCENARIO --policy A --policy B …`: policies compared over simulated weeks."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from matcher.cli.errors import reports_errors
from matcher.cli.options import policy_option, report_options, simulation_options
from matcher.cli.outputs import check_distinct_outputs, check_report_possible
from matcher.cli.scenario import load_scenario, scenario_argument
from matcher.io import write_atomic
from matcher.report import simulation_report
from matcher.report.comparison import comparison_files, render
from matcher.simulate.scenario import chosen_policies, simulate_scenario


@click.command()
@scenario_argument
@policy_option("A policy to compare (repeatable; default all).", multiple=True)
@simulation_options
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Local processes to spread the runs over; results do not depend on it.",
)
@click.option(
    "--hindsight/--no-hindsight",
    default=True,
    show_default=True,
    help="Solve the hindsight optimum of every run (the '% hindsight' column; slower).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Write summary.json and traces.csv here.",
)
@report_options(pseudonymise=False)
@reports_errors
def simulate(
    name: str | None, path: str | None, policies: tuple[str, ...], weeks: int, runs: int,
    seed: int, workers: int, discount: float, hindsight: bool, out_dir: str | None,
    report_path: str | None, lang: str | None,
) -> None:  # fmt: skip
    """Compare POLICIES on a scenario over simulated weeks (same arrivals for every policy)."""
    check_report_possible(report_path, lang=lang)
    written = ("summary.json", "traces.csv") if out_dir else ()
    check_distinct_outputs(
        {**{f"{file} in --out": Path(str(out_dir), file) for file in written},
         "--report": report_path},
        inputs={"--file": path},
    )  # fmt: skip
    scenario = load_scenario(name, path)
    chosen = chosen_policies(policies)  # before the progress bar shows
    with click.progressbar(length=runs, label="simulating", file=sys.stderr) as bar:
        result = simulate_scenario(
            scenario, chosen, weeks=weeks, runs=runs, seed=seed, workers=workers,
            weekly_discount=discount, progress=bar.update, hindsight=hindsight,
        )  # fmt: skip
    summary = result.summary()
    click.echo(render(scenario.name, result, summary))
    if out_dir:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        files = comparison_files(scenario.name, result, summary, out, seed=seed, discount=discount)
        write_atomic(files)
        click.echo(f"\nWrote {out / 'summary.json'}, {out / 'traces.csv'}")
    if report_path:
        language = lang or scenario.config.report.lang
        page = simulation_report(scenario.name, result, summary, seed=seed, lang=language)
        write_atomic(report_path, page)
        click.echo(f"Wrote {report_path}")
