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
from functools import lru_cache
from typing import Final

import numpy as np

from matcher import programme_pools as pools
from matcher.arrays import BoolArray, IntArray, PairList, positions_in
from matcher.config import MatchConfig
from matcher.population import EARTH_RADIUS_KM, NO_CODE, Population, can_visit
from matcher.spatial_pairs import visit_pairs_in_range
from matcher.triage import TIER_HIGH

# Pairs per block in block products: bounds memory at about 100 MB per block.
BLOCK_PAIRS = 2_000_000
# A programme with more client × volunteer cells than this finds its visit pairs with a
# spatial index; below it, every rule is evaluated on the grid (a few ns a cell).
SPATIAL_INDEX_FROM_PAIRS = 50_000_000
# Squared chords (unit sphere) this close to a volunteer's reach are decided by can_visit
# itself: a thousand times the rounding of |a|² + |b|² − 2 a·b.
_CHORD2_MARGIN = 1e-12


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


def _contact(pop: Population, ci: IntArray, vi: IntArray, _: frozenset[int]) -> BoolArray:
    """Both accept visits, or both accept phone contact: a way to meet, whatever the distance."""
    return (pop.c_visit[ci] & pop.v_visit[vi]) | (pop.c_phone[ci] & pop.v_phone[vi])


def _reachable(pop: Population, ci: IntArray, vi: IntArray, _: frozenset[int]) -> BoolArray:
    return can_visit(pop, ci, vi) | (pop.c_phone[ci] & pop.v_phone[vi])


def _shared_time(pop: Population, ci: IntArray, vi: IntArray, _: frozenset[int]) -> BoolArray:
    return (pop.c_slots[ci] & pop.v_slots[vi]) != 0


def _language(pop: Population, ci: IntArray, vi: IntArray, _: frozenset[int]) -> BoolArray:
    # Word by word rather than population.shares: a reduction over one word a cell is slow
    # on the client × volunteer grid.
    a, b = pop.c_languages[ci], pop.v_languages[vi]
    shared = (a[..., 0] & b[..., 0]) != 0
    for word in range(1, a.shape[-1]):
        shared |= (a[..., word] & b[..., word]) != 0
    return shared


def _gender(pop: Population, ci: IntArray, vi: IntArray, _: frozenset[int]) -> BoolArray:
    preferred = pop.c_preferred_gender[ci]
    return (preferred == NO_CODE) | (preferred == pop.v_gender[vi])


def _not_excluded(
    pop: Population, ci: IntArray, vi: IntArray, excluded: frozenset[int]
) -> BoolArray:
    shape = np.broadcast_shapes(np.shape(ci), np.shape(vi))
    if not excluded:
        return np.ones(shape, dtype=bool)
    excluded_keys = _sorted_keys(excluded)
    if len(shape) == 2 and np.shape(ci) == (shape[0], 1) and np.shape(vi) == (1, shape[1]):
        return _grid_not_excluded(pop, ci[:, 0], vi[0], excluded_keys)
    keys = ci * pop.n_volunteers + vi
    # A handful of excluded pairs against millions of edges: binary search beats np.isin.
    position = np.minimum(np.searchsorted(excluded_keys, keys), len(excluded_keys) - 1)
    return excluded_keys[position] != keys


@lru_cache(maxsize=4)
def _sorted_keys(excluded: frozenset[int]) -> IntArray:
    """The excluded pairs' keys in order, once per round rather than once per block."""
    return np.sort(np.fromiter(excluded, dtype=np.int64))


def _grid_not_excluded(
    pop: Population, clients: IntArray, volunteers: IntArray, excluded_keys: IntArray
) -> BoolArray:
    """_not_excluded on the grid clients × volunteers: only the excluded cells of the block's
    clients are visited (a handful), not the millions of cells of a dense city's block."""
    allowed = np.ones((len(clients), len(volunteers)), dtype=bool)
    # Keys run by client: the block's lie between its lowest and highest client's.
    n = pop.n_volunteers
    low, high = int(clients.min()), int(clients.max())
    keys = excluded_keys[
        np.searchsorted(excluded_keys, low * n) : np.searchsorted(excluded_keys, (high + 1) * n)
    ]
    row, column = positions_in(clients, keys // n), positions_in(volunteers, keys % n)
    inside = (row >= 0) & (column >= 0)
    allowed[row[inside], column[inside]] = False
    return allowed


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


@dataclass(frozen=True)
class _Plan:
    """What forming one programme's pairs needs to know about the round's rules."""

    distance: bool  # contact and travel range decide who can meet
    capacity_per_pair: bool  # capacity in hours: the volunteer's free hours ≥ the client's
    after_forming: tuple[Rule, ...]  # the enabled rules applied to the formed pairs, in order
    excluded: frozenset[int]


@dataclass(frozen=True)
class _Piece:
    """The pairs of some clients of one programme, whole per client, in (client, volunteer)
    order, with those clients' options after each rule applied while forming them."""

    clients: IntArray
    counts: IntArray  # counts[k, row]: options of clients[row] after the k-th forming count
    per_client: IntArray  # pairs of each client in this piece
    volunteer: IntArray


def enabled_rules(config: MatchConfig) -> tuple[Rule, ...]:
    switches = dict(config.rules)  # the fields as they are, no serializer built
    return tuple(rule for rule in RULES if switches[rule.config_key])


@dataclass(frozen=True)
class Candidates(PairList):
    """Allowed pairs sorted by (client, volunteer), and the options each rule left."""

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


def _block_rows(clients: IntArray, volunteers: IntArray) -> Iterator[IntArray]:
    rows = max(1, BLOCK_PAIRS // max(1, len(volunteers)))
    for start in range(0, len(clients), rows):
        yield clients[start : start + rows]


def _near_matrix(pop: Population, clients: IntArray, volunteers: IntArray) -> BoolArray:
    """can_visit for every client × volunteer of a block, without forming the pairs.

    The squared chord comes from one matrix product; only cells within a hair of a
    volunteer's radius (far wider than the product's rounding) are decided by can_visit itself,
    so the answer is can_visit's, cell for cell."""
    a, b = pop.c_xyz[clients], pop.v_xyz[volunteers]
    a_ok = pop.c_visit[clients] & ~np.isnan(a[:, 0])
    b_ok = pop.v_visit[volunteers] & ~np.isnan(b[:, 0])
    a, b = np.where(a_ok[:, None], a, 0.0), np.where(b_ok[:, None], b, 0.0)
    half_angle = np.minimum(pop.v_radius_km[volunteers] / (2 * EARTH_RADIUS_KM), np.pi / 2)
    reach = (2 * np.sin(half_angle)) ** 2
    # chord² − reach², as |a|² + |b|² − 2 a·b (unit vectors, so the product is exact enough).
    gap = a @ (-2 * b.T)
    gap += np.einsum("ij,ij->i", a, a)[:, None]
    gap += (np.einsum("ij,ij->i", b, b) - reach)[None, :]
    ok = a_ok[:, None] & b_ok[None, :]
    near = (gap < -_CHORD2_MARGIN) & ok
    border = np.flatnonzero((np.abs(gap, out=gap) <= _CHORD2_MARGIN) & ok)
    if len(border):
        rows, cols = np.divmod(border, len(volunteers))
        near[rows, cols] = can_visit(pop, clients[rows], volunteers[cols])
    return near


def _matrix_candidates(
    pop: Population, clients: IntArray, volunteers: IntArray, plan: _Plan
) -> Iterator[_Piece]:
    """One programme's allowed pairs and counts, block by block of client rows.

    Every rule is evaluated on the client × volunteer grid by broadcasting (a rule is a
    function of the client's and the volunteer's attributes), and pairs are formed only from
    the cells left at the end: in row order, so by (client, volunteer)."""
    for block in _block_rows(clients, volunteers):
        ci, vi = block[:, None], volunteers[None, :]
        allowed = np.ones((len(block), len(volunteers)), dtype=bool)
        if plan.capacity_per_pair:
            allowed &= _capacity(pop, ci, vi, plan.excluded)
        if plan.distance:
            allowed &= _near_matrix(pop, block, volunteers) | (pop.c_phone[ci] & pop.v_phone[vi])
        counts = []
        if plan.distance:
            counts.append(np.count_nonzero(allowed, axis=1))
        for rule in plan.after_forming:
            allowed &= rule.allows(pop, ci, vi, plan.excluded)
            counts.append(np.count_nonzero(allowed, axis=1))
        per_client = counts[-1] if counts else np.count_nonzero(allowed, axis=1)
        cells = np.flatnonzero(allowed)
        row_starts = np.repeat(np.arange(len(block)) * len(volunteers), per_client)
        yield _Piece(
            block, np.array(counts, np.int64).reshape(-1, len(block)), per_client,
            volunteers[cells - row_starts],
        )  # fmt: skip


def _spatial_candidates(
    pop: Population, clients: IntArray, volunteers: IntArray, plan: _Plan
) -> Iterator[_Piece]:
    """One large programme's allowed pairs and counts: visit pairs from a spatial index and
    phone pairs from block products (their union, in pair order), then the rules on the pairs."""
    phone_clients = clients[pop.c_phone[clients]]
    phone_volunteers = volunteers[pop.v_phone[volunteers]]
    pieces = [visit_pairs_in_range(pop, clients, volunteers)]
    pieces.extend(
        (np.repeat(block, len(phone_volunteers)), np.tile(phone_volunteers, len(block)))
        for block in _block_rows(phone_clients, phone_volunteers)
    )
    # (Sort and drop repeats: np.unique is many times slower on millions of distinct keys.)
    keys = np.sort(np.concatenate([ci * pop.n_volunteers + vi for ci, vi in pieces]))
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys
    ci, vi = keys // pop.n_volunteers, keys % pop.n_volunteers
    if plan.capacity_per_pair:
        keep = _capacity(pop, ci, vi, plan.excluded)
        ci, vi = ci[keep], vi[keep]
    # Position of each pair's client among `clients`, to count per client.
    row_of = np.zeros(pop.n_clients, dtype=np.int64)
    row_of[clients] = np.arange(len(clients))
    counts = [np.bincount(row_of[ci], minlength=len(clients))]
    for rule in plan.after_forming:
        keep = rule.allows(pop, ci, vi, plan.excluded)
        ci, vi = ci[keep], vi[keep]
        counts.append(np.bincount(row_of[ci], minlength=len(clients)))
    yield _Piece(clients, np.array(counts, np.int64), counts[-1], vi)


def _in_client_order(pieces: list[_Piece], per_client: IntArray) -> tuple[IntArray, IntArray]:
    """Pairs in (client, volunteer) order, from pieces that each hold their clients' pairs
    whole and in volunteer order (a client has one programme): each piece's runs are moved to
    their clients' places, never sorted pair by pair."""
    first = np.cumsum(per_client) - per_client
    volunteer = np.empty(int(per_client.sum()), dtype=np.int64)
    for piece in pieces:
        start_in_piece = np.cumsum(piece.per_client) - piece.per_client
        shift = np.repeat(first[piece.clients] - start_in_piece, piece.per_client)
        volunteer[shift + np.arange(len(piece.volunteer))] = piece.volunteer
    return np.repeat(np.arange(len(per_client)), per_client), volunteer


def find_candidates(pop: Population, config: MatchConfig, excluded: frozenset[int]) -> Candidates:
    """Every allowed pair, and per client the options left after each enabled rule.

    `excluded` holds client_index * n_volunteers + volunteer_index for excluded pairs.
    """
    rules = enabled_rules(config)
    enabled = {rule.code for rule in rules}
    n_clients = pop.n_clients
    capacity_per_pair = "no-capacity" in enabled and pop.hours_mode
    volunteer_pool, counts = pools.options_before_forming(
        pop,
        programme="no-programme" in enabled,
        capacity="no-capacity" in enabled,
        contact="contact-mismatch" in enabled,
    )
    plan = _Plan(
        distance="too-far" in enabled,
        capacity_per_pair=capacity_per_pair,
        after_forming=tuple(rule for rule in rules if rule.code not in _FORMING_RULES),
        excluded=excluded,
    )
    formed = np.zeros((int(plan.distance) + len(plan.after_forming), n_clients), dtype=np.int64)
    per_client = np.zeros(n_clients, dtype=np.int64)
    pieces: list[_Piece] = []
    for clients, volunteers in pools.programme_groups(
        pop, volunteer_pool, by_programme="no-programme" in enabled
    ):
        spatial = plan.distance and len(clients) * len(volunteers) > SPATIAL_INDEX_FROM_PAIRS
        for piece in (_spatial_candidates if spatial else _matrix_candidates)(
            pop, clients, volunteers, plan
        ):
            formed[:, piece.clients] = piece.counts
            per_client[piece.clients] = piece.per_client
            pieces.append(piece)
    ci, vi = _in_client_order(pieces, per_client)
    counts.extend(formed)
    options_left = np.vstack(counts) if counts else np.zeros((0, n_clients), dtype=np.int64)
    return Candidates(n_clients, ci, vi, options_left, rules)
