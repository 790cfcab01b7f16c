"""Reading by column (matcher.io.fast_rows) gives exactly what validating every row gives.

The same file is read twice: as it is, and with the column path switched off so that every
row goes through `model_validate`. The records (values, field order, fields set) and the
problems (messages, rows, order) must be the same, whatever the cells hold.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Annotated, Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ConfigDict, TypeAdapter, ValidationError

from matcher import vocab
from matcher.errors import InputError, Problem
from matcher.io import chunks, csv_records, read_clients, read_volunteers
from matcher.io.cells import unquote_cell
from matcher.io.chunks import shaped_chunks
from matcher.io.csv_records import CsvRows
from matcher.io.fast_cells import ASK, column_check
from matcher.io.fast_rows import FieldValidators
from matcher.io.layout import make_layout
from matcher.io.raw_table import RawTable
from matcher.io.values import ValueMapper
from matcher.models import Client, RecordMaker, Volunteer
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
    # Plain-looking cells that a column check (matcher.io.fast_cells) must still refuse.
    "91.5",
    "-180.25",
    "C1|C2",
    " C7",
    "mon-am|mon-am",
    "mon-am,tue-pm",
    "mon-am|",
    "0052.5",
    "-0",
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
        # Every row fails the checks across fields: the model validates each on its own.
        patch.setattr(FieldValidators, "failing", lambda self, columns, n: set(range(n)))
        slow = _outcome(reader, path)
    assert fast == slow


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.sampled_from(["", " ", "a", "b"]), max_size=5),
        max_size=12,
    ),
    chunk=st.integers(1, 5),
)
def test_rows_shaped_a_chunk_at_a_time_are_the_rows_shaped_one_by_one(
    rows: list[list[str]], chunk: int
) -> None:
    headers = ["x", "y", "z"]
    numbered = list(enumerate(rows, start=2))

    def table() -> RawTable:
        return RawTable("f.csv", headers, iter(numbered))

    layout = make_layout(table(), Client, {})
    by_chunk: list[Problem] = []
    with mock.patch.object(chunks, "CHUNK_ROWS", chunk):
        parts = list(shaped_chunks(table(), layout, by_chunk))
    chunked = [(row, part.cells(k)) for part in parts for k, row in enumerate(part.rows)]
    one_by_one: list[Problem] = []
    shaped = list(chunks._shaped(numbered, len(headers), "f.csv", one_by_one))
    assert (chunked, by_chunk) == (shaped, one_by_one)


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


def _validated(adapter: TypeAdapter[Any], text: str) -> Any:
    try:
        return adapter.validate_python(unquote_cell(text).strip() or None)
    except ValidationError:
        return _REFUSED


_REFUSED = object()
# Cells from the pieces plain cells are made of, and the odd ones around them.
_PLAIN_PIECES = ("0", "1", "5", "9", "52", "-", ".", ",", "|", " ", "'", "=", "e", "C", "x")
_PIECES = st.sampled_from([*_PLAIN_PIECES, "\u00a0", "\n", *vocab.SLOTS[:3], *vocab.NEEDS[:2]])
_CELLS = st.lists(_PIECES, max_size=6).map("".join) | st.floats(-200, 200).map(str)


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Client, "client_id"),
        (Client, "lat"),
        (Client, "lon"),
        (Client, "availability"),
        (Client, "needs"),
        (Volunteer, "volunteer_id"),
        (Volunteer, "skills"),
        (Volunteer, "lived_experience"),
    ],
)
@settings(max_examples=150, deadline=None)
@given(texts=st.lists(_CELLS, min_size=1, max_size=8))
def test_a_column_check_gives_the_fields_own_value_or_asks(
    model: type[Client] | type[Volunteer], field: str, texts: list[str]
) -> None:
    info = model.model_fields[field]
    check = column_check(field, info.metadata, ValueMapper([field]))
    assert check is not None
    adapter: TypeAdapter[Any] = TypeAdapter(
        Annotated[info.annotation, info],  # type: ignore[arg-type]
        config=ConfigDict(str_strip_whitespace=True),
    )
    for text, value in zip(texts, check(texts), strict=True):
        if value is not ASK:
            expected = _validated(adapter, text)
            assert value == expected and type(value) is type(expected), text


@pytest.mark.parametrize(
    ("model", "field", "text", "value"),
    [
        (Client, "client_id", "c000123", "c000123"),
        (Client, "lat", "52.44937", 52.44937),
        (Client, "lon", "-4.5", -4.5),
        (Client, "availability", "tue-pm|mon-am|tue-pm", ("mon-am", "tue-pm")),
    ],
)
def test_a_plain_cell_is_read_off_its_text(
    model: type[Client] | type[Volunteer], field: str, text: str, value: Any
) -> None:
    check = column_check(field, model.model_fields[field].metadata, ValueMapper([field]))
    assert check is not None and check([text]) == [value]


def test_her_own_words_for_a_list_switch_its_check_off() -> None:
    info = Client.model_fields["availability"]
    own = ValueMapper(["availability"], {"availability": {"ochtenden": "mon-am|tue-am"}})
    assert column_check("availability", info.metadata, own) is None
    assert column_check("client_id", Client.model_fields["client_id"].metadata, own)


def test_rows_alike_share_their_fields_set_and_a_copy_gets_its_own(tmp_path: Path) -> None:
    path = tmp_path / "volunteers.csv"
    path.write_text(
        "volunteer_id,programmes,lat,lon,capacity,max_travel_km\n"
        "V1,seniorencoach,52.5,6.1,2,\n"
        "V2,seniorencoach,52.5,6.1,1,\n"
        "V3,seniorencoach,52.5,6.1,1,5\n",
        encoding="utf-8",
    )
    first, second, third = read_volunteers(path)
    assert first.model_fields_set is second.model_fields_set
    assert first.model_fields_set == {
        "volunteer_id",
        "programmes",
        "lat",
        "lon",
        "capacity",
        "location_source",
    }
    assert third.model_fields_set == first.model_fields_set | {"max_travel_km"}
    assert (first.max_travel_km, third.max_travel_km) == (10.0, 5.0)
    copy = first.model_copy(update={"capacity": 3})
    assert copy.model_fields_set is not first.model_fields_set
    assert "max_travel_km" not in second.model_fields_set


def test_records_read_by_column_share_their_keys_and_fields_set(tmp_path: Path) -> None:
    # What makes a million records fit: a slot per value, not a dict and a set of their own.
    path = tmp_path / "clients.csv"
    path.write_text(
        "client_id,programme,lat,lon\nC1,seniorencoach,52.5,6.1\nC2,seniorencoach,52.4,6.2\n",
        encoding="utf-8",
    )
    first, second = read_clients(path)
    alone = Client.model_validate(first.model_dump())
    assert first.__dict__ == alone.__dict__ and list(first.__dict__) == list(alone.__dict__)
    assert sys.getsizeof(first.__dict__) < sys.getsizeof(alone.__dict__) / 2
    assert first.model_fields_set is second.model_fields_set


def test_a_record_maker_makes_what_model_construct_makes() -> None:
    values = {"volunteer_id": "V1", "programmes": ("seniorencoach",), "lat": 52.5, "lon": 6.1}
    maker = RecordMaker(Volunteer)
    made = maker.make(values.items(), maker.fields_set(frozenset(values)))
    constructed = Volunteer.model_construct(**values)
    assert made == constructed
    assert list(made.__dict__.items()) == list(constructed.__dict__.items())
    assert made.model_fields_set == constructed.model_fields_set
    assert maker.fields_set(frozenset(values)) is made.model_fields_set
    changed = made.model_copy(update={"capacity": 2})
    assert (changed.capacity, made.capacity) == (2, 1)
    assert "capacity" not in made.model_fields_set


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(
        st.lists(st.sampled_from(["", " ", "a", "b", "é", '"q"', "x y"]), max_size=5).map(
            lambda cells: ",".join(cells)
        ),
        max_size=14,
    ),
    end=st.sampled_from(["\n", "\r\n"]),
    block=st.integers(1, 5),
    chunk=st.integers(1, 7),
)
def test_plain_lines_cut_into_columns_are_the_rows_shaped_one_by_one(
    lines: list[str], end: str, block: int, chunk: int
) -> None:
    """A CSV file's blocks of plain lines go to the column reader as columns (no list of cells
    per line) where every line is as wide as the header: the same rows, cells and problems as
    the file's rows shaped one by one, whatever the block and chunk sizes."""
    text = end.join(["x,y,z", *lines]) + end

    def read(by_line: bool) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
        problems: list[Problem] = []
        records = CsvRows("f.csv", io.StringIO(text, newline=""), ",", problems, "utf-8-sig")
        header = next(records)[1]
        rows: Any = iter(list(records)) if by_line else records
        table = RawTable("f.csv", header, rows, problems=problems)
        layout = make_layout(table, Client, {})
        found = [
            (row, part.cells(k)[: len(header)])
            for part in shaped_chunks(table, layout, problems)
            for k, row in enumerate(part.rows)
        ]
        return found, problems

    with (
        mock.patch.object(csv_records, "BLOCK_LINES", block),
        mock.patch.object(chunks, "CHUNK_ROWS", chunk),
    ):
        assert read(by_line=False) == read(by_line=True)
