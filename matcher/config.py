"""MatchConfig: hard rules, criterion weights, priority, triage and column names; read from TOML.

`matcher config` prints DEFAULT_TOML, which is also what an empty config file means; a test
checks that the two never drift apart.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from matcher import vocab
from matcher.config_defaults import compact_json, only_defaults, plain, says_only
from matcher.config_toml import DEFAULT_TOML
from matcher.errors import ConfigError, Problem, problems_from_validation
from matcher.files import parse_toml, read_toml, read_toml_text
from matcher.lifecycle import Lifecycle
from matcher.own_words import value_problems
from matcher.suggest import unknown_word_message

# Every number finite: NaN compares false with every threshold and would switch rules off.
# defer_build: validators built on first validation, not at import (matcher.config_defaults).
_SECTION = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)
# Weights are relative; far beyond this their products with scores stop being exact.
MAX_WEIGHT = 100


class Rules(BaseModel):
    """Hard rules: a pair that breaks one that is switched on is never proposed."""

    model_config = _SECTION

    programme: bool = True
    capacity: bool = True
    distance: bool = True
    shared_time: bool = True
    language: bool = True
    gender_preference: bool = True
    excluded: bool = True
    training_for_high_risk: bool = True


class Weights(BaseModel):
    """Relative weights of the soft criteria; each criterion scores a pair in [0, 1]."""

    model_config = _SECTION

    lived_experience: float = Field(3.0, ge=0, le=MAX_WEIGHT)
    closeness: float = Field(2.0, ge=0, le=MAX_WEIGHT)
    availability: float = Field(1.0, ge=0, le=MAX_WEIGHT)
    needs: float = Field(1.5, ge=0, le=MAX_WEIGHT)
    age: float = Field(0.5, ge=0, le=MAX_WEIGHT)
    training: float = Field(1.0, ge=0, le=MAX_WEIGHT)

    @model_validator(mode="after")
    def _not_all_zero(self) -> Weights:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("weights: at least one criterion weight must be > 0")
        return self


class TierBonus(BaseModel):
    model_config = _SECTION

    low: float = Field(0.0, ge=0, le=10)
    moderate: float = Field(0.5, ge=0, le=10)
    high: float = Field(1.0, ge=0, le=10)


class Priority(BaseModel):
    """Who goes first: the vulnerable and those who have waited."""

    model_config = _SECTION

    # Worth of matching a client at all. Above 1 (the widest spread of fit), so matching one
    # more client always outweighs giving another client a better-fitting volunteer.
    match_value: float = Field(2.0, gt=1, le=100)
    tier_bonus: TierBonus = TierBonus.model_construct()
    waiting_bonus: float = Field(0.5, ge=0, le=10)
    waiting_cap_weeks: float = Field(26.0, gt=0, le=520)


class HinderingWeights(BaseModel):
    model_config = _SECTION

    physical_health: float = Field(1.0, ge=0, le=10)
    social_contact_difficulty: float = Field(1.0, ge=0, le=10)
    little_social_support: float = Field(1.5, ge=0, le=10)
    sudden_death: float = Field(1.5, ge=0, le=10)
    caregiver_burden: float = Field(1.0, ge=0, le=10)
    anxiety_or_depression: float = Field(2.0, ge=0, le=10)
    financial_worries: float = Field(1.0, ge=0, le=10)
    young_children: float = Field(1.0, ge=0, le=10)
    living_alone: float = Field(0.5, ge=0, le=10)
    low_education: float = Field(0.5, ge=0, le=10)


class ProtectiveWeights(BaseModel):
    model_config = _SECTION

    strong_network: float = Field(1.0, ge=0, le=10)
    employed: float = Field(0.5, ge=0, le=10)
    good_health: float = Field(0.5, ge=0, le=10)
    meaning_and_faith: float = Field(0.5, ge=0, le=10)
    coped_with_earlier_loss: float = Field(1.0, ge=0, le=10)


class Triage(BaseModel):
    """risk score = Σ hindering weights − Σ protective weights; tiers by two thresholds."""

    model_config = _SECTION

    hindering: HinderingWeights = HinderingWeights.model_construct()
    protective: ProtectiveWeights = ProtectiveWeights.model_construct()
    # Risk scores lie between -50 (every protective factor at 10) and 100 (every hindering one).
    moderate_from: float = Field(1.5, ge=-100, le=100)
    high_from: float = Field(4.0, ge=-100, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> Triage:
        if self.high_from <= self.moderate_from:
            raise ValueError("high_from: must be > moderate_from")
        return self


class Columns(BaseModel):
    """Header names of a CRM export mapped to ours: `"Cliëntnummer" = "client_id"`."""

    model_config = _SECTION

    clients: dict[str, str] = {}
    volunteers: dict[str, str] = {}
    # The sheet of a workbook to read; not set: its first sheet. --sheet sets both.
    clients_sheet: str | None = None
    volunteers_sheet: str | None = None

    @field_validator("clients", "volunteers")
    @classmethod
    def _keys_normalised(cls, mapping: dict[str, str]) -> dict[str, str]:
        return {header.strip().lower(): ours.strip().lower() for header, ours in mapping.items()}


class Balanced(BaseModel):
    """The `balanced` policy: each client a volunteer already carries makes one more cost more."""

    model_config = _SECTION

    # Weight points per client carried; below 1/capacity so a match is always worth making.
    load_penalty: float = Field(0.1, ge=0, le=1)


class Reserve(BaseModel):
    """The `reserve` policy: how far ahead it looks and how it values waiting."""

    model_config = _SECTION

    # Clients arriving per week; not set: those who started waiting in the last 4 weeks / 4.
    # At most 1000: every sampled future copies its clients' pairs, so memory grows with it.
    weekly_arrivals: float | None = Field(None, ge=0, le=1000)
    weeks_ahead: int = Field(4, ge=1, le=52)
    samples: int = Field(5, ge=1, le=100)
    # A match made a week later is worth this much of one made now.
    weekly_discount: float = Field(0.97, gt=0, le=1)
    seed: int = Field(0, ge=0, le=2**32 - 1)


class Report(BaseModel):
    """The HTML report (`--report`)."""

    model_config = _SECTION

    lang: Literal["nl", "en"] = "nl"  # the coordinators are Dutch
    # k of k-anonymity: a pseudonymised report leaves out or coarsens every group of fewer
    # clients (or map place of fewer people) than this. 1 turns the protection off.
    min_group_size: int = Field(5, ge=1, le=100)


class Centre(BaseModel):
    """A district's centre in WGS84 degrees."""

    model_config = _SECTION

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Geo(BaseModel):
    """Where people live when a row gives no lat/lon (matcher.locations)."""

    model_config = _SECTION

    # CSV with columns postcode, lat, lon (PC4 or PC6 centres); relative to the config file.
    postcodes: str | None = None
    # district name (as the files write it, any case) -> its centre
    districts: dict[str, Centre] = {}
    # places (woonplaatsen) matcher does not ship, or whose centre you know better
    places: dict[str, Centre] = {}
    # The folder a relative `postcodes` path starts from: the config file's (set on loading).
    _folder: Path | None = PrivateAttr(default=None)

    @property
    def postcodes_path(self) -> Path | None:
        if self.postcodes is None:
            return None
        path = Path(self.postcodes)
        return path if path.is_absolute() or self._folder is None else self._folder / path


class MatchConfig(BaseModel):
    """Everything a matching round can be tuned with; the defaults are the documented policy."""

    model_config = _SECTION

    policy: str = "optimal"
    rules: Rules = Rules.model_construct()
    weights: Weights = Weights.model_construct()
    priority: Priority = Priority.model_construct()
    triage: Triage = Triage.model_construct()
    balanced: Balanced = Balanced.model_construct()
    reserve: Reserve = Reserve.model_construct()
    report: Report = Report.model_construct()
    columns: Columns = Columns.model_construct()
    geo: Geo = Geo.model_construct()
    lifecycle: Lifecycle = Lifecycle.model_construct()
    # Cell values in her own words, per column: {"loss_type": {"Partner overleden": "partner"}}.
    values: dict[str, dict[str, str]] = {}

    def round_json(self) -> str:
        """The config as a round depends on it (hashed with the inputs, stored with the round):
        `[lifecycle]` says what is due around a match and never changes a proposal."""
        fields = plain(self)
        del fields["lifecycle"]
        text = compact_json(fields)
        # The defaults' text is pydantic's too (a test checks it): no serializer built for it.
        if text == _default_round_json():
            return text
        return self.model_dump_json(exclude={"lifecycle"})

    @field_validator("values")
    @classmethod
    def _known_values(cls, values: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for field, table in values.items():
            problems = value_problems(field, table)
            if problems:
                raise ValueError(problems[0])
        return values

    @field_validator("policy")
    @classmethod
    def _known_policy(cls, name: str) -> str:
        if name not in vocab.POLICY_NAMES:
            raise ValueError(unknown_word_message("policy", name, vocab.POLICY_NAMES))
        return name

    def with_sheet(self, sheet: str | None) -> MatchConfig:
        """This config reading both kinds of file from `sheet` (a command's --sheet), if given."""
        if sheet is None:
            return self
        both = {"clients_sheet": sheet, "volunteers_sheet": sheet}
        columns = self.columns.model_copy(update=both)
        return self.model_copy(update={"columns": columns})


def default_config() -> MatchConfig:
    """`MatchConfig()`, made without building a validator (matcher.config_defaults)."""
    return MatchConfig.model_construct()


@functools.cache
def _default_round_json() -> str:
    fields = plain(default_config())
    del fields["lifecycle"]
    return compact_json(fields)


def load_config(path: str | Path | None) -> MatchConfig:
    """Read a TOML config; every problem at once, unknown keys with the closest known key."""
    if path is None:
        return default_config()
    path = Path(path)
    source = str(path)
    text = read_toml_text(path, source=source, error=ConfigError)
    if says_only(text, DEFAULT_TOML):  # not even parsed: see config_defaults.says_only
        return default_config()
    config = config_from_dict(parse_toml(text, source=source, error=ConfigError), source=source)
    if config.geo.postcodes is not None:  # then `geo` is this file's own, not the default
        config.geo._folder = path.parent
    _check_postcode_file(config.geo, source)
    return config


def _check_postcode_file(geo: Geo, source: str) -> None:
    path = geo.postcodes_path
    if path is None:
        return
    problem = None
    if not path.exists():
        problem = "no such file"
    elif path.is_dir():
        problem = "is a folder, not a file"
    elif not os.access(path, os.R_OK):
        problem = "cannot be read (permission denied)"
    if problem:
        message = f"{problem}; a CSV with columns postcode, lat, lon (see README)"
        raise ConfigError([Problem(source, None, "geo.postcodes", message, geo.postcodes)])


def load_config_or_defaults(path: str | Path | None) -> tuple[MatchConfig, list[Problem]]:
    """The config and no problems, or the defaults and every problem of the config file.

    For commands that read their input files even when the config is wrong, so that one run
    shows every problem. The column mapping is kept when it is valid by itself: without it the
    files' own column names would be reported as well.
    """
    try:
        return load_config(path), []
    except ConfigError as error:
        problems = error.problems
    try:
        data = read_toml(path or "", source=str(path), error=ConfigError)
        config = MatchConfig(columns=Columns.model_validate(data.get("columns", {})))
    except (ConfigError, ValidationError):
        config = MatchConfig()
    return config, problems


def config_from_dict(data: dict[str, Any], *, source: str = "config") -> MatchConfig:
    defaults = default_config()
    if only_defaults(data, defaults):  # what validating it would give, without validators
        return defaults
    try:
        return MatchConfig.model_validate(data)
    except ValidationError as error:
        problems = problems_from_validation(error, source=source)
        raise ConfigError([_suggest_key(problem) for problem in problems]) from None


def _suggest_key(problem: Problem) -> Problem:
    if problem.message != "unknown field" or problem.column is None:
        return problem
    *parents, key = problem.column.split(".")
    section: type[BaseModel] | None = MatchConfig
    for parent in parents:
        field = section.model_fields.get(parent) if section else None
        annotation = field.annotation if field else None
        is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
        section = annotation if is_model else None  # type: ignore[assignment]
    if section is None:
        return problem
    known = tuple(section.model_fields)
    hint = vocab.closest(key, known)
    message = (
        f"unknown key; did you mean {hint!r}?"
        if hint
        else f"unknown key; known keys: {', '.join(known)}"
    )
    return Problem(problem.source, None, problem.column, message)
