"""`matcher plan SCENARIO --vary KEY=VALUES …`: a what-if sweep, its tables and its answer."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from matcher.cli.errors import reports_errors
from matcher.cli.options import db_option, policy_option, report_options, simulation_options
from matcher.cli.outputs import check_distinct_outputs, check_report_possible
from matcher.cli.scenario import scenario_argument, scenario_reference
from matcher.io import write_atomic
from matcher.plan.from_ledger import parameters, with_ledger
from matcher.plan.recruit import DEFAULT_RANK_METRIC, rank, ranking_data, recruit_cells, suggested
from matcher.plan.sweep import plan as run_plan
from matcher.plan.target import DEFAULT_METRICS, answer, check_metrics, parse_target
from matcher.plan.vary import cells as grid
from matcher.plan.vary import parse_varies
from matcher.report.plan_text import ledger_lines, plan_data, recruit_lines, render, runs_csv
from matcher.rounds.ledger import open_ledger
from matcher.scenarios import scenario_data, scenario_from_dict


@click.command()
@scenario_argument
@click.option(
    "--vary",
    "varies",
    multiple=True,
    metavar="KEY=VALUES",
    help="A scenario key by dotted path and its values: volunteers.count=15..40:5, "
    "dynamics.max_match_weeks=52,104,none. Several make a grid.",
)
@policy_option("A policy (repeatable; default the scenario's own).", multiple=True)
@click.option(
    "--target",
    "target_text",
    default=None,
    metavar="METRIC>=X",
    help="Find the first cell whose 95 % interval meets it: "
    "high_risk_within_4_weeks_pct>=95, wait_median_high<=4.",
)
@click.option(
    "--metric",
    "metric_names",
    multiple=True,
    help="A metric to tabulate (repeatable; default a few, and the target's).",
)
@simulation_options
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help="Local processes (or local Dask workers); results do not depend on it.",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="dask: Dask distributed (pip install 'matcher[dask]').",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="With --executor dask: a running scheduler, tcp://HOST:8786; "
    "default a local cluster of --workers processes.",
)
@click.option(
    "--hindsight/--no-hindsight",
    default=False,
    show_default=True,
    help="Also solve each run's hindsight optimum (slow; for '% of hindsight').",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Write plan.json and runs.csv here.",
)
@click.option(
    "--from-ledger",
    "from_ledger",
    is_flag=True,
    help="Take the flows (waiting, arrivals, pool, match lengths, declines) from the ledger "
    "--db; the people are drawn as in the scenario named.",
)
@click.option(
    "--recruit",
    is_flag=True,
    help="Rank the round report's recruit suggestions by what one more such volunteer "
    "changes (instead of --vary).",
)
@click.option(
    "--top",
    type=click.IntRange(1, 50),
    default=5,
    show_default=True,
    help="With --recruit: how many suggested profiles to simulate.",
)
@click.option(
    "--rank-by",
    "rank_metric",
    default=DEFAULT_RANK_METRIC,
    show_default=True,
    help="With --recruit: the metric whose change ranks them (e.g. waiting_end).",
)
@db_option()
@report_options(pseudonymise=False)
@reports_errors
def plan(
    name: str | None, path: str | None, varies: tuple[str, ...], policies: tuple[str, ...],
    target_text: str | None, metric_names: tuple[str, ...], runs: int, weeks: int, seed: int,
    workers: int, executor: str, scheduler: str | None, hindsight: bool, discount: float,
    out_dir: str | None, from_ledger: bool, recruit: bool, top: int, rank_metric: str,
    db_path: str, report_path: str | None, lang: str | None,
) -> None:  # fmt: skip
    """What if: vary scenario keys (pool size, a cap, training); every metric with intervals."""
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask")
    if recruit and varies:
        raise click.UsageError("--recruit compares recruits with today's pool: leave out --vary")
    check_report_possible(report_path, lang=lang)
    written = ("plan.json", "runs.csv") if out_dir else ()
    check_distinct_outputs(
        {**{f"{file} in --out": Path(str(out_dir), file) for file in written},
         "--report": report_path},
        inputs={"--file": path},
    )  # fmt: skip
    source, data = scenario_data(scenario_reference(name, path))
    scenario = scenario_from_dict(data, source=source)
    found = None
    if from_ledger:
        with open_ledger(db_path) as ledger:
            flows = ledger.flows()
        found = parameters(flows, scenario)
        data = with_ledger(data, scenario, found)
        scenario = scenario_from_dict(data, source=f"{source} with {db_path}")
        click.echo(ledger_lines(found, db_path, scenario.name) + "\n")
    target = parse_target(target_text) if target_text else None
    check_metrics([*metric_names, *([rank_metric] if recruit else [])])
    shown = list(dict.fromkeys([*([target.metric] if target else []),
                                *([rank_metric] if recruit else []),
                                *(metric_names or DEFAULT_METRICS)]))  # fmt: skip
    chosen = policies or (scenario.config.policy,)
    suggestions = None
    if recruit:
        suggestions = suggested(scenario, top=top)
        if not suggestions.candidates:
            click.echo(f"{scenario.name}: the round suggests no volunteer profile to recruit.")
            return
        vary, cells = recruit_cells(scenario, suggestions.candidates)
        parsed = [vary]
    else:
        parsed = parse_varies(varies)
        cells = grid(data, scenario, parsed)
    with click.progressbar(length=len(cells) * runs, label="planning", file=sys.stderr) as bar:
        result = run_plan(
            scenario, parsed, cells, list(chosen), runs=runs, weeks=weeks, seed=seed,
            weekly_discount=discount, hindsight=hindsight, executor=executor, workers=workers,
            scheduler=scheduler, progress=bar.update,
        )  # fmt: skip
    summary = result.summary()
    answers = None
    if target:
        answers = answer(target, summary, result.policies)
    click.echo(render(result, summary, shown, target, answers))
    ranking = None
    if suggestions is not None:
        policy = result.policies[0]
        ranked = rank(result, summary, suggestions.candidates, rank_metric, policy)
        ranking = ranking_data(ranked, suggestions, rank_metric, policy)
        click.echo("\n" + "\n".join(recruit_lines(ranked, suggestions, rank_metric, policy)))
    if out_dir:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        document = plan_data(result, summary, target, answers, discount=discount, ledger=found)
        if ranking is not None:
            document["recruit"] = ranking
        write_atomic(
            {
                out / "plan.json": json.dumps(document, indent=2) + "\n",
                out / "runs.csv": runs_csv(result),
            }
        )
        click.echo(f"\nWrote {out / 'plan.json'}, {out / 'runs.csv'}")
    if report_path:
        # matplotlib and jinja2: the optional report extra, loaded only for a report.
        from matcher.report import plan_report

        language = lang or scenario.config.report.lang
        html = plan_report(result, summary, shown, target, answers, language, ranking)
        write_atomic(report_path, html)
        click.echo(f"Wrote {report_path}")
