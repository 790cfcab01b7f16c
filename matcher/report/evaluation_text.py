"""The evaluation as JSON, as plain text and as workbook sheets (the HTML: evaluation.py).

Every rendering reads the same Evaluation; none counts anything itself. A shared rendering
(`k` given: `--pseudonymise`) prints counts from 1 to k - 1 as "<k" and merges sources with
fewer than k people into one row, so no count points at one person.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matcher.io.workbook_out import Cell, Sheet
from matcher.report.privacy import count_text
from matcher.rounds.evaluate import STAGES, Evaluation, Funnel, Waits

OTHER_SOURCES = "other sources"


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _funnel_json(funnel: Funnel) -> dict[str, Any]:
    return {
        "funnel": funnel.counts(),
        "rates": {k: _round(v) for k, v in funnel.rates().items()},
    }


def _waits_json(waits: Waits) -> dict[str, Any]:
    return {
        "n": waits.n,
        "median_weeks": _round(waits.median_weeks, 2),
        "p90_weeks": _round(waits.p90_weeks, 2),
    }


def evaluation_json(ev: Evaluation) -> dict[str, Any]:
    rates = ev.rates()
    return {
        "period": {"from": ev.start.isoformat() if ev.start else None, "to": ev.end.isoformat()},
        "programme": ev.programme,
        "funnel": ev.funnel.counts(),
        "rates": {k: _round(v) for k, v in ev.funnel.rates().items()},
        "by_channel": {k: _funnel_json(f) for k, f in ev.by_channel.items()},
        "by_source": {k: _funnel_json(f) for k, f in ev.by_source.items()},
        "by_programme": {k: _funnel_json(f) for k, f in ev.by_programme.items()},
        "outreach_closed": ev.outreach_closed,
        "waiting": {
            **_waits_json(ev.waits),
            "by_tier": {k: _waits_json(w) for k, w in ev.waits_by_tier.items()},
            "still_waiting_at_end": ev.waiting_at_end,
        },
        "high_risk": {
            "clients": ev.high_risk_clients,
            "matched_within_4_weeks": ev.high_risk_within_4_weeks,
            "share": _round(rates["high_risk_within_4_weeks"]),
        },
        "matches": {
            "started": ev.matches_started,
            "active_at_end": ev.matches_active_at_end,
            "ended": ev.matches_ended,
            "median_weeks": _round(ev.median_match_weeks, 2),
        },
        "introductions": {
            "matches_started": ev.matches_started,
            "introduced": ev.introduced,
            "confirmed": ev.confirmed,
            "declined": ev.declined_after_introduction,
            "declined_share": _round(rates["introductions_declined"]),
        },
        "checkins": ev.checkins,
        "volunteers": {
            "in_ledger": ev.volunteers,
            "active": ev.volunteers_active,
            "mean_load": _round(ev.volunteer_mean_load, 2),
            "stopped": ev.volunteers_stopped,
        },
        "ages": ev.ages,
        "erased_clients": ev.erased_clients,
    }


def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f} %"


def weeks(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def shareable_sources(sources: Mapping[str, Funnel], k: int | None) -> dict[str, Funnel]:
    """Sources as a shared report may name them: those with fewer than k people merged."""
    if k is None:
        return dict(sources)
    kept = {name: f for name, f in sources.items() if f.approached >= k}
    small = [f for name, f in sources.items() if f.approached < k]
    if small:
        kept[OTHER_SOURCES] = Funnel(*(sum(getattr(f, s) for f in small) for s in STAGES))
    return kept


def funnel_rows(ev: Evaluation, k: int | None = None) -> list[tuple[str, str, str]]:
    """(stage, count, share of the stage before) for the whole funnel."""
    counts, rates = ev.funnel.counts(), list(ev.funnel.rates().values())
    return [
        (stage, count_text(counts[stage], k), percent(rates[i - 1]) if i else "")
        for i, stage in enumerate(STAGES)
    ]


def evaluation_text(ev: Evaluation) -> str:
    period = f"{ev.start or 'the start'} to {ev.end}"
    lines = [
        f"Evaluation {period}" + (f", programme {ev.programme}" if ev.programme else "") + ":",
        "",
        "Outreach (people approached in the period, by the furthest stage they reached):",
    ]
    lines += [f"  {stage:<12} {count:>5}  {share}".rstrip() for stage, count, share in
              funnel_rows(ev)]  # fmt: skip
    lines.append(f"  approached to coupled: {percent(ev.funnel.rates()['approached_to_coupled'])}")
    for title, groups in (
        ("By channel", ev.by_channel),
        ("By source", ev.by_source),
        ("By programme", ev.by_programme),
    ):
        if groups:
            lines.append(f"\n{title}:")
            lines += [
                f"  {name}: " + ", ".join(f"{n} {s}" for s, n in f.counts().items())
                for name, f in groups.items()
            ]
    if ev.outreach_closed:
        listed = ", ".join(f"{reason} {n}" for reason, n in ev.outreach_closed.items())
        lines.append(f"\nOutreach closed: {listed}")
    rates = ev.rates()
    lines += [
        "",
        f"Waiting (matches started in the period): {ev.waits.n} matched, median"
        f" {weeks(ev.waits.median_weeks)} weeks, p90 {weeks(ev.waits.p90_weeks)} weeks;"
        f" {ev.waiting_at_end} still waiting at the end",
    ]
    lines += [
        f"  {tier}: {w.n} matched, median {weeks(w.median_weeks)}, p90 {weeks(w.p90_weeks)}"
        for tier, w in ev.waits_by_tier.items()
    ]
    lines += [
        f"High risk matched within 4 weeks: {ev.high_risk_within_4_weeks} of"
        f" {ev.high_risk_clients} ({percent(rates['high_risk_within_4_weeks'])})",
        "",
        f"Matches: {ev.matches_started} started, {ev.matches_active_at_end} active at the end,"
        f" {sum(ev.matches_ended.values())} ended, median {weeks(ev.median_match_weeks)} weeks",
    ]
    lines += [f"  ended {reason}: {n}" for reason, n in ev.matches_ended.items()]
    lines += [
        f"Introductions: {ev.introduced} introduced, {ev.confirmed} confirmed,"
        f" {ev.declined_after_introduction} of {ev.matches_started} declined"
        f" ({percent(rates['introductions_declined'])})",
        "Check-ins: "
        + (", ".join(f"{o} {n}" for o, n in ev.checkins.items()) if ev.checkins else "none"),
        f"Volunteers: {ev.volunteers} in the ledger, {ev.volunteers_active} active,"
        f" mean load {weeks(ev.volunteer_mean_load)} at the end, {ev.volunteers_stopped} stopped",
        "Clients' ages: " + ", ".join(f"{band} {n}" for band, n in ev.ages.items()),
    ]
    if ev.erased_clients:
        lines.append(f"\n{ev.erased_clients} client(s) erased with `forget` are not counted.")
    return "\n".join(lines)


def evaluation_sheets(ev: Evaluation, labels: Mapping[str, str], k: int | None) -> list[Sheet]:
    """The workbook: the funnel by group, and every other figure as (what, value) rows."""

    def n(value: int) -> Cell:
        return value if k is None or not 0 < value < k else count_text(value, k)

    funnel_rows: list[list[Cell]] = []
    for group, groups in (
        (labels["all"], {labels["all"]: ev.funnel}),
        (labels["by_channel"], ev.by_channel),
        (labels["by_source"], shareable_sources(ev.by_source, k)),
        (labels["by_programme"], ev.by_programme),
    ):
        for name, f in groups.items():
            rates = f.rates()
            funnel_rows.append(
                [group, name, *(n(c) for c in f.counts().values()),
                 *(_round(r) for r in rates.values())]
            )  # fmt: skip
    header = ["group", "name", *STAGES, *ev.funnel.rates()]
    figures = [[key, value] for key, value in _flat(evaluation_json(ev), "") if key]
    return [
        Sheet(labels["funnel_sheet"], header, funnel_rows),
        Sheet(labels["figures_sheet"], ["figure", "value"],
              [[key, n(v) if isinstance(v, int) else v] for key, v in figures]),
    ]  # fmt: skip


def _flat(data: Any, prefix: str) -> list[tuple[str, Cell]]:
    if isinstance(data, dict):
        out: list[tuple[str, Cell]] = []
        for key, value in data.items():
            if key in ("by_channel", "by_source", "by_programme"):
                continue  # on the funnel sheet
            out += _flat(value, f"{prefix}.{key}" if prefix else str(key))
        return out
    return [(prefix, data if isinstance(data, int | float | str) or data is None else str(data))]
