"""Reading by column (matcher.io.fast_rows) gives exactly what validating every row gives.

The same file is read twice: as it is, and with the column path switched off so that every
row goes through `model_validate`. The records (values, field order, fields set) and the
problems (messages, rows, order) must be the same, whatever the cells hold.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.errors import InputError
from matcher.io import read_clients, read_volunteers
from matcher.io.fast_rows import FieldValidators
from tests import strategies

# Cells that are wrong, odd, Dutch, blank or neutralised, dropped into random places.
ODD_CELLS = (
    "",
    " ",
    "abc",
    "52,5",
    "vrouw",
    "Ma ochtend, wo-avond",
    "999",
    "-1",
    "3.5",
    "'=1+1",
    "nan",
    "1e400",
    "telefoon",
    "23-11-2026",
    "nl|xx",
    "C000",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "|".join(str(item) for item in value)
    return str(value)


@st.composite
def tables(draw: st.DrawFn, kind: str) -> list[dict[str, str]]:
    n = draw(st.integers(1, 12))
    make = strategies.clients if kind == "clients" else strategies.volunteers
    rows = [
        {
            key: _cell(value)
            for key, value in draw(make(i, []) if kind == "clients" else make(i)).items()
        }
        for i in range(n)
    ]
    for row in rows:
        for key in draw(st.lists(st.sampled_from(sorted(row)), max_size=3)):
            row[key] = draw(st.sampled_from(ODD_CELLS))
    if draw(st.booleans()) and n > 1:
        rows[-1]["client_id" if kind == "clients" else "volunteer_id"] = rows[0][
            "client_id" if kind == "clients" else "volunteer_id"
        ]
    return rows


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _outcome(reader: Any, path: Path) -> tuple[list[Any], list[str]]:
    try:
        records = list(reader(path))
        problems: list[str] = []
    except InputError as error:
        records = list(getattr(error, "records", []))
        problems = [str(problem) for problem in error.problems]
    shown = [(r.__dict__, list(r.__dict__), r.model_fields_set) for r in records]
    return shown, problems


@pytest.mark.parametrize("kind", ["clients", "volunteers"])
@settings(
    max_examples=60,
    deadline=None,
    # strategies.clients filters dates to 2020-2026, which Hypothesis may find wasteful.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
        HealthCheck.too_slow,
    ],
)
@given(data=st.data())
def test_column_reading_equals_row_validation(
    kind: str, data: st.DataObject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = data.draw(tables(kind))
    path = tmp_path / f"{kind}.csv"
    _write(path, rows)
    reader = read_clients if kind == "clients" else read_volunteers
    fast = _outcome(reader, path)
    with monkeypatch.context() as patch:
        patch.setattr(FieldValidators, "record", lambda self, fields, fields_set: None)
        slow = _outcome(reader, path)
    assert fast == slow


def test_a_row_failing_a_check_across_fields_gets_the_models_message(tmp_path: Path) -> None:
    path = tmp_path / "volunteers.csv"
    path.write_text(
        "volunteer_id,programmes,lat,lon,capacity,active_clients\n"
        "V1,seniorencoach,52.5,6.1,1,0\n"
        "V2,seniorencoach,52.5,6.1,1,2\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_volunteers(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3: active_clients: must be ≤ capacity (1) (got 2)"
    ]


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_a_file_beyond_the_size_limit_is_refused_before_it_is_parsed(
    suffix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A 1 GB file is refused the same way; the limit is lowered instead of writing one.
    from matcher import files

    monkeypatch.setattr(files, "MAX_INPUT_BYTES", 3 * 2**20)
    path = tmp_path / f"clients{suffix}"
    path.write_bytes(b"x" * (4 * 2**20))  # not even valid: nothing is read before the check
    with pytest.raises(InputError) as caught:
        read_clients(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: file is 4 MB, more than the 3 MB matcher reads at once; split it, by"
        " organisation or programme, into smaller files"
    ]
