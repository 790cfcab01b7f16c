"""Check-in drop-out in the simulator (dynamics.checkin_dropout): at each check-in moment a
share of the matches still running ends there; everything else about the world stays."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from matcher import scenarios
from matcher.errors import InputError
from matcher.simulate.scenario import dynamics_of, sampler_of
from matcher.simulate.world import (
    CAP_END,
    CHECKIN_END,
    COMPLETED,
    EARLY_END,
    World,
    _durations,
    build_world,
)

START = dt.date(2026, 1, 5)


def world(dropout: float, *, cap: int | None = None, seed: int = 7) -> World:
    scenario = scenarios.load("vriendschap-op-maat")
    dynamics = dataclasses.replace(
        dynamics_of(scenario), checkin_dropout=dropout, max_match_weeks=cap
    )
    return build_world(dynamics, sampler_of(scenario), weeks=52, seed=seed, start=START)


def test_drop_outs_end_matches_at_check_ins_and_change_nothing_else() -> None:
    without, with_ = world(0.0), world(0.25)
    assert not (without.end_kind == CHECKIN_END).any()
    assert set(np.unique(without.end_kind).tolist()) <= {COMPLETED, EARLY_END}
    dropped = with_.end_kind == CHECKIN_END
    assert dropped.any()
    # A drop-out shortens a match to a check-in moment before its drawn end, nothing more.
    assert set(with_.duration_weeks[dropped].tolist()) <= {6, 26, 52}
    assert (with_.duration_weeks[dropped] < without.duration_weeks[dropped]).all()
    np.testing.assert_array_equal(with_.duration_weeks[~dropped], without.duration_weeks[~dropped])
    np.testing.assert_array_equal(with_.arrival_week, without.arrival_week)
    np.testing.assert_array_equal(with_.leave_week, without.leave_week)
    assert with_.clients == without.clients


def test_each_check_in_ends_the_share_given() -> None:
    dynamics = dynamics_of(scenarios.load("vriendschap-op-maat"))
    full, _ = _durations((1,), 20_000, dynamics)
    weeks, kind = _durations((1,), 20_000, dataclasses.replace(dynamics, checkin_dropout=0.25))
    # Each check-in before a match's drawn end ends it with the chance given.
    moments = (np.array(dynamics.checkin_weeks)[None, :] < full[:, None]).sum(axis=1)
    assert abs((kind == CHECKIN_END).mean() - (1 - 0.75**moments).mean()) < 0.01
    first = (kind == CHECKIN_END) & (weeks == 6)
    assert abs(first.mean() - 0.25 * (full > 6).mean()) < 0.01


def test_the_cap_applies_after_the_drop_outs() -> None:
    capped = world(0.25, cap=20)
    assert capped.duration_weeks.max() <= 20
    at_cap = capped.end_kind == CAP_END
    assert at_cap.any() and (capped.duration_weeks[at_cap] == 20).all()
    # A check-in after the cap cannot end a match.
    assert set(capped.duration_weeks[capped.end_kind == CHECKIN_END].tolist()) <= {6}


def test_a_bad_drop_out_share_is_a_clear_error() -> None:
    raw = scenarios.load("levensboek").model_dump(mode="json", exclude_unset=True)
    raw["dynamics"] = raw.get("dynamics", {}) | {"checkin_dropout": 1.5}
    with pytest.raises(InputError, match=r"dynamics\.checkin_dropout"):
        scenarios.scenario_from_dict(raw)
