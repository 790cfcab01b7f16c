"""What a plan report shows: per metric a table of the cells and a chart against the key."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from matcher.report import charts
from matcher.report.comparison import interval_cell
from matcher.report.texts import texts
from matcher.simulate.metrics import UPPER, Stat


@dataclass
class PlanTable:
    metric: str
    heading: str
    columns: list[str]
    rows: list[list[str]]
    chart: charts.Chart | None


@dataclass
class PlanView:
    lang: str
    t: Mapping[str, str]
    title: str
    facts: list[tuple[str, str]]
    tables: list[PlanTable] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    recruit_intro: str = ""
    recruit_columns: list[str] = field(default_factory=list)
    recruit_rows: list[list[str]] = field(default_factory=list)


def plan_view(
    result: Any, summary: Sequence[Mapping[str, Mapping[str, Stat]]], shown: Sequence[str],
    target: Any, answers: Any, lang: str, ranking: Mapping[str, Any] | None = None,
) -> PlanView:  # fmt: skip
    from matcher.plan.target import METRICS
    from matcher.plan.vary import value_text

    t = texts(lang)
    keys = [v.key for v in result.varies]
    view = PlanView(
        lang=lang,
        t=t,
        title=t["plan_title"].format(scenario=result.scenario),
        facts=[
            (t["scenario"], result.scenario),
            (t["plan_varied"], ", ".join(keys)),
            (t["plan_cells"], str(len(result.cells))),
            (t["runs"], str(result.runs)),
            (t["weeks"], str(result.weeks)),
            (t["seed"], str(result.seed)),
            (t["plan_policies"], ", ".join(result.policies)),
        ],
    )
    labels = [[value_text(v) for v in cell.values] for cell in result.cells]
    for metric in shown:
        heading, fmt = t[f"m_{metric}"], METRICS[metric]
        rows = [
            [*label, *(_cell(summary[c.index][p][metric], fmt, lang) for p in result.policies)]
            for c, label in zip(result.cells, labels, strict=True)
        ]
        view.tables.append(
            PlanTable(
                metric,
                heading,
                [*keys, *result.policies],
                rows,
                _chart(result, summary, metric, heading, t),
            )
        )
    if target is not None and answers is not None:
        view.answers = [_answer(result, target, a, t, lang) for a in answers]
    if ranking is not None:
        _recruits(view, ranking, t, lang)
    return view


def _recruits(view: PlanView, ranking: Mapping[str, Any], t: Mapping[str, str], lang: str) -> None:
    """The candidates best first (the ranking `matcher.plan.recruit.rank` made)."""
    # Imported here, as in plan_view: the report modules load without the planner.
    from matcher.plan.target import METRICS

    metric = ranking["metric"]
    view.recruit_intro = t["plan_recruit_intro"].format(
        policy=ranking["policy"], metric=t[f"m_{metric}"],
        better=t["plan_lower"] if ranking["lower_is_better"] else t["plan_higher"],
    )  # fmt: skip
    view.recruit_columns = [t["plan_rank"], t["plan_profile"], t["plan_reaches"],
                            t["plan_change"], t[f"m_{metric}"]]  # fmt: skip
    view.recruit_rows = [
        [str(r["rank"]), r["profile"], str(r["reaches_waiting"]),
         _cell(r["improvement"], "{:+.2f}", lang), _cell(r["value"], METRICS[metric], lang)]
        for r in ranking["ranking"]
    ]  # fmt: skip


def _chart(
    result: Any, summary: Sequence[Mapping[str, Mapping[str, Stat]]], metric: str, heading: str,
    t: Mapping[str, str],
) -> charts.Chart:  # fmt: skip
    """Against the first varied key; one line per policy and per value of the other keys."""
    from matcher.plan.vary import value_text

    first = result.varies[0]
    x_labels = [value_text(v) for v in first.values]
    series: dict[str, list[Mapping[str, float] | None]] = {}
    for cell in result.cells:
        rest = ", ".join(
            f"{v.key}={value_text(x)}" for v, x in zip(result.varies[1:], cell.values[1:],
                                                        strict=True)
        )  # fmt: skip
        for policy in result.policies:
            name = f"{policy} ({rest})" if rest else policy
            stat = summary[cell.index][policy][metric]
            defined = stat["mean"] is not None
            series.setdefault(name, []).append(
                {"mean": stat["mean"], "low": stat["low"], "high": stat["high"]}
                if defined
                else None
            )
    return charts.interval_lines(x_labels, series, first.key, heading, limit=UPPER.get(metric))


def _answer(result: Any, target: Any, found: Any, t: Mapping[str, str], lang: str) -> str:
    end = t["plan_lower_end"] if target.at_least else t["plan_upper_end"]
    if found.cell is not None:
        bound = f"{found.bound:.1f}"
        return t["plan_met"].format(
            policy=found.policy, cell=result.cells[found.cell].label(result.varies),
            target=str(target), end=end,
            bound=bound.replace(".", ",") if lang == "nl" else bound,
        )  # fmt: skip
    return t["plan_none"].format(
        policy=found.policy, first=result.cells[0].label(result.varies),
        last=result.cells[-1].label(result.varies), target=str(target),
    )  # fmt: skip


def _cell(stat: Stat, fmt: str, lang: str) -> str:
    text = interval_cell(stat, fmt)
    return text.replace(".", ",") if lang == "nl" else text
