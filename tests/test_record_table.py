"""Rows kept as columns (matcher.io.record_table) give the round exactly what records give.

The file round reads people as columns and makes a record only for a row that is asked for;
the library makes the same round from model objects. Both must give the same population
arrays, the same people and the same checks across fields, on random rounds.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher import vocab
from matcher.config import MatchConfig
from matcher.io import RecordTable, RecordView, read_client_table, read_volunteer_table
from matcher.models import HOUR_UNITS, Client, RecordMaker, Volunteer
from matcher.population import build_population, capacity_units, per_distinct
from tests.test_fast_rows import _cell
from tests.test_vectorised_round import plain_population, varied_rounds

ROUND_DATE = dt.date(2026, 11, 30)


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    names = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, restval="")
        writer.writeheader()
        writer.writerows({key: _cell(value) for key, value in row.items()} for row in rows)


def _shown(item: Any) -> tuple[Any, ...]:
    return item.__dict__, list(item.__dict__), item.model_fields_set


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(round_=varied_rounds(), seed=st.integers(0, 2**16))
def test_a_round_read_as_columns_has_the_arrays_and_people_of_its_records(
    round_: Any, seed: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    cs, vs = round_
    if not cs or not vs:
        return
    random.Random(seed).shuffle(cs)  # the population sorts by id either way
    folder = tmp_path_factory.mktemp("round")
    _write(folder / "clients.csv", cs)
    _write(folder / "volunteers.csv", vs)
    clients = read_client_table(folder / "clients.csv")
    volunteers = read_volunteer_table(folder / "volunteers.csv")
    records = list(clients.records()), list(volunteers.records())
    config = MatchConfig()
    from_table = build_population(clients, volunteers, config, ROUND_DATE)
    from_models = build_population(*records, config, ROUND_DATE)
    for field in dataclasses.fields(from_table):
        a, b = getattr(from_table, field.name), getattr(from_models, field.name)
        if isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True), field.name
    assert from_table.membership[0].tolist() == from_models.membership[0].tolist()
    assert from_table.client_ids == from_models.client_ids
    assert from_table.volunteer_ids == from_models.volunteer_ids
    # Each person asked for is the record the reader always made, and the same object twice.
    for view, models in (
        (from_table.clients, from_models.clients),
        (from_table.volunteers, from_models.volunteers),
    ):
        assert [_shown(p) for p in view] == [_shown(p) for p in models]
        assert view[0] is view[0] and view[-1] is view[len(view) - 1]
    plain = plain_population(from_models, config, ROUND_DATE)
    for name, expected in plain.items():
        assert np.array_equal(getattr(from_table, name), expected, equal_nan=True), name


def _plain_capacity(clients: list[Client], volunteers: list[Volunteer]) -> tuple[Any, ...]:
    """capacity_units as it was: read off each record's properties."""
    hours_mode = any(c.hours_per_week is not None for c in clients) or any(
        v.hours_per_week is not None or v.active_hours is not None for v in volunteers
    )
    if not hours_mode:
        return False, [1] * len(clients), [v.capacity - v.active_clients for v in volunteers]
    need = [round(c.hours_needed * HOUR_UNITS) for c in clients]
    free = [max(0, round((v.hours_given - v.hours_taken) * HOUR_UNITS)) for v in volunteers]
    return True, need, free


_HOURS = st.none() | st.sampled_from([0.0, 0.25, 0.5, 1.0, 2.5, 3.0, 4.5])


@settings(max_examples=80, deadline=None)
@given(
    client_hours=st.lists(_HOURS, max_size=5),
    volunteers=st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 4), _HOURS, _HOURS), min_size=1, max_size=5
    ),
)
def test_capacity_units_on_columns_equal_the_records_properties(
    client_hours: list[float | None], volunteers: list[tuple[int, int, Any, Any]]
) -> None:
    people = [
        Client.model_construct(client_id=f"c{k}", programme="p", hours_per_week=hours)
        for k, hours in enumerate(client_hours)
    ]
    helpers = [
        Volunteer.model_construct(
            volunteer_id=f"v{k}",
            programmes=("p",),
            capacity=capacity,
            active_clients=active,
            hours_per_week=hours,
            active_hours=active_hours,
        )
        for k, (capacity, active, hours, active_hours) in enumerate(volunteers)
    ]
    hours_mode, need, free = capacity_units(people, helpers)
    assert (hours_mode, need.tolist(), free.tolist()) == _plain_capacity(people, helpers)


_PERSON = {
    "lat": st.none() | st.just(52.1),
    "lon": st.none() | st.just(5.1),
    "contact": st.sampled_from(vocab.CONTACT_MODES),
    "postcode": st.none() | st.just("1234AB"),
    "district": st.none() | st.just("West"),
    "place": st.none() | st.just("Epe"),
}
_VOLUNTEER = {
    **_PERSON,
    "programmes": st.sampled_from([(), ("p",)]),
    "capacity": st.integers(0, 3),
    "active_clients": st.integers(0, 4),
    "hours_per_week": _HOURS,
    "active_hours": _HOURS,
}


def _refused(model: type[Client] | type[Volunteer], fields: dict[str, Any]) -> bool:
    item = RecordMaker(model).make(fields.items(), set(fields))
    after = [
        d.func
        for d in model.__pydantic_decorators__.model_validators.values()
        if d.info.mode == "after"
    ]
    try:
        for check in after:
            check(item)
    except ValueError:  # PydanticCustomError is one
        return True
    return False


@pytest.mark.parametrize(("model", "fields"), [(Client, _PERSON), (Volunteer, _VOLUNTEER)])
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_column_checks_refuse_the_rows_the_after_validators_refuse(
    model: type[Client] | type[Volunteer], fields: dict[str, Any], data: st.DataObject
) -> None:
    rows = data.draw(st.lists(st.fixed_dictionaries(fields), min_size=1, max_size=8))
    columns = {name: [row[name] for row in rows] for name in fields}
    failing = model.column_checks.failing(columns)
    assert failing == [k for k, row in enumerate(rows) if _refused(model, row)]


def test_a_view_reads_columns_and_makes_a_record_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(
        "client_id,programme,lat,lon\nc2,p,52.1,5.1\nc1,p,52.2,5.2\nc3,p,,\n", encoding="utf-8"
    )
    with pytest.raises(Exception, match="location is required"):
        read_client_table(path)
    path.write_text(
        "client_id,programme,lat,lon,contact\nc2,p,52.1,5.1,visit\nc1,p,52.2,5.2,\nc3,p,,,phone\n",
        encoding="utf-8",
    )
    table = read_client_table(path)
    assert isinstance(table, RecordTable) and len(table) == 3
    assert table.rows == {"c2": 2, "c1": 3, "c3": 4}
    view = RecordView.of(table, "client_id")
    assert view.column("client_id") == ["c1", "c2", "c3"]
    assert [c.client_id for c in view[1:]] == ["c2", "c3"]
    assert view[2].contact == "phone" and view[2].lat is None
    assert [_shown(c) for c in table] == [_shown(c) for c in table.records()]
    with pytest.raises(IndexError):
        table[3]


@settings(max_examples=60, deadline=None)
@given(
    picks=st.lists(st.integers(0, 5), max_size=3000),
    shared=st.booleans(),
    kind=st.sampled_from(["tuple", "str", "none"]),
)
def test_codes_per_distinct_value_are_each_values_own(
    picks: list[int], shared: bool, kind: str
) -> None:
    # Columns whose equal values share one object (as read from a file) or not (models).
    pool: list[Any] = [tuple(vocab.SLOTS[:k]) for k in range(6)]
    if kind == "str":
        pool = [f"word-{k}" for k in range(6)]
    values = [pool[k] if shared or kind != "tuple" else tuple(list(pool[k])) for k in picks]
    if kind == "none":
        values = [None if k % 2 else pool[k] for k in picks]
    codes = per_distinct(values, lambda value: hash(value) % 1000, np.int64)
    assert codes.tolist() == [hash(value) % 1000 for value in values]
