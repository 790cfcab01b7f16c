"""Clients and volunteers as numpy arrays: the representation the hot path works on.

Both sides are sorted by id first, so shuffled input rows give the same arrays, the same
edges in the same order, and therefore the same solution. Sets of words become bit masks:
a shared word is a non-zero AND.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Final, NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from matcher import vocab
from matcher.arrays import BoolArray, FloatArray, IntArray
from matcher.config import MatchConfig
from matcher.io.record_table import RecordView
from matcher.models import DEFAULT_CLIENT_HOURS, HOUR_UNITS, Client, Volunteer
from matcher.triage import risk_tiers

EARTH_RADIUS_KM = 6371.0088
ALL_SLOTS = (1 << len(vocab.SLOTS)) - 1
NO_CODE = -1

# Depth of each training, and the depth each risk tier asks for (training criterion).
TRAINING_DEPTH = {"basic": 1, "life-questions": 1, "life-story": 1, "grief": 2, "advanced": 3}
DEPTH_FOR_TIER = np.array([1, 2, 3])
SUFFICIENT_FOR_HIGH_RISK = ("grief", "advanced")


def word_mask(words: Sequence[str], choices: tuple[str, ...]) -> int:
    return sum(map(_bits(choices).__getitem__, words))


@lru_cache(maxsize=16)
def _bits(choices: tuple[str, ...]) -> dict[str, int]:
    return {word: 1 << k for k, word in enumerate(choices)}


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
    if a.shape[-1] == 1:
        # One word per row (up to 64 languages): no reduction over a length-1 axis.
        return (a[..., 0] & b[..., 0]) != 0
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
    # In id order; columns for the arrays, a record made when one is asked for.
    clients: RecordView[Client]
    volunteers: RecordView[Volunteer]
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

    @cached_property
    def client_ids(self) -> list[str]:
        return self.clients.column("client_id")

    @cached_property
    def volunteer_ids(self) -> list[str]:
        return self.volunteers.column("volunteer_id")

    def serves(self, ci: IntArray, vi: IntArray) -> BoolArray:
        """Does volunteer vi serve client ci's programme (row-wise)?"""
        code = self.c_programme[ci]
        words = self.v_programmes[vi, code // 64]
        return ((words >> (code % 64).astype(np.uint64)) & np.uint64(1)).astype(bool)


H = TypeVar("H", bound=Hashable)


def per_distinct(values: Sequence[H], code: Callable[[H], Any], dtype: Any) -> npt.NDArray[Any]:
    """code(value) for every value, computed once per distinct value: a column of a round has
    a few dozen distinct values (contact modes, languages, needs), however many rows it has."""
    distinct, index = _distinct_values(values)
    codes = np.array([code(value) for value in distinct], dtype=dtype)
    if not len(values):
        return np.zeros((0, *codes.shape[1:]), dtype=dtype)
    return codes[index]


def _distinct_values(values: Sequence[H]) -> tuple[list[H], IntArray]:
    """The distinct values of a column and each row's position among them.

    The readers give the rows of one cell text one shared object, so the distinct tuples are
    found first, by identity in numpy, and only they are hashed (a tuple's hash is computed anew
    each time). Model lists whose every tuple is its own object (a library caller's) are hashed
    row by row, as before: telling their objects apart would be work for nothing."""
    sample = values[:1024]  # whether equal tuples share their objects
    objects, inverse = values, None
    tuples = bool(sample) and type(sample[0]) is tuple  # a text's hash is kept, a tuple's not
    if tuples and len(set(map(id, sample))) <= 2 * len(dict.fromkeys(sample)):
        ids = np.fromiter(map(id, values), np.uint64, len(values))
        _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
        objects = list(map(values.__getitem__, first.tolist()))
    distinct = list(dict.fromkeys(objects))
    position = dict(zip(distinct, range(len(distinct)), strict=True))
    index = np.fromiter(map(position.__getitem__, objects), np.int64, len(objects))
    return distinct, index if inverse is None else index[inverse.reshape(-1)]


def _columns(items: RecordView[Any], names: tuple[str, ...]) -> dict[str, list[Any]]:
    """The named fields of every person as columns (a table's own columns, or a pass per field
    over model objects: no object per row)."""
    return {name: items.column(name) for name in names}


CLIENT_COLUMNS: Final = (
    "programme",
    "languages",
    "lat",
    "lon",
    "contact",
    "availability",
    "loss_type",
    "needs",
    "age",
    "preferred_gender",
    "waiting_since",
    "hindering_factors",
    "protective_factors",
    "risk_tier",
)
VOLUNTEER_COLUMNS: Final = (
    "programmes",
    "languages",
    "lat",
    "lon",
    "contact",
    "training",
    "max_travel_km",
    "availability",
    "lived_experience",
    "skills",
    "age",
    "gender",
)


def _locations(columns: dict[str, list[Any]]) -> FloatArray:
    # A missing coordinate (None) becomes NaN.
    lat = np.array(columns["lat"], dtype=float)
    lon = np.array(columns["lon"], dtype=float)
    return unit_vectors(lat, lon).reshape(len(lat), 3)


def _membership(
    v_programmes: Sequence[tuple[str, ...]], programmes: Codebook
) -> tuple[IntArray, IntArray]:
    pairs = [(i, programmes.index[p]) for i, words in enumerate(v_programmes) for p in words]
    volunteer = np.array([i for i, _ in pairs], dtype=np.int64)
    code = np.array([c for _, c in pairs], dtype=np.int64)
    order = np.lexsort((volunteer, code))
    return volunteer[order], code[order]


def _gender_code(gender: str | None) -> int:
    return NO_CODE if gender is None else vocab.GENDERS.index(gender)


def _slot_mask(availability: Sequence[str]) -> int:
    # No times given: any time.
    return word_mask(availability, vocab.SLOTS) or ALL_SLOTS


def _loss_code(loss_type: str | None) -> int:
    return NO_CODE if loss_type in (None, "none") else vocab.LOSS_TYPES.index(loss_type)


def _lived_mask(lived_experience: Sequence[str]) -> int:
    return word_mask([w for w in lived_experience if w != "none"], vocab.LOSS_TYPES)


def _training_depth(training: Sequence[str]) -> int:
    return max((TRAINING_DEPTH[t] for t in training), default=0)


def _tiers(
    clients: RecordView[Client], columns: dict[str, list[Any]], config: MatchConfig
) -> npt.NDArray[np.int8]:
    """Triage once per distinct (hindering, protective, own tier): the tier depends on no
    other field, and a round has a few hundred such combinations."""
    key = np.zeros(len(clients), dtype=np.int64)
    names = ("hindering_factors", "protective_factors", "risk_tier")
    for name in names:
        distinct, index = _distinct_values(columns[name])
        key = key * (len(distinct) + 1) + index
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    # Triage reads these three fields only: no record is made for it.
    hindering, protective, own = (columns[name] for name in names)
    triaged = [_TriageFields(hindering[k], protective[k], own[k]) for k in first.tolist()]
    tiers = risk_tiers(triaged, config.triage)
    return tiers[inverse.reshape(-1)]


class _TriageFields(NamedTuple):
    hindering_factors: tuple[str, ...]
    protective_factors: tuple[str, ...]
    risk_tier: str | None


def build_population(
    clients: Sequence[Client],
    volunteers: Sequence[Volunteer],
    config: MatchConfig,
    round_date: dt.date,
) -> Population:
    """The arrays of a round. Each column is read from the models once, and what is derived
    from a value (a bit mask, a code, a tier) is derived once per distinct value."""
    people, helpers = RecordView.of(clients, "client_id"), RecordView.of(volunteers, "volunteer_id")
    c, v = _columns(people, CLIENT_COLUMNS), _columns(helpers, VOLUNTEER_COLUMNS)
    c_programme, c_languages = c["programme"], c["languages"]
    v_programmes, v_languages = v["programmes"], v["languages"]
    programmes = Codebook(set(c_programme) | {p for words in set(v_programmes) for p in words})
    languages = Codebook({lang for words in set(c_languages) | set(v_languages) for lang in words})

    hours_mode, need, free = capacity_units(people, helpers)
    if not config.rules.capacity:
        # Rule off: a full volunteer may take one more, so a coordinator can ask "what if".
        free = np.maximum(free, need.max(initial=1))

    def waited(waiting_since: dt.date | None) -> float:
        if waiting_since is None:
            return 0.0
        return max(0.0, (round_date - waiting_since).days / 7)

    def word_masks(codebook: Codebook, rows: Sequence[tuple[str, ...]]) -> npt.NDArray[np.uint64]:
        return per_distinct(rows, lambda words: codebook.masks([words])[0], np.uint64).reshape(
            len(rows), codebook.width
        )

    c_contact, v_contact, v_training = c["contact"], v["contact"], v["training"]
    return Population(
        clients=people,
        volunteers=helpers,
        programmes=programmes,
        languages=languages,
        c_programme=per_distinct(c_programme, programmes.index.__getitem__, np.int64),
        c_tier=_tiers(people, c, config),
        c_xyz=_locations(c),
        c_phone=per_distinct(c_contact, lambda contact: contact != "visit", bool),
        c_visit=per_distinct(c_contact, lambda contact: contact != "phone", bool),
        c_slots=per_distinct(c["availability"], _slot_mask, np.int64),
        c_languages=word_masks(languages, c_languages),
        c_loss=per_distinct(c["loss_type"], _loss_code, np.int64),
        c_needs=per_distinct(c["needs"], lambda needs: word_mask(needs, vocab.NEEDS), np.int64),
        c_age=np.array(c["age"], dtype=float),
        c_preferred_gender=per_distinct(c["preferred_gender"], _gender_code, np.int64),
        c_weeks_waited=per_distinct(c["waiting_since"], waited, float),
        c_need=need,
        v_programmes=word_masks(programmes, v_programmes),
        membership=_membership(v_programmes, programmes),
        v_free=free,
        v_xyz=_locations(v),
        v_radius_km=np.array(v["max_travel_km"], dtype=float),
        v_phone=per_distinct(v_contact, lambda contact: contact != "visit", bool),
        v_visit=per_distinct(v_contact, lambda contact: contact != "phone", bool),
        v_slots=per_distinct(v["availability"], _slot_mask, np.int64),
        v_languages=word_masks(languages, v_languages),
        v_lived=per_distinct(v["lived_experience"], _lived_mask, np.int64),
        v_skills=per_distinct(v["skills"], lambda skills: word_mask(skills, vocab.NEEDS), np.int64),
        v_age=np.array(v["age"], dtype=float),
        v_gender=per_distinct(v["gender"], _gender_code, np.int64),
        v_training_depth=per_distinct(v_training, _training_depth, np.int64),
        v_high_risk_ok=per_distinct(
            v_training, lambda training: any(t in SUFFICIENT_FOR_HIGH_RISK for t in training), bool
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
    people, helpers = RecordView.over(clients), RecordView.over(volunteers)
    client_hours = people.column("hours_per_week")
    volunteer_hours, active_hours = helpers.column("hours_per_week"), helpers.column("active_hours")
    hours_mode = any(h is not None for h in client_hours) or any(
        h is not None or a is not None for h, a in zip(volunteer_hours, active_hours, strict=True)
    )
    capacity = np.array(helpers.column("capacity"), dtype=np.int64)
    active = np.array(helpers.column("active_clients"), dtype=np.int64)
    if not hours_mode:
        return False, np.ones(len(people), dtype=np.int64), capacity - active
    # As Client.hours_needed and Volunteer.hours_given / hours_taken say, on whole columns.
    need = np.array(
        [round((DEFAULT_CLIENT_HOURS if h is None else h) * HOUR_UNITS) for h in client_hours],
        dtype=np.int64,
    )
    given = [
        float(c) if h is None else h
        for c, h in zip(capacity.tolist(), volunteer_hours, strict=True)
    ]
    taken = [
        n * DEFAULT_CLIENT_HOURS if a is None else a
        for n, a in zip(active.tolist(), active_hours, strict=True)
    ]
    free = [round((g - t) * HOUR_UNITS) for g, t in zip(given, taken, strict=True)]
    return True, need, np.maximum(np.array(free, dtype=np.int64), 0)


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
