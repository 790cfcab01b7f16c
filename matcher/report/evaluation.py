"""What an evaluation report shows: the funnel, waiting, matches, introductions, check-ins,
volunteers and ages, from one Evaluation. A shared report (`--pseudonymise`) prints counts
below `[report] min_group_size` as "<k" and merges small sources; it names nobody either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from matcher.report import charts
from matcher.report.evaluation_text import percent, shareable_sources, weeks
from matcher.report.evaluation_texts import evaluation_texts
from matcher.report.privacy import count_text
from matcher.rounds.evaluate import STAGES, Evaluation, Funnel

Rows = list[tuple[str, ...]]


@dataclass
class EvaluationView:
    lang: str
    t: Mapping[str, str]
    title: str
    facts: list[tuple[str, str]]
    funnel: Rows
    groups: list[tuple[str, Rows]]  # (title, rows of name + counts per stage)
    stage_names: list[str]
    closed: Rows
    waits: Rows
    matches: list[tuple[str, str]]
    ended: Rows
    introductions: list[tuple[str, str]]
    checkins: Rows
    volunteers: list[tuple[str, str]]
    ages: Rows
    notes: list[str]
    charts: dict[str, charts.Chart] = field(default_factory=dict)


def evaluation_view(
    ev: Evaluation, *, lang: str, k: int | None, draw: bool = True
) -> EvaluationView:
    """`draw`: with the charts drawn (the report); without, the web page loads each one
    (see evaluation_charts) as an image of its own."""
    t = evaluation_texts(lang)

    def n(value: int) -> str:
        return count_text(value, k)

    def pct(value: float | None) -> str:
        text = percent(value)
        return text.replace(".", ",") if lang == "nl" else text

    def wk(value: float | None) -> str:
        text = weeks(value)
        return text.replace(".", ",") if lang == "nl" else text

    def word(key: str) -> str:
        return t.get(key, key)

    period = (
        t["period"].format(start=ev.start, end=ev.end)
        if ev.start
        else t["period_from_start"].format(end=ev.end)
    )
    counts, rates = ev.funnel.counts(), list(ev.funnel.rates().values())
    all_rates = ev.rates()

    def group_rows(groups: Mapping[str, Funnel], named: bool) -> Rows:
        return [
            (word(name) if named else name, *(n(c) for c in f.counts().values()))
            for name, f in groups.items()
        ]

    view = EvaluationView(
        lang=lang,
        t=t,
        title=t["evaluation_title"].format(period=period),
        facts=[
            (t["programme"], ev.programme or t["all_programmes"]),
            (t["approached"], n(ev.funnel.approached)),
            (t["coupled"], n(ev.funnel.coupled)),
            (t["approached_to_coupled"], pct(ev.funnel.rates()["approached_to_coupled"])),
            (t["median_weeks"], wk(ev.waits.median_weeks)),
            (t["high_within_4"], pct(all_rates["high_risk_within_4_weeks"])),
        ],
        funnel=[
            (t[stage], n(counts[stage]), pct(rates[i - 1]) if i else "")
            for i, stage in enumerate(STAGES)
        ],
        groups=[
            (t["by_channel"], group_rows(ev.by_channel, True)),
            (t["by_source"], group_rows(shareable_sources(ev.by_source, k), False)),
            (t["by_programme"], group_rows(ev.by_programme, False)),
        ],
        stage_names=[t[stage] for stage in STAGES],
        closed=[(reason, n(count)) for reason, count in ev.outreach_closed.items()],
        waits=[
            (t["all"], n(ev.waits.n), wk(ev.waits.median_weeks), wk(ev.waits.p90_weeks)),
            *(
                (word(tier), n(w.n), wk(w.median_weeks), wk(w.p90_weeks))
                for tier, w in ev.waits_by_tier.items()
            ),
        ],
        matches=[
            (t["started"], n(ev.matches_started)),
            (t["active_at_end"], n(ev.matches_active_at_end)),
            (t["ended"], n(sum(ev.matches_ended.values()))),
            (t["median_duration"], wk(ev.median_match_weeks)),
            (t["still_waiting"], n(ev.waiting_at_end)),
            (
                t["high_within_4"],
                f"{n(ev.high_risk_within_4_weeks)} / {n(ev.high_risk_clients)}"
                f" ({pct(all_rates['high_risk_within_4_weeks'])})",
            ),
        ],
        ended=[(reason, n(count)) for reason, count in ev.matches_ended.items()],
        introductions=[
            (t["started"], n(ev.matches_started)),
            (t["introduced"], n(ev.introduced)),
            (t["confirmed"], n(ev.confirmed)),
            (
                t["declined_share"],
                f"{n(ev.declined_after_introduction)} ({pct(all_rates['introductions_declined'])})",
            ),
        ],
        checkins=[(word(outcome), n(count)) for outcome, count in ev.checkins.items()],
        volunteers=[
            (t["volunteers_in_ledger"], n(ev.volunteers)),
            (t["volunteers_active"], n(ev.volunteers_active)),
            (t["mean_load"], wk(ev.volunteer_mean_load)),
            (t["volunteers_stopped"], n(ev.volunteers_stopped)),
        ],
        ages=[(word(band), n(count)) for band, count in ev.ages.items()],
        notes=[
            *([t["small_counts"].format(k=k, k_1=k - 1)] if k is not None and k > 1 else []),
            *([t["erased_note"].format(n=ev.erased_clients)] if ev.erased_clients else []),
        ],
    )
    if draw:
        view.charts = {name: bars.draw() for name, bars in evaluation_charts(ev, lang, k).items()}
    return view


@dataclass(frozen=True)
class Bars:
    """A bar chart to draw: what it shows, so that the same figures give the same chart."""

    names: tuple[str, ...]
    counts: tuple[int, ...]
    xlabel: str

    @property
    def alt(self) -> str:
        return charts.count_bars_alt(self.names, self.counts, self.xlabel)

    def draw(self) -> charts.Chart:
        return charts.count_bars(self.names, self.counts, self.xlabel)


def evaluation_charts(ev: Evaluation, lang: str, k: int | None) -> dict[str, Bars]:
    """The charts of an evaluation, by name (funnel, ages), not yet drawn."""
    t = evaluation_texts(lang)
    found = {}
    # Charts draw exact counts; a shared report draws only the funnel, whose stages are large.
    counts = tuple(ev.funnel.counts().values())
    if k is None or all(c == 0 or c >= k for c in counts):
        found["funnel"] = Bars(tuple(t[stage] for stage in STAGES), counts, t["people"])
    ages = tuple(ev.ages.values())
    if k is None or all(c == 0 or c >= k for c in ages):
        found["ages"] = Bars(tuple(t.get(band, band) for band in ev.ages), ages, t["clients_n"])
    return found
