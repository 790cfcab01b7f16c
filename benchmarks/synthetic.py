"""Seeded synthetic matching rounds with realistic sparsity, as rows of the CSV input format.

A welfare organisation runs its programmes in one town, so clients and volunteers only ever
meet inside a town: the number of towns grows with the size of the round (about one town per
1,000 clients). 1,000 clients is the Zwolle area with its real districts; 10,000 clients are
the ten towns nearest Zwolle (a region about 100 km wide); 100,000 clients cover the
Netherlands. Each town runs 3–5 programmes named `{town}-{kind}`; people live around district
centres. Everything is drawn as numpy arrays from one `default_rng(seed)`; only the final
step builds one dict per row.

    python benchmarks/synthetic.py 10000 4000 out/region --seed 0
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from matcher import vocab
from matcher.models import Client, Volunteer
from matcher.triage import TYPICAL_PREVALENCE

Row = dict[str, str]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

ROUND_DATE: Final = dt.date(2026, 11, 23)
CLIENTS_PER_TOWN: Final = 1_000
KM_PER_DEGREE_LAT: Final = 111.2
# People live around their district centre; the spread per axis, in km.
RESIDENT_SPREAD_KM: Final = 0.9

CLIENT_COLUMNS: Final = tuple(Client.model_fields)
VOLUNTEER_COLUMNS: Final = tuple(Volunteer.model_fields)

KINDS: Final = (
    "partnerverlies",
    "draad-weer-oppakken",
    "seniorencoach",
    "levensboek",
    "welzijn-op-recept",
)
# Relative number of clients per kind within a town (the seeds: the partner-loss pilot is
# small, the seniorencoach and "draad" programmes reach the most people).
KIND_SHARE: Final = np.array([0.15, 0.25, 0.25, 0.15, 0.20])

# Loss type per kind, in vocab.LOSS_TYPES order: partner child parent sibling friend other none.
LOSS_BY_KIND: Final = np.array(
    [
        [0.90, 0.04, 0.02, 0.02, 0.00, 0.02, 0.00],  # partnerverlies: bereaved partners
        [0.70, 0.10, 0.03, 0.05, 0.04, 0.08, 0.00],  # draad: partner, also child, illness
        [0.25, 0.05, 0.00, 0.05, 0.05, 0.00, 0.60],  # seniorencoach: mostly isolation
        [0.25, 0.03, 0.00, 0.04, 0.03, 0.00, 0.65],  # levensboek
        [0.15, 0.03, 0.05, 0.00, 0.00, 0.07, 0.70],  # welzijn op recept: GP referrals
    ]
)

# Weight of each need (vocab.NEEDS order: emotional practical work life-story social
# life-questions) per kind; clients ask for needs, volunteers offer them as skills.
NEEDS_BY_KIND: Final = np.array(
    [
        [1.0, 0.8, 0.5, 0.05, 0.3, 0.2],
        [1.0, 0.6, 0.05, 0.1, 0.7, 0.3],
        [0.4, 0.3, 0.02, 0.2, 1.0, 0.8],
        [0.2, 0.05, 0.02, 1.0, 0.5, 0.4],
        [0.3, 0.7, 0.1, 0.05, 1.0, 0.5],
    ]
)

# Older clients are mostly free in the day; volunteers more often in the evening.
_DAY_PART_CLIENT: Final = {"am": 1.0, "pm": 1.0, "eve": 0.35}
_DAY_PART_VOLUNTEER: Final = {"am": 0.8, "pm": 1.0, "eve": 0.8}
_WEEKEND: Final = ("sat", "sun")

# Zwolle and its districts (wijken), the area of the partner-loss pilot.
ZWOLLE_DISTRICTS: Final = (
    ("Binnenstad", 52.5125, 6.0940),
    ("Assendorp", 52.5035, 6.1000),
    ("Diezerpoort", 52.5180, 6.1070),
    ("Kamperpoort", 52.5160, 6.0820),
    ("Holtenbroek", 52.5300, 6.0880),
    ("Aa-landen", 52.5340, 6.1140),
    ("Westenholte", 52.5200, 6.0530),
    ("Stadshagen", 52.5340, 6.0480),
    ("Berkum", 52.5190, 6.1370),
    ("Ittersum", 52.4990, 6.1300),
    ("Zwolle-Zuid", 52.4890, 6.1030),
    ("Schelle", 52.4950, 6.0790),
    ("Oosterenk", 52.5050, 6.1200),
)
REGION_RADIUS_KM: Final = 50.0
# Compass names and offsets of the districts of every other town (centrum first).
_COMPASS: Final = (
    ("Centrum", 0.0, 0.0),
    ("Noord", 1.0, 0.0),
    ("Zuid", -1.0, 0.0),
    ("Oost", 0.0, 1.0),
    ("West", 0.0, -1.0),
    ("Noordoost", 0.7, 0.7),
    ("Zuidwest", -0.7, -0.7),
    ("Noordwest", 0.7, -0.7),
    ("Zuidoost", -0.7, 0.7),
)

# Dutch towns (approximate centres) inside the benchmark box lat 51.3–53.3, lon 4.0–7.0.
# A round is always the Zwolle area grown outward: its towns are drawn from a circle around it.
TOWNS: Final = (
    ("zwolle", 52.512, 6.094), ("kampen", 52.555, 5.911), ("hattem", 52.475, 6.063),
    ("dalfsen", 52.505, 6.257), ("meppel", 52.696, 6.194), ("raalte", 52.386, 6.275),
    ("heerde", 52.387, 6.041), ("steenwijk", 52.787, 6.119), ("ommen", 52.521, 6.421),
    ("deventer", 52.255, 6.163), ("apeldoorn", 52.211, 5.969), ("hoogeveen", 52.723, 6.476),
    ("dronten", 52.525, 5.718), ("harderwijk", 52.342, 5.621), ("emmeloord", 52.711, 5.749),
    ("hardenberg", 52.575, 6.619), ("rijssen", 52.306, 6.519), ("almelo", 52.357, 6.662),
    ("assen", 52.993, 6.562), ("lelystad", 52.518, 5.471), ("ede", 52.040, 5.665),
    ("hengelo", 52.266, 6.793), ("zutphen", 52.138, 6.201), ("heerenveen", 52.960, 5.920),
    ("doetinchem", 51.965, 6.289), ("arnhem", 51.985, 5.899), ("enschede", 52.222, 6.893),
    ("amersfoort", 52.156, 5.388), ("emmen", 52.779, 6.906), ("drachten", 53.105, 6.099),
    ("almere", 52.371, 5.222), ("wageningen", 51.969, 5.665), ("nijmegen", 51.842, 5.853),
    ("sneek", 53.033, 5.658), ("groningen", 53.219, 6.567), ("hilversum", 52.223, 5.176),
    ("utrecht", 52.091, 5.122), ("leeuwarden", 53.201, 5.799), ("winterswijk", 51.972, 6.720),
    ("veenendaal", 52.028, 5.559), ("tiel", 51.887, 5.430), ("culemborg", 51.955, 5.227),
    ("zeist", 52.090, 5.233), ("stadskanaal", 52.989, 6.950), ("veendam", 53.107, 6.879),
    ("amsterdam", 52.370, 4.895), ("den-helder", 52.956, 4.760), ("alkmaar", 52.632, 4.748),
    ("hoorn", 52.643, 5.060), ("zaandam", 52.439, 4.826), ("haarlem", 52.381, 4.637),
    ("leiden", 52.160, 4.497), ("den-haag", 52.070, 4.300), ("delft", 52.012, 4.357),
    ("rotterdam", 51.924, 4.478), ("gouda", 52.012, 4.711), ("dordrecht", 51.813, 4.690),
    ("den-bosch", 51.697, 5.304), ("oss", 51.765, 5.518), ("eindhoven", 51.441, 5.470),
    ("tilburg", 51.556, 5.091), ("breda", 51.589, 4.776), ("roosendaal", 51.531, 4.456),
    ("bergen-op-zoom", 51.495, 4.288), ("helmond", 51.481, 5.661), ("venlo", 51.370, 6.172),
    ("boxmeer", 51.647, 5.947), ("uden", 51.660, 5.617), ("veghel", 51.616, 5.549),
    ("gorinchem", 51.835, 4.974), ("zoetermeer", 52.057, 4.493), ("alphen", 52.129, 4.656),
    ("amstelveen", 52.303, 4.862), ("purmerend", 52.505, 4.959), ("heerhugowaard", 52.669, 4.833),
    ("schagen", 52.787, 4.799), ("enkhuizen", 52.703, 5.291), ("harlingen", 53.175, 5.423),
    ("franeker", 53.187, 5.542), ("coevorden", 52.661, 6.741), ("lochem", 52.160, 6.415),
    ("nijverdal", 52.362, 6.463), ("oldenzaal", 52.313, 6.929), ("barneveld", 52.140, 5.585),
    ("nijkerk", 52.220, 5.487), ("elburg", 52.447, 5.834), ("epe", 52.347, 5.983),
    ("putten", 52.259, 5.607), ("woerden", 52.086, 4.883), ("nieuwegein", 52.029, 5.081),
    ("houten", 52.028, 5.168), ("vlaardingen", 51.912, 4.342), ("spijkenisse", 51.845, 4.329),
    ("hellevoetsluis", 51.832, 4.133), ("middelharnis", 51.757, 4.165),
    ("waalwijk", 51.683, 5.070), ("oosterhout", 51.645, 4.860), ("etten-leur", 51.571, 4.637),
    ("hoofddorp", 52.303, 4.690), ("katwijk", 52.201, 4.418), ("noordwijk", 52.239, 4.447),
    ("beverwijk", 52.487, 4.657), ("hoogezand", 53.161, 6.761), ("beilen", 52.862, 6.512),
    ("wolvega", 52.876, 5.997), ("joure", 52.967, 5.794), ("urk", 52.662, 5.601),
    ("zevenaar", 51.929, 6.071), ("rhenen", 51.959, 5.568), ("zaltbommel", 51.811, 5.250),
    ("cuijk", 51.728, 5.879), ("boxtel", 51.591, 5.329), ("veldhoven", 51.418, 5.403),
    ("deurne", 51.464, 5.796), ("geldrop", 51.421, 5.557),
)  # fmt: skip
NL_BOX: Final = ((51.3, 53.3), (4.0, 7.0))

MINORITY_LANGUAGES: Final = ("en", "tr", "ar", "pl")
CONTACTS: Final = ("visit", "either", "phone")


# ---------------------------------------------------------------------------------- geography


@dataclass(frozen=True)
class Geography:
    """Towns, their programmes and districts; programmes and districts are grouped by town."""

    town_names: list[str]
    town_share: FloatArray
    programme_names: list[str]
    programme_town: IntArray
    programme_kind: IntArray
    district_names: list[str]
    district_lat: FloatArray
    district_lon: FloatArray
    district_start: IntArray  # first district of each town
    district_count: IntArray


def town_count(n_clients: int) -> int:
    return max(1, round(n_clients / CLIENTS_PER_TOWN))


def _towns(n_towns: int, rng: np.random.Generator) -> tuple[list[str], FloatArray, FloatArray]:
    names, lats, lons = zip(*TOWNS, strict=True)
    lat = np.array(lats)
    lon = np.array(lons)
    zwolle_lat, zwolle_lon = lat[0], lon[0]
    km = np.hypot(
        (lat - zwolle_lat) * KM_PER_DEGREE_LAT,
        (lon - zwolle_lon) * KM_PER_DEGREE_LAT * np.cos(np.radians(zwolle_lat)),
    )
    # Ten towns spread over a region about 100 km wide, a hundred over the country: draw the
    # towns from a circle around Zwolle whose area grows with their number.
    radius_km = REGION_RADIUS_KM * np.sqrt(n_towns / 10)
    around = np.flatnonzero((km > 0) & (km <= radius_km))
    if n_towns == 1:
        nearest = np.array([0])
    elif len(around) >= n_towns - 1:
        nearest = np.concatenate([[0], np.sort(rng.choice(around, n_towns - 1, replace=False))])
    else:
        nearest = np.argsort(km, kind="stable")[:n_towns]
    town_names = [names[i] for i in nearest]
    town_lat, town_lon = lat[nearest], lon[nearest]
    extra = n_towns - len(town_names)
    if extra > 0:
        # Beyond the listed towns: villages at random places in the box.
        town_names += [f"gemeente-{i:04d}" for i in range(len(TOWNS), n_towns)]
        town_lat = np.concatenate([town_lat, rng.uniform(*NL_BOX[0], extra)])
        town_lon = np.concatenate([town_lon, rng.uniform(*NL_BOX[1], extra)])
    return town_names, town_lat, town_lon


def build_geography(n_towns: int, rng: np.random.Generator) -> Geography:
    town_names, town_lat, town_lon = _towns(n_towns, rng)
    # Organisations differ in size (about 0.5–2× the mean); a big city splits into several
    # organisations rather than running one huge programme, so the spread stays moderate.
    share = rng.lognormal(0.0, 0.3, n_towns) if n_towns > 1 else np.ones(1)
    share /= share.sum()

    programme_names: list[str] = []
    programme_town: list[int] = []
    programme_kind: list[int] = []
    district_names: list[str] = []
    district_lat: list[float] = []
    district_lon: list[float] = []
    district_count = np.zeros(n_towns, dtype=np.int64)
    for town, name in enumerate(town_names):
        kinds = np.sort(rng.choice(len(KINDS), size=rng.integers(3, 6), replace=False))
        programme_names += [f"{name}-{KINDS[kind]}" for kind in kinds]
        programme_town += [town] * len(kinds)
        programme_kind += kinds.tolist()
        if name == "zwolle":
            districts = [(d, lat, lon) for d, lat, lon in ZWOLLE_DISTRICTS]
        else:
            relative_size = share[town] * n_towns
            districts = _compass_districts(town_lat[town], town_lon[town], relative_size, rng)
        district_names += [d for d, _, _ in districts]
        district_lat += [lat for _, lat, _ in districts]
        district_lon += [lon for _, _, lon in districts]
        district_count[town] = len(districts)
    district_start = np.concatenate([[0], np.cumsum(district_count)[:-1]])
    return Geography(
        town_names=town_names,
        town_share=share,
        programme_names=programme_names,
        programme_town=np.array(programme_town, dtype=np.int64),
        programme_kind=np.array(programme_kind, dtype=np.int64),
        district_names=district_names,
        district_lat=np.array(district_lat),
        district_lon=np.array(district_lon),
        district_start=district_start.astype(np.int64),
        district_count=district_count,
    )


def _compass_districts(
    lat: float, lon: float, relative_size: float, rng: np.random.Generator
) -> list[tuple[str, float, float]]:
    # Bigger towns (relative_size: clients over the mean) have more districts, further out.
    n = int(np.clip(round(3 + 3 * relative_size), 4, len(_COMPASS)))
    radius_km = rng.uniform(1.5, 3.0) * np.sqrt(relative_size)
    km_per_degree_lon = KM_PER_DEGREE_LAT * np.cos(np.radians(lat))
    return [
        (
            name,
            lat + north * radius_km / KM_PER_DEGREE_LAT,
            lon + east * radius_km / km_per_degree_lon,
        )
        for name, north, east in _COMPASS[:n]
    ]


def _choose_programmes(geo: Geography, n: int, rng: np.random.Generator) -> IntArray:
    """One programme per person: a town by its size, then a kind by KIND_SHARE within it."""
    kind_share = KIND_SHARE[geo.programme_kind]
    town_total = np.bincount(geo.programme_town, weights=kind_share)
    weight = geo.town_share[geo.programme_town] * kind_share / town_total[geo.programme_town]
    return rng.choice(len(weight), size=n, p=weight / weight.sum())


def _place(
    geo: Geography, town: IntArray, rng: np.random.Generator
) -> tuple[IntArray, FloatArray, FloatArray]:
    """A district of the person's town and a home around its centre."""
    district = geo.district_start[town] + rng.integers(0, geo.district_count[town])
    lat = (
        geo.district_lat[district]
        + rng.normal(0, RESIDENT_SPREAD_KM, len(town)) / KM_PER_DEGREE_LAT
    )
    km_per_degree_lon = KM_PER_DEGREE_LAT * np.cos(np.radians(lat))
    lon = (
        geo.district_lon[district]
        + rng.normal(0, RESIDENT_SPREAD_KM, len(town)) / km_per_degree_lon
    )
    return district, lat, lon


# ------------------------------------------------------------------------------- array helpers


def _top_k(weights: FloatArray, k: IntArray, rng: np.random.Generator) -> BoolArray:
    """Per row, k distinct columns drawn with the given weights (Gumbel top-k, no Python loop)."""
    weights = np.broadcast_to(weights, (len(k), weights.shape[-1]))
    with np.errstate(divide="ignore"):
        keys = np.log(weights) - np.log(-np.log(rng.random(weights.shape)))
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    return rank < k[:, None]


def _slot_weights(day_part: dict[str, float], weekend: float) -> FloatArray:
    return np.array(
        [
            day_part[slot.split("-")[1]] * (weekend if slot.split("-")[0] in _WEEKEND else 1.0)
            for slot in vocab.SLOTS
        ]
    )


def _joined(mask: BoolArray, names: Sequence[str]) -> list[str]:
    """Each row's chosen names joined with `|`, built once per distinct combination."""
    bits = np.left_shift(np.int64(1), np.arange(mask.shape[1], dtype=np.int64))
    codes, inverse = np.unique(mask.astype(np.int64) @ bits, return_inverse=True)
    texts = [
        "|".join(name for j, name in enumerate(names) if code >> j & 1) for code in codes.tolist()
    ]
    return [texts[i] for i in inverse.ravel().tolist()]


def _numbers(values: FloatArray, missing: BoolArray, decimals: int) -> list[str]:
    return [
        "" if gone else f"{value:.{decimals}f}"
        for value, gone in zip(values.tolist(), missing.tolist(), strict=True)
    ]


def _names(names: Sequence[str], index: IntArray, missing: BoolArray | None = None) -> list[str]:
    """names[index] per row, blank where `missing`."""
    texts = [names[i] for i in index.tolist()]
    if missing is None:
        return texts
    return ["" if gone else text for text, gone in zip(texts, missing.tolist(), strict=True)]


def _pipe_pairs(first: list[str], second: list[str]) -> list[str]:
    return [f"{a}|{b}" if b else a for a, b in zip(first, second, strict=True)]


def _dates(days_before: IntArray, missing: BoolArray) -> list[str]:
    dates = np.datetime64(ROUND_DATE.isoformat(), "D") - days_before.astype("timedelta64[D]")
    texts = np.datetime_as_string(dates, unit="D").tolist()
    return ["" if gone else text for text, gone in zip(texts, missing.tolist(), strict=True)]


def _ids(prefix: str, n: int) -> list[str]:
    width = max(5, len(str(n)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def _pick(choices: Sequence[str], p: Sequence[float], n: int, rng: np.random.Generator) -> IntArray:
    return rng.choice(len(choices), size=n, p=np.asarray(p) / np.sum(p))


def _languages(
    minority_share: Sequence[float], keep_dutch: float, n: int, rng: np.random.Generator
) -> BoolArray:
    """Columns nl + MINORITY_LANGUAGES; a minority speaker also speaks Dutch with `keep_dutch`."""
    minority = _pick(
        ("none", *MINORITY_LANGUAGES), [1 - sum(minority_share), *minority_share], n, rng
    )
    spoken = np.zeros((n, 1 + len(MINORITY_LANGUAGES)), dtype=bool)
    spoken[np.arange(n), minority] = minority > 0
    spoken[:, 0] = (minority == 0) | (rng.random(n) < keep_dutch)
    return spoken


# ----------------------------------------------------------------------------------- clients


def _clients(
    n: int, geo: Geography, n_volunteers: int, volunteer_town: IntArray, rng: np.random.Generator
) -> list[Row]:
    programme = _choose_programmes(geo, n, rng)
    kind = geo.programme_kind[programme]
    town = geo.programme_town[programme]
    district, lat, lon = _place(geo, town, rng)
    partner_loss = kind == KINDS.index("partnerverlies")

    # Partner-loss support is for the bereaved under pension age; the rest is mostly 70+
    # (seniorencoach participants average 81).
    elderly = np.clip(rng.normal(81, 6, n), 70, 95)
    younger = rng.uniform(55, 70, n)
    age = np.where(rng.random(n) < 0.85, elderly, younger)
    age = np.where(partner_loss, rng.uniform(35, 67, n), age).astype(np.int64)
    gender = _pick(vocab.GENDERS, [0.60, 0.38, 0.02], n, rng)

    cumulative = LOSS_BY_KIND[kind].cumsum(axis=1)
    loss = (rng.random(n)[:, None] > cumulative).sum(axis=1).clip(0, len(vocab.LOSS_TYPES) - 1)
    no_loss = loss == vocab.LOSS_TYPES.index("none")
    # The welfare organisation phones about three months after the death; elsewhere it varies.
    loss_days = np.where(partner_loss, rng.integers(60, 540, n), rng.integers(30, 1800, n))

    prevalence = np.array([TYPICAL_PREVALENCE[f] for f in vocab.HINDERING_FACTORS])
    hindering = rng.random((n, len(prevalence))) < prevalence
    retired = age >= 67
    hindering[retired, vocab.HINDERING_FACTORS.index("young-children")] = False
    protective_prevalence = np.array([TYPICAL_PREVALENCE[f] for f in vocab.PROTECTIVE_FACTORS])
    protective = rng.random((n, len(protective_prevalence))) < protective_prevalence
    employed = vocab.PROTECTIVE_FACTORS.index("employed")
    protective[retired, employed] &= rng.random(int(retired.sum())) < 0.1

    needs = _top_k(NEEDS_BY_KIND[kind], rng.integers(1, 4, n), rng)
    availability = _top_k(_slot_weights(_DAY_PART_CLIENT, 0.5), rng.integers(3, 9, n), rng)
    availability[rng.random(n) < 0.10] = False  # empty means "any time"
    languages = _languages([0.06, 0.04, 0.03, 0.02], 0.35, n, rng)

    wants_gender = rng.random(n) < 0.15
    # A preference is mostly for one's own gender; men fairly often prefer a woman.
    preferred = np.where((gender == 1) & (rng.random(n) < 0.6), 1, 0)
    contact = _pick(CONTACTS, [0.55, 0.30, 0.15], n, rng)
    no_location = (contact == 2) & (rng.random(n) < 0.5)
    waiting_days = rng.integers(0, 30 * 7 + 1, n)

    # 1 % declined a volunteer of their own town after an introductory meeting.
    excluded = np.full(n, -1, dtype=np.int64)
    declined = np.flatnonzero(rng.random(n) < 0.01)
    if n_volunteers and len(declined):
        town_start = np.searchsorted(volunteer_town, np.arange(len(geo.town_names)))
        town_size = np.bincount(volunteer_town, minlength=len(geo.town_names))
        has_any = town_size[town[declined]] > 0
        declined = declined[has_any]
        offset = (rng.random(len(declined)) * town_size[town[declined]]).astype(np.int64)
        excluded[declined] = town_start[town[declined]] + offset
    volunteer_ids = _ids("v", n_volunteers)

    columns: dict[str, list[str]] = {
        "client_id": _ids("c", n),
        "programme": _names(geo.programme_names, programme),
        "age": [str(a) for a in age.tolist()],
        "gender": _names(vocab.GENDERS, gender),
        "lat": _numbers(lat, no_location, 5),
        "lon": _numbers(lon, no_location, 5),
        "district": _names(geo.district_names, district, no_location),
        "loss_type": _names(vocab.LOSS_TYPES, loss),
        "loss_date": _dates(loss_days, no_loss),
        "hindering_factors": _joined(hindering, vocab.HINDERING_FACTORS),
        "protective_factors": _joined(protective, vocab.PROTECTIVE_FACTORS),
        "needs": _joined(needs, vocab.NEEDS),
        "availability": _joined(availability, vocab.SLOTS),
        "languages": _joined(languages, ("nl", *MINORITY_LANGUAGES)),
        "preferred_gender": _names(vocab.PREFERRED_GENDERS, preferred, ~wants_gender),
        "contact": _names(CONTACTS, contact),
        "waiting_since": _dates(waiting_days, np.zeros(n, dtype=bool)),
        "excluded_volunteers": ["" if v < 0 else volunteer_ids[v] for v in excluded.tolist()],
    }
    return _rows(CLIENT_COLUMNS, columns, n)


# -------------------------------------------------------------------------------- volunteers


def _volunteers(n: int, geo: Geography, rng: np.random.Generator) -> tuple[list[Row], IntArray]:
    primary = np.sort(_choose_programmes(geo, n, rng))  # sorted: volunteers grouped by town
    town = geo.programme_town[primary]
    kind = geo.programme_kind[primary]
    district, lat, lon = _place(geo, town, rng)

    # A third serve a second programme of the same organisation.
    programmes_of_town = np.bincount(geo.programme_town, minlength=len(geo.town_names))
    town_first = np.searchsorted(geo.programme_town, np.arange(len(geo.town_names)))
    count = programmes_of_town[town]
    position = primary - town_first[town]
    shift = 1 + (rng.random(n) * (count - 1)).astype(np.int64)
    second = town_first[town] + (position + shift) % count
    has_second = rng.random(n) < 0.35

    age = np.clip(rng.normal(63, 10, n), 35, 80).astype(np.int64)
    gender = _pick(vocab.GENDERS, [0.70, 0.29, 0.01], n, rng)

    # Lived experience (60 %) of the loss the programme is about.
    loss_no_none = LOSS_BY_KIND[kind, :-1]
    cumulative = (loss_no_none / loss_no_none.sum(axis=1, keepdims=True)).cumsum(axis=1)
    loss = (rng.random(n)[:, None] > cumulative).sum(axis=1).clip(0, len(vocab.LOSS_TYPES) - 2)
    lived = np.zeros((n, len(vocab.LOSS_TYPES)), dtype=bool)
    lived[np.arange(n), loss] = rng.random(n) < 0.60
    lived[:, vocab.LOSS_TYPES.index("parent")] |= rng.random(n) < 0.05

    training = np.zeros((n, len(vocab.TRAININGS)), dtype=bool)
    training[:, vocab.TRAININGS.index("basic")] = rng.random(n) < 0.90
    training[:, vocab.TRAININGS.index("grief")] = rng.random(n) < 0.35
    training[:, vocab.TRAININGS.index("advanced")] = rng.random(n) < 0.10
    life_story = (kind == KINDS.index("levensboek")) | (
        has_second & (geo.programme_kind[second] == KINDS.index("levensboek"))
    )
    training[:, vocab.TRAININGS.index("life-story")] = life_story
    training[:, vocab.TRAININGS.index("life-questions")] = (
        kind == KINDS.index("seniorencoach")
    ) & (rng.random(n) < 0.5)

    capacity = _pick(("1", "2", "3"), [0.50, 0.35, 0.15], n, rng) + 1
    # Binomial occupancy leaves about 35 % of volunteers without a free place.
    active = rng.binomial(capacity, 0.5)
    max_travel_km = rng.integers(5, 16, n)
    availability = _top_k(_slot_weights(_DAY_PART_VOLUNTEER, 0.6), rng.integers(4, 11, n), rng)
    languages = _languages([0.15, 0.02, 0.015, 0.005], 0.9, n, rng)
    skills = _top_k(NEEDS_BY_KIND[kind], rng.integers(1, 4, n), rng)
    contact = _pick(CONTACTS, [0.50, 0.40, 0.10], n, rng)
    no_location = (contact == 2) & (rng.random(n) < 0.5)

    columns: dict[str, list[str]] = {
        "volunteer_id": _ids("v", n),
        "programmes": _pipe_pairs(
            _names(geo.programme_names, primary), _names(geo.programme_names, second, ~has_second)
        ),
        "age": [str(a) for a in age.tolist()],
        "gender": _names(vocab.GENDERS, gender),
        "lat": _numbers(lat, no_location, 5),
        "lon": _numbers(lon, no_location, 5),
        "district": _names(geo.district_names, district, no_location),
        "max_travel_km": [str(km) for km in max_travel_km.tolist()],
        "lived_experience": _joined(lived, vocab.LOSS_TYPES),
        "training": _joined(training, vocab.TRAININGS),
        "capacity": [str(c) for c in capacity.tolist()],
        "active_clients": [str(a) for a in active.tolist()],
        "availability": _joined(availability, vocab.SLOTS),
        "languages": _joined(languages, ("nl", *MINORITY_LANGUAGES)),
        "skills": _joined(skills, vocab.NEEDS),
        "contact": _names(CONTACTS, contact),
    }
    return _rows(VOLUNTEER_COLUMNS, columns, n), town


def _rows(order: Sequence[str], columns: dict[str, list[str]], n: int) -> list[Row]:
    missing = set(order) ^ set(columns)
    assert not missing, f"columns out of step with the contract: {sorted(missing)}"
    values = [columns[name] for name in order]
    return [dict(zip(order, row, strict=True)) for row in zip(*values, strict=True)] if n else []


# ---------------------------------------------------------------------------------- public API


def generate(n_clients: int, n_volunteers: int, seed: int = 0) -> tuple[list[Row], list[Row]]:
    """Client and volunteer rows (str -> str, the CSV input format) of one synthetic round."""
    if n_clients < 0 or n_volunteers < 0:
        raise ValueError(f"n_clients={n_clients!r} and n_volunteers={n_volunteers!r} must be ≥ 0")
    rng = np.random.default_rng(seed)
    geo = build_geography(town_count(n_clients), rng)
    volunteers, volunteer_town = _volunteers(n_volunteers, geo, rng)
    clients = _clients(n_clients, geo, n_volunteers, volunteer_town, rng)
    return clients, volunteers


def generate_models(
    n_clients: int, n_volunteers: int, seed: int = 0
) -> tuple[list[Client], list[Volunteer]]:
    """The same round as validated models, for library callers and the library benchmark."""
    clients, volunteers = generate(n_clients, n_volunteers, seed)
    return (
        [Client.model_validate(row) for row in clients],
        [Volunteer.model_validate(row) for row in volunteers],
    )


def write_csv(
    directory: str | Path, clients: list[Row], volunteers: list[Row]
) -> tuple[Path, Path]:
    """Write clients.csv and volunteers.csv (comma-separated, UTF-8, header of the contract)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = (directory / "clients.csv", directory / "volunteers.csv")
    for path, rows, order in zip(
        paths, (clients, volunteers), (CLIENT_COLUMNS, VOLUNTEER_COLUMNS), strict=True
    ):
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, fieldnames=order)
            writer.writeheader()
            writer.writerows(rows)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_clients", type=int)
    parser.add_argument("n_volunteers", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    clients, volunteers = generate(args.n_clients, args.n_volunteers, args.seed)
    generated = time.perf_counter()
    paths = write_csv(args.out_dir, clients, volunteers)
    written = time.perf_counter()
    print(
        f"{len(clients)} clients, {len(volunteers)} volunteers in {town_count(args.n_clients)} "
        f"town(s): generated in {generated - start:.2f} s, written in {written - generated:.2f} s "
        f"to {', '.join(str(p) for p in paths)}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
