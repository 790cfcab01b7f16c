"""What a cell may hold: the field types of the domain models (matcher.models).

Each type is a pydantic `Annotated` type whose validator accepts what a spreadsheet cell holds
as well as Python values, so one set of rules validates CSV rows, JSON objects and library
callers alike: numbers with a decimal comma, lists as `a|b` or `a, b`, dates as `2026-11-23`
or `23-11-2026`, empty text as "not given".
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from matcher import vocab
from matcher.suggest import unknown_word_message
from matcher.vocab import ContactMode, Gender

# None while there is none (phone contact only, or not looked up yet).
LocationSource = Literal["coordinates", "postcode", "district", "place"]


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_number(value: Any) -> Any:
    if blank(value):
        return None
    if isinstance(value, bool):
        raise PydanticCustomError("number", "must be a number")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an int beyond any float, such as a latitude of 400 digits
            raise PydanticCustomError("number", "must be a finite number") from None
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        # A Dutch spreadsheet writes 52,51 for 52.51; a lone comma is a decimal comma.
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise PydanticCustomError("number", "must be a number") from None
    if not math.isfinite(number):
        raise PydanticCustomError("number", "must be a finite number")
    return number


def to_whole_number(value: Any) -> Any:
    try:
        number = to_number(value)
    except PydanticCustomError:
        raise PydanticCustomError("whole_number", "must be a whole number") from None
    if number is None:
        return None
    if not float(number).is_integer():
        raise PydanticCustomError("whole_number", "must be a whole number")
    return int(number)


# The engine counts hours in quarters of an hour: whole numbers, so capacity sums are exact.
HOUR_UNITS = 4
# What a match needs from a volunteer's week when the client's hours are not given.
DEFAULT_CLIENT_HOURS = 1.0


def _to_quarter_hours(value: Any) -> Any:
    number = to_number(value)
    if number is None:
        return None
    if not float(number * HOUR_UNITS).is_integer():
        raise PydanticCustomError("quarter_hours", "must be whole quarters of an hour (0.25)")
    return number


ClientHours = Annotated[
    Annotated[float, Field(gt=0, le=40)] | None, BeforeValidator(_to_quarter_hours)
]
VolunteerHours = Annotated[
    Annotated[float, Field(ge=0, le=80)] | None, BeforeValidator(_to_quarter_hours)
]
HOURS_FIELDS = ("hours_per_week", "active_hours")


_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def _to_date(value: Any) -> Any:
    if blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        # Excel sometimes appends a time of day to a date cell.
        return dt.date.fromisoformat(text[:10] if len(text) > 10 and text[10] in " T" else text)
    except ValueError:
        pass
    dutch = _DUTCH_DATE.match(text)
    if dutch:
        day, month, year = (int(part) for part in dutch.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise PydanticCustomError("date", "must be a date as YYYY-MM-DD or DD-MM-YYYY")


def _items(value: Any) -> list[str]:
    if blank(value):
        return []
    if isinstance(value, str):
        return [item for item in re.split(r"[|,]", value) if item.strip()]
    if isinstance(value, list | tuple | set | frozenset):
        return [str(item) for item in value if not blank(item)]
    raise PydanticCustomError("list", "must be a list of words separated by | or ,")


# A column of 100,000 cells repeats a few dozen words: each is normalised and checked once.
@functools.lru_cache(maxsize=4096)
def _check_word(word: str, kind: str, choices: tuple[str, ...]) -> str:
    normal = vocab.normalise_word(word)
    if normal not in choices:
        raise PydanticCustomError("unknown_word", unknown_word_message(kind, normal, choices))
    return normal


def _word(kind: str, choices: tuple[str, ...]) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        return None if blank(value) else _check_word(str(value), kind, choices)

    return parse


def _word_list(kind: str, choices: tuple[str, ...]) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        words = [_check_word(item, kind, choices) for item in _items(value)]
        # Vocabulary order, without repeats: the same set always looks the same.
        return tuple(word for word in choices if word in words)

    return parse


def _free_word(value: Any) -> Any:
    if blank(value):
        return None
    word = vocab.normalise_word(_scalar(value))
    if not vocab.is_kebab(word):
        raise PydanticCustomError("kebab", "must be a kebab-case word like 'seniorencoach'")
    return word


def _required_word(value: Any) -> Any:
    if blank(value):
        raise PydanticCustomError("missing", "is required")
    return _free_word(value)


def _free_word_list(value: Any) -> Any:
    return tuple(sorted({_free_word(item) for item in _items(value)}))


def _languages(value: Any) -> Any:
    codes = [item.strip().lower() for item in _items(value)]
    for code in codes:
        if not vocab.is_language_code(code):
            raise PydanticCustomError(
                "language", "must be two-letter ISO 639-1 codes like 'nl' or 'en'"
            )
    return tuple(sorted(set(codes))) or ("nl",)


_POSTCODE = re.compile(r"^([1-9][0-9]{3})([A-Z]{2})?$")


def _postcode(value: Any) -> Any:
    """A Dutch postcode as `8011AB` (PC6) or `8011` (PC4): upper case, no space."""
    if blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A spreadsheet turns a PC4 cell into the number 8011 (or 8011.0).
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = normal_postcode(_scalar(value))
    if text is None:
        raise PydanticCustomError("postcode", "must be a Dutch postcode like '8011 AB' or '8011'")
    return text


def normal_postcode(text: str) -> str | None:
    """`8011 ab` -> `8011AB`, `8011` -> `8011`; None when it is not a Dutch postcode."""
    compact = text.strip().upper().replace(" ", "").replace("\u00a0", "")
    return compact if _POSTCODE.match(compact) else None


def _ids(value: Any) -> Any:
    return tuple(sorted({item.strip() for item in _items(value)}))


def _scalar(value: Any) -> str:
    """A cell's text; a list or table where one value belongs is an error, not its repr."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PydanticCustomError("scalar", "must be a single value, not a list or table")
    return str(value)


def _text(value: Any) -> Any:
    if blank(value):
        return None
    return _scalar(value).strip()


def _identifier(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = to_whole_number(value)
    text = "" if value is None else _scalar(value).strip()
    if not text:
        raise PydanticCustomError("missing", "is required")
    if any(separator in text for separator in "|,"):
        raise PydanticCustomError("identifier", "must not contain | or ,")
    return text


Identifier = Annotated[str, BeforeValidator(_identifier)]
Text = Annotated[str | None, BeforeValidator(_text)]
# The bounds sit inside the `| None`: on the outside pydantic would compare None with them.
Age = Annotated[Annotated[int, Field(ge=0, le=120)] | None, BeforeValidator(to_whole_number)]
Latitude = Annotated[Annotated[float, Field(ge=-90, le=90)] | None, BeforeValidator(to_number)]
Longitude = Annotated[Annotated[float, Field(ge=-180, le=180)] | None, BeforeValidator(to_number)]
Date = Annotated[dt.date | None, BeforeValidator(_to_date)]
Postcode = Annotated[str | None, BeforeValidator(_postcode)]
Programme = Annotated[str, BeforeValidator(_required_word)]
Programmes = Annotated[tuple[str, ...], BeforeValidator(_free_word_list)]
Languages = Annotated[tuple[str, ...], BeforeValidator(_languages)]
IdList = Annotated[tuple[str, ...], BeforeValidator(_ids)]
Slots = Annotated[tuple[str, ...], BeforeValidator(_word_list("availability slot", vocab.SLOTS))]
Needs = Annotated[tuple[str, ...], BeforeValidator(_word_list("need", vocab.NEEDS))]
Skills = Annotated[tuple[str, ...], BeforeValidator(_word_list("skill", vocab.NEEDS))]
LossTypes = Annotated[tuple[str, ...], BeforeValidator(_word_list("loss type", vocab.LOSS_TYPES))]
Trainings = Annotated[tuple[str, ...], BeforeValidator(_word_list("training", vocab.TRAININGS))]
Hindering = Annotated[
    tuple[str, ...], BeforeValidator(_word_list("hindering factor", vocab.HINDERING_FACTORS))
]
Protective = Annotated[
    tuple[str, ...], BeforeValidator(_word_list("protective factor", vocab.PROTECTIVE_FACTORS))
]


def literal_word(kind: str, choices: tuple[str, ...], default: str | None = None) -> Any:
    parse = _word(kind, choices)
    return BeforeValidator(lambda value: default if blank(value) else parse(value))


GenderWord = Annotated[Gender | None, literal_word("gender", vocab.GENDERS)]
Contact = Annotated[ContactMode, literal_word("contact mode", vocab.CONTACT_MODES, "either")]
