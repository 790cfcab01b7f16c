"""matcher.plain_values gives what pydantic's validator of a field gives, or asks it."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError

from matcher import vocab
from matcher.field_types import Latitude, Longitude
from matcher.models import Client, Volunteer
from matcher.plain_values import UNSURE, plain_validator, validator_of_field, validator_of_type

FIELDS = [(model, name) for model in (Client, Volunteer) for name in model.model_fields]
STRIP = ConfigDict(str_strip_whitespace=True)

_WORDS = [*vocab.SLOTS[:3], *vocab.NEEDS[:2], *vocab.LOSS_TYPES[:2], *vocab.GENDERS,
          *vocab.CONTACT_MODES, "postcode", "nl", "en", "xx", "seniorencoach", "C01", "8011AB",
          "8011 ab", "2026-11-23", "23-11-2026", "2026-02-30", "vrouw", "telefoon"]  # fmt: skip
_PIECES = st.sampled_from([*_WORDS, "0", "1", "5", "52", "-", ".", ",", "|", " ", "\u00a0", "e"])
# What the readers hand a field's validator (a cleaned cell, or None), and what a library
# caller might: numbers, lists, dates, booleans.
VALUES = (
    st.none()
    | st.lists(_PIECES, max_size=5).map("".join)
    | st.integers(-300, 300)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.dates()
    | st.lists(st.sampled_from(_WORDS), max_size=3)
    | st.lists(st.sampled_from(_WORDS), max_size=3).map(tuple)
)


def _outcome(validate: Any, value: Any) -> tuple[str, Any]:
    try:
        result = validate(value)
    except ValidationError as error:
        return "refused", error.errors(include_url=False)
    return type(result).__name__, result


@pytest.mark.parametrize(("model", "name"), FIELDS, ids=[f"{m.__name__}.{n}" for m, n in FIELDS])
@settings(max_examples=60, deadline=None)
@given(values=st.lists(VALUES, min_size=1, max_size=6))
def test_every_field_gives_what_its_type_adapter_gives(
    model: type[Client] | type[Volunteer], name: str, values: list[Any]
) -> None:
    info = model.model_fields[name]
    adapter = TypeAdapter(Annotated[info.annotation, info], config=STRIP)  # type: ignore[arg-type]
    ours = validator_of_field(info, STRIP)
    for value in values:
        expected, got = _outcome(adapter.validate_python, value), _outcome(ours, value)
        if isinstance(expected[1], float) and math.isnan(expected[1]):
            assert got[0] == "float" and math.isnan(got[1])
        else:
            assert got == expected, value


@pytest.mark.parametrize(("model", "name"), FIELDS, ids=[f"{m.__name__}.{n}" for m, n in FIELDS])
def test_every_field_of_the_models_has_a_plain_check(
    model: type[Client] | type[Volunteer], name: str
) -> None:
    # A field type this module does not know still validates (through pydantic), but every
    # file round builds its validator again: teach plain_values the new type.
    info = model.model_fields[name]
    assert plain_validator(Annotated[info.annotation, info], STRIP) is not None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("annotation", "value", "expected"),
    [
        (Latitude, "52,5", 52.5),
        (Latitude, None, None),
        (Longitude, "6.1", 6.1),
        (Client.model_fields["availability"], "tue-pm|mon-am", ("mon-am", "tue-pm")),
        (Client.model_fields["waiting_since"], "23-11-2026", dt.date(2026, 11, 23)),
        (Client.model_fields["contact"], None, "either"),
        (Volunteer.model_fields["capacity"], "3", 3),
    ],
)
def test_a_plain_value_is_read_off_without_pydantic(
    annotation: Any, value: Any, expected: Any
) -> None:
    if not isinstance(annotation, type(Latitude)):
        annotation = Annotated[annotation.annotation, annotation]
    plain = plain_validator(annotation, STRIP)
    assert plain is not None
    got = plain(value)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    ("annotation", "value"),
    [
        (Latitude, "91"),  # out of bounds: pydantic's message
        (Latitude, "abc"),  # the before-validator refuses it
        (Client.model_fields["programme"], None),  # required
        (Client.model_fields["gender"], "vrouw"),  # not a word of the list
    ],
)
def test_a_value_that_is_not_plainly_valid_is_left_to_pydantic(annotation: Any, value: Any) -> None:
    if not isinstance(annotation, type(Latitude)):
        annotation = Annotated[annotation.annotation, annotation]
    plain = plain_validator(annotation, STRIP)
    assert plain is not None and plain(value) is UNSURE
    with pytest.raises(ValidationError) as ours:
        validator_of_type(annotation, STRIP)(value)
    with pytest.raises(ValidationError) as theirs:
        TypeAdapter(annotation, config=STRIP).validate_python(value)
    assert ours.value.errors() == theirs.value.errors()


def _two(value: Any, info: Any) -> Any:
    return value


def _same(value: Any) -> Any:
    return value


@pytest.mark.parametrize(
    "annotation",
    [
        Annotated[int, BeforeValidator(_two)],  # takes pydantic's info
        Annotated[int, BeforeValidator(_same), BeforeValidator(_same)],  # two: pydantic's order
        Annotated[str, Field(pattern="^a")],  # a constraint not checked here
        int | str,  # a smart union
        list[str],
        Literal["a"] | None | int,
    ],
)
def test_a_type_it_does_not_know_is_all_pydantic(annotation: Any) -> None:
    assert plain_validator(annotation) is None
    for value in (1, "a", ["1"], None):
        expected = _outcome(TypeAdapter(annotation).validate_python, value)
        assert _outcome(validator_of_type(annotation), value) == expected


def test_a_config_it_does_not_know_is_all_pydantic() -> None:
    assert plain_validator(int, ConfigDict(strict=True)) is None
    with pytest.raises(ValidationError):
        validator_of_type(int, ConfigDict(strict=True))("1")
