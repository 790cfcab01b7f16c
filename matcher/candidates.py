"""Hard rules: from all client × volunteer pairs to the sparse edge list of allowed pairs.

All pairs are never enumerated. Pairs are only formed inside a programme (the first rule),
among volunteers with a free place (the second); within a programme, visit pairs come from a
spatial index when the programme is large, phone pairs from a block product of the clients and
volunteers who both accept phone contact. The remaining rules are array operations on the
pairs that survive. For every client we count the options left after each rule, in RULES
order, so that "why unmatched" names the rule that removed the last one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

import numpy as np

from matcher.config import MatchConfig
from matcher.population import (
    EARTH_RADIUS_KM,
    NO_CODE,
    BoolArray,
    FloatArray,
    IntArray,
    Population,
    great_circle_km,
    shares,
)
from matcher.triage import TIER_HIGH

# Pairs per block in block products: bounds memory at about 100 MB per block.
BLOCK_PAIRS = 2_000_000
# A programme with more pairs than this finds its visit pairs with a spatial index.
SPATIAL_INDEX_FROM_PAIRS = 4_000_000


@dataclass(frozen=True)
class Rule:
    code: str
    config_key: str
    description: str
    # Why a client's remaining volunteers all fail this rule, for unmatched.csv;
    # {n} is how many passed the earlier rules, {programme} the client's programme.
    none_left: str
    allows: Callable[[Population, IntArray, IntArray, frozenset[int]], BoolArray]


def _programme(pop: Population, ci: IntArray, vi: IntArray, _: frozenset[int]) -> BoolArray:
    return pop.serves(ci, vi)


def _capacity(pop: Population, ci: IntArray, vi: IntArray, _: frozenset[int]) -> BoolArray:
    return pop.v_free[vi] >= pop.c_need[ci]


def distance_km(pop: Population, ci: IntArray, vi: IntArray) -> FloatArray:
    return great_circle_km(pop.c_xyz[ci], pop.v_xyz[vi])


def can_visit(
    pop: Population, ci: IntArray, vi: IntArray, km: FloatArray | None = None
) -> BoolArray:
    """Both accept visits and the client lives within the volunteer's travel radius."""
    km = distance_km(pop, ci, vi) if km is None else km
    with np.errstate(invalid="ignore"):
        near = km <= pop.v_radius_km[vi]
    return near & pop.c_visit[ci] & pop.v_visit[vi]


def _contact(pop: Population, ci: IntArray, vi: IntArray, _: frozenset[int]) -> BoolArray:
    """Both accept visits, or both accept phone contact: a way to meet, whatever the distance."""
    return (pop.c_visit[ci] & pop.v_visit[vi]) | (pop.c_phone[ci] & pop.v_phone[vi])


def _reachable(pop: Population, ci: IntArray, vi: IntArray, _: frozenset[int]) -> BoolArray:
    return can_visit(pop, ci, vi) | (pop.c_phone[ci] & pop.v_phone[vi])


def _shared_time(pop: Population, ci: IntArray, vi: IntArray, _: frozenset[int]) -> BoolArray:
    return (pop.c_slots[ci] & pop.v_slots[vi]) != 0


def _language(pop: Population, ci: IntArray, vi: IntArray, _: frozenset[int]) -> BoolArray:
    return shares(pop.c_languages[ci], pop.v_languages[vi])


def _gender(pop: Population, ci: IntArray, vi: IntArray, _: frozenset[int]) -> BoolArray:
    preferred = pop.c_preferred_gender[ci]
    return (preferred == NO_CODE) | (preferred == pop.v_gender[vi])


def _not_excluded(
    pop: Population, ci: IntArray, vi: IntArray, excluded: frozenset[int]
) -> BoolArray:
    if not excluded:
        return np.ones(len(ci), dtype=bool)
    keys = ci * pop.n_volunteers + vi
    # A handful of excluded pairs against millions of edges: binary search beats np.isin.
    excluded_keys = np.sort(np.fromiter(excluded, dtype=np.int64))
    position = np.minimum(np.searchsorted(excluded_keys, keys), len(excluded_keys) - 1)
    return excluded_keys[position] != keys


def _training(pop: Population, ci: IntArray, vi: IntArray, _: frozenset[int]) -> BoolArray:
    return (pop.c_tier[ci] != TIER_HIGH) | pop.v_high_risk_ok[vi]


RULES: Final = (
    Rule(
        "no-programme",
        "programme",
        "the volunteer serves the client's programme",
        "no volunteer serves programme {programme}",
        _programme,
    ),
    Rule(
        "no-capacity",
        "capacity",
        "the volunteer has a free place",
        "all {n} volunteer(s) of {programme} are full",
        _capacity,
    ),
    # Contact before distance: a visit-only client and a phone-only volunteer cannot meet at
    # any distance, so "too far" would point the coordinator the wrong way. One switch
    # (`distance`) turns both off, as both decide whether a pair can meet at all.
    Rule(
        "contact-mismatch",
        "distance",
        "both accept visits, or both accept phone contact",
        "{n} volunteer(s) have a free place; none accepts the client's way of contact",
        _contact,
    ),
    Rule(
        "too-far",
        "distance",
        "within the volunteer's travel radius for a visit, or both accept phone contact",
        "{n} volunteer(s) have a free place; none is within travel range for a visit, and"
        " not both accept phone contact",
        _reachable,
    ),
    Rule(
        "no-shared-time",
        "shared_time",
        "at least one shared availability slot",
        "{n} volunteer(s) passed the earlier rules; none shares an availability slot",
        _shared_time,
    ),
    Rule(
        "no-shared-language",
        "language",
        "at least one shared language",
        "{n} volunteer(s) passed the earlier rules; none speaks a language of the client",
        _language,
    ),
    Rule(
        "gender-preference",
        "gender_preference",
        "the client's preferred gender",
        "{n} volunteer(s) passed the earlier rules; none has the preferred gender",
        _gender,
    ),
    Rule(
        "excluded",
        "excluded",
        "not on the client's excluded list",
        "{n} volunteer(s) passed the earlier rules; the client excluded all of them",
        _not_excluded,
    ),
    Rule(
        "training-required",
        "training_for_high_risk",
        "high-risk clients only with volunteers trained in grief or advanced",
        "{n} volunteer(s) passed the earlier rules; none is trained in grief or advanced,"
        " as a high-risk client needs",
        _training,
    ),
)
RULE_CODES: Final = tuple(rule.code for rule in RULES)
# What "full" means when capacity is counted in hours, after no-capacity's none_left.
HOURS_NONE_LEFT: Final = " for the client's {hours:g} hour(s) a week"
# Rules applied while pairs are formed (counted without forming the pairs they remove); the
# rest are applied to the pairs that were formed.
_FORMING_RULES: Final = frozenset({"no-programme", "no-capacity", "contact-mismatch", "too-far"})


def enabled_rules(config: MatchConfig) -> tuple[Rule, ...]:
    switches = config.rules.model_dump()
    return tuple(rule for rule in RULES if switches[rule.config_key])


@dataclass(frozen=True)
class Candidates:
    """Allowed pairs sorted by (client, volunteer), and the options each rule left."""

    client: IntArray
    volunteer: IntArray
    # options_left[k, c]: client c's options after the first k+1 enabled rules.
    options_left: IntArray
    rules: tuple[Rule, ...]

    def removed_last_option(self) -> list[str | None]:
        """Per client: the code of the rule that removed its last option (None if any left)."""
        left = self.options_left > 0
        first_empty = np.argmin(left, axis=0)
        has_options: list[bool] = np.asarray(left.all(axis=0)).tolist()
        codes = [rule.code for rule in self.rules]
        return [
            None if ok else codes[k]
            for k, ok in zip(first_empty.tolist(), has_options, strict=True)
        ]


def _block_pairs(clients: IntArray, volunteers: IntArray) -> Iterator[tuple[IntArray, IntArray]]:
    rows = max(1, BLOCK_PAIRS // max(1, len(volunteers)))
    for start in range(0, len(clients), rows):
        block = clients[start : start + rows]
        yield np.repeat(block, len(volunteers)), np.tile(volunteers, len(block))


def _spatial_visit_pairs(
    pop: Population, clients: IntArray, volunteers: IntArray
) -> tuple[IntArray, IntArray]:
    from scipy.spatial import cKDTree  # imported here: a slow import only large rounds need

    clients = clients[pop.c_visit[clients] & ~np.isnan(pop.c_xyz[clients, 0])]
    volunteers = volunteers[pop.v_visit[volunteers] & ~np.isnan(pop.v_xyz[volunteers, 0])]
    if len(clients) == 0 or len(volunteers) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    tree = cKDTree(pop.c_xyz[clients])
    # Chord length on the unit sphere for each radius: exact, as chord and arc grow together.
    chord = 2 * np.sin(np.minimum(pop.v_radius_km[volunteers] / (2 * EARTH_RADIUS_KM), np.pi / 2))
    found = tree.query_ball_point(pop.v_xyz[volunteers], r=chord, return_sorted=True)
    counts = np.fromiter((len(hits) for hits in found), dtype=np.int64, count=len(found))
    hits = np.fromiter((h for hits in found for h in hits), dtype=np.int64, count=counts.sum())
    return clients[hits], np.repeat(volunteers, counts)


def _programme_pairs(
    pop: Population, clients: IntArray, volunteers: IntArray, distance_rule: bool
) -> Iterator[tuple[IntArray, IntArray]]:
    """Pairs in one programme that can meet (or all of them when the distance rule is off)."""
    if not distance_rule or len(clients) * len(volunteers) <= SPATIAL_INDEX_FROM_PAIRS:
        for ci, vi in _block_pairs(clients, volunteers):
            keep = _reachable(pop, ci, vi, frozenset()) if distance_rule else slice(None)
            yield ci[keep], vi[keep]
        return
    # Visit pairs and phone pairs overlap (both ways possible): their union, in pair order.
    # (Sort and drop repeats: np.unique is many times slower on millions of distinct keys.)
    pieces = [_spatial_visit_pairs(pop, clients, volunteers)]
    pieces.extend(_block_pairs(clients[pop.c_phone[clients]], volunteers[pop.v_phone[volunteers]]))
    keys = np.sort(np.concatenate([ci * pop.n_volunteers + vi for ci, vi in pieces]))
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys
    yield keys // pop.n_volunteers, keys % pop.n_volunteers


def _in_client_order(ci: IntArray, vi: IntArray) -> tuple[IntArray, IntArray]:
    """Pairs in (client, volunteer) order, from pieces that each hold a client's pairs whole
    and in volunteer order (a client has one programme, and a block or a programme's union
    holds all of a client's pairs): the runs are reordered, never sorted pair by pair."""
    if len(ci) == 0:
        return ci, vi
    starts = np.flatnonzero(np.r_[True, ci[1:] != ci[:-1]])
    lengths = np.diff(np.r_[starts, len(ci)])
    order = np.argsort(ci[starts], kind="stable")
    assert len(np.unique(ci[starts])) == len(starts), "a client's pairs come in one piece"
    new_starts = np.cumsum(lengths[order]) - lengths[order]
    position = np.arange(len(ci)) + np.repeat(starts[order] - new_starts, lengths[order])
    return ci[position], vi[position]


def _count(ci: IntArray, n_clients: int) -> IntArray:
    return np.bincount(ci, minlength=n_clients).astype(np.int64)


def find_candidates(pop: Population, config: MatchConfig, excluded: frozenset[int]) -> Candidates:
    """Every allowed pair, and per client the options left after each enabled rule.

    `excluded` holds client_index * n_volunteers + volunteer_index for excluded pairs.
    """
    rules = enabled_rules(config)
    enabled = {rule.code for rule in rules}
    n_clients = pop.n_clients
    volunteer_pool = np.arange(pop.n_volunteers)
    counts: list[IntArray] = []
    if "no-programme" in enabled:
        serving = _serving_counts(pop, volunteer_pool)
        counts.append(serving[pop.c_programme] if n_clients else np.zeros(0, np.int64))
    capacity_per_pair = "no-capacity" in enabled and pop.hours_mode
    if capacity_per_pair:
        # In hours a volunteer may have room for a short match and not for a long one.
        volunteer_pool = volunteer_pool[pop.v_free >= pop.c_need.min(initial=0)]
        counts.append(_fitting_counts(pop, volunteer_pool, by_programme="no-programme" in enabled))
    elif "no-capacity" in enabled:
        volunteer_pool = volunteer_pool[pop.v_free >= 1]
        if "no-programme" in enabled:
            serving = _serving_counts(pop, volunteer_pool)
            counts.append(serving[pop.c_programme] if n_clients else np.zeros(0, np.int64))
        else:
            counts.append(np.full(n_clients, len(volunteer_pool), dtype=np.int64))

    if "contact-mismatch" in enabled:
        by_programme = "no-programme" in enabled
        counts.append(
            _contact_counts(pop, volunteer_pool, by_programme=by_programme, fit=capacity_per_pair)
        )

    groups = _programme_groups(pop, volunteer_pool, by_programme="no-programme" in enabled)
    pieces = [
        pair
        for clients, volunteers in groups
        for pair in _programme_pairs(pop, clients, volunteers, "too-far" in enabled)
    ]
    ci = np.concatenate([p[0] for p in pieces]) if pieces else np.empty(0, np.int64)
    vi = np.concatenate([p[1] for p in pieces]) if pieces else np.empty(0, np.int64)
    ci, vi = _in_client_order(ci, vi)
    if capacity_per_pair:
        keep = _capacity(pop, ci, vi, excluded)
        ci, vi = ci[keep], vi[keep]
    if "too-far" in enabled:
        counts.append(_count(ci, n_clients))

    for rule in rules:
        if rule.code in _FORMING_RULES:
            continue
        keep = rule.allows(pop, ci, vi, excluded)
        ci, vi = ci[keep], vi[keep]
        counts.append(_count(ci, n_clients))
    options_left = np.vstack(counts) if counts else np.zeros((0, n_clients), dtype=np.int64)
    return Candidates(ci, vi, options_left, rules)


def _in_pool(pop: Population, volunteers: IntArray) -> tuple[IntArray, IntArray]:
    """(volunteer, programme code) memberships of the volunteers in the pool, by code."""
    in_pool = np.zeros(pop.n_volunteers, dtype=bool)
    in_pool[volunteers] = True
    member, code = pop.membership
    keep = in_pool[member]
    return member[keep], code[keep]


def _serving_counts(pop: Population, volunteers: IntArray) -> IntArray:
    """How many of `volunteers` serve each programme code."""
    _, code = _in_pool(pop, volunteers)
    return np.bincount(code, minlength=len(pop.programmes.words)).astype(np.int64)


def _fitting_counts(pop: Population, volunteers: IntArray, *, by_programme: bool) -> IntArray:
    """Per client: volunteers in the pool (of its programme) with the hours the client needs.

    Sorted by (programme, free units), a client's count is one range of that order."""
    if pop.n_clients == 0:
        return np.zeros(0, np.int64)
    if by_programme:
        member, code = _in_pool(pop, volunteers)
    else:
        member, code = volunteers, np.zeros(len(volunteers), dtype=np.int64)
    span = int(max(pop.v_free.max(initial=0), pop.c_need.max(initial=0))) + 1
    keys = np.sort(code * span + pop.v_free[member])
    client_code = pop.c_programme if by_programme else np.zeros(pop.n_clients, dtype=np.int64)
    high = np.searchsorted(keys, (client_code + 1) * span, side="left")
    low = np.searchsorted(keys, client_code * span + pop.c_need, side="left")
    return (high - low).astype(np.int64)


def _contact_counts(
    pop: Population, volunteers: IntArray, *, by_programme: bool, fit: bool = False
) -> IntArray:
    """Per client: volunteers in the pool (of its programme) that accept its way of contact
    (and, with `fit`, have the hours the client needs).

    Counted, not paired: a client accepting both ways reaches every volunteer, a visit-only
    client the volunteers accepting visits, a phone-only client those accepting phone."""
    if pop.n_clients == 0:
        return np.zeros(0, np.int64)
    visit, phone = volunteers[pop.v_visit[volunteers]], volunteers[pop.v_phone[volunteers]]
    if fit:
        every, by_visit, by_phone = (
            _fitting_counts(pop, pool, by_programme=by_programme)
            for pool in (volunteers, visit, phone)
        )
    elif by_programme:
        every, by_visit, by_phone = (
            _serving_counts(pop, pool)[pop.c_programme] for pool in (volunteers, visit, phone)
        )
    else:
        every, by_visit, by_phone = (
            np.full(pop.n_clients, len(pool), dtype=np.int64) for pool in (volunteers, visit, phone)
        )
    both = pop.c_visit & pop.c_phone
    return np.where(both, every, np.where(pop.c_visit, by_visit, by_phone)).astype(np.int64)


def _programme_groups(
    pop: Population, volunteers: IntArray, *, by_programme: bool
) -> Iterator[tuple[IntArray, IntArray]]:
    all_clients = np.arange(pop.n_clients)
    if not by_programme or pop.n_clients == 0:
        yield all_clients, volunteers
        return
    order = np.argsort(pop.c_programme, kind="stable")
    codes, starts = np.unique(pop.c_programme[order], return_index=True)
    member, member_code = _in_pool(pop, volunteers)
    # Members are sorted by (code, volunteer): each code's volunteers in id order.
    first = np.searchsorted(member_code, codes, side="left").tolist()
    last = np.searchsorted(member_code, codes, side="right").tolist()
    for k, clients in enumerate(np.split(order, starts[1:])):
        serving = member[first[k] : last[k]]
        if len(serving):
            yield clients, serving
