"""arrays.positions_in against a dictionary lookup."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.arrays import positions_in


@settings(max_examples=80, deadline=None)
@given(
    members=st.lists(st.integers(0, 50), unique=True, max_size=20),
    ids=st.lists(st.integers(0, 60), max_size=30),
)
def test_positions_in_equals_a_dictionary(members: list[int], ids: list[int]) -> None:
    where = {member: k for k, member in enumerate(members)}
    found = positions_in(np.array(members, dtype=np.int64), np.array(ids, dtype=np.int64))
    assert found.tolist() == [where.get(i, -1) for i in ids]
