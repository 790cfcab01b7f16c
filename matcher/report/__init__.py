"""Self-contained HTML reports of a matching round or a policy comparison.

One file, nothing fetched (charts are embedded images, fonts are the system's), readable on a
phone and printed on A4. Needs the optional extra: `pip install 'matcher[report]'` (matplotlib
draws the charts, jinja2 escapes every value into the page).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from matcher.output import versions
from matcher.report.extra import EXTRA_HINT, ReportError, require_report_extra
from matcher.report.pseudonyms import Pseudonyms, load_key
from matcher.report.round_input import RoundInput

if TYPE_CHECKING:
    from collections.abc import Mapping

    from matcher.rounds.evaluate import Evaluation
    from matcher.simulate.metrics import Stat

__all__ = [
    "EXTRA_HINT",
    "ReportError",
    "RoundInput",
    "evaluation_report",
    "require_report_extra",
    "round_report",
    "simulation_report",
]
# The views below draw charts with matplotlib and the pages are jinja2 templates: the optional
# report extra, imported only when a report is drawn (after require_report_extra).


def round_report(data: RoundInput, *, lang: str = "nl", pseudonymise: bool = False) -> str:
    """The round's proposals, who waits and why, who to recruit, a map, loads and tiers."""
    require_report_extra()
    from matcher.report.round import round_view  # matplotlib: the report extra

    names = Pseudonyms(load_key() if pseudonymise else None)
    return _render("round.html.j2", round_view(data, lang=lang, names=names), names.active)


def simulation_report(
    scenario: str,
    result: Any,
    summary: Mapping[str, Mapping[str, Stat]],
    *,
    seed: int,
    lang: str = "nl",
) -> str:
    """Policies compared: waiting per tier over the weeks, matched share, % of hindsight,
    load balance. Simulated people are nobody, so there is nothing to pseudonymise."""
    require_report_extra()
    from matcher.report.simulation import simulation_view  # matplotlib: the report extra

    view = simulation_view(scenario, result, summary, seed=seed, lang=lang)
    return _render("simulation.html.j2", view, False)


def plan_report(
    result: Any, summary: Any, shown: Any, target: Any, answers: Any, lang: str = "nl",
    ranking: Any = None,
) -> str:  # fmt: skip
    """A sweep: per metric a table of the cells and a chart against the varied key, per
    policy, with intervals; the target's answer first, and with `ranking` (plan.json's
    "recruit") which profile to recruit. Simulated people are nobody."""
    require_report_extra()
    from matcher.report.plan import plan_view  # matplotlib: the report extra

    view = plan_view(result, summary, shown, target, answers, lang, ranking)
    return _render("plan.html.j2", view, False)


def evaluation_report(
    evaluation: Evaluation, *, lang: str = "nl", pseudonymise: bool = False, min_group_size: int = 5
) -> str:
    """The funder's figures: funnel, waiting, matches, introductions, check-ins, volunteers.
    Shared (`pseudonymise`): counts below `min_group_size` as "<k", small sources merged."""
    require_report_extra()
    from matcher.report.evaluation import evaluation_view  # matplotlib: the report extra

    k = min_group_size if pseudonymise else None
    return _render("evaluation.html.j2", evaluation_view(evaluation, lang=lang, k=k), pseudonymise)


def _render(template: str, view: Any, pseudonymised: bool) -> str:
    import jinja2  # the report extra

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("matcher.report", "templates"),
        autoescape=True,  # ids and districts come from spreadsheets: never markup
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    page = environment.get_template(template)
    return page.render(v=view, version=versions()["matcher"], pseudonymised=pseudonymised)
