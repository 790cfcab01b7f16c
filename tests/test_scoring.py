"""The weight formula on a pair worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

import matcher
from matcher.scoring import format_weight


def test_weight_of_a_pair_worked_out_by_hand() -> None:
    client = {
        "client_id": "C1",
        "programme": "p",
        "age": 60,
        "lat": 52.5,
        "lon": 6.1,
        "loss_type": "partner",
        "needs": "emotional|practical",
        "availability": "mon-am|tue-am|wed-am|thu-am",
        "waiting_since": "2026-10-26",
        "hindering_factors": "physical-health|caregiver-burden",  # score 2.0: moderate
    }
    volunteer = {
        "volunteer_id": "V1",
        "programmes": "p",
        "age": 70,
        "lat": 52.5,
        "lon": 6.1,
        "max_travel_km": 10,
        "lived_experience": "partner",
        "skills": "emotional",
        "availability": "mon-am|tue-am",
        "training": "basic",
    }
    result = matcher.match([client], [volunteer], round_date=dt.date(2026, 11, 23))
    (pair,) = result.matches
    assert pair.scores == pytest.approx(
        {
            "lived_experience": 1.0,
            "closeness": 1.0,
            "availability": 2 / 3,
            "needs": 0.5,
            "age": 0.75,
            "training": 0.5,
        }
    )
    fit = (3 * 1.0 + 2 * 1.0 + 1 * 2 / 3 + 1.5 * 0.5 + 0.5 * 0.75 + 1 * 0.5) / 9.0
    priority = 0.5 + 0.5 * 4 / 26  # moderate, four weeks of 26
    assert pair.priority == pytest.approx(priority)
    assert pair.weight == pytest.approx(2.0 + priority + fit, abs=1e-6)
    assert pair.contact == "visit"


@pytest.mark.parametrize(
    ("units", "text"),
    [
        (0, "0.000000"),
        (3_412_345, "3.412345"),
        (7, "0.000007"),
        (12_000_000_000_001, "12000000.000001"),
    ],
)
def test_weights_print_exactly(units: int, text: str) -> None:
    assert format_weight(units) == text
