"""Where each client and volunteer id stands in a round's arrays (its row).

The population (matcher.population) keeps people in input order, and every array of the round
follows it; a Match or an Unmatched names people by id. One map per population, made once
(a population is never changed) and dropped with it.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping

from matcher.population import Population

_CLIENT_ROWS: weakref.WeakKeyDictionary[Population, Mapping[str, int]] = weakref.WeakKeyDictionary()
_VOLUNTEER_ROWS: weakref.WeakKeyDictionary[Population, Mapping[str, int]] = (
    weakref.WeakKeyDictionary()
)


def row_of_ids(ids: Iterable[str]) -> dict[str, int]:
    """Each id's position in `ids` (ids are unique: the readers refuse a repeated one)."""
    return {identifier: row for row, identifier in enumerate(ids)}


def client_rows(pop: Population) -> Mapping[str, int]:
    """Client id → its row in the population's client arrays."""
    rows = _CLIENT_ROWS.get(pop)
    if rows is None:
        rows = _CLIENT_ROWS[pop] = row_of_ids(pop.client_ids)
    return rows


def volunteer_rows(pop: Population) -> Mapping[str, int]:
    """Volunteer id → its row in the population's volunteer arrays."""
    rows = _VOLUNTEER_ROWS.get(pop)
    if rows is None:
        rows = _VOLUNTEER_ROWS[pop] = row_of_ids(pop.volunteer_ids)
    return rows
