"""Clients and volunteers of a scenario as numpy columns, one programme at a time.

Each [[programmes]] entry has its own parameters, so people are drawn per programme (a Python
loop over a handful of programmes, never over people), then shuffled together so that ids do
not reveal the programme. Categorical columns hold indices into a vocabulary, sets of words
are boolean matrices, and -1 or NaN mean "not given".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from matcher import vocab
from matcher.arrays import BoolArray, FloatArray, IntArray
from matcher.scenarios.draw import (
    category_counts,
    clipped_normal,
    pick_other,
    quota_categories,
    quota_columns,
    quota_of,
    weighted_subsets,
    whole_numbers,
)
from matcher.scenarios.geography import Geography
from matcher.scenarios.params import Availability, Languages, Words
from matcher.scenarios.spec import ClientParams, ResolvedProgramme, VolunteerParams

Arrays = dict[str, np.ndarray]
DAYS_PER_MONTH = 30.44
PHONE = vocab.CONTACT_MODES.index("phone")
MALE = vocab.GENDERS.index("m")
# A preference is mostly for one's own gender; men fairly often prefer a woman.
MEN_PREFERRING_MEN = 0.6


def language_codes(programmes: list[ResolvedProgramme]) -> list[str]:
    """Every language any programme speaks, sorted: the columns of the language matrices."""
    codes = set()
    for programme in programmes:
        for languages in (programme.clients.languages, programme.volunteers.languages):
            codes |= {languages.main, *languages.others}
    return sorted(codes)


def draw_volunteers(
    n: int,
    programmes: list[ResolvedProgramme],
    geo: Geography,
    codes: list[str],
    rng: np.random.Generator,
) -> Arrays:
    def one(kind: int, n_kind: int, programme: ResolvedProgramme) -> Arrays:
        return _volunteers(kind, n_kind, programme.volunteers, geo, codes, rng)

    return _by_programme(n, programmes, rng, one)


def draw_clients(
    n: int,
    programmes: list[ResolvedProgramme],
    geo: Geography,
    codes: list[str],
    volunteers: Arrays,
    rng: np.random.Generator,
) -> Arrays:
    def one(kind: int, n_kind: int, programme: ResolvedProgramme) -> Arrays:
        return _clients(kind, n_kind, programme.clients, geo, codes, rng)

    clients = _by_programme(n, programmes, rng, one)
    clients["excluded"] = _declined_volunteer(clients, volunteers, rng)
    return clients


def _by_programme(
    n: int,
    programmes: list[ResolvedProgramme],
    rng: np.random.Generator,
    draw_one: Callable[[int, int, ResolvedProgramme], Arrays],
) -> Arrays:
    counts = category_counts([p.share for p in programmes], n, rng)
    parts = [
        draw_one(kind, int(count), p)
        for kind, (p, count) in enumerate(zip(programmes, counts, strict=True))
    ]
    # A column only some programmes draw (their hours) is "not given" (NaN) for the others.
    keys = dict.fromkeys(key for part in parts for key in part)
    joined = {
        key: np.concatenate(
            [part.get(key, np.full(len(part["programme"]), np.nan)) for part in parts]
        )
        for key in keys
    }
    order = rng.permutation(n)
    return {key: column[order] for key, column in joined.items()}


def _common(
    kind: int,
    n: int,
    params: ClientParams | VolunteerParams,
    geo: Geography,
    codes: list[str],
    rng: np.random.Generator,
) -> Arrays:
    """The columns clients and volunteers share: where they live, who they are, when free."""
    organisation = geo.organisations_for(kind, n, rng)
    district, lat, lon = geo.place(organisation, rng)
    contact = quota_categories(_shares(params.contact, vocab.CONTACT_MODES), n, rng)
    no_address = quota_of(contact == PHONE, params.phone_without_address, rng)
    return {
        "organisation": organisation,
        "programme": geo.programme_index[organisation, kind],
        "district": np.where(no_address, -1, district),
        "lat": np.where(no_address, np.nan, lat),
        "lon": np.where(no_address, np.nan, lon),
        "age": clipped_normal(
            params.age.mean, params.age.sd, params.age.min, params.age.max, n, rng
        ),
        "gender": quota_categories(_shares(params.gender, vocab.GENDERS), n, rng),
        "contact": contact,
        "availability": _availability(params.availability, n, rng),
        "languages": _languages(params.languages, codes, n, rng),
    }


def _volunteers(
    kind: int,
    n: int,
    params: VolunteerParams,
    geo: Geography,
    codes: list[str],
    rng: np.random.Generator,
) -> Arrays:
    people = _common(kind, n, params, geo, codes, rng)
    organisation = people["organisation"]
    other_kind = pick_other(geo.runs[organisation], np.full(n, kind), rng)
    serves_two = quota_columns(np.array([params.second_programme]), n, rng)[:, 0]
    second = np.where(
        serves_two & (other_kind >= 0),
        geo.programme_index[organisation, np.maximum(other_kind, 0)],
        -1,
    )
    capacities = np.array([int(places) for places in params.capacity], dtype=np.int64)
    capacity = capacities[quota_categories(list(params.capacity.values()), n, rng)]
    lo, hi = params.max_travel_km.min, params.max_travel_km.max
    drawn = people | {
        "second_programme": second,
        "lived_experience": quota_columns(
            _shares(params.lived_experience, vocab.LOSS_TYPES), n, rng
        ),
        "training": quota_columns(_shares(params.training, vocab.TRAININGS), n, rng),
        "capacity": capacity,
        # Current clients: each place is taken with the same chance.
        "active_clients": rng.binomial(capacity, params.occupied).astype(np.int64),
        # Half kilometres, the precision of a coordinator's estimate.
        "max_travel_km": np.rint(rng.uniform(lo, hi, n) * 2) / 2,
        "skills": _words(params.skills, n, rng),
    }
    if params.hours_per_week is not None:
        # Drawn only when given, so scenarios without hours keep every other draw. Current
        # clients take an hour each (as a client without hours does), within the hours given.
        hours = _hours(params.hours_per_week, n, rng)
        drawn |= {
            "hours_per_week": hours,
            "active_hours": np.minimum(hours, drawn["active_clients"]),
        }
    return drawn


def _clients(
    kind: int,
    n: int,
    params: ClientParams,
    geo: Geography,
    codes: list[str],
    rng: np.random.Generator,
) -> Arrays:
    people = _common(kind, n, params, geo, codes, rng)
    loss = quota_categories(_shares(params.loss_type, vocab.LOSS_TYPES), n, rng)
    months = rng.uniform(params.months_since_loss.min, params.months_since_loss.max, n)
    loss_days = np.rint(months * DAYS_PER_MONTH).astype(np.int64)
    waiting_days = whole_numbers(params.waiting_weeks.min * 7, params.waiting_weeks.max * 7, n, rng)
    no_loss = loss == vocab.LOSS_TYPES.index("none")
    # Nobody waits for support with a loss since before the loss.
    waiting_days = np.where(no_loss, waiting_days, np.minimum(waiting_days, loss_days))
    wants_gender = quota_columns(np.array([params.preferred_gender]), n, rng)[:, 0]
    prefers_man = quota_of(wants_gender & (people["gender"] == MALE), MEN_PREFERRING_MEN, rng)
    preferred = np.where(wants_gender, np.where(prefers_man, 1, 0), -1)
    drawn = people | {
        "loss_type": loss,
        "loss_days": np.where(no_loss, -1, loss_days),
        "hindering_factors": quota_columns(
            _shares(params.hindering_factors, vocab.HINDERING_FACTORS), n, rng
        ),
        "protective_factors": quota_columns(
            _shares(params.protective_factors, vocab.PROTECTIVE_FACTORS), n, rng
        ),
        "needs": _words(params.needs, n, rng),
        "preferred_gender": preferred.astype(np.int64),
        "waiting_days": waiting_days,
        "declined": quota_columns(np.array([params.declined_introduction]), n, rng)[:, 0],
    }
    if params.hours_per_week is not None:
        drawn["hours_per_week"] = _hours(params.hours_per_week, n, rng)
    return drawn


def _hours(mix: dict[str, float], n: int, rng: np.random.Generator) -> FloatArray:
    values = np.array([float(hours) for hours in mix])
    return values[quota_categories(list(mix.values()), n, rng)]


def _declined_volunteer(clients: Arrays, volunteers: Arrays, rng: np.random.Generator) -> IntArray:
    """For clients who declined a volunteer: one of their programme's (row index), else -1."""
    excluded = np.full(len(clients["programme"]), -1, dtype=np.int64)
    declined = np.flatnonzero(clients["declined"])
    if len(declined) == 0 or len(volunteers["programme"]) == 0:
        return excluded
    order = np.argsort(volunteers["programme"], kind="stable")
    sorted_programme = volunteers["programme"][order]
    programme = clients["programme"][declined]
    first = np.searchsorted(sorted_programme, programme, side="left")
    count = np.searchsorted(sorted_programme, programme, side="right") - first
    has_any = count > 0
    offset = (rng.random(len(declined)) * np.maximum(count, 1)).astype(np.int64)
    excluded[declined[has_any]] = order[(first + offset)[has_any]]
    return excluded


def _shares(shares: dict[str, float], words: tuple[str, ...]) -> FloatArray:
    return np.array([shares.get(word, 0.0) for word in words])


def _words(params: Words, n: int, rng: np.random.Generator) -> BoolArray:
    weights = _shares(params.weights or dict.fromkeys(vocab.NEEDS, 1.0), vocab.NEEDS)
    return weighted_subsets(weights, whole_numbers(params.min, params.max, n, rng), rng)


def _availability(params: Availability, n: int, rng: np.random.Generator) -> BoolArray:
    day_part = params.day_parts.model_dump()
    weights = np.array(
        [
            day_part[slot.split("-")[1]] * (params.weekend if slot[:3] in ("sat", "sun") else 1.0)
            for slot in vocab.SLOTS
        ]
    )
    slots = weighted_subsets(
        weights, whole_numbers(params.min_slots, params.max_slots, n, rng), rng
    )
    # No slots given means free at any time.
    slots[quota_columns(np.array([params.any_time]), n, rng)[:, 0]] = False
    return slots


def _languages(params: Languages, codes: list[str], n: int, rng: np.random.Generator) -> BoolArray:
    """Everyone speaks the main language, except some who speak another language only."""
    others = list(params.others)
    shares = [max(0.0, 1 - sum(params.others.values())), *params.others.values()]
    other = quota_categories(shares, n, rng)  # 0: no other language
    spoken = np.zeros((n, len(codes)), dtype=bool)
    column = np.array([codes.index(code) for code in others], dtype=np.int64)
    speaks_other = other > 0
    spoken[np.flatnonzero(speaks_other), column[other[speaks_other] - 1]] = True
    also_main = quota_of(speaks_other, params.others_speak_main, rng)
    spoken[:, codes.index(params.main)] = ~speaks_other | also_main
    return spoken
