"""pair_facts reads a round read from files through its columns when it asks for many people
(no record made per row), through the records when few: both give the same facts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from matcher import facts
from matcher.file_round import read_round
from tests.ledger_checks import ROOT

ROUND_DATE = dt.date(2026, 11, 23)


def test_facts_from_columns_equal_facts_from_records() -> None:
    examples = ROOT / "examples"
    _, prepared = read_round(
        str(examples / "clients.csv"), str(examples / "volunteers.csv"), None, ROUND_DATE
    )
    pop, scores = prepared.population, prepared.scores
    assert pop.clients.table is not None  # read from a file: columns, records on request
    edges = np.arange(len(scores.edge_client))
    ci, vi = scores.edge_client[edges], scores.edge_volunteer[edges]
    km, visit = scores.distance_km[edges], scores.visit[edges]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(facts, "COLUMNS_FROM_SHARE", 0.0)
        by_columns = facts.pair_facts(pop, ci, vi, km, visit)
        assert not pop.clients._made and not pop.volunteers._made  # no record made
        patch.setattr(facts, "COLUMNS_FROM_SHARE", float("inf"))
        by_records = facts.pair_facts(pop, ci, vi, km, visit)
    assert by_columns == by_records and len(by_columns) == len(edges) > 0
    assert {f.distance_basis for f in by_columns} and any(f.shared_slots for f in by_columns)
