"""A scenario as frozen pydantic models: the contract of the TOML files in `scenarios/`.

A scenario describes a programme (or several) in a region: who the clients are, who the
volunteers are, and how people flow in and out. Scenario-wide `[clients]` and `[volunteers]`
tables hold the defaults; each `[[programmes]]` entry may override any key of them for its own
people. The README's "Scenarios" section documents every key.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, model_validator

from matcher import vocab
from matcher.config import MatchConfig
from matcher.scenarios.params import (
    SECTION,
    Age,
    Availability,
    CapacityMix,
    ClientHoursMix,
    CountRange,
    DayParts,
    Languages,
    Range,
    Share,
    VolunteerHoursMix,
    Words,
    mix,
    prevalence,
)
from matcher.triage import TYPICAL_PREVALENCE

LIVED_LOSSES = tuple(loss for loss in vocab.LOSS_TYPES if loss != "none")
# Beyond this a district is surely misplaced (latitude and longitude swapped, a typo).
MAX_DISTRICT_KM_FROM_CENTRE = 60.0
# Given both ways, weekly arrivals and the funnel must tell the same story within this.
ARRIVALS_TOLERANCE = 0.10


def _kebab(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    word = vocab.normalise_word(value)
    if not vocab.is_kebab(word):
        raise ValueError(f"must be a kebab-case word like 'zwolle-partnerverlies' (got {value!r})")
    return word


KebabWord = Annotated[str, BeforeValidator(_kebab)]
Shares = dict[str, float]
GenderMix = Annotated[Shares, mix("gender", vocab.GENDERS)]
LossMix = Annotated[Shares, mix("loss type", vocab.LOSS_TYPES)]
ContactMix = Annotated[Shares, mix("contact mode", vocab.CONTACT_MODES)]
TierMix = Annotated[Shares, mix("risk tier", vocab.RISK_TIERS)]
LivedExperience = Annotated[Shares, prevalence("loss type", LIVED_LOSSES)]
TrainingPrevalence = Annotated[Shares, prevalence("training", vocab.TRAININGS)]


def _typical(factors: tuple[str, ...]) -> Any:
    """Factors a scenario leaves out keep their typical prevalence (matcher/triage.py)."""

    def fill(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        given = {vocab.normalise_word(str(key)): share for key, share in value.items()}
        return {**{f: TYPICAL_PREVALENCE[f] for f in factors}, **given}

    return BeforeValidator(fill)


class ClientParams(BaseModel):
    """How one programme's clients are drawn; every key has a documented default."""

    model_config = SECTION

    age: Age = Age(mean=78, sd=8, min=55, max=100)
    gender: GenderMix = {"f": 0.60, "m": 0.38, "x": 0.02}
    loss_type: LossMix = {"partner": 1.0}
    months_since_loss: Range = Range(min=1, max=60)
    hindering_factors: Annotated[
        Shares,
        _typical(vocab.HINDERING_FACTORS),
        prevalence("hindering factor", vocab.HINDERING_FACTORS),
    ] = {f: TYPICAL_PREVALENCE[f] for f in vocab.HINDERING_FACTORS}
    protective_factors: Annotated[
        Shares,
        _typical(vocab.PROTECTIVE_FACTORS),
        prevalence("protective factor", vocab.PROTECTIVE_FACTORS),
    ] = {f: TYPICAL_PREVALENCE[f] for f in vocab.PROTECTIVE_FACTORS}
    # What the factor prevalences are calibrated to give; tests/test_scenarios.py checks it.
    # 58/36/6 is the split of a Dutch population study of the bereaved (58/35/6, rounded).
    expected_risk_tiers: TierMix = {
        "low": 0.58,
        "moderate": 0.36,
        "high": 0.06,
    }
    needs: Words = Words()
    availability: Availability = Availability()
    languages: Languages = Languages()
    contact: ContactMix = {
        "visit": 0.55,
        "either": 0.30,
        "phone": 0.15,
    }
    phone_without_address: Share = 0.5  # of those who want phone contact only
    preferred_gender: Share = 0.15  # share with a preference for the volunteer's gender
    waiting_weeks: Range = Range(min=0, max=30)
    # Share who already declined one volunteer after an introductory meeting (never again).
    declined_introduction: Share = 0.01
    # Hours a week a match takes, {hours = share}; absent: capacity is counted in places.
    hours_per_week: ClientHoursMix | None = None


class VolunteerParams(BaseModel):
    """How one programme's volunteers are drawn; every key has a documented default."""

    model_config = SECTION

    age: Age = Age(mean=63, sd=10, min=25, max=85)
    gender: GenderMix = {"f": 0.70, "m": 0.29, "x": 0.01}
    lived_experience: LivedExperience = {
        "partner": 0.6,
        "parent": 0.05,
    }
    training: TrainingPrevalence = {
        "basic": 0.90,
        "grief": 0.35,
        "advanced": 0.10,
    }
    capacity: CapacityMix = {"1": 0.50, "2": 0.35, "3": 0.15}
    occupied: Share = 0.5  # expected share of places already taken by current clients
    max_travel_km: Range = Range(min=5, max=15)
    availability: Availability = Availability(
        min_slots=4,
        max_slots=10,
        day_parts=DayParts(am=0.8, pm=1.0, eve=0.8),
        weekend=0.6,
        any_time=0.0,
    )
    languages: Languages = Languages(
        others={"en": 0.15, "tr": 0.02, "ar": 0.015, "pl": 0.005}, others_speak_main=0.9
    )
    # Skills use the words of needs; without weights, those of the programme's clients' needs.
    skills: Words = Words()
    contact: ContactMix = {
        "visit": 0.50,
        "either": 0.40,
        "phone": 0.10,
    }
    phone_without_address: Share = 0.5
    second_programme: Share = 0.35  # also serve another programme of the same organisation
    # Hours a week for clients, {hours = share}; absent: capacity is counted in places.
    hours_per_week: VolunteerHoursMix | None = None


class Clients(ClientParams):
    count: int = Field(ge=0, le=10_000_000)  # clients waiting in one round
    weekly_arrivals: float | None = Field(None, ge=0, le=100_000)  # new clients a week


class Volunteers(VolunteerParams):
    count: int = Field(ge=0, le=10_000_000)


class Point(BaseModel):
    model_config = SECTION

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class District(Point):
    name: str = Field(min_length=1)
    weight: float = Field(1.0, gt=0, le=1e9)  # relative number of residents


def km_between(a: Point, b: Point) -> float:
    """Distance on a flat map; exact enough within a region."""
    north = (a.lat - b.lat) * 111.2
    east = (a.lon - b.lon) * 111.2 * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(north, east)


class Region(BaseModel):
    """Where the people live: a centre, its districts, and optionally more organisations."""

    model_config = SECTION

    name: KebabWord  # prefixes the programme names: `zwolle-partnerverlies`
    centre: Point
    districts: tuple[District, ...] = Field(min_length=1)
    spread_km: float = Field(0.9, gt=0, le=50)  # people live around a district centre
    # More than one organisation: one per this many clients, the others in real Dutch towns
    # around the centre (matcher/scenarios/towns.py). Absent: the region is one organisation.
    clients_per_organisation: int | None = Field(None, ge=1)
    programmes_per_organisation: CountRange | None = None  # absent: every organisation all

    @model_validator(mode="after")
    def _districts_in_region(self) -> Region:
        seen = set()
        for district in self.districts:
            if district.name in seen:
                raise ValueError(f"districts: name {district.name!r} appears twice")
            seen.add(district.name)
            km = km_between(district, self.centre)
            if km > MAX_DISTRICT_KM_FROM_CENTRE:
                raise ValueError(
                    f"districts: {district.name!r} lies {km:.0f} km from the centre; "
                    "are lat and lon swapped?"
                )
        return self


class Programme(BaseModel):
    """One programme; `clients` and `volunteers` override the scenario-wide tables."""

    model_config = SECTION

    name: KebabWord
    share: Share = 1.0  # of the clients, and of the volunteers
    clients: ClientParams = ClientParams()
    volunteers: VolunteerParams = VolunteerParams()


class Funnel(BaseModel):
    """From approach to waiting list: each rate is a share of the stage before."""

    model_config = SECTION

    approached_per_week: float | None = Field(None, ge=0, le=1_000_000)
    reached: Share = 1.0
    intake: Share = 1.0
    wants_volunteer: Share = 1.0

    @property
    def conversion(self) -> float:
        return self.reached * self.intake * self.wants_volunteer


class Dynamics(BaseModel):
    """How matches and the pool change over time; stored for the simulator."""

    model_config = SECTION

    match_weeks: float = Field(26.0, gt=0, le=520)  # typical length of a match
    # A match ends at this length at the latest (one year for a life-story book; Vriendschap
    # op Maat's two-year cap). Absent: no cap.
    max_match_weeks: int | None = Field(None, ge=1, le=520)
    ends_early: Share = 0.45  # nearly half of mentoring matches end early (DOMAIN.md)
    introductions_declined: Share = 0.10  # either side says no after the first meeting
    volunteer_churn_per_year: Share = 0.20  # volunteers who stop within a year
    # At each check-in moment ([lifecycle] checkin_weeks) this share of the matches still
    # running ends there (the pair does not go on). 0: check-ins end no match.
    checkin_dropout: Share = 0.0


@dataclass(frozen=True)
class ResolvedProgramme:
    """A programme with the scenario-wide tables and its own overrides merged."""

    name: str
    share: float
    clients: ClientParams
    volunteers: VolunteerParams


class Scenario(BaseModel):
    """A reproducible description of a programme, its region and its people."""

    model_config = SECTION

    name: KebabWord
    title: str = Field(min_length=1)  # one line, for `matcher scenario list`
    description: str = Field(min_length=1)  # cites the figures the scenario is calibrated on
    sources: tuple[str, ...] = ()
    seed: int = Field(0, ge=0, le=2**32 - 1)
    round_date: dt.date = dt.date(2026, 11, 23)
    region: Region
    clients: Clients
    volunteers: Volunteers
    programmes: tuple[Programme, ...] = Field(min_length=1)
    funnel: Funnel = Funnel()
    dynamics: Dynamics = Dynamics()
    config: MatchConfig = MatchConfig()  # written to matcher.toml next to the data

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        total = sum(p.share for p in self.programmes)
        if abs(total - 1) > 1e-3:
            raise ValueError(f"programmes: shares must add up to 1 (got {total:g})")
        names = [p.name for p in self.programmes]
        if len(set(names)) < len(names):
            raise ValueError("programmes: every programme needs its own name")
        derived = self.funnel_arrivals
        given = self.clients.weekly_arrivals
        disagree = (
            given is not None
            and derived is not None
            and given > 0
            and abs(derived - given) / given > ARRIVALS_TOLERANCE
        )
        if disagree:
            raise ValueError(
                f"funnel: {derived:.3g} arrivals a week from the funnel, but "
                f"clients.weekly_arrivals is {given:g}; give one, or make them agree"
            )
        return self

    @property
    def funnel_arrivals(self) -> float | None:
        if self.funnel.approached_per_week is None:
            return None
        return self.funnel.approached_per_week * self.funnel.conversion

    @property
    def weekly_arrivals(self) -> float | None:
        """New clients a week who want a volunteer: given, or from the funnel."""
        given = self.clients.weekly_arrivals
        return given if given is not None else self.funnel_arrivals

    def resolved(self) -> list[ResolvedProgramme]:
        out = []
        for programme in self.programmes:
            clients = _merged(self.clients, programme.clients)
            volunteers = _merged(self.volunteers, programme.volunteers)
            if volunteers.skills.weights is None:
                weights = clients.needs.weights or dict.fromkeys(vocab.NEEDS, 1.0)
                skills = volunteers.skills.model_copy(update={"weights": weights})
                volunteers = volunteers.model_copy(update={"skills": skills})
            if clients.needs.weights is None:
                needs = clients.needs.model_copy(
                    update={"weights": dict.fromkeys(vocab.NEEDS, 1.0)}
                )
                clients = clients.model_copy(update={"needs": needs})
            out.append(ResolvedProgramme(programme.name, programme.share, clients, volunteers))
        return out

    def resized(self, *, clients: int, volunteers: int) -> Scenario:
        """The same scenario with other counts (a quick benchmark, a what-if)."""
        return self.model_copy(
            update={
                "clients": self.clients.model_copy(update={"count": clients}),
                "volunteers": self.volunteers.model_copy(update={"count": volunteers}),
            }
        )


def _merged(base: BaseModel, override: BaseModel) -> Any:
    return base.model_copy(
        update={key: getattr(override, key) for key in override.model_fields_set}
    )
