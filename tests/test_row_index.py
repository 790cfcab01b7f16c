"""One id → row map per population (matcher.row_index), made once and dropped with it."""

from __future__ import annotations

import datetime as dt
import gc
import weakref

from matcher.config import MatchConfig
from matcher.models import Client, Volunteer
from matcher.population import Population, build_population
from matcher.row_index import client_rows, row_of_ids, volunteer_rows


def _population() -> Population:
    clients = [Client(client_id=f"K{n}", programme="rouw", contact="phone") for n in (3, 1, 2)]
    volunteers = [
        Volunteer(volunteer_id=f"V{n}", programmes=["rouw"], contact="phone") for n in (2, 1)
    ]
    return build_population(clients, volunteers, MatchConfig(), dt.date(2026, 11, 23))


def test_rows_follow_the_population_arrays_and_are_made_once() -> None:
    pop = _population()
    rows = client_rows(pop)
    assert rows == {c.client_id: i for i, c in enumerate(pop.clients)}
    assert list(rows) == ["K1", "K2", "K3"]  # the population sorts by id
    assert volunteer_rows(pop) == {"V1": 0, "V2": 1}
    assert client_rows(pop) is rows


def test_the_map_goes_with_its_population() -> None:
    pop = _population()
    client_rows(pop)
    gone = weakref.ref(pop)
    del pop
    gc.collect()
    assert gone() is None


def test_row_of_ids() -> None:
    assert row_of_ids(["b", "a"]) == {"b": 0, "a": 1}
