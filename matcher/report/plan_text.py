"""A sweep as text: the tables `matcher plan` prints, the target's answer in a sentence, and
plan.json and runs.csv (the HTML report shows the same tables; matcher.report.plan)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matcher.io import format_csv
from matcher.output import versions
from matcher.plan.from_ledger import Parameter
from matcher.plan.recruit import LOWER_IS_BETTER, Candidates, Ranked
from matcher.plan.sweep import PlanResult
from matcher.plan.target import METRICS, Answer, Target
from matcher.plan.vary import value_text
from matcher.report.comparison import interval_cell, trace_cell
from matcher.report.texts import texts
from matcher.simulate.metrics import Stat

Summary = Sequence[Mapping[str, Mapping[str, Stat]]]


def render(
    result: PlanResult, summary: Summary, shown: Sequence[str], target: Target | None,
    answers: Sequence[Answer] | None,
) -> str:  # fmt: skip
    words = texts("en")
    hindsight = "with hindsight" if result.hindsight else "hindsight not computed"
    lines = [
        f"{result.scenario}: {len(result.cells)} cells × {result.runs} runs × {result.weeks} "
        f"weeks, {hindsight}; estimate [95 % interval], — where undefined in every run",
    ]
    keys = [v.key for v in result.varies]
    labels = [[value_text(value) for value in cell.values] for cell in result.cells]
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


def _table(headings: Sequence[str], rows: Sequence[Sequence[str]], left: int) -> list[str]:
    widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(headings)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if k < left else c.rjust(w)
            for k, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(headings), *(line(r) for r in rows)]


def ledger_lines(found: Sequence[Parameter], db_path: str, scenario: str) -> str:
    """Which flow parameters came from the ledger, which stayed the scenario's, and why."""
    lines = [f"Flows from the ledger {db_path}; people drawn as in {scenario}:"]
    for heading, from_data in (("from data", True), ("defaults", False)):
        chosen = [p for p in found if p.from_data is from_data]
        for k, p in enumerate(chosen):
            label = f"{heading}:" if k == 0 else ""
            lines.append(f"  {label:<11}{p.key} = {value_text(p.value)} ({p.basis})")
    return "\n".join(lines)


def plan_data(
    result: PlanResult, summary: Summary, target: Target | None,
    answers: Sequence[Answer] | None, *, discount: float,
    ledger: Sequence[Parameter] | None = None,
) -> dict[str, Any]:  # fmt: skip
    return {
        "scenario": result.scenario,
        "vary": [{"key": v.key, "values": list(v.values)} for v in result.varies],
        "policies": list(result.policies),
        "runs": result.runs,
        "weeks": result.weeks,
        "seed": result.seed,
        "weekly_discount": discount,
        "hindsight": result.hindsight,
        "from_ledger": None
        if ledger is None
        else [
            {"key": p.key, "value": p.value, "from_data": p.from_data, "basis": p.basis}
            for p in ledger
        ],
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
    keys = [v.key for v in result.varies]
    header = ["cell", *keys, "run", "policy", *METRICS]
    rows = [
        [str(r.cell), *(value_text(v) for v in result.cells[r.cell].values), str(r.run), policy,
         *(trace_cell(r.metrics[policy].get(m, float("nan"))) for m in METRICS)]
        for r in result.results
        for policy in result.policies
    ]  # fmt: skip
    return format_csv(header, rows)


def recruit_lines(
    ranked: Sequence[Ranked], found: Candidates, metric: str, policy: str
) -> list[str]:
    """The candidates best first: what one more such volunteer changes, with its interval."""
    words = texts("en")
    fmt = METRICS[metric]
    source = (
        f"suggested by the {found.waiting} clients the scenario's round leaves waiting"
        if found.source == "waiting"
        else "suggested by all the round's clients (it leaves nobody waiting)"
    )
    better = "lower" if metric in LOWER_IS_BETTER else "higher"
    rows = [
        [str(k + 1), r.candidate.label, str(r.candidate.reaches),
         interval_cell(r.improvement, "{:+.2f}"), interval_cell(r.value, fmt)]
        for k, r in enumerate(ranked)
    ]  # fmt: skip
    headings = ["rank", "one more volunteer", "reaches", "change", words[f"m_{metric}"]]
    return [
        f"Which profile to recruit ({policy}; candidates {source}); ranked by the change in "
        f"{words[f'm_{metric}']} ({metric}, {better} is better) that one more such volunteer "
        "makes, per run against today's pool, 95 % interval:",
        *_table(headings, rows, 2),
    ]
