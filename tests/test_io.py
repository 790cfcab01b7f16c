"""Reading real exports (Excel, Google Sheets, a CRM, JSON) and writing output files."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import logging
import os
import stat
from pathlib import Path

import pytest

from matcher.config import load_config
from matcher.errors import InputError
from matcher.io import (
    Records,
    check_exclusions,
    format_cell,
    format_csv,
    format_json,
    format_records,
    normalise_header,
    read_clients,
    read_table_kind,
    read_volunteers,
    write_atomic,
)
from matcher.models import Client, Volunteer
from tests.data.make_fixtures import FIXTURES

DATA = Path(__file__).parent / "data"


def test_fixture_files_are_the_bytes_the_programs_write() -> None:
    for name, data in FIXTURES.items():
        assert (DATA / name).read_bytes() == data, f"run tests/data/make_fixtures.py ({name})"
    excel = (DATA / "excel_nl_clients.csv").read_bytes()
    assert excel.startswith(codecs.BOM_UTF8)
    assert excel.count(b"\r\n") == excel.count(b"\n")
    cp1252 = (DATA / "excel_nl_volunteers.csv").read_bytes()
    assert b"St\xe9phanuswijk" in cp1252
    assert b"Assendorp\x96Centrum" in cp1252
    sheets = (DATA / "sheets_clients.csv").read_bytes()
    assert not sheets.startswith(codecs.BOM_UTF8)
    assert b"\r" not in sheets


def test_dutch_excel_clients(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="matcher")
    path = DATA / "excel_nl_clients.csv"
    clients = read_clients(path)
    assert [client.client_id for client in clients] == ["C001", "C002", "C003"]
    anna = clients[0]
    assert anna.programme == "steun-na-partnerverlies"
    assert (anna.lat, anna.lon) == (52.5168, 6.083)
    assert anna.district == "Assendorp–Centrum"
    assert anna.loss_date == dt.date(2026, 3, 12)
    assert anna.waiting_since == dt.date(2026, 9, 1)
    assert anna.hindering_factors == ("sudden-death", "living-alone")
    assert anna.excluded_volunteers == ("V003",)
    assert clients[1].languages == ("en", "nl")
    assert clients[1].preferred_gender is None
    assert clients[2].contact == "phone"
    assert clients[2].lat is None
    # The note of C002 spans two lines, so C003 starts on row 5; the `;;;;` row is skipped.
    assert clients.rows == {"C001": 2, "C002": 3, "C003": 5}
    assert clients.source == str(path)
    assert clients.ignored_columns == ("naam", "telefoon", "notities")
    assert clients.column_names["client_id"] == "Client ID"
    assert caplog.messages == [f"{path}: ignored columns: naam, telefoon, notities"]


def test_ignored_columns_are_not_kept_or_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    clients = read_clients(DATA / "excel_nl_clients.csv")
    kept = repr(clients) + repr(vars(clients)) + caplog.text
    for private in ("Anna de Vries", "06-12345678", "ochtends", "Dochter"):
        assert private not in kept


def test_dutch_excel_volunteers_in_windows_1252() -> None:
    volunteers = read_volunteers(DATA / "excel_nl_volunteers.csv")
    els, rene, mo = volunteers
    assert els.district == "Assendorp–Centrum"
    assert rene.district == "Stéphanuswijk"
    assert els.programmes == ("de-draad-weer-oppakken", "steun-na-partnerverlies")
    assert (els.max_travel_km, els.capacity, els.active_clients) == (7.5, 2, 1)
    # Empty cells mean "not given": the documented defaults apply.
    assert (rene.max_travel_km, rene.lived_experience) == (10.0, ())
    assert mo.languages == ("ar", "nl")
    assert volunteers.rows == {"V001": 2, "V002": 3, "V003": 4}


def test_google_sheets_clients() -> None:
    clients = read_clients(DATA / "sheets_clients.csv")
    first = clients[0]
    assert first.needs == ("emotional", "practical")
    assert first.availability == ("mon-am", "tue-pm")
    assert first.languages == ("en", "nl")
    assert (first.lat, first.lon) == (52.51, 6.09)
    assert clients[1].contact == "either"
    assert clients.ignored_columns == ("notes",)


def test_json_files() -> None:
    clients = read_clients(DATA / "clients.json")
    assert clients.rows == {"J1": 1, "J2": 2}
    assert clients[0].needs == ("life-story", "social")
    assert clients[0].age == 79
    # Objects may spell keys as a spreadsheet would; numbers may come as text.
    assert clients[1].age == 83
    assert clients[1].loss_type == "partner"
    assert clients.ignored_columns == ("name", "phone")
    volunteers = read_volunteers(DATA / "volunteers.json")
    assert volunteers[0].max_travel_km == 12.5
    assert volunteers[0].capacity == 2


def test_crm_export_through_the_column_mapping() -> None:
    config = load_config(DATA / "crm.toml")
    clients = read_clients(DATA / "crm_clients.txt", config)
    (client,) = clients
    assert client.client_id == "100234"
    assert client.programme == "steun-na-partnerverlies"
    assert (client.lat, client.lon) == (52.5071, 6.0944)
    assert client.waiting_since == dt.date(2026, 11, 3)
    assert clients.column_names["client_id"] == "Cliëntnummer"
    assert clients.ignored_columns == ("naam",)
    assert read_table_kind(DATA / "crm_clients.txt", config) == "clients"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("excel_nl_clients.csv", "clients"),
        ("sheets_clients.csv", "clients"),
        ("clients.json", "clients"),
        ("excel_nl_volunteers.csv", "volunteers"),
        ("volunteers.json", "volunteers"),
    ],
)
def test_table_kind(name: str, kind: str) -> None:
    assert read_table_kind(DATA / name) == kind


def test_exclusions_of_the_fixtures_are_known() -> None:
    clients = read_clients(DATA / "excel_nl_clients.csv")
    check_exclusions(clients, read_volunteers(DATA / "excel_nl_volunteers.csv"), "clients.csv")
    with pytest.raises(
        InputError, match=r"^clients\.csv:2: Excluded Volunteers: unknown volunteer"
    ):
        check_exclusions(clients, read_volunteers(DATA / "volunteers.json"), "clients.csv")


def test_records_are_plain_lists_of_models() -> None:
    clients = read_clients(DATA / "sheets_clients.csv")
    assert isinstance(clients, list)
    assert isinstance(clients, Records)
    assert all(isinstance(client, Client) for client in clients)
    assert clients == list(clients)


# CSV dialects --------------------------------------------------------------------------------


def read(tmp_path: Path, content: bytes, name: str = "clients.csv") -> Records[Client]:
    path = tmp_path / name
    path.write_bytes(content)
    return read_clients(path)


@pytest.mark.parametrize(
    "content",
    [
        b"client_id,programme,contact\nC1,x,phone\n",
        b"client_id;programme;contact\r\nC1;x;phone\r\n",
        b"client_id\tprogramme\tcontact\nC1\tx\tphone\n",
        b"client_id,programme,contact\rC1,x,phone\r",  # classic Mac Excel
        b'"client_id";"programme";"contact"\nC1;x;phone',  # no final newline
        b'"client_id";"Notes, mine";programme;contact\nC1;"a, b; c";x;phone\n',
        codecs.BOM_UTF16_LE
        + "client_id\tprogramme\tcontact\r\nC1\tx\tphone\r\n".encode("utf-16-le"),
    ],
    ids=["comma", "semicolon", "tab", "cr", "quoted", "delimiters-in-quotes", "utf-16"],
)
def test_csv_dialects(tmp_path: Path, content: bytes) -> None:
    clients = read(tmp_path, content, "clients.txt")
    assert [(client.client_id, client.programme) for client in clients] == [("C1", "x")]


def test_rows_keep_spreadsheet_numbers(tmp_path: Path) -> None:
    content = (
        b"\n"  # a blank line above the header still counts as a line
        b"client_id;programme;contact;district\n"
        b"C1;x;phone;\n"
        b"\n"
        b";;;\n"
        b'C2;x;phone;"Binnen-\nstad"\n'
        b"C3;x;phone\n"  # fewer cells than the header: the rest are not given
        b"C4;x;phone;;;;\n"  # empty cells past the header are harmless
    )
    clients = read(tmp_path, content)
    assert clients.rows == {"C1": 3, "C2": 6, "C3": 8, "C4": 9}
    assert clients[1].district == "Binnen-\nstad"
    assert clients[2].district is None


def test_excel_separator_line(tmp_path: Path) -> None:
    # Excel reads `sep=;` as the delimiter and hides the line: the header is still row 1.
    content = b"sep=;\r\nclient_id;programme;contact;district\r\nC1;x;phone;a, b\r\nC2;x;phone;\r\n"
    clients = read(tmp_path, content)
    assert clients.rows == {"C1": 2, "C2": 3}
    assert clients[0].district == "a, b"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("client_id", "client_id"),
        ("  Client ID ", "client_id"),
        ("CLIENT-ID", "client_id"),
        ("client\u00a0id", "client_id"),
        ("Max Travel  Km", "max_travel_km"),
        ("Cliënt", "cliënt"),
        ("Clie\u0308nt", "cliënt"),  # decomposed ë, as macOS may write it
    ],
)
def test_header_names(header: str, expected: str) -> None:
    assert normalise_header(header) == expected


# Writers -----------------------------------------------------------------------------------


def test_format_csv_is_deterministic_with_newline_endings() -> None:
    rows = [
        ["C1", 1, 0.1, None, ("a", "b"), dt.date(2026, 1, 2), True],
        ["C, 2", -3, 52.5, "", [], None, False],
        ['say "hi"\nthere', 0, 1e-07, "x", (), dt.date(1999, 12, 31), None],
    ]
    text = format_csv(["id", "n", "x", "empty", "list", "date", "flag"], rows)
    assert text == format_csv(["id", "n", "x", "empty", "list", "date", "flag"], iter(rows))
    assert text.splitlines()[:3] == [
        "id,n,x,empty,list,date,flag",
        "C1,1,0.1,,a|b,2026-01-02,true",
        '"C, 2",-3,52.5,,,,false',
    ]
    assert text.endswith(",1e-07,x,,1999-12-31,\n")
    assert "\r" not in text
    assert format_csv(["a", "b"], [[1, 2]], delimiter=";") == "a;b\n1;2\n"


def test_format_cell() -> None:
    assert format_cell(None) == ""
    assert format_cell(0.30000000000000004) == "0.30000000000000004"
    assert format_cell(frozenset({"b", "a", "c"})) == "a|b|c"
    assert format_cell(("b", "a")) == "b|a"


def test_format_records_reads_back(tmp_path: Path) -> None:
    clients = read_clients(DATA / "excel_nl_clients.csv")
    volunteers = read_volunteers(DATA / "excel_nl_volunteers.csv")
    (tmp_path / "c.csv").write_text(format_records(clients, Client), encoding="utf-8")
    (tmp_path / "v.csv").write_text(format_records(volunteers, Volunteer), encoding="utf-8")
    assert read_clients(tmp_path / "c.csv") == clients
    assert read_volunteers(tmp_path / "v.csv") == volunteers


def test_format_json(tmp_path: Path) -> None:
    clients = read_clients(DATA / "sheets_clients.csv")
    text = format_json({"clients": list(clients), "when": dt.date(2026, 11, 23)})
    assert text.endswith("}\n")
    assert "Assendorp–Centrum" in text
    data = json.loads(text)
    assert data["when"] == "2026-11-23"
    (tmp_path / "c.json").write_text(format_json(list(clients)), encoding="utf-8")
    assert read_clients(tmp_path / "c.json") == clients
    with pytest.raises(TypeError, match="cannot write object as JSON"):
        format_json(object())


def test_write_atomic_creates_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "matches.csv"
    write_atomic(path, "a\nb\n")
    assert path.read_bytes() == b"a\nb\n"
    # A new output is for its owner only: it carries personal data.
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)
    write_atomic(str(path), "é\n", encoding="utf-8-sig")
    assert path.read_bytes() == codecs.BOM_UTF8 + "é\n".encode()
    # A replaced file is owner-only again, whatever the old one allowed.
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["matches.csv"]


def test_write_atomic_failure_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "matches.csv"
    path.write_text("old\n")

    def broken_replace(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(path, "new\n")
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["matches.csv"]


def test_write_atomic_text_the_encoding_cannot_hold(tmp_path: Path) -> None:
    with pytest.raises(UnicodeEncodeError):
        write_atomic(tmp_path / "out.csv", "ok\n✓\n", encoding="cp1252")
    assert os.listdir(tmp_path) == []


def test_write_atomic_several_files_all_or_none(tmp_path: Path) -> None:
    matches, summary = tmp_path / "matches.csv", tmp_path / "summary.json"
    write_atomic({matches: "a\n", str(summary): "{}\n"})
    assert (matches.read_text(), summary.read_text()) == ("a\n", "{}\n")
    # The second text cannot be written: neither file changes.
    with pytest.raises(UnicodeEncodeError):
        write_atomic({matches: "b\n", summary: "✓\n"}, encoding="ascii")
    assert (matches.read_text(), summary.read_text()) == ("a\n", "{}\n")
    with pytest.raises(FileNotFoundError):
        write_atomic({matches: "b\n", tmp_path / "missing" / "x.csv": "c\n"})
    assert matches.read_text() == "a\n"
    assert sorted(os.listdir(tmp_path)) == ["matches.csv", "summary.json"]


def test_write_atomic_arguments() -> None:
    with pytest.raises(TypeError, match="needs the text"):
        write_atomic("out.csv")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="takes no second argument"):
        write_atomic({"out.csv": "a"}, "b")  # type: ignore[call-overload]
