"""Whatever bytes a file holds, reading it ends in records or an InputError, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matcher
from matcher.errors import InputError

HEADER = "client_id;programme;lat;lon;contact;availability;languages;age\n"
CELLS = st.sampled_from(
    ["", "C1", "p", "52,5", "6.1", "phone", "visit", "mon-am|tue-pm", "nl, en", "abc", '"',
     "999", "-1", "1e400", "nan", "\x00", "é", "😀", ";", "\r", "\n", "x" * 300, "NaN", "inf"]
)  # fmt: skip
SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _read(path: Path) -> None:
    try:
        matcher.read_clients(str(path))
    except InputError as error:
        assert error.problems
        for problem in error.problems:
            assert str(problem).startswith(str(path))


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes(data)
    _read(path)


@SETTINGS
@given(st.lists(st.lists(CELLS, max_size=10), max_size=6))
def test_spreadsheet_like_garbage(tmp_path: Path, rows: list[list[str]]) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(HEADER + "\n".join(";".join(row) for row in rows), encoding="utf-8")
    _read(path)


@SETTINGS
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=12,
    )
)
def test_json_of_any_shape(tmp_path: Path, value: object) -> None:
    import json

    path = tmp_path / "clients.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    _read(path)


@pytest.mark.parametrize(
    "rows",
    [
        [{"client_id": "C1", "programme": "p", "contact": "phone", "age": float("nan")}],
        [{"client_id": ["C1"], "programme": "p", "contact": "phone"}],
        [{"client_id": "C1", "programme": {"a": 1}, "contact": "phone"}],
        ["not a mapping"],
    ],
)
def test_library_rejects_odd_objects_with_input_error(rows: list[object]) -> None:
    with pytest.raises(InputError):
        matcher.match(rows, [])  # type: ignore[arg-type]
