"""The domain models: a client who needs support and a volunteer who can give it.

The fields' types (matcher.field_types) accept what a spreadsheet cell holds as well as Python
values, so one set of rules validates CSV rows, JSON objects and library callers alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from matcher import vocab

# Re-exported: callers import the hour units, the postcode form and the coordinate types from
# here, where they were defined before matcher.field_types held them.
from matcher.field_types import (
    DEFAULT_CLIENT_HOURS,
    HOUR_UNITS,
    HOURS_FIELDS,
    Age,
    ClientHours,
    Contact,
    Date,
    GenderWord,
    Hindering,
    Identifier,
    IdList,
    Languages,
    Latitude,
    LocationSource,
    Longitude,
    LossTypes,
    Needs,
    Postcode,
    Programme,
    Programmes,
    Protective,
    Skills,
    Slots,
    Text,
    Trainings,
    VolunteerHours,
    blank,
    literal_word,
    normal_postcode,
    to_number,
    to_whole_number,
)
from matcher.vocab import LossType, PreferredGender, RiskTier

__all__ = [
    "DEFAULT_CLIENT_HOURS",
    "HOURS_FIELDS",
    "HOUR_UNITS",
    "Client",
    "ColumnChecks",
    "Latitude",
    "LocationSource",
    "Longitude",
    "RecordMaker",
    "RowRules",
    "Volunteer",
    "normal_postcode",
    "record_json",
]


def record_json(item: BaseModel) -> str:
    """A person as the ledger stores (and hashes) them: hours not given are left out, so
    ledgers and rounds without hours stay byte for byte as they were before hours existed."""
    unset = {name for name in HOURS_FIELDS if getattr(item, name, 0) is None}
    return item.model_dump_json(exclude=unset)


@dataclass(frozen=True)
class RowRules:
    """Everything a model's before-validator does to a row, said as data, so that a reader by
    column (matcher.io.fast_rows) applies it to whole columns with the very same effect.

    Coordinates in the row are the most precise location there is: lat and lon given (and no
    location_source) set location_source to "coordinates"; a postcode, district or place is
    looked up later (matcher.locations), which sets the source it used. An empty cell of a
    field in `blank_means_default` means "not given": the key is dropped, the default applies.
    """

    blank_means_default: tuple[str, ...] = ()

    def apply(self, data: Any) -> Any:
        data = _coordinates_source(data)
        if self.blank_means_default and isinstance(data, dict):
            return {
                key: value
                for key, value in data.items()
                if not (key in self.blank_means_default and blank(value))
            }
        return data


Columns = Mapping[str, Sequence[Any]]


@dataclass(frozen=True)
class ColumnChecks:
    """What a model's after-validator checks, said for whole columns of validated values, so
    that a reader by column (matcher.io.fast_rows) finds the rows that fail without making a
    record of each: `failing(columns)` gives the positions of the rows the validator refuses
    (the reader then validates those row by row, for the validator's own message)."""

    failing: Callable[[Columns], list[int]]


def _without_location(columns: Columns) -> list[int]:
    """Rows _check_location refuses: one coordinate without the other, or a visit without
    a coordinate or anything to look one up by."""
    return [
        k
        for k, (lat, lon, contact, postcode, district, place) in enumerate(
            zip(
                columns["lat"],
                columns["lon"],
                columns["contact"],
                columns["postcode"],
                columns["district"],
                columns["place"],
                strict=True,
            )
        )
        if (lat is None) != (lon is None)
        or (lat is None and contact != "phone" and not (postcode or district or place))
    ]


def _volunteers_failing(columns: Columns) -> list[int]:
    """Rows Volunteer._consistent refuses (the same tests, in the same order)."""
    failing = set(_without_location(columns))
    for k, (programmes, capacity, active, hours, active_hours) in enumerate(
        zip(
            columns["programmes"],
            columns["capacity"],
            columns["active_clients"],
            columns["hours_per_week"],
            columns["active_hours"],
            strict=True,
        )
    ):
        if not programmes:
            failing.add(k)
        elif hours is not None or active_hours is not None:
            given = float(capacity) if hours is None else hours
            taken = active * DEFAULT_CLIENT_HOURS if active_hours is None else active_hours
            if taken > given:
                failing.add(k)
        elif active > capacity:
            failing.add(k)
    return sorted(failing)


# defer_build: the validators are built when a model is first validated, not at import. The
# file readers check cells without them, so `matcher match` on CSV files never builds them.
_MODEL_CONFIG = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


# Pydantic orders a model's fields base by base, the last base first: a model's key (its id and
# programme) comes from its own small base so that it stays the first column, then the fields
# every person has, then the model's own.
class _ClientKey(BaseModel):
    model_config = _MODEL_CONFIG

    client_id: Identifier
    programme: Programme


class _VolunteerKey(BaseModel):
    model_config = _MODEL_CONFIG

    volunteer_id: Identifier
    programmes: Programmes


class _Person(BaseModel):
    """Who someone is and where they live: the same fields for clients and volunteers."""

    model_config = _MODEL_CONFIG

    age: Age = None
    gender: GenderWord = None
    lat: Latitude = None
    lon: Longitude = None
    district: Text = None
    postcode: Postcode = None
    place: Text = None


class Client(_Person, _ClientKey):
    """Someone waiting for a volunteer."""

    loss_type: Annotated[LossType | None, literal_word("loss type", vocab.LOSS_TYPES)] = None
    loss_date: Date = None
    hindering_factors: Hindering = ()
    protective_factors: Protective = ()
    needs: Needs = ()
    availability: Slots = ()
    languages: Languages = ("nl",)
    preferred_gender: Annotated[
        PreferredGender | None, literal_word("preferred gender", vocab.PREFERRED_GENDERS)
    ] = None
    contact: Contact = "either"
    waiting_since: Date = None
    excluded_volunteers: IdList = ()
    # Her own judgement at the intake; it wins over the tier triage computes from the factors.
    risk_tier: Annotated[RiskTier | None, literal_word("risk tier", vocab.RISK_TIERS)] = None
    # Hours a week a match with this client takes from a volunteer (not given: 1 hour).
    hours_per_week: ClientHours = None
    location_source: LocationSource | None = None

    row_rules: ClassVar[RowRules] = RowRules()
    column_checks: ClassVar[ColumnChecks] = ColumnChecks(_without_location)

    @property
    def hours_needed(self) -> float:
        return DEFAULT_CLIENT_HOURS if self.hours_per_week is None else self.hours_per_week

    @model_validator(mode="before")
    @classmethod
    def _row_rules(cls, data: Any) -> Any:
        return cls.row_rules.apply(data)

    @model_validator(mode="after")
    def _location_unless_phone(self) -> Client:
        _check_location(self)
        return self


class Volunteer(_Person, _VolunteerKey):
    """Someone who can support one or more clients."""

    max_travel_km: Annotated[float, BeforeValidator(to_number), Field(ge=0, le=1000)] = 10.0
    lived_experience: LossTypes = ()
    training: Trainings = ()
    capacity: Annotated[int, BeforeValidator(to_whole_number), Field(ge=0, le=100)] = 1
    active_clients: Annotated[int, BeforeValidator(to_whole_number), Field(ge=0)] = 0
    availability: Slots = ()
    languages: Languages = ("nl",)
    skills: Skills = ()
    contact: Contact = "either"
    # Capacity in hours: when given, it replaces `capacity` (a count) for this volunteer;
    # active_hours are the hours the clients outside this file take (not given: 1 each).
    hours_per_week: VolunteerHours = None
    active_hours: VolunteerHours = None
    location_source: LocationSource | None = None

    # An empty spreadsheet cell of these means "not given": the documented default applies.
    row_rules: ClassVar[RowRules] = RowRules(
        blank_means_default=("max_travel_km", "capacity", "active_clients")
    )
    column_checks: ClassVar[ColumnChecks] = ColumnChecks(_volunteers_failing)

    @model_validator(mode="before")
    @classmethod
    def _row_rules(cls, data: Any) -> Any:
        return cls.row_rules.apply(data)

    @model_validator(mode="after")
    def _consistent(self) -> Volunteer:
        if not self.programmes:
            raise PydanticCustomError("missing", "programmes: is required")
        if self.hours_per_week is not None or self.active_hours is not None:
            if self.hours_taken > self.hours_given:
                raise PydanticCustomError(
                    "active_over_hours",
                    "active_hours: must be ≤ hours_per_week ({hours}) (got {active})",
                    {"hours": f"{self.hours_given:g}", "active": f"{self.hours_taken:g}"},
                )
        elif self.active_clients > self.capacity:
            raise PydanticCustomError(
                "active_over_capacity",
                "active_clients: must be ≤ capacity ({capacity}) (got {active})",
                {"capacity": self.capacity, "active": self.active_clients},
            )
        _check_location(self)
        return self

    @property
    def free_places(self) -> int:
        return self.capacity - self.active_clients

    @property
    def hours_given(self) -> float:
        """The week's hours for clients: hours_per_week, or one hour per place."""
        return float(self.capacity) if self.hours_per_week is None else self.hours_per_week

    @property
    def hours_taken(self) -> float:
        """Hours current clients take: active_hours, or one hour per active client."""
        if self.active_hours is not None:
            return self.active_hours
        return self.active_clients * DEFAULT_CLIENT_HOURS


def _coordinates_source(data: Any) -> Any:
    given = isinstance(data, dict) and not blank(data.get("lat")) and not blank(data.get("lon"))
    if given and blank(data.get("location_source")):
        return {**data, "location_source": "coordinates"}
    return data


def _check_location(person: Client | Volunteer) -> None:
    lat, lon, contact = person.lat, person.lon, person.contact
    if (lat is None) != (lon is None):
        raise PydanticCustomError("location", "lat/lon: give both or neither")
    can_look_up = person.postcode or person.district or person.place
    if lat is None and contact != "phone" and not can_look_up:
        raise PydanticCustomError(
            "location",
            "lat/lon: location is required unless contact is 'phone' (got contact '{contact}')",
            {"contact": contact},
        )


T = TypeVar("T", bound=BaseModel)


class RecordMaker(Generic[T]):
    """Records of values already validated, as `model_construct` makes them (every field in
    declaration order, the default where none is given), only lighter: the record's __dict__
    shares its keys with the other records' (CPython's key-sharing instance dicts: a slot per
    value, 288 bytes for a client's 23 fields where a dict of its own takes 832), and rows
    that set the same fields share one fields set (2.2 kB each otherwise). The models are
    frozen, and pydantic copies both when it copies a model. A million records save 2.5 GB."""

    def __init__(self, model: type[T]) -> None:
        self.model = model
        item = model.__new__(model)
        for name, info in model.model_fields.items():
            default = None if info.is_required() else info.get_default(call_default_factory=True)
            object.__setattr__(item, name, default)  # in declaration order: the keys shared
        self._template = item.__dict__
        self._sets: dict[frozenset[str], set[str]] = {}

    def fields_set(self, names: frozenset[str]) -> set[str]:
        """One set object for every record that sets these fields."""
        return self._sets.setdefault(names, set(names))

    def make(self, values: Iterable[tuple[str, Any]], fields_set: set[str]) -> T:
        """A record of `values` ((field, value) pairs; the rest take their defaults)."""
        fields = self._template.copy()
        fields.update(values)  # every key is there already: the order stays the fields'
        item = self.model.__new__(self.model)
        setattr_ = object.__setattr__  # the models are frozen
        setattr_(item, "__dict__", fields)
        setattr_(item, "__pydantic_fields_set__", fields_set)
        setattr_(item, "__pydantic_extra__", None)
        setattr_(item, "__pydantic_private__", None)
        return item
