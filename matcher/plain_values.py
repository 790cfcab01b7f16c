"""A field's validation without building pydantic's validator, for the values it plainly takes.

Building a TypeAdapter costs about a millisecond of CPU (its core schema, then its validator),
and the first one also makes pydantic load its plugin loader and with it importlib.metadata:
a city round's readers built 33 of them, a tenth of the whole command. Every field type of
the domain models (matcher.field_types) is a before-validator followed by a plain type (a
number within bounds, a word of a Literal, a date, a tuple of words, or None): for a value the
before-validator turns into exactly such a value, pydantic's validator gives that value back
unchanged, so it can be read off without pydantic. Anything else — the before-validator
refusing the value, a result of another type, out of bounds, not stripped, a field type this
module does not know — goes to the field's own TypeAdapter, built on first need, so every
value and every message stays pydantic's. `tests/test_plain_values.py` compares the two on
every field of the models with random cells.
"""

from __future__ import annotations

import datetime as dt
import math
import types
import typing
from collections.abc import Callable
from typing import Any, Final, Literal

import annotated_types
from pydantic import BeforeValidator, ConfigDict
from pydantic.fields import FieldInfo

Check = Callable[[Any], bool]
# Constraints a plain check knows, as the comparison pydantic makes.
_BOUNDS: Final[dict[type, Callable[[Any], Check]]] = {
    annotated_types.Ge: lambda c: lambda v: v >= c.ge,
    annotated_types.Gt: lambda c: lambda v: v > c.gt,
    annotated_types.Le: lambda c: lambda v: v <= c.le,
    annotated_types.Lt: lambda c: lambda v: v < c.lt,
}
_CO_ANY_ARGS: Final = 0x04 | 0x08  # CO_VARARGS, CO_VARKEYWORDS


class _Unknown(Exception):
    """A part of a type this module does not check itself: pydantic validates the field."""


def validator_of_field(info: FieldInfo, config: ConfigDict) -> Callable[[Any], Any]:
    """What `TypeAdapter(Annotated[info.annotation, info], config=config).validate_python`
    does (the value, or pydantic's ValidationError), building the adapter only for a value
    that is not plainly valid."""
    annotation = typing.Annotated[info.annotation, info]  # type: ignore[name-defined]
    return validator_of_type(annotation, config)


def validator_of_type(annotation: Any, config: ConfigDict | None = None) -> Callable[[Any], Any]:
    """`TypeAdapter(annotation, config=config).validate_python`, the adapter built on first
    need (module docstring)."""
    plain = plain_validator(annotation, config)
    adapter: Callable[[Any], Any] | None = None

    def pydantic_validate(value: Any) -> Any:
        nonlocal adapter
        if adapter is None:
            # Loaded with the first value that is not plainly valid: a plain round needs none.
            from pydantic import TypeAdapter

            adapter = TypeAdapter(annotation, config=config).validate_python
        return adapter(value)

    if plain is None:
        return pydantic_validate

    def validate(value: Any) -> Any:
        found = plain(value)
        return pydantic_validate(value) if found is UNSURE else found

    return validate


UNSURE: Final = object()


def plain_validator(
    annotation: Any, config: ConfigDict | None = None
) -> Callable[[Any], Any] | None:
    """A function giving the value pydantic would give, or UNSURE; None for a type (or a
    config) it cannot vouch for at all."""
    settings = dict(config or {})
    strip = bool(settings.pop("str_strip_whitespace", False))
    if settings:
        return None
    try:
        before, check = _parts(annotation, strip)
    except _Unknown:
        return None

    def validate(value: Any) -> Any:
        try:
            result = before(value) if before is not None else value
            return result if check(result) else UNSURE
        except Exception:  # pydantic's own validator says what is wrong (or raises it)
            return UNSURE

    return validate


def _parts(annotation: Any, strip: bool) -> tuple[Callable[[Any], Any] | None, Check]:
    """The one before-validator at the outside (or None) and the check of what it gives."""
    if typing.get_origin(annotation) is not typing.Annotated:
        return None, _check(annotation, strip)
    inner, *metadata = typing.get_args(annotation)
    items = _flattened(metadata)
    befores = [item for item in items if isinstance(item, BeforeValidator)]
    if len(befores) > 1:
        raise _Unknown  # the order pydantic runs them in is its own business
    before: Callable[[Any], Any] | None = None
    if befores:
        func = befores[0].func
        code = getattr(func, "__code__", None)
        # A validator taking pydantic's `info` as well is called differently.
        if code is None or code.co_argcount != 1 or code.co_kwonlyargcount:
            raise _Unknown
        if code.co_flags & _CO_ANY_ARGS:
            raise _Unknown
        before = typing.cast(Callable[[Any], Any], func)
    rest = [item for item in items if not isinstance(item, BeforeValidator)]
    return before, _bounded(_check(inner, strip), rest)


def _flattened(metadata: list[Any]) -> list[Any]:
    """Annotated metadata with each FieldInfo replaced by its own metadata."""
    items = []
    for item in metadata:
        if isinstance(item, FieldInfo):
            items.extend(item.metadata)
        else:
            items.append(item)
    return items


def _bounded(check: Check, constraints: list[Any]) -> Check:
    bounds = []
    for constraint in constraints:
        make = _BOUNDS.get(type(constraint))
        if make is None:
            raise _Unknown
        bounds.append(make(constraint))
    if not bounds:
        return check
    return lambda v: check(v) and all(bound(v) for bound in bounds)


def _check(annotation: Any, strip: bool) -> Check:
    """Whether a value is one pydantic's validator of `annotation` gives back unchanged."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        inner, *metadata = args
        items = _flattened(metadata)
        if any(isinstance(item, BeforeValidator) for item in items):
            raise _Unknown
        return _bounded(_check(inner, strip), items)
    if origin in (typing.Union, types.UnionType):
        others = [arg for arg in args if arg is not type(None)]
        if len(others) != 1 or len(args) != 2:
            raise _Unknown  # pydantic's smart union picks among several: not guessed here
        only = _check(others[0], strip)
        return lambda v: v is None or only(v)
    if origin is Literal:
        return lambda v: (
            any(type(v) is type(arg) and v == arg for arg in args) and not (strip and _padded(v))
        )
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _check(args[0], strip)
        return lambda v: type(v) is tuple and all(map(item, v))
    if annotation is str:
        return lambda v: type(v) is str and not (strip and _padded(v))
    if annotation is float:
        return lambda v: type(v) is float and math.isfinite(v)
    if annotation is int:
        return lambda v: type(v) is int
    if annotation is dt.date:
        return lambda v: type(v) is dt.date
    raise _Unknown


def _padded(value: Any) -> bool:
    # Python strips a superset of the whitespace pydantic-core trims: unchanged here is
    # unchanged there.
    return isinstance(value, str) and value != value.strip()
