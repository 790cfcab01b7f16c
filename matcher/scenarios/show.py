"""Plain-text descriptions for `matcher scenario show` and `run`: parameters and what they give."""

from __future__ import annotations

import textwrap
from collections import Counter

from matcher import vocab
from matcher.population import Population
from matcher.result import MatchResult
from matcher.scenarios.calibration import expected_places, expected_risk_tiers
from matcher.scenarios.geography import organisation_count
from matcher.scenarios.params import Age, Availability, Languages, Words
from matcher.scenarios.spec import ClientParams, Scenario, VolunteerParams

WIDTH = 92


def describe(scenario: Scenario) -> str:
    lines = [f"{scenario.name}: {scenario.title}", ""]
    lines += textwrap.wrap(" ".join(scenario.description.split()), WIDTH)
    if scenario.sources:
        lines += ["", "Based on:"]
        for source in scenario.sources:
            lines += textwrap.wrap(source, WIDTH, initial_indent="  - ", subsequent_indent="    ")
    region = scenario.region
    orgs = organisation_count(scenario)
    where = (
        f"Region {region.name}: {len(region.districts)} districts "
        f"({_listed([d.name for d in region.districts], 6)}), homes within "
        f"~{region.spread_km:g} km of a district centre"
    )
    if region.clients_per_organisation:
        where += f"; {orgs} organisations, one per {region.clients_per_organisation:,} clients"
    lines += [
        "",
        f"Round: {scenario.clients.count:,} clients, {scenario.volunteers.count:,} volunteers; "
        f"seed {scenario.seed}, round date {scenario.round_date.isoformat()}",
        *textwrap.wrap(where, WIDTH, subsequent_indent="  "),
    ]
    for programme in scenario.resolved():
        lines += ["", f"Programme {region.name}-{programme.name} ({programme.share:.0%} of people)"]
        lines += _indented("clients", _clients(programme.clients))
        count = round(scenario.volunteers.count * programme.share)
        lines += _indented("volunteers", _volunteers(programme.volunteers, count))
    funnel = scenario.funnel
    arrivals = scenario.weekly_arrivals
    lines += ["", "For the simulator:"]
    if funnel.approached_per_week is not None:
        lines.append(
            f"  funnel: {funnel.approached_per_week:g} approached a week → reached "
            f"{funnel.reached:.0%} → intake {funnel.intake:.0%} → wants a volunteer "
            f"{funnel.wants_volunteer:.0%}"
        )
    if arrivals is not None:
        lines.append(f"  arrivals: {arrivals:.3g} clients a week who want a volunteer")
    dynamics = scenario.dynamics
    lines += textwrap.wrap(
        f"matches last ~{dynamics.match_weeks:g} weeks, {dynamics.ends_early:.0%} end early; "
        f"{dynamics.introductions_declined:.0%} of introductions declined; "
        f"{dynamics.volunteer_churn_per_year:.0%} of volunteers stop within a year"
        + (f"; at most {dynamics.max_match_weeks} weeks" if dynamics.max_match_weeks else "")
        + (
            f"; {dynamics.checkin_dropout:.0%} of running matches end at each check-in"
            if dynamics.checkin_dropout
            else ""
        ),
        WIDTH,
        initial_indent="  ",
        subsequent_indent="  ",
    )
    return "\n".join(lines)


def round_summary(result: MatchResult, pop: Population) -> str:
    tiers = Counter(vocab.RISK_TIERS[t] for t in pop.c_tier.tolist())
    matched = Counter(m.risk_tier for m in result.matches)
    reasons = Counter(u.reason for u in result.unmatched)
    phone = sum(m.contact == "phone" for m in result.matches)
    lines = [
        "Matched by risk tier: "
        + ", ".join(f"{tier} {matched[tier]}/{tiers[tier]}" for tier in vocab.RISK_TIERS),
        f"Contact: {len(result.matches) - phone} visit, {phone} phone",
    ]
    if reasons:
        lines.append(
            "Waiting, by reason: "
            + ", ".join(f"{reason} {count}" for reason, count in sorted(reasons.items()))
        )
    return "\n".join(lines)


def _indented(label: str, parts: list[str]) -> list[str]:
    text = "; ".join(parts)
    return textwrap.wrap(
        text, WIDTH, initial_indent=f"  {label}: ", subsequent_indent=" " * (len(label) + 4)
    )


def _clients(p: ClientParams) -> list[str]:
    tiers = expected_risk_tiers(p)
    return [
        f"age {_age(p.age)}",
        f"gender {_shares(p.gender)}",
        f"loss {_shares(p.loss_type)}, {p.months_since_loss.min:g}–{p.months_since_loss.max:g} "
        "months ago",
        f"hindering factors {_shares(p.hindering_factors)}",
        f"protective factors {_shares(p.protective_factors)}",
        "risk tiers "
        + "/".join(f"{tiers[t]:.0%}" for t in vocab.RISK_TIERS)
        + " (stated "
        + "/".join(f"{p.expected_risk_tiers.get(t, 0):.0%}" for t in vocab.RISK_TIERS)
        + ")",
        f"needs {_words(p.needs)}",
        f"free {_availability(p.availability)}",
        f"languages {_languages(p.languages)}",
        f"contact {_shares(p.contact)} ({p.phone_without_address:.0%} of phone-only give no "
        "address)",
        f"gender preference {p.preferred_gender:.0%}",
        f"waiting {p.waiting_weeks.min:g}–{p.waiting_weeks.max:g} weeks",
        f"declined an introduction before {p.declined_introduction:.0%}",
        *_hours("a match takes", p.hours_per_week),
    ]


def _hours(what: str, mix: dict[str, float] | None) -> list[str]:
    if mix is None:
        return []
    return [f"{what} " + ", ".join(f"{h} h {share:.0%}" for h, share in mix.items()) + " a week"]


def _volunteers(p: VolunteerParams, count: int) -> list[str]:
    places, free = expected_places(p, count)
    return [
        f"age {_age(p.age)}",
        f"gender {_shares(p.gender)}",
        f"lived experience {_shares(p.lived_experience) or 'none'}",
        f"training {_shares(p.training) or 'none'}",
        f"capacity {_shares(p.capacity)}, {p.occupied:.0%} taken (~{places:.0f} places, "
        f"~{free:.0f} free)",
        f"travel {p.max_travel_km.min:g}–{p.max_travel_km.max:g} km",
        f"skills {_words(p.skills)}",
        f"free {_availability(p.availability)}",
        f"languages {_languages(p.languages)}",
        f"contact {_shares(p.contact)}",
        f"also a second programme {p.second_programme:.0%}",
        *_hours("gives", p.hours_per_week),
    ]


def _shares(shares: dict[str, float]) -> str:
    return ", ".join(f"{word} {share:.0%}" for word, share in shares.items() if share > 0)


def _age(age: Age) -> str:
    return f"{age.mean:g} ± {age.sd:g} ({age.min}–{age.max})"


def _words(words: Words) -> str:
    weights = words.weights or {}
    return f"{words.min}–{words.max} of " + ", ".join(
        f"{word} ×{weight:g}" for word, weight in weights.items()
    )


def _availability(a: Availability) -> str:
    parts = a.day_parts
    return (
        f"{a.min_slots}–{a.max_slots} slots (am ×{parts.am:g}, pm ×{parts.pm:g}, "
        f"eve ×{parts.eve:g}, weekend ×{a.weekend:g}), {a.any_time:.0%} any time"
    )


def _languages(languages: Languages) -> str:
    if not languages.others:
        return f"{languages.main} only"
    return (
        f"{languages.main}; also {_shares(languages.others)} "
        f"({languages.others_speak_main:.0%} of whom speak {languages.main})"
    )


def _listed(names: list[str], shown: int) -> str:
    return ", ".join(names[:shown]) + (
        f", … ({len(names) - shown} more)" if len(names) > shown else ""
    )
