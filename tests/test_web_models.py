"""web.model_base.derived_from: an API model takes the library dataclass's fields, in order."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pydantic import ValidationError

from matcher.rounds import ProposedPair, RoundProposal
from matcher.web.api_models import RoundOut
from matcher.web.model_base import _Model, derived_from
from matcher.web.round_models import PairOut


@dataclasses.dataclass(frozen=True)
class Visit:
    client_id: str
    on: dt.date
    note: str | None = dataclasses.field(default=None, metadata={"description": "said so"})
    hidden: int = 0

    @property
    def weekday(self) -> int:
        return self.on.isoweekday()


@derived_from(Visit, leave_out={"hidden"}, added={"weekday": int, "late": (bool, False)})
class VisitOut(_Model):
    """A visit."""


def test_the_fields_are_the_dataclass_s_in_order_then_the_added() -> None:
    assert list(VisitOut.model_fields) == ["client_id", "on", "note", "weekday", "late"]
    schema = VisitOut.model_json_schema()
    # An answer always has every field the dataclass gives, default or not.
    assert schema["required"] == ["client_id", "on", "note", "weekday"]
    assert schema["properties"]["note"]["description"] == "said so"
    assert schema["description"] == "A visit." and schema["title"] == "VisitOut"
    assert schema["additionalProperties"] is False  # _Model's config holds


def test_a_model_is_filled_from_the_dataclass_and_checked() -> None:
    visit = Visit("K001", dt.date(2026, 11, 23), "fine", hidden=3)
    out = VisitOut.of_fields(visit, late=True)
    assert out.model_dump() == {"client_id": "K001", "on": dt.date(2026, 11, 23),
                                "note": "fine", "weekday": 1, "late": True}  # fmt: skip
    with pytest.raises(ValidationError):
        VisitOut.of_fields(visit, weekday="Monday")
    with pytest.raises(ValidationError, match="client_id"):
        VisitOut.of_fields(object(), weekday=1)  # nothing to fill the dataclass's fields from


def test_a_mistake_in_the_derivation_is_said_when_the_module_loads() -> None:
    with pytest.raises(TypeError, match=r"Visit has no field\(s\) when"):
        derived_from(Visit, retyped={"when": str})(type("Bad", (_Model,), {}))

    class Declares(_Model):
        client_id: str

    with pytest.raises(TypeError, match="declare its own fields in `added`"):
        derived_from(Visit)(Declares)


def test_the_round_models_follow_the_library_s_fields() -> None:
    shown = set(RoundOut.model_fields)
    library = {f.name for f in dataclasses.fields(RoundProposal)}
    assert shown == library - {"timings", "clients", "volunteers", "result", "prepared", "lang"}
    pair = {f.name for f in dataclasses.fields(ProposedPair)}
    assert set(PairOut.model_fields) == pair - {"stored_reasons"} | {"why"}
