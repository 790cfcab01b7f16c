"""`matcher plan SCENARIO --vary KEY=VALUES …`: a what-if sweep, its tables and its answer."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from matcher.cli_errors import reports_errors
from matcher.cli_outputs import check_distinct_outputs
from matcher.cli_report import check_report_possible, report_options
from matcher.policies import POLICY_NAMES

if TYPE_CHECKING:  # the planner imports the engine: too slow for every command's start
    from matcher.plan.sweep import PlanResult
    from matcher.plan.target import Answer, Target
    from matcher.simulate.metrics import Stat

Summary = Sequence[Mapping[str, Mapping[str, "Stat"]]]


@click.command()
@click.argument("name", required=False)
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False),
    default=None,
    help="A scenario file of your own instead of a built-in NAME.",
)
@click.option(
    "--vary",
    "varies",
    multiple=True,
    metavar="KEY=VALUES",
    help="A scenario key by dotted path and its values: volunteers.count=15..40:5, "
    "dynamics.max_match_weeks=52,104,none. Several make a grid.",
)
@click.option(
    "--policy",
    "policies",
    multiple=True,
    help=f"A policy (repeatable; default the scenario's own): {', '.join(POLICY_NAMES)}.",
)
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
@click.option("--runs", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--weeks", type=click.IntRange(1, 520), default=52, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
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
    "--discount",
    type=click.FloatRange(0, 1, min_open=True),
    default=0.97,
    show_default=True,
    help="Worth of a match made one week later, relative.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Write plan.json and runs.csv here.",
)
@report_options(pseudonymise=False)
@reports_errors
def plan(
    name: str | None, path: str | None, varies: tuple[str, ...], policies: tuple[str, ...],
    target_text: str | None, metric_names: tuple[str, ...], runs: int, weeks: int, seed: int,
    workers: int, executor: str, scheduler: str | None, hindsight: bool, discount: float,
    out_dir: str | None, report_path: str | None, lang: str | None,
) -> None:  # fmt: skip
    """How a programme does as one scenario key (or several) changes: tables with intervals."""
    from matcher.errors import ConfigError, Problem
    from matcher.plan.sweep import plan as run_plan
    from matcher.plan.target import DEFAULT_METRICS, check_metrics, parse_target
    from matcher.plan.vary import cells as grid
    from matcher.plan.vary import parse_varies
    from matcher.scenarios import scenario_data, scenario_from_dict
    from matcher.scenarios.cli import _reference
    from matcher.vocab import unknown_word_message

    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask")
    check_report_possible(report_path, lang=lang)
    written = ("plan.json", "runs.csv") if out_dir else ()
    check_distinct_outputs(
        {**{f"{file} in --out": Path(str(out_dir), file) for file in written},
         "--report": report_path},
        inputs={"--file": path},
    )  # fmt: skip
    source, data = scenario_data(_reference(name, path))
    scenario = scenario_from_dict(data, source=source)
    target = parse_target(target_text) if target_text else None
    check_metrics(metric_names)
    shown = list(dict.fromkeys([*([target.metric] if target else []),
                                *(metric_names or DEFAULT_METRICS)]))  # fmt: skip
    chosen = policies or (scenario.config.policy,)
    unknown = [p for p in chosen if p not in POLICY_NAMES]
    if unknown:
        raise ConfigError(
            [Problem("--policy", None, None, unknown_word_message("policy", p, POLICY_NAMES))
             for p in unknown]
        )  # fmt: skip
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
        from matcher.plan.target import answer

        answers = answer(target, summary, result.policies)
    click.echo(render(result, summary, shown, target, answers))
    if out_dir:
        from matcher.io import write_atomic

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        document = plan_data(result, summary, target, answers, discount=discount)
        write_atomic(
            {
                out / "plan.json": json.dumps(document, indent=2) + "\n",
                out / "runs.csv": runs_csv(result),
            }
        )
        click.echo(f"\nWrote {out / 'plan.json'}, {out / 'runs.csv'}")
    if report_path:
        from matcher.io import write_atomic
        from matcher.report import plan_report

        language = lang or scenario.config.report.lang
        write_atomic(report_path, plan_report(result, summary, shown, target, answers, language))
        click.echo(f"Wrote {report_path}")


def render(
    result: PlanResult, summary: Summary, shown: Sequence[str], target: Target | None,
    answers: Sequence[Answer] | None,
) -> str:  # fmt: skip
    from matcher.plan.target import METRICS
    from matcher.report.texts import texts
    from matcher.simulate.cli import interval_cell

    words = texts("en")
    hindsight = "with hindsight" if result.hindsight else "hindsight not computed"
    lines = [
        f"{result.scenario}: {len(result.cells)} cells × {result.runs} runs × {result.weeks} "
        f"weeks, {hindsight}; estimate [95 % interval], — where undefined in every run",
    ]
    keys = [v.key for v in result.varies]
    labels = [[_text(value) for value in cell.values] for cell in result.cells]
    for metric in shown:
        heading, fmt = words[f"m_{metric}"], METRICS[metric]
        rows = [
            [*label, *(interval_cell(summary[cell.index][p][metric], fmt) for p in result.policies)]
            for cell, label in zip(result.cells, labels, strict=True)
        ]
        lines += ["", f"{heading} ({metric})", *_table([*keys, *result.policies], rows, len(keys))]
    if target and answers is not None:
        lines += ["", f"Target {target} (95 % interval):"]
        lines += [f"  {sentence(result, target, a)}" for a in answers]
    return "\n".join(lines)


def sentence(result: PlanResult, target: Target, found: Answer) -> str:
    """The answer in one plain sentence."""
    end = "lower end" if target.at_least else "upper end"
    if found.cell is not None:
        cell = result.cells[found.cell].label(result.varies)
        first = "smallest value" if len(result.varies) == 1 else "first cell"
        return f"{found.policy}: {cell} is the {first} that meets it ({end} {found.bound:.1f})."
    span = (
        f"{result.cells[0].label(result.varies)} to {result.cells[-1].label(result.varies)}"
        if len(result.cells) > 1
        else result.cells[0].label(result.varies)
    )
    closest = (
        f"; closest: {result.cells[found.best_cell].label(result.varies)} ({end} {found.bound:.1f})"
        if found.best_cell is not None and found.bound is not None
        else ""
    )
    return f"{found.policy}: none from {span} meets it with 95 % confidence{closest}."


def _text(value: Any) -> str:
    from matcher.plan.vary import value_text

    return value_text(value)


def _table(headings: Sequence[str], rows: Sequence[Sequence[str]], left: int) -> list[str]:
    widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(headings)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if k < left else c.rjust(w)
            for k, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(headings), *(line(r) for r in rows)]


def plan_data(
    result: PlanResult, summary: Summary, target: Target | None,
    answers: Sequence[Answer] | None, *, discount: float,
) -> dict[str, Any]:  # fmt: skip
    from matcher.output import versions

    return {
        "scenario": result.scenario,
        "vary": [{"key": v.key, "values": list(v.values)} for v in result.varies],
        "policies": list(result.policies),
        "runs": result.runs,
        "weeks": result.weeks,
        "seed": result.seed,
        "weekly_discount": discount,
        "hindsight": result.hindsight,
        "cells": [
            {
                "values": dict(zip([v.key for v in result.varies], cell.values, strict=True)),
                "policies": summary[cell.index],
            }
            for cell in result.cells
        ],
        "target": None
        if target is None or answers is None
        else {
            "metric": target.metric,
            "at_least": target.at_least,
            "threshold": target.threshold,
            "answers": [
                {
                    "policy": a.policy,
                    "cell": None
                    if a.cell is None
                    else dict(
                        zip(
                            [v.key for v in result.varies], result.cells[a.cell].values, strict=True
                        )
                    ),
                    "bound": a.bound,
                }
                for a in answers
            ],
        },
        "versions": versions(),
    }


def runs_csv(result: PlanResult) -> str:
    """One row per cell, run and policy: the varied values and every metric of the run."""
    from matcher.io import format_csv
    from matcher.plan.target import METRICS
    from matcher.simulate.cli import trace_cell

    keys = [v.key for v in result.varies]
    header = ["cell", *keys, "run", "policy", *METRICS]
    rows = [
        [str(r.cell), *(_text(v) for v in result.cells[r.cell].values), str(r.run), policy,
         *(trace_cell(r.metrics[policy].get(m, float("nan"))) for m in METRICS)]
        for r in result.results
        for policy in result.policies
    ]  # fmt: skip
    return format_csv(header, rows)
