"""What a round report shows, computed from a round's inputs and proposals.

The same view serves `matcher match` (a spreadsheet round) and `matcher round propose` (a ledger
round); it recomputes each pair's reasons in the report's language from the people themselves.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from matcher.models import Client
from matcher.population import capacity_units
from matcher.recruits import Profile, client_profiles, recruits
from matcher.report import charts
from matcher.report.bottlenecks import bottleneck_view
from matcher.report.privacy import count_text, shareable_recruits
from matcher.report.pseudonyms import Pseudonyms
from matcher.report.round_input import RoundInput
from matcher.report.round_map import round_map
from matcher.report.texts import texts
from matcher.result import REASON_CODES, Unmatched
from matcher.scoring import CRITERIA, format_weight
from matcher.vocab import RISK_TIERS
from matcher.wording import (
    LOSS_OBJECT,
    REASON_LABELS,
    REASON_REMEDIES,
    Fact,
    language_name,
    render_pair_reasons,
    unmatched_detail,
)

# Up to this many volunteers the loads chart has a bar each; above it, a histogram.
LOAD_BARS_UP_TO = 40
# Sort key: high-risk clients first in every list.
HIGH_FIRST: dict[str, int] = {tier: -k for k, tier in enumerate(RISK_TIERS)}


@dataclass(frozen=True)
class Bar:
    label: str
    percent: int


@dataclass(frozen=True)
class PairRow:
    client: str
    volunteer: str
    tier: str
    tier_label: str
    weight: str
    bars: tuple[Bar, ...]
    reasons: str
    pinned: bool


@dataclass(frozen=True)
class WaitingRow:
    client: str
    tier: str
    tier_label: str
    detail: str


@dataclass(frozen=True)
class ReasonGroup:
    code: str
    label: str
    remedy: str
    n_clients: int
    count: str  # n_clients as the report may print it
    tier_counts: str
    rows: tuple[WaitingRow, ...]  # empty in a shared report when the group is too small


@dataclass
class RoundView:
    lang: str
    t: Mapping[str, str]
    title: str
    facts: list[tuple[str, str]]
    pairs: list[PairRow]
    groups: list[ReasonGroup]
    recruits: list[str]
    charts: dict[str, charts.Chart] = field(default_factory=dict)
    bottlenecks: list[str] = field(default_factory=list)  # sentences, the largest shortage first
    bottlenecks_note: str = ""
    map_note: str = ""
    recruits_note: str = ""  # what a shared report left out of the suggestions
    min_group_size: int | None = None  # k of a shared report

    @property
    def waiting_count(self) -> str:
        return count_text(sum(group.n_clients for group in self.groups), self.min_group_size)


def round_view(data: RoundInput, *, lang: str, names: Pseudonyms) -> RoundView:
    t = texts(lang)
    # Groups smaller than k are left out or coarsened in a report shared outside the team.
    k = data.config.report.min_group_size if names.active else None
    clients = {c.client_id: c for c in data.clients}

    pair_rows, phone_pairs = [], set()
    for pair in sorted(data.pairs, key=lambda p: (HIGH_FIRST[p.risk_tier], p.client_id)):
        pinned = pair.client_id in data.pinned
        facts = _shareable_facts(list(pair.reasons), data, clients, k)
        if ("phone", ()) in facts:
            phone_pairs.add(pair.client_id)
        pair_rows.append(
            PairRow(
                client=names.client(pair.client_id),
                volunteer=names.volunteer(pair.volunteer_id),
                tier=pair.risk_tier,
                tier_label=t[pair.risk_tier],
                weight=_weight(pair.weight_units, lang),
                bars=tuple(Bar(t[c], round(100 * pair.scores[c])) for c in CRITERIA),
                reasons=render_pair_reasons(([("pinned", ())] if pinned else []) + facts, lang),
                pinned=pinned,
            )
        )

    view = RoundView(
        lang=lang,
        t=t,
        title=(
            t["round_title_ledger"].format(round_id=data.round_id, date=data.round_date)
            if data.round_id is not None
            else t["round_title"].format(date=data.round_date)
        ),
        facts=_facts(data, t, lang, k),
        pairs=pair_rows,
        groups=_groups(data, clients, t, lang, names, k),
        recruits=[],
        min_group_size=k,
    )
    view.bottlenecks, view.bottlenecks_note = bottleneck_view(data.bottlenecks, t, lang, names, k)
    waiting = [clients[u.client_id] for u in data.unmatched]
    chosen = recruits(waiting, data.config, data.round_date)
    if k is None:
        view.recruits = [_recruit_sentence(r.profile, t, lang, r.clients, names) for r in chosen]
    else:
        shared = shareable_recruits(chosen, client_profiles(waiting, data.config), k)
        view.recruits = [_recruit_sentence(r.profile, t, lang, r.n_clients) for r in shared.shown]
        notes = [(shared.left_out, "recruits_left_out"), (shared.coarsened, "recruits_coarsened")]
        view.recruits_note = " ".join(t[key].format(n=n, k=k) for n, key in notes if n)
    view.charts["tiers"] = _tier_chart(data, t, k)
    view.charts["map"], view.map_note = round_map(data, phone_pairs, t, k)
    view.charts["loads"] = _loads(data, names, t)
    return view


def _shareable_facts(
    facts: list[Fact], data: RoundInput, clients: Mapping[str, Client], k: int | None
) -> list[Fact]:
    """A shared report names a loss only when k clients of the round had it; otherwise it says
    what is still true, that the volunteer knows loss first-hand."""
    if k is None:
        return facts
    in_round = [p.client_id for p in data.pairs] + [u.client_id for u in data.unmatched]
    losses = Counter(str(clients[c].loss_type) for c in in_round)
    return [
        ("knows-loss", ()) if kind == "same-loss" and losses[str(values[0])] < k else (kind, values)
        for kind, values in facts
    ]


def _facts(
    data: RoundInput, t: Mapping[str, str], lang: str, k: int | None
) -> list[tuple[str, str]]:
    n_clients = len(data.pairs) + len(data.unmatched)
    high_total = sum(p.risk_tier == "high" for p in data.pairs) + sum(
        u.risk_tier == "high" for u in data.unmatched
    )
    high_matched = sum(p.risk_tier == "high" for p in data.pairs)
    places = sum(v.capacity - v.active_clients for v in data.volunteers)
    proposed_new = sum(p.client_id not in data.pinned for p in data.pairs)
    free = (t["free_places"], str(max(places - proposed_new, 0)))
    if _counts_hours(data):
        left = sum(_hours_left(data).values())
        free = (t["free_hours"], _number(left, lang))
    return [
        (t["round_date"], data.round_date.isoformat()),
        (t["matched"], f"{count_text(len(data.pairs), k)} {t['of']} {count_text(n_clients, k)}"),
        (t["high_matched"], f"{count_text(high_matched, k)} {t['of']} {count_text(high_total, k)}"),
        (t["volunteers"], str(len(data.volunteers))),
        free,
        (t["policy"], data.policy),
        (t["status"], data.status),
        (t["objective"], _weight(data.objective_units, lang)),
    ]


def _weight(units: int, lang: str) -> str:
    # All the digits of matches.csv (they add up to the total), with the reader's decimal mark.
    text = format_weight(units)
    return text.replace(".", ",") if lang == "nl" else text


def _groups(
    data: RoundInput,
    clients: Mapping[str, Client],
    t: Mapping[str, str],
    lang: str,
    names: Pseudonyms,
    k: int | None,
) -> list[ReasonGroup]:
    by_reason: dict[str, list[Unmatched]] = defaultdict(list)
    for item in data.unmatched:
        by_reason[item.reason].append(item)
    groups = []
    for code in REASON_CODES:
        items = sorted(
            by_reason.get(code, []), key=lambda u: (HIGH_FIRST[u.risk_tier], u.client_id)
        )
        if not items:
            continue
        rows = []
        # A shared report does not list a group so small that its reason would tell who it is.
        for item in items if k is None or len(items) >= k else ():
            detail = unmatched_detail(
                item, lang, client_name=names.client, volunteer_name=names.volunteer
            )
            if item.stored_detail is not None and names.active:
                detail = ""  # an old ledger's English sentence: it may name people
            rows.append(
                WaitingRow(names.client(item.client_id), item.risk_tier, t[item.risk_tier], detail)
            )
        counts = Counter(u.risk_tier for u in items)
        groups.append(
            ReasonGroup(
                code=code,
                label=REASON_LABELS[lang][code],
                remedy=REASON_REMEDIES[lang][code],
                n_clients=len(items),
                count=count_text(len(items), k),
                tier_counts=", ".join(
                    f"{count_text(counts[tier], k)} {t[tier]}"
                    for tier in reversed(RISK_TIERS)
                    if counts[tier]
                )
                if rows
                else "",
                rows=tuple(rows),
            )
        )
    return groups


def _recruit_sentence(
    profile: Profile,
    t: Mapping[str, str],
    lang: str,
    reach: Sequence[str] | int,
    names: Pseudonyms | None = None,
) -> str:
    """The suggestion in words, with the clients it reaches (their ids) or, shared, their count."""
    where = (
        t["recruit_phone"]
        if profile.phone
        else t["recruit_where"].format(district=profile.district)
        if profile.district
        else ""
    )
    speaks = (
        t["recruit_language"].format(language=language_name(profile.language, lang))
        if profile.language != "nl"
        else ""
    )
    having = []
    if profile.loss_type:
        having.append(t["recruit_loss"].format(loss=LOSS_OBJECT[lang][profile.loss_type]))
    if profile.grief_trained:
        having.append(t["recruit_training"])
    with_what = " " + t["recruit_with"] + " " + _join(having, t) if having else ""
    article = t[f"recruit_a_{profile.gender}"] if profile.gender else t["recruit_a"]
    if isinstance(reach, int):
        return t["recruit_shared"].format(
            a=article, where=where, speaks=speaks, having=with_what, n=reach
        )
    assert names is not None
    shown = [names.client(c) for c in reach[:5]]
    more = len(reach) - len(shown)
    listed = ", ".join(shown) + (" " + t["more"].format(n=more) if more else "")
    return t["recruit"].format(
        a=article, where=where, speaks=speaks, having=with_what, n=len(reach), clients=listed,
    )  # fmt: skip


def _join(parts: Sequence[str], t: Mapping[str, str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {t['and']} {parts[-1]}"


def _tier_chart(data: RoundInput, t: Mapping[str, str], k: int | None) -> charts.Chart:
    matched = Counter(p.risk_tier for p in data.pairs)
    waiting = Counter(u.risk_tier for u in data.unmatched)
    tiers = list(reversed(RISK_TIERS))
    return charts.tier_mix(
        tiers, [matched[x] for x in tiers], [waiting[x] for x in tiers], t, hide_below=k or 0
    )


def _loads(data: RoundInput, names: Pseudonyms, t: Mapping[str, str]) -> charts.Chart:
    pool = sorted(data.volunteers, key=lambda v: v.volunteer_id)
    if _counts_hours(data):
        proposed_hours = _proposed_hours(data)
        left = _hours_left(data)
        if len(pool) <= LOAD_BARS_UP_TO:
            return charts.volunteer_loads(
                [names.volunteer(v.volunteer_id) for v in pool],
                [v.hours_taken for v in pool],
                [proposed_hours[v.volunteer_id] for v in pool],
                [v.hours_given for v in pool],
                t,
                unit="hours",
            )
        return charts.free_places_histogram([left[v.volunteer_id] for v in pool], t, unit="hours")
    proposed = Counter(p.volunteer_id for p in data.pairs if p.client_id not in data.pinned)
    if len(pool) <= LOAD_BARS_UP_TO:
        return charts.volunteer_loads(
            [names.volunteer(v.volunteer_id) for v in pool],
            [v.active_clients for v in pool],
            [proposed[v.volunteer_id] for v in pool],
            [v.capacity for v in pool],
            t,
        )
    free_after = [max(v.capacity - v.active_clients - proposed[v.volunteer_id], 0) for v in pool]
    return charts.free_places_histogram(free_after, t)


def _counts_hours(data: RoundInput) -> bool:
    """Whether the engine counted this round's capacity in hours (someone gave hours)."""
    return capacity_units(data.clients, data.volunteers)[0]


def _proposed_hours(data: RoundInput) -> defaultdict[str, float]:
    """Hours a week the round's new proposals take from each volunteer: each client's own
    need (a pinned pair's hours are already taken in the volunteer's record)."""
    needs = {c.client_id: c.hours_needed for c in data.clients}
    hours: defaultdict[str, float] = defaultdict(float)
    for p in data.pairs:
        if p.client_id not in data.pinned:
            hours[p.volunteer_id] += needs[p.client_id]
    return hours


def _hours_left(data: RoundInput) -> dict[str, float]:
    proposed = _proposed_hours(data)
    return {
        v.volunteer_id: max(v.hours_given - v.hours_taken - proposed[v.volunteer_id], 0.0)
        for v in data.volunteers
    }


def _number(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "nl" else text
