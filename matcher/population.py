"""Clients and volunteers as numpy arrays: the representation the hot path works on.

Both sides are sorted by id first, so shuffled input rows give the same arrays, the same
edges in the same order, and therefore the same solution. Sets of words become bit masks:
a shared word is a non-zero AND.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matcher import vocab
from matcher.arrays import BoolArray, FloatArray, IntArray
from matcher.config import MatchConfig
from matcher.models import HOUR_UNITS, Client, Volunteer
from matcher.triage import risk_tiers

EARTH_RADIUS_KM = 6371.0088
ALL_SLOTS = (1 << len(vocab.SLOTS)) - 1
NO_CODE = -1

# Depth of each training, and the depth each risk tier asks for (training criterion).
TRAINING_DEPTH = {"basic": 1, "life-questions": 1, "life-story": 1, "grief": 2, "advanced": 3}
DEPTH_FOR_TIER = np.array([1, 2, 3])
SUFFICIENT_FOR_HIGH_RISK = ("grief", "advanced")


def word_mask(words: Sequence[str], choices: tuple[str, ...]) -> int:
    return sum(1 << choices.index(word) for word in words)


class Codebook:
    """Free words (programmes, languages) as bit positions in rows of uint64 words."""

    def __init__(self, words: set[str]) -> None:
        self.words = tuple(sorted(words))
        self.index = {word: i for i, word in enumerate(self.words)}
        self.width = max(1, -(-len(self.words) // 64))

    def masks(self, rows: Sequence[Sequence[str]]) -> npt.NDArray[np.uint64]:
        out = np.zeros((len(rows), self.width), dtype=np.uint64)
        for row, words in enumerate(rows):
            for word in words:
                position = self.index[word]
                out[row, position // 64] |= np.uint64(1 << (position % 64))
        return out


def shares(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> BoolArray:
    """Row-wise: do two mask rows have a bit in common?"""
    return np.any((a & b) != 0, axis=-1)


def unit_vectors(lat_deg: FloatArray, lon_deg: FloatArray) -> FloatArray:
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)


def great_circle_km(a: FloatArray, b: FloatArray) -> FloatArray:
    """Great-circle distance between unit vectors; NaN where a location is missing."""
    difference = a - b
    chord = np.sqrt(np.einsum("ij,ij->i", difference, difference))
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2, 0, 1))


@dataclass(frozen=True, eq=False)
class Population:
    clients: tuple[Client, ...]
    volunteers: tuple[Volunteer, ...]
    programmes: Codebook
    languages: Codebook
    # clients
    c_programme: IntArray
    c_tier: npt.NDArray[np.int8]
    c_xyz: FloatArray
    c_phone: BoolArray
    c_visit: BoolArray
    c_slots: IntArray
    c_languages: npt.NDArray[np.uint64]
    c_loss: IntArray
    c_needs: IntArray
    c_age: FloatArray
    c_preferred_gender: IntArray
    c_weeks_waited: FloatArray
    # Capacity units a match with the client takes: 1 (a place), or its quarter-hours when
    # the round counts capacity in hours; v_free is in the same units.
    c_need: IntArray
    # volunteers
    v_programmes: npt.NDArray[np.uint64]
    # (volunteer index, programme code) for every programme a volunteer serves, by code
    membership: tuple[IntArray, IntArray]
    v_free: IntArray
    v_xyz: FloatArray
    v_radius_km: FloatArray
    v_phone: BoolArray
    v_visit: BoolArray
    v_slots: IntArray
    v_languages: npt.NDArray[np.uint64]
    v_lived: IntArray
    v_skills: IntArray
    v_age: FloatArray
    v_gender: IntArray
    v_training_depth: IntArray
    v_high_risk_ok: BoolArray
    # Is capacity counted in hours (someone gave hours) rather than in places?
    hours_mode: bool = False

    @property
    def n_clients(self) -> int:
        return len(self.clients)

    @property
    def n_volunteers(self) -> int:
        return len(self.volunteers)

    def serves(self, ci: IntArray, vi: IntArray) -> BoolArray:
        """Does volunteer vi serve client ci's programme (row-wise)?"""
        code = self.c_programme[ci]
        words = self.v_programmes[vi, code // 64]
        return ((words >> (code % 64).astype(np.uint64)) & np.uint64(1)).astype(bool)


def _locations(items: Sequence[Client] | Sequence[Volunteer]) -> FloatArray:
    lat = np.array([np.nan if item.lat is None else item.lat for item in items], dtype=float)
    lon = np.array([np.nan if item.lon is None else item.lon for item in items], dtype=float)
    return unit_vectors(lat, lon).reshape(len(items), 3)


def _membership(volunteers: Sequence[Volunteer], programmes: Codebook) -> tuple[IntArray, IntArray]:
    pairs = [(i, programmes.index[p]) for i, v in enumerate(volunteers) for p in v.programmes]
    volunteer = np.array([i for i, _ in pairs], dtype=np.int64)
    code = np.array([c for _, c in pairs], dtype=np.int64)
    order = np.lexsort((volunteer, code))
    return volunteer[order], code[order]


def _gender_code(gender: str | None) -> int:
    return NO_CODE if gender is None else vocab.GENDERS.index(gender)


def build_population(
    clients: Sequence[Client],
    volunteers: Sequence[Volunteer],
    config: MatchConfig,
    round_date: dt.date,
) -> Population:
    clients = tuple(sorted(clients, key=lambda c: c.client_id))
    volunteers = tuple(sorted(volunteers, key=lambda v: v.volunteer_id))
    programmes = Codebook(
        {c.programme for c in clients} | {p for v in volunteers for p in v.programmes}
    )
    languages = Codebook(
        {lang for c in clients for lang in c.languages}
        | {lang for v in volunteers for lang in v.languages}
    )

    hours_mode, need, free = capacity_units(clients, volunteers)
    if not config.rules.capacity:
        # Rule off: a full volunteer may take one more, so a coordinator can ask "what if".
        free = np.maximum(free, need.max(initial=1))

    def slots(items: Sequence[Client] | Sequence[Volunteer]) -> IntArray:
        masks = [word_mask(p.availability, vocab.SLOTS) or ALL_SLOTS for p in items]
        return np.array(masks, dtype=np.int64)

    def ages(items: Sequence[Client] | Sequence[Volunteer]) -> FloatArray:
        return np.array([np.nan if p.age is None else p.age for p in items], dtype=float)

    def waited(client: Client) -> float:
        if client.waiting_since is None:
            return 0.0
        return max(0.0, (round_date - client.waiting_since).days / 7)

    return Population(
        clients=clients,
        volunteers=volunteers,
        programmes=programmes,
        languages=languages,
        c_programme=np.array([programmes.index[c.programme] for c in clients], dtype=np.int64),
        c_tier=risk_tiers(clients, config.triage),
        c_xyz=_locations(clients),
        c_phone=np.array([c.contact != "visit" for c in clients], dtype=bool),
        c_visit=np.array([c.contact != "phone" for c in clients], dtype=bool),
        c_slots=slots(clients),
        c_languages=languages.masks([c.languages for c in clients]),
        c_loss=np.array(
            [
                NO_CODE if c.loss_type in (None, "none") else vocab.LOSS_TYPES.index(c.loss_type)
                for c in clients
            ],
            dtype=np.int64,
        ),
        c_needs=np.array([word_mask(c.needs, vocab.NEEDS) for c in clients], dtype=np.int64),
        c_age=ages(clients),
        c_preferred_gender=np.array(
            [_gender_code(c.preferred_gender) for c in clients], dtype=np.int64
        ),
        c_weeks_waited=np.array([waited(c) for c in clients], dtype=float),
        c_need=need,
        v_programmes=programmes.masks([v.programmes for v in volunteers]),
        membership=_membership(volunteers, programmes),
        v_free=free,
        v_xyz=_locations(volunteers),
        v_radius_km=np.array([v.max_travel_km for v in volunteers], dtype=float),
        v_phone=np.array([v.contact != "visit" for v in volunteers], dtype=bool),
        v_visit=np.array([v.contact != "phone" for v in volunteers], dtype=bool),
        v_slots=slots(volunteers),
        v_languages=languages.masks([v.languages for v in volunteers]),
        v_lived=np.array(
            [
                word_mask([w for w in v.lived_experience if w != "none"], vocab.LOSS_TYPES)
                for v in volunteers
            ],
            dtype=np.int64,
        ),
        v_skills=np.array([word_mask(v.skills, vocab.NEEDS) for v in volunteers], dtype=np.int64),
        v_age=ages(volunteers),
        v_gender=np.array([_gender_code(v.gender) for v in volunteers], dtype=np.int64),
        v_training_depth=np.array(
            [max((TRAINING_DEPTH[t] for t in v.training), default=0) for v in volunteers],
            dtype=np.int64,
        ),
        v_high_risk_ok=np.array(
            [any(t in SUFFICIENT_FOR_HIGH_RISK for t in v.training) for v in volunteers],
            dtype=bool,
        ),
        hours_mode=hours_mode,
    )


def capacity_units(
    clients: Sequence[Client], volunteers: Sequence[Volunteer]
) -> tuple[bool, IntArray, IntArray]:
    """Whether capacity is in hours, what each client needs and what each volunteer has free.

    Without hours anywhere capacity is a count of places, as it always was. As soon as anyone
    gives hours, everyone is counted in quarter-hours: a client needs its hours (1 if not
    given), a volunteer gives its hours (one per place if not given) minus the hours its
    current clients take (one each if not given) — so places are hours of one hour each.
    """
    hours_mode = any(c.hours_per_week is not None for c in clients) or any(
        v.hours_per_week is not None or v.active_hours is not None for v in volunteers
    )
    if not hours_mode:
        need = np.ones(len(clients), dtype=np.int64)
        free = np.array([v.capacity - v.active_clients for v in volunteers], dtype=np.int64)
        return False, need, free
    need = np.array([round(c.hours_needed * HOUR_UNITS) for c in clients], dtype=np.int64)
    free = np.array(
        [round((v.hours_given - v.hours_taken) * HOUR_UNITS) for v in volunteers], dtype=np.int64
    )
    return True, need, np.maximum(free, 0)


def distance_km(pop: Population, ci: IntArray, vi: IntArray) -> FloatArray:
    # np.take gathers rows several times faster than fancy indexing, with the same values.
    return great_circle_km(np.take(pop.c_xyz, ci, axis=0), np.take(pop.v_xyz, vi, axis=0))


def can_visit(
    pop: Population, ci: IntArray, vi: IntArray, km: FloatArray | None = None
) -> BoolArray:
    """Both accept visits and the client lives within the volunteer's travel radius."""
    km = distance_km(pop, ci, vi) if km is None else km
    with np.errstate(invalid="ignore"):
        near = km <= pop.v_radius_km[vi]
    return near & pop.c_visit[ci] & pop.v_visit[vi]
