"""The building blocks of a scenario file: ranges, shares and the drawing rules of one attribute.

Every table is a frozen pydantic model with `extra="forbid"`, so a typo in a key is an error
with a "did you mean". Keys that name structure are snake_case (like matcher.toml); keys that
name a word of the input format are that word (`physical-health = 0.35`, `partner = 0.9`), so a
scenario reads like the CSV it produces.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from matcher import vocab
from matcher.suggest import unknown_word_message

# Every number finite: NaN passes no bound check and inf breaks the generator.
SECTION = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
# A mix (one category per person) must add up to 1; rounding in a hand-written file is allowed.
SUM_TOLERANCE = 1e-3


def _check_shares(
    kind: str, choices: tuple[str, ...] | None, *, adds_up_to_one: bool
) -> Callable[[dict[str, float]], dict[str, float]]:
    def check(value: dict[str, float]) -> dict[str, float]:
        found: dict[str, float] = {}
        for key, share in value.items():
            word = vocab.normalise_word(key)
            if choices is None:
                if not vocab.is_language_code(word):
                    raise ValueError(
                        f"{kind} {word!r} must be a two-letter ISO 639-1 code like 'en'"
                    )
            elif word not in choices:
                raise ValueError(unknown_word_message(kind, word, choices))
            if not 0 <= share <= 1:
                raise ValueError(f"share of {word!r} must be between 0 and 1 (got {share:g})")
            found[word] = share
        total = sum(found.values())
        if adds_up_to_one and abs(total - 1) > SUM_TOLERANCE:
            raise ValueError(f"shares must add up to 1 (got {total:g})")
        if not adds_up_to_one and choices is None and total > 1 + SUM_TOLERANCE:
            raise ValueError(f"shares add up to more than 1 (got {total:g})")
        order = choices if choices is not None else tuple(sorted(found))
        return {word: found[word] for word in order if word in found}

    return check


def mix(kind: str, choices: tuple[str, ...]) -> AfterValidator:
    """One word per person, with these shares (they add up to 1); absent words have share 0."""
    return AfterValidator(_check_shares(kind, choices, adds_up_to_one=True))


def prevalence(kind: str, choices: tuple[str, ...]) -> AfterValidator:
    """Each word independently: the share of people who have it."""
    return AfterValidator(_check_shares(kind, choices, adds_up_to_one=False))


LanguageShares = Annotated[
    dict[str, float], AfterValidator(_check_shares("language", None, adds_up_to_one=False))
]
Share = Annotated[float, Field(ge=0, le=1)]


def _capacity_mix(value: dict[str, float]) -> dict[str, float]:
    checked = {}
    for key, share in value.items():
        if not key.strip().isdigit() or not 0 <= int(key) <= 100:
            raise ValueError(f"capacity {key!r} must be a whole number of clients from 0 to 100")
        if not 0 <= share <= 1:
            raise ValueError(f"share of capacity {key} must be between 0 and 1 (got {share:g})")
        checked[str(int(key))] = share
    total = sum(checked.values())
    if abs(total - 1) > SUM_TOLERANCE:
        raise ValueError(f"shares must add up to 1 (got {total:g})")
    return dict(sorted(checked.items(), key=lambda item: int(item[0])))


CapacityMix = Annotated[dict[str, float], AfterValidator(_capacity_mix)]
# The hours a week of a match (clients) or given (volunteers): at most these, like the input.
MAX_CLIENT_HOURS, MAX_VOLUNTEER_HOURS = 40.0, 80.0


def _hours_mix(
    most: float, *, zero_allowed: bool
) -> Callable[[dict[str, float]], dict[str, float]]:
    lowest = "0" if zero_allowed else "0.25"

    def check(value: dict[str, float]) -> dict[str, float]:
        checked: dict[float, float] = {}
        for key, share in value.items():
            try:
                hours = float(key)
            except ValueError:
                hours = float("nan")
            whole_quarters = hours == hours and (hours * 4).is_integer()
            if not whole_quarters or not (0 <= hours <= most) or (hours == 0 and not zero_allowed):
                raise ValueError(
                    f"hours {key!r} must be a number of hours from {lowest} to {most:g}"
                    " in whole quarters (0.25)"
                )
            if not 0 <= share <= 1:
                raise ValueError(f"share of {key} hours must be between 0 and 1 (got {share:g})")
            checked[hours] = checked.get(hours, 0.0) + share
        total = sum(checked.values())
        if abs(total - 1) > SUM_TOLERANCE:
            raise ValueError(f"shares must add up to 1 (got {total:g})")
        return {f"{hours:g}": checked[hours] for hours in sorted(checked)}

    return check


# Absent: capacity is counted in places (the default); given, in hours.
ClientHoursMix = Annotated[
    dict[str, float], AfterValidator(_hours_mix(MAX_CLIENT_HOURS, zero_allowed=False))
]
VolunteerHoursMix = Annotated[
    dict[str, float], AfterValidator(_hours_mix(MAX_VOLUNTEER_HOURS, zero_allowed=True))
]


class Range(BaseModel):
    """A value drawn uniformly from min to max (inclusive)."""

    model_config = SECTION

    min: float = Field(ge=0)
    max: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.max < self.min:
            raise ValueError(f"max: must be ≥ min ({self.min:g}) (got {self.max:g})")
        return self


class CountRange(BaseModel):
    """A whole number drawn uniformly from min to max (inclusive)."""

    model_config = SECTION

    min: int = Field(ge=0)
    max: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> CountRange:
        if self.max < self.min:
            raise ValueError(f"max: must be ≥ min ({self.min}) (got {self.max})")
        return self


class Age(BaseModel):
    """A normal distribution in whole years, cut off at min and max."""

    model_config = SECTION

    mean: float = Field(ge=0, le=120)
    sd: float = Field(ge=0, le=50)
    min: int = Field(ge=0, le=120)
    max: int = Field(ge=0, le=120)

    @model_validator(mode="after")
    def _ordered(self) -> Age:
        if self.max < self.min:
            raise ValueError(f"max: must be ≥ min ({self.min}) (got {self.max})")
        if not self.min <= self.mean <= self.max:
            raise ValueError(f"mean: must lie between min and max (got {self.mean:g})")
        return self


class Words(BaseModel):
    """How many words a person has (needs, skills) and how likely each word is."""

    model_config = SECTION

    min: int = Field(1, ge=0, le=len(vocab.NEEDS))
    max: int = Field(3, ge=0, le=len(vocab.NEEDS))
    # Relative chance of each need; needs left out are never drawn. Not given: all equally
    # likely for needs; for skills, the weights of the programme's clients' needs.
    weights: Annotated[
        dict[str, float] | None,
        AfterValidator(lambda value: _relative_weights(value, "need", vocab.NEEDS)),
    ] = None

    @model_validator(mode="after")
    def _enough_words(self) -> Words:
        if self.max < self.min:
            raise ValueError(f"max: must be ≥ min ({self.min}) (got {self.max})")
        if self.weights is not None and self.min > len(self.weights):
            raise ValueError(
                f"min: cannot draw {self.min} different needs from {len(self.weights)} weighted"
            )
        return self


def _relative_weights(
    value: dict[str, float] | None, kind: str, choices: tuple[str, ...]
) -> dict[str, float] | None:
    if value is None:
        return None
    found = {}
    for key, weight in value.items():
        word = vocab.normalise_word(key)
        if word not in choices:
            raise ValueError(unknown_word_message(kind, word, choices))
        if weight < 0:
            raise ValueError(f"weight of {word!r} must be ≥ 0 (got {weight:g})")
        if weight > 0:
            found[word] = weight
    if not found:
        raise ValueError(f"give at least one {kind} a weight > 0")
    return {word: found[word] for word in choices if word in found}


class DayParts(BaseModel):
    """Relative chance of being free in the morning, afternoon and evening."""

    model_config = SECTION

    am: float = Field(1.0, ge=0)
    pm: float = Field(1.0, ge=0)
    eve: float = Field(0.35, ge=0)


class Availability(BaseModel):
    """Free slots of the week: how many, and which parts of the day and week are likelier."""

    model_config = SECTION

    min_slots: int = Field(3, ge=1, le=len(vocab.SLOTS))
    max_slots: int = Field(8, ge=1, le=len(vocab.SLOTS))
    day_parts: DayParts = DayParts()
    weekend: float = Field(0.5, ge=0, le=10)  # a weekend slot's chance relative to a weekday's
    any_time: Share = 0.10  # no slots given: free at any time

    @model_validator(mode="after")
    def _ordered(self) -> Availability:
        if self.max_slots < self.min_slots:
            raise ValueError(
                f"max_slots: must be ≥ min_slots ({self.min_slots}) (got {self.max_slots})"
            )
        return self


class Languages(BaseModel):
    """Everyone speaks `main`, except speakers of another language who may not."""

    model_config = SECTION

    main: str = "nl"
    others: LanguageShares = {"en": 0.06, "tr": 0.04, "ar": 0.03, "pl": 0.02}
    others_speak_main: Share = 0.35

    @model_validator(mode="after")
    def _main_is_a_code(self) -> Languages:
        if not vocab.is_language_code(self.main):
            raise ValueError(f"main: must be a two-letter ISO 639-1 code (got {self.main!r})")
        if self.main in self.others:
            raise ValueError(f"others: lists the main language {self.main!r}")
        return self
