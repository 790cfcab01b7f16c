"""`matcher simulate SCENARIO --policy A --policy B …`: policies compared over simulated weeks."""

from __future__ import annotations

import json
import math
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from matcher.cli_errors import INPUT_PATH, reports_errors
from matcher.cli_outputs import check_distinct_outputs
from matcher.cli_policy import policy_option
from matcher.cli_report import check_report_possible, report_options
from matcher.policies import POLICY_NAMES

if TYPE_CHECKING:  # the package imports the engine: too slow for every command's start
    from matcher.simulate.metrics import Stat

# The comparison table: metric, heading, format.
TABLE = (
    ("matched_pct", "matched %", "{:.1f}"),
    ("pct_of_hindsight", "% hindsight", "{:.1f}"),
    ("wait_median_all", "wait med", "{:.1f}"),
    ("wait_p90_all", "wait p90", "{:.1f}"),
    ("wait_median_high", "high med", "{:.1f}"),
    ("high_risk_within_4_weeks_pct", "high ≤4 wk %", "{:.1f}"),
    ("same_loss_pct", "same loss %", "{:.1f}"),
    ("mean_travel_km", "km", "{:.1f}"),
    ("load_gini", "load Gini", "{:.2f}"),
    ("round_ms", "ms/round", "{:.1f}"),
)
TRACE_COLUMNS = ("policy", "run", "week", "waiting", "matched", "declined", "active_matches",
                 "volunteers", "waiting_low", "waiting_moderate", "waiting_high",
                 "wait_weeks_low", "wait_weeks_moderate", "wait_weeks_high")  # fmt: skip


@click.command()
@click.argument("name", required=False)
@click.option(
    "--file",
    "path",
    type=INPUT_PATH,
    default=None,
    help="A scenario file of your own instead of a built-in NAME.",
)
@policy_option("A policy to compare (repeatable; default all).", "policies", multiple=True)
@click.option("--weeks", type=click.IntRange(1, 520), default=52, show_default=True)
@click.option("--runs", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Local processes to spread the runs over; results do not depend on it.",
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
    help="Write summary.json and traces.csv here.",
)
@report_options(pseudonymise=False)
@reports_errors
def simulate(
    name: str | None, path: str | None, policies: tuple[str, ...], weeks: int, runs: int,
    seed: int, workers: int, discount: float, out_dir: str | None, report_path: str | None,
    lang: str | None,
) -> None:  # fmt: skip
    """Compare POLICIES on a scenario over simulated weeks (same arrivals for every policy)."""
    from matcher.errors import ConfigError, Problem
    from matcher.scenarios.cli import _load
    from matcher.simulate import simulate as run_simulation
    from matcher.simulate.scenario import dynamics_of, sampler_of
    from matcher.vocab import unknown_word_message

    check_report_possible(report_path, lang=lang)
    written = ("summary.json", "traces.csv") if out_dir else ()
    check_distinct_outputs(
        {**{f"{file} in --out": Path(str(out_dir), file) for file in written},
         "--report": report_path},
        inputs={"--file": path},
    )  # fmt: skip
    scenario = _load(name, path)
    chosen = policies or POLICY_NAMES
    unknown = [p for p in chosen if p not in POLICY_NAMES]
    if unknown:
        raise ConfigError(
            [Problem("--policy", None, None, unknown_word_message("policy", p, POLICY_NAMES))
             for p in unknown]
        )  # fmt: skip
    with click.progressbar(length=runs, label="simulating", file=sys.stderr) as bar:
        result = run_simulation(
            dynamics_of(scenario), sampler_of(scenario), list(chosen), weeks=weeks, runs=runs,
            seed=seed, workers=workers, config=scenario.config, weekly_discount=discount,
            progress=bar.update,
        )  # fmt: skip
    summary = result.summary()
    click.echo(render(scenario.name, result, summary))
    if out_dir:
        from matcher.io import format_csv, write_atomic

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        data = summary_data(scenario.name, result, summary, seed=seed, discount=discount)
        rows = [
            [policy, str(run.run), *(trace_cell(row[c]) for c in TRACE_COLUMNS[2:])]
            for run in result.runs
            for policy in result.policies
            for row in run.traces[policy]
        ]
        write_atomic(
            {
                out / "summary.json": json.dumps(data, indent=2) + "\n",
                out / "traces.csv": format_csv(TRACE_COLUMNS, rows),
            }
        )
        click.echo(f"\nWrote {out / 'summary.json'}, {out / 'traces.csv'}")
    if report_path:
        from matcher.io import write_atomic
        from matcher.report import simulation_report

        language = lang or scenario.config.report.lang
        page = simulation_report(scenario.name, result, summary, seed=seed, lang=language)
        write_atomic(report_path, page)
        click.echo(f"Wrote {report_path}")


def render(name: str, result: Any, summary: Mapping[str, Mapping[str, Stat]]) -> str:
    from matcher.report.texts import texts

    exact = result.hindsight_exact_runs
    reference = (
        "optimum" if exact == len(result.runs) else f"optimum in {exact} runs, LP bound in the rest"
    )
    lines = [
        f"{name}: {len(result.runs)} runs × {result.weeks} weeks; estimate [95 % interval];"
        f" hindsight = {reference}",
        "",
    ]
    width = max(len(p) for p in result.policies)
    cells = {
        p: [interval_cell(summary[p][key], fmt) for key, _, fmt in TABLE] for p in result.policies
    }
    widths = [
        max(len(heading), *(len(cells[p][k]) for p in result.policies))
        for k, (_, heading, _) in enumerate(TABLE)
    ]
    header = "  ".join(h.rjust(w) for (_, h, _), w in zip(TABLE, widths, strict=True))
    lines.append(f"{'policy':<{width}}  {header}")
    for p in result.policies:
        row = "  ".join(c.rjust(w) for c, w in zip(cells[p], widths, strict=True))
        lines.append(f"{p:<{width}}  {row}")
    words = texts("en")
    notes = coverage_notes(summary, [(k, h) for k, h, _ in TABLE], len(result.runs), words)
    lines += ["", *(textwrap.fill(note, 100) for note in [words["interval_methods"], *notes])]
    return "\n".join(lines)


UNDEFINED = "—"


def interval_cell(stat: Stat, fmt: str) -> str:
    """'mean [low–high]', the mean alone when the interval is a point, '—' when undefined."""
    if stat["mean"] is None or stat["low"] is None or stat["high"] is None:
        return UNDEFINED
    if stat["high"] - stat["low"] < 1e-9:
        return fmt.format(stat["mean"])
    return f"{fmt.format(stat['mean'])} [{fmt.format(stat['low'])}–{fmt.format(stat['high'])}]"


def coverage_notes(
    summary: Mapping[str, Mapping[str, Stat]],
    columns: Sequence[tuple[str, str]],
    runs: int,
    words: Mapping[str, str],
) -> list[str]:
    """For each column not defined in every run: over how many runs it is taken, and why."""
    from matcher.simulate.metrics import GROUP_OF

    notes = []
    for key, heading in columns:
        group = GROUP_OF.get(key)
        counts = sorted({stats[key]["runs"] for stats in summary.values()})
        if group is None or counts == [runs]:
            continue
        what = words[f"group_{group}"]
        if counts == [0]:
            notes.append(words["no_run_had"].format(metric=heading, group=what))
        elif len(counts) == 1:
            notes.append(
                words["over_runs"].format(metric=heading, n=counts[0], runs=runs, group=what)
            )
        else:
            notes.append(
                words["over_runs_by_policy"].format(
                    metric=heading, low=counts[0], high=counts[-1], runs=runs, group=what
                )
            )
    return notes


def trace_cell(value: float) -> str:
    """A trace value for the CSV: empty where undefined (nobody of the tier waiting)."""
    return "" if math.isnan(value) else str(value)


def summary_data(
    name: str, result: Any, summary: Mapping[str, Mapping[str, Stat]], *, seed: int, discount: float
) -> dict[str, Any]:
    from matcher.output import versions

    return {
        "scenario": name,
        "weeks": result.weeks,
        "runs": len(result.runs),
        "seed": seed,
        "weekly_discount": discount,
        "hindsight": [
            {
                "run": r.run,
                "value": r.hindsight.value,
                "exact": r.hindsight.exact,
            }
            for r in result.runs
        ],
        "policies": summary,
        "versions": versions(),
    }
