"""Organisations, the programmes each runs, their districts, and where people live.

Clients and volunteers only ever meet inside one organisation's programme, so the number of
organisations sets how sparse a large round is: with one organisation per 1,000 clients, each
client has some 50–65 allowed volunteers whatever the size of the round.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.arrays import BoolArray, FloatArray, IntArray
from matcher.scenarios.spec import Scenario
from matcher.scenarios.towns import COMPASS, NL_BOX, TOWNS

KM_PER_DEGREE_LAT = 111.2
# Ten organisations spread over a region about 100 km wide, a hundred over the country: other
# towns come from a circle around the centre whose area grows with their number.
TEN_TOWNS_RADIUS_KM = 50.0
# A listed town this close to the centre is the region itself.
SAME_TOWN_KM = 5.0


@dataclass(frozen=True)
class Geography:
    """Organisations × programme kinds, and the districts of every organisation."""

    organisation_names: list[str]
    organisation_share: FloatArray  # share of the people who live in each organisation's area
    runs: BoolArray  # organisation × programme kind (the scenario's [[programmes]])
    programme_index: IntArray  # organisation × kind → index in programme_names, or -1
    programme_names: list[str]
    district_names: list[str]
    district_lat: FloatArray
    district_lon: FloatArray
    district_cumulative: FloatArray  # cumulative resident weight, in organisation order
    district_first: IntArray  # first district of each organisation
    district_count: IntArray
    spread_km: float

    def organisations_for(self, kind: int, n: int, rng: np.random.Generator) -> IntArray:
        """An organisation per person of programme `kind`, by the organisations' sizes."""
        share = np.where(self.runs[:, kind], self.organisation_share, 0.0)
        return rng.choice(len(share), size=n, p=share / share.sum())

    def place(
        self, organisation: IntArray, rng: np.random.Generator
    ) -> tuple[IntArray, FloatArray, FloatArray]:
        """A district of the person's organisation by its residents, and a home near its centre."""
        cumulative = self.district_cumulative
        start = np.where(
            self.district_first[organisation] > 0,
            cumulative[self.district_first[organisation] - 1],
            0.0,
        )
        end = cumulative[self.district_first[organisation] + self.district_count[organisation] - 1]
        target = start + rng.random(len(organisation)) * (end - start)
        district = np.searchsorted(cumulative, target, side="right").astype(np.int64)
        last = self.district_first[organisation] + self.district_count[organisation] - 1
        district = np.minimum(district, last)
        n = len(organisation)
        lat = self.district_lat[district] + rng.normal(0, self.spread_km, n) / KM_PER_DEGREE_LAT
        km_per_degree_lon = KM_PER_DEGREE_LAT * np.cos(np.radians(lat))
        lon = self.district_lon[district] + rng.normal(0, self.spread_km, n) / km_per_degree_lon
        return district, lat, lon


def organisation_count(scenario: Scenario) -> int:
    per = scenario.region.clients_per_organisation
    return 1 if per is None else max(1, round(scenario.clients.count / per))


def build_geography(scenario: Scenario, rng: np.random.Generator) -> Geography:
    region = scenario.region
    n_orgs = organisation_count(scenario)
    names, lat, lon = _other_towns(scenario, n_orgs - 1, rng)
    names = [region.name, *names]
    # Organisations differ in size (about 0.5–2× the mean); a big city splits into several
    # organisations rather than running one huge programme, so the spread stays moderate.
    share = rng.lognormal(0.0, 0.3, n_orgs) if n_orgs > 1 else np.ones(1)
    share /= share.sum()
    runs = _programmes_run(scenario, n_orgs, rng)

    programme_index = np.full(runs.shape, -1, dtype=np.int64)
    programme_names: list[str] = []
    for org, kind in zip(*np.nonzero(runs), strict=True):
        programme_index[org, kind] = len(programme_names)
        programme_names.append(f"{names[org]}-{scenario.programmes[kind].name}")

    district_names = [d.name for d in region.districts]
    district_lat = [d.lat for d in region.districts]
    district_lon = [d.lon for d in region.districts]
    district_weight = [d.weight for d in region.districts]
    district_count = [len(region.districts)]
    for org in range(1, n_orgs):
        relative_size = share[org] * n_orgs
        districts = _compass_districts(lat[org - 1], lon[org - 1], relative_size, rng)
        district_names += [name for name, _, _ in districts]
        district_lat += [d_lat for _, d_lat, _ in districts]
        district_lon += [d_lon for _, _, d_lon in districts]
        district_weight += [1.0] * len(districts)
        district_count.append(len(districts))
    counts = np.array(district_count, dtype=np.int64)
    return Geography(
        organisation_names=names,
        organisation_share=share,
        runs=runs,
        programme_index=programme_index,
        programme_names=programme_names,
        district_names=district_names,
        district_lat=np.array(district_lat),
        district_lon=np.array(district_lon),
        district_cumulative=np.cumsum(district_weight),
        district_first=np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64),
        district_count=counts,
        spread_km=region.spread_km,
    )


def _other_towns(
    scenario: Scenario, n: int, rng: np.random.Generator
) -> tuple[list[str], FloatArray, FloatArray]:
    """The towns nearest the region's centre, drawn from a circle that grows with n."""
    if n <= 0:
        return [], np.zeros(0), np.zeros(0)
    centre = scenario.region.centre
    names = [name for name, _, _ in TOWNS]
    lat = np.array([t_lat for _, t_lat, _ in TOWNS])
    lon = np.array([t_lon for _, _, t_lon in TOWNS])
    km = np.hypot(
        (lat - centre.lat) * KM_PER_DEGREE_LAT,
        (lon - centre.lon) * KM_PER_DEGREE_LAT * np.cos(np.radians(centre.lat)),
    )
    others = (km > SAME_TOWN_KM) & (np.array(names) != scenario.region.name)
    radius_km = TEN_TOWNS_RADIUS_KM * np.sqrt((n + 1) / 10)
    around = np.flatnonzero(others & (km <= radius_km))
    if len(around) >= n:
        chosen = np.sort(rng.choice(around, n, replace=False))
    else:
        candidates = np.flatnonzero(others)
        chosen = candidates[np.argsort(km[candidates], kind="stable")[:n]]
    town_names = [names[i] for i in chosen]
    town_lat, town_lon = lat[chosen], lon[chosen]
    extra = n - len(town_names)
    if extra > 0:
        # Beyond the listed towns: villages at random places in the country.
        town_names += [f"gemeente-{i:04d}" for i in range(len(TOWNS), len(TOWNS) + extra)]
        town_lat = np.concatenate([town_lat, rng.uniform(*NL_BOX[0], extra)])
        town_lon = np.concatenate([town_lon, rng.uniform(*NL_BOX[1], extra)])
    return town_names, town_lat, town_lon


def _programmes_run(scenario: Scenario, n_orgs: int, rng: np.random.Generator) -> BoolArray:
    kinds = len(scenario.programmes)
    per = scenario.region.programmes_per_organisation
    runs = np.ones((n_orgs, kinds), dtype=bool)
    if per is not None:
        runs[:] = False
        lo, hi = min(per.min, kinds), min(per.max, kinds)
        for org in range(n_orgs):
            size = int(rng.integers(max(lo, 1), max(hi, 1) + 1))
            runs[org, rng.choice(kinds, size=size, replace=False)] = True
    # Every programme runs somewhere: the region's own organisation takes any left over.
    runs[0] |= ~runs.any(axis=0)
    return runs


def _compass_districts(
    lat: float, lon: float, relative_size: float, rng: np.random.Generator
) -> list[tuple[str, float, float]]:
    # Bigger towns (relative_size: people over the mean) have more districts, further out.
    n = int(np.clip(round(3 + 3 * relative_size), 4, len(COMPASS)))
    radius_km = rng.uniform(1.5, 3.0) * np.sqrt(relative_size)
    km_per_degree_lon = KM_PER_DEGREE_LAT * np.cos(np.radians(lat))
    return [
        (
            name,
            lat + north * radius_km / KM_PER_DEGREE_LAT,
            lon + east * radius_km / km_per_degree_lon,
        )
        for name, north, east in COMPASS[:n]
    ]
