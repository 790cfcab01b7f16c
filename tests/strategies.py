"""Hypothesis strategies that build small, valid matching rounds with many rule conflicts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from matcher import vocab

# Drawn inside the range, not filtered to it: a filter on all dates rejects nearly every draw.
WAITING_FROM, WAITING_TO = dt.date(2020, 1, 1), dt.date(2026, 12, 31)

# Three places a few km apart and one far away, so the distance rule both passes and fails.
PLACES = [(52.51, 6.09), (52.53, 6.11), (52.49, 6.05), (53.2, 5.8)]
PROGRAMMES = ["partnerverlies", "seniorencoach"]
FEW_SLOTS = list(vocab.SLOTS[:4])


def _subset(choices: list[str], max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(choices), max_size=max_size, unique=True)


@st.composite
def clients(draw: st.DrawFn, index: int, volunteer_ids: list[str]) -> dict[str, Any]:
    contact = draw(st.sampled_from(vocab.CONTACT_MODES))
    place = draw(st.sampled_from(PLACES))
    located = contact != "phone" or draw(st.booleans())
    return {
        "client_id": f"C{index:03d}",
        "programme": draw(st.sampled_from(PROGRAMMES)),
        "age": draw(st.none() | st.integers(30, 95)),
        "gender": draw(st.none() | st.sampled_from(vocab.GENDERS)),
        "lat": place[0] if located else None,
        "lon": place[1] if located else None,
        "loss_type": draw(st.none() | st.sampled_from(vocab.LOSS_TYPES)),
        "hindering_factors": draw(_subset(list(vocab.HINDERING_FACTORS), 6)),
        "protective_factors": draw(_subset(list(vocab.PROTECTIVE_FACTORS), 2)),
        "needs": draw(_subset(list(vocab.NEEDS), 3)),
        "availability": draw(_subset(FEW_SLOTS, 2)),
        "languages": draw(st.sampled_from([["nl"], ["nl", "en"], ["tr"]])),
        "preferred_gender": draw(st.none() | st.sampled_from(vocab.PREFERRED_GENDERS)),
        "contact": contact,
        "waiting_since": draw(st.none() | st.dates(WAITING_FROM, WAITING_TO)),
        "excluded_volunteers": draw(_subset(volunteer_ids, 1)) if volunteer_ids else [],
    }


@st.composite
def volunteers(draw: st.DrawFn, index: int) -> dict[str, Any]:
    contact = draw(st.sampled_from(vocab.CONTACT_MODES))
    place = draw(st.sampled_from(PLACES))
    located = contact != "phone" or draw(st.booleans())
    capacity = draw(st.integers(0, 3))
    return {
        "volunteer_id": f"V{index:03d}",
        "programmes": draw(st.lists(st.sampled_from(PROGRAMMES), min_size=1, unique=True)),
        "age": draw(st.none() | st.integers(25, 85)),
        "gender": draw(st.none() | st.sampled_from(vocab.GENDERS)),
        "lat": place[0] if located else None,
        "lon": place[1] if located else None,
        "max_travel_km": draw(st.sampled_from([0.0, 3.0, 10.0])),
        "lived_experience": draw(_subset(list(vocab.LOSS_TYPES), 2)),
        "training": draw(_subset(list(vocab.TRAININGS), 2)),
        "capacity": capacity,
        "active_clients": draw(st.integers(0, capacity)),
        "availability": draw(_subset(FEW_SLOTS, 3)),
        "languages": draw(st.sampled_from([["nl"], ["nl", "en"], ["en"]])),
        "skills": draw(_subset(list(vocab.NEEDS), 3)),
        "contact": contact,
    }


@st.composite
def rounds(
    draw: st.DrawFn, max_clients: int = 8, max_volunteers: int = 5
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    n_volunteers = draw(st.integers(0, max_volunteers))
    n_clients = draw(st.integers(0, max_clients))
    vs = [draw(volunteers(i)) for i in range(n_volunteers)]
    ids = [v["volunteer_id"] for v in vs]
    cs = [draw(clients(i, ids)) for i in range(n_clients)]
    return cs, vs
