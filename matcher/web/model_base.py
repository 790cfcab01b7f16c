"""The base of every JSON body of /api/v1 (unknown fields refused, nothing changed after), and
`derived_from`, which gives a response model the fields of the library's own result dataclass,
so that a field is declared once: in the library."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Collection, Mapping
from typing import Any, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def of_fields(cls, source: object, **given: Any) -> Self:
        """This model from `source`'s attributes of the same names, those `given` instead (a
        field `source` has no attribute for takes its default, or is said to be missing)."""
        found = {n: getattr(source, n) for n in cls.model_fields if hasattr(source, n)}
        return cls.model_validate({**found, **given})


Model = TypeVar("Model", bound=_Model)


def derived_from(
    source: type[Any],
    *,
    leave_out: Collection[str] = (),
    retyped: Mapping[str, Any] | None = None,
    added: Mapping[str, Any] | None = None,
) -> Callable[[type[Model]], type[Model]]:
    """A class decorator: the model with every field of the dataclass `source`, in its order
    (so the JSON keys are in that order too), then those `added`; the class gives the methods.

    `retyped` gives the API's own shape of some fields and `added` the API's own fields, each
    as `name: type` or `name: (type, default)`; `leave_out` names the fields the API does not
    show. A field is required unless given a default: an answer always has it. A dataclass
    field's `metadata["description"]` becomes its description in OpenAPI."""

    def derive(cls: type[Model]) -> type[Model]:
        if cls.model_fields:
            raise TypeError(f"{cls.__name__}: declare its own fields in `added`, in order")
        hints = typing.get_type_hints(source)
        shapes = dict(retyped or {})
        fields: dict[str, Any] = {}
        for field in dataclasses.fields(source):
            if field.name not in leave_out:
                shape = shapes.pop(field.name, hints[field.name])
                description = field.metadata.get("description")
                fields[field.name] = _field(shape, description)
        if shapes:
            raise TypeError(f"{source.__name__} has no field(s) {', '.join(shapes)} to retype")
        fields.update({name: _field(shape) for name, shape in (added or {}).items()})
        return create_model(
            cls.__name__, __base__=cls, __module__=cls.__module__, __doc__=cls.__doc__, **fields
        )

    return derive


def _field(shape: Any, description: str | None = None) -> tuple[Any, Any]:
    kind, default = shape if isinstance(shape, tuple) else (shape, ...)
    return kind, Field(default, description=description)
