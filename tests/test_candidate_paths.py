"""The two ways of forming pairs (block products, or a spatial index plus phone pairs) agree."""

from __future__ import annotations

import numpy as np
import pytest

from matcher import candidates, scenarios
from matcher.engine import prepare


@pytest.mark.parametrize("name", ["city-scale", "dense-city"])
def test_spatial_index_finds_the_block_products_pairs(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = scenarios.load(name).resized(clients=400, volunteers=160)
    clients, volunteers = scenarios.generate(scenario, 3, round_date=scenario.round_date)
    blocks = prepare(clients, volunteers, None, scenario.round_date).candidates
    monkeypatch.setattr(candidates, "SPATIAL_INDEX_FROM_PAIRS", 0)
    monkeypatch.setattr(candidates, "BLOCK_PAIRS", 97)  # many small blocks of phone pairs
    spatial = prepare(clients, volunteers, None, scenario.round_date).candidates
    assert len(blocks.edge_client) > 1000
    assert np.array_equal(blocks.edge_client, spatial.edge_client)
    assert np.array_equal(blocks.edge_volunteer, spatial.edge_volunteer)
    assert np.array_equal(blocks.options_left, spatial.options_left)
    keys = spatial.edge_client * len(volunteers) + spatial.edge_volunteer
    assert np.all(np.diff(keys) > 0), "pairs in (client, volunteer) order, no repeats"
