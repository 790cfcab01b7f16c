"""Every way an input file can be wrong, with the exact message a coordinator reads."""

from __future__ import annotations

import codecs
import logging
import os
from pathlib import Path

import pytest

from matcher.config import MatchConfig, config_from_dict
from matcher.errors import InputError
from matcher.io import check_exclusions, read_clients, read_table_kind, read_volunteers

CLIENT_HEADER = "client_id,programme,lat,lon"


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Messages name the file as it was given; a bare name keeps the pinned texts short.
    monkeypatch.chdir(tmp_path)


def write(name: str, content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    Path(name).write_bytes(data)
    return name


def client_problems(
    name: str, content: str | bytes, config: MatchConfig | None = None
) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_clients(write(name, content), config)
    return [str(problem) for problem in caught.value.problems]


def volunteer_problems(name: str, content: str | bytes) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_volunteers(write(name, content))
    return [str(problem) for problem in caught.value.problems]


# The file as a whole ------------------------------------------------------------------------


def test_missing_file() -> None:
    with pytest.raises(InputError, match=r"^nope\.csv: no such file$"):
        read_clients("nope.csv")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "clients.numbers",
            "cannot read a .numbers workbook; save the sheet as .xlsx or CSV and use that",
        ),
        (
            "clients.dat",
            "unsupported file type '.dat'; expected .csv, .tsv, .txt, .json, .xlsx, .xlsm, .xls"
            " or .ods",
        ),
        (
            "clients",
            "unsupported file type without an extension; expected .csv, .tsv, .txt, .json,"
            " .xlsx, .xlsm, .xls or .ods",
        ),
    ],
)
def test_unknown_extension(name: str, message: str) -> None:
    assert client_problems(name, "client_id\nC1\n") == [f"{name}: {message}"]


@pytest.mark.parametrize("content", [b"", b"  \r\n\r\n \t\n", codecs.BOM_UTF8, b";;;\r\n;;;\r\n"])
def test_empty_csv(content: bytes) -> None:
    assert client_problems("clients.csv", content) == ["clients.csv: file is empty"]


@pytest.mark.parametrize("content", [b"", b"\n  \n"])
def test_empty_json(content: bytes) -> None:
    assert client_problems("clients.json", content) == ["clients.json: file is empty"]


def test_header_only_file_is_valid_and_empty() -> None:
    clients = read_clients(write("clients.csv", CLIENT_HEADER + "\r\n"))
    assert clients == []
    assert clients.rows == {}
    assert read_clients(write("clients.json", "[]")) == []


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    "content",
    [
        PNG,
        # no NUL byte, not UTF-8, and 0x81/0x8d are undefined in Windows-1252
        b"client_id\n\x81\x8d\xff\xfe\x90\n",
        b"client_id,programme\nC1,a\x00b\n",
    ],
)
def test_not_a_text_file(content: bytes) -> None:
    expected = "clients.csv: not a text file (expected CSV in UTF-8 or Windows-1252)"
    assert client_problems("clients.csv", content) == [expected]


def test_not_a_text_json_file() -> None:
    expected = "clients.json: not a text file (expected JSON in UTF-8)"
    assert client_problems("clients.json", PNG) == [expected]
    assert client_problems("clients.json", b'[{"client_id": "\xe9"}]') == [expected]


NOT_LIKE_THE_REST = (
    "the bytes of this row are not UTF-8 like the rest of the file (rows pasted from another "
    "file, or a file that changed while it was read); save the file again as CSV UTF-8"
)


def test_byte_order_mark_promises_utf8() -> None:
    content = codecs.BOM_UTF8 + b"client_id,programme,district,contact\r\nC1,p,Sted,phone\r\n"
    content += b"C2,p,St\xe9,phone\r\n"
    assert client_problems("clients.csv", content) == [f"clients.csv:3: {NOT_LIKE_THE_REST}"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"client_id": "C1"}', "must be a list of objects, one per row (got an object)"),
        ('"clients"', "must be a list of objects, one per row (got text)"),
        (
            '[{"client_id": "C1" "programme": "x"}]',
            "not valid JSON: Expecting ',' delimiter at line 1, column 21",
        ),
    ],
)
def test_json_not_a_list_of_objects(content: str, message: str) -> None:
    assert client_problems("clients.json", content) == [f"clients.json: {message}"]


def test_json_items_that_are_not_objects() -> None:
    content = '[{"client_id": "C1", "programme": "x", "contact": "phone"}, ["C2"], 3, null]'
    assert client_problems("clients.json", content) == [
        "clients.json:2: must be an object (got a list)",
        "clients.json:3: must be an object (got a number)",
        "clients.json:4: must be an object (got null)",
    ]


# The header -----------------------------------------------------------------------------------


def test_missing_required_column() -> None:
    assert client_problems("clients.csv", "programme,lat,lon\nx,52,6\n") == [
        "clients.csv: client_id: required column is missing"
    ]
    assert volunteer_problems("volunteers.csv", "volunteer_id,lat,lon\nV1,52,6\n") == [
        "volunteers.csv: programmes: required column is missing"
    ]


# "clientid" is not here: the table of Dutch headers reads it as client_id (tests/test_dutch.py).
@pytest.mark.parametrize("header", ["Client ID nr", "client-id-nr"])
def test_missing_required_column_suggests_a_close_header(header: str) -> None:
    content = f"{header};Naam;Programme;Lat;Lon\nC1;Anna;x;52;6\n"
    assert client_problems("clients.csv", content) == [
        f"clients.csv: client_id: required column is missing; did you mean {header!r}?"
    ]


def test_missing_column_is_reported_once_not_on_every_row() -> None:
    content = "client_id,lat,lon\nC1,52,6\nC2,91,6\n"
    assert client_problems("clients.csv", content) == [
        "clients.csv: programme: required column is missing",
        "clients.csv:3: lat: must be ≤ 90 (got '91')",
    ]


def test_duplicate_header() -> None:
    content = "client_id,programme,lat,lon,Client ID\nC1,x,52,6,C2\n"
    assert client_problems("clients.csv", content) == [
        "clients.csv: client_id: column appears twice, as 'client_id' (column A) "
        "and 'Client ID' (column E)"
    ]


def test_duplicate_header_through_the_column_mapping() -> None:
    config = config_from_dict({"columns": {"clients": {"Nummer": "client_id"}}})
    content = "Nummer,client_id,programme,contact\n1,C1,x,phone\n"
    assert client_problems("clients.csv", content, config) == [
        "clients.csv: client_id: column appears twice, as 'Nummer' (column A) "
        "and 'client_id' (column B)"
    ]


def test_duplicate_key_in_one_json_object() -> None:
    content = '[{"client_id": "C1", "Client ID": "C2", "programme": "x", "contact": "phone"}]'
    assert client_problems("clients.json", content) == [
        "clients.json:1: client_id: key appears twice, as 'client_id' and 'Client ID'"
    ]


def test_column_mapped_to_an_unknown_column() -> None:
    config = config_from_dict({"columns": {"clients": {"Regeling": "programe"}}})
    content = "client_id,Regeling,contact\nC1,x,phone\n"
    assert client_problems("clients.csv", content, config) == [
        "clients.csv: Regeling: the config maps this column to unknown column 'programe'; "
        "did you mean 'programme'?",
        "clients.csv: programme: required column is missing",
    ]


def test_misspelt_optional_column_is_pointed_out_in_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="matcher")
    content = "client_id,programme,contact,availabilty,Naam,risk_tier\nC1,x,phone,,,laag"
    read_clients(write("clients.csv", content))
    assert caplog.messages == [
        "clients.csv: ignored columns: availabilty (did you mean 'availability'?), naam"
    ]


# Rows and cells -------------------------------------------------------------------------------


def test_duplicate_id() -> None:
    content = f"{CLIENT_HEADER}\nC1,x,52,6\nC2,x,52,6\nC3,x,52,6\nC1,x,52,6\n"
    assert client_problems("clients.csv", content) == [
        "clients.csv:5: client_id: duplicate id, first seen on row 2 (got 'C1')"
    ]


def test_duplicate_id_in_json() -> None:
    content = '[{"client_id": 7, "programme": "x", "contact": "phone"}, {"client_id": "7"}]'
    assert client_problems("clients.json", content) == [
        "clients.json:2: programme: is required",
        "clients.json:2: client_id: duplicate id, first seen on row 1 (got '7')",
    ]


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("loss_type", "partnr", "unknown loss type 'partnr'; did you mean 'partner'?"),
        ("needs", "emotional|pratical", "unknown need 'pratical'; did you mean 'practical'?"),
        ("gender", "q", "unknown gender 'q'; expected one of f, m, x"),
        (
            "availability",
            "Mon AM|someday",
            "unknown availability slot 'someday'; expected e.g. "
            "mon-am, mon-pm, mon-eve, tue-am, tue-pm, tue-eve, …",
        ),
        ("age", "oud", "must be a whole number"),
        ("age", "12,5", "must be a whole number"),
        ("age", "130", "must be ≤ 120"),
        ("lat", "noord", "must be a number"),
        ("lat", "95", "must be ≤ 90"),
        ("lon", "-190,5", "must be ≥ -180"),
        ("loss_date", "31-02-2026", "must be a date as YYYY-MM-DD or DD-MM-YYYY"),
        ("languages", "nl|nld", "must be two-letter ISO 639-1 codes like 'nl' or 'en'"),
    ],
)
def test_client_cell_problems(column: str, cell: str, message: str) -> None:
    content = f'client_id;programme;contact;{column}\nC1;x;phone;"{cell}"\n'
    assert client_problems("clients.csv", content) == [
        f"clients.csv:2: {column}: {message} (got {cell!r})"
    ]


def test_messages_use_the_files_own_header_text() -> None:
    content = "Client ID;Programme;Lat;Lon;Loss Type\r\nC1;x;52,5;6,1;partnr\r\n"
    assert client_problems("clients.csv", content) == [
        "clients.csv:2: Loss Type: unknown loss type 'partnr'; did you mean 'partner'? "
        "(got 'partnr')"
    ]


def test_blank_required_cell_and_missing_location() -> None:
    content = f"{CLIENT_HEADER},contact\n ,,,,visit\nC2,x,52,,\n"
    assert client_problems("clients.csv", content) == [
        "clients.csv:2: client_id: is required",
        "clients.csv:2: programme: is required",
        "clients.csv:3: lat/lon: give both or neither",
    ]
    assert client_problems("clients.csv", f"{CLIENT_HEADER}\nC1,x,,\n") == [
        "clients.csv:2: lat/lon: location is required unless contact is 'phone' "
        "(got contact 'either')"
    ]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("-1;0", "capacity: must be ≥ 0 (got '-1')"),
        ("1;2", "active_clients: must be ≤ capacity (1) (got 2)"),
        ("1,5;0", "capacity: must be a whole number (got '1,5')"),
        ("2;-1", "active_clients: must be ≥ 0 (got '-1')"),
    ],
)
def test_volunteer_capacity_problems(cells: str, message: str) -> None:
    content = f"volunteer_id;programmes;lat;lon;capacity;active_clients\nV1;x;52;6;{cells}\n"
    assert volunteer_problems("volunteers.csv", content) == [f"volunteers.csv:2: {message}"]


def test_volunteer_without_programmes() -> None:
    content = "volunteer_id;programmes;contact\nV1; | ;phone\nV2;;phone\n"
    assert volunteer_problems("volunteers.csv", content) == [
        "volunteers.csv:2: programmes: is required",
        "volunteers.csv:3: programmes: is required",
    ]


def test_row_with_more_cells_than_the_header() -> None:
    content = f"{CLIENT_HEADER}\nC1,x,52,6\nC2,x,52,5,6,1\nC3,x,52,6,,\n"
    assert client_problems("clients.csv", content) == [
        "clients.csv:3: row has 6 cells but the header has 4; "
        "a value that contains the delimiter must be in double quotes"
    ]


def test_quote_left_open() -> None:
    content = f'{CLIENT_HEADER},district\nC1,x,95,6,"Binnen\nC2,x,52,6,\nC3,x,52,6,ok\n'
    assert client_problems("clients.csv", content) == [
        'clients.csv:2: a quoted cell is never closed (a " is missing); '
        "the rows below it were not read"
    ]


def test_text_after_a_closing_quote() -> None:
    content = f'{CLIENT_HEADER},district\nC1,x,95,6,ok\nC2,x,52,6,"De "Pol" wijk"\nC3,x,52,6,\n'
    assert client_problems("clients.csv", content) == [
        "clients.csv:2: lat: must be ≤ 90 (got '95')",
        'clients.csv:3: text follows a closing quote; inside a quoted cell write " as ""; '
        "the rows below it were not read",
    ]


def test_cell_too_large_for_csv() -> None:
    content = f"{CLIENT_HEADER},district\nC1,x,52,6,{'a' * 200_000}\n"
    assert client_problems("clients.csv", content) == [
        'clients.csv:2: a cell holds more than 131072 characters (is a " missing at its start '
        "or end?); the rows below it were not read"
    ]


def test_every_problem_in_the_file_is_reported_in_file_order() -> None:
    rows = [f"C{i},x,{90 + i},6" for i in range(1, 26)]
    content = "\n".join([CLIENT_HEADER, "C0,,52,6", *rows, "C0,x,52,6"]) + "\n"
    with pytest.raises(InputError) as caught:
        read_clients(write("clients.csv", content))
    problems = [str(problem) for problem in caught.value.problems]
    assert len(problems) == 1 + 25 + 1
    assert problems[:3] == [
        "clients.csv:2: programme: is required",
        "clients.csv:3: lat: must be ≤ 90 (got '91')",
        "clients.csv:4: lat: must be ≤ 90 (got '92')",
    ]
    assert problems[-1] == "clients.csv:28: client_id: duplicate id, first seen on row 2 (got 'C0')"
    assert str(caught.value).splitlines()[-1] == "… and 7 more"


def test_ignored_cells_never_reach_a_message(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    content = "client_id;Naam;Telefoon;programme;lat\r\nC1;Anna de Vries;06-12345678;;95\r\n"
    with pytest.raises(InputError) as caught:
        read_clients(write("clients.csv", content))
    shown = str(caught.value) + repr(caught.value.problems) + caplog.text
    assert "Anna" not in shown
    assert "06-12345678" not in shown


# Across files ---------------------------------------------------------------------------------


def test_unknown_excluded_volunteer() -> None:
    clients = read_clients(
        write(
            "clients.csv",
            f'{CLIENT_HEADER},excluded_volunteers\nC1,x,52,6,V1\nC2,x,52,6,"V99,V1,V98"\n',
        )
    )
    volunteers = read_volunteers(
        write("volunteers.csv", "volunteer_id,programmes,contact\nV1,x,phone\n")
    )
    with pytest.raises(InputError) as caught:
        check_exclusions(clients, volunteers, "clients.csv")
    assert [str(problem) for problem in caught.value.problems] == [
        "clients.csv:3: excluded_volunteers: unknown volunteer id (got 'V98')",
        "clients.csv:3: excluded_volunteers: unknown volunteer id (got 'V99')",
    ]
    check_exclusions(clients[:1], volunteers, "clients.csv")


def test_table_kind_problems() -> None:
    write("both.csv", "client_id,volunteer_id\n")
    write("neither.csv", "naam,telefoon\n")
    with pytest.raises(InputError) as caught:
        read_table_kind("both.csv")
    assert str(caught.value) == (
        "both.csv: has both a client_id and a volunteer_id column; "
        "give clients and volunteers as two files"
    )
    with pytest.raises(InputError) as caught:
        read_table_kind("neither.csv")
    assert str(caught.value) == (
        "neither.csv: has no client_id or volunteer_id column, "
        "so it holds neither clients nor volunteers"
    )


# Limits and hostile files (issue 10) ------------------------------------------------------


def phone_client(extra: str = "") -> str:
    return '{"client_id": "C1", "programme": "p", "contact": "phone"' + extra + "}"


def listed(*items: str) -> str:
    return "[" + ", ".join(items) + "]"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[" * 2000 + "]" * 2000, "clients.json:1: lists or objects are nested more than 20 deep"),
        (
            listed(phone_client(), phone_client(', "needs": ' + "[" * 30 + "]" * 30)),
            "clients.json:2: lists or objects are nested more than 20 deep",
        ),
        (
            listed(phone_client(', "age": ' + "9" * 5000)),
            "clients.json:1: age: holds a number of more than 100 digits",
        ),
        (
            listed(phone_client(', "lat": ' + "9" * 400 + '.5, "lon": 5')),
            "clients.json:1: lat: holds a number of more than 100 digits",
        ),
        (
            listed(phone_client(', "needs": [' + "1" * 200 + "]")),
            "clients.json:1: holds a number of more than 100 digits",
        ),
        (
            listed(phone_client(), '{"client_id": "C2", "client_id": "C3", "programme": "p"}'),
            "clients.json:2: client_id: appears twice in one object; which value is meant?",
        ),
        (
            listed(phone_client(', "district": "a\\u0000b"')),
            "clients.json:1: district: contains a NUL character (\\u0000), which no text holds",
        ),
    ],
)
def test_json_limits(content: str, expected: str) -> None:
    assert client_problems("clients.json", content) == [expected]


def test_json_items_are_checked_one_by_one_so_each_problem_has_its_row() -> None:
    content = f'[{phone_client()},\n {{"client_id": "C2", "programme": "p", "age": "x"}} 7]'
    assert client_problems("clients.json", content) == [
        "clients.json: not valid JSON: Expecting ',' delimiter at line 2, column 52"
    ]
    content = f"[{phone_client()}] []"
    assert client_problems("clients.json", content) == [
        "clients.json: not valid JSON: Extra data at line 1, column 61"
    ]
    assert client_problems("clients.json", "[" + phone_client() + ",]") == [
        "clients.json: not valid JSON: Expecting value at line 1, column 60"
    ]


def test_json_with_a_number_too_long_outside_a_list() -> None:
    assert client_problems("clients.json", "9" * 5000) == [
        "clients.json: must be a list of objects, one per row (got a number)"
    ]
    assert client_problems("clients.json", '{"a": ' + "[" * 3000) == [
        "clients.json: lists or objects are nested more than 20 deep"
    ]


def test_json_that_is_not_utf8_after_the_first_kilobytes() -> None:
    rows = ",".join([phone_client().replace("C1", f"C{i}") for i in range(200)])
    content = b"[" + rows.encode() + b',\n{"client_id": "C\xe9"}]'
    assert client_problems("clients.json", content) == [
        "clients.json: line 2 is not UTF-8 (JSON must be UTF-8 throughout)"
    ]


def test_nul_byte_after_the_first_8_kb_is_refused_with_its_row() -> None:
    rows = "".join(f"C{i},p,,phone\n" for i in range(1, 1001))
    content = f"client_id,programme,district,contact\n{rows}C0,p,a\0b,phone\n"
    assert len(content) > 8192
    assert client_problems("clients.csv", content) == [
        "clients.csv:1002: holds a NUL byte, which no text file does; is the file damaged?"
    ]


def test_utf8_file_with_a_windows_1252_row_reports_that_row() -> None:
    header = "client_id,programme,district,contact\n"
    content = (header + "C1,p,Zoë,phone\nC2,p,Bos,phone\n").encode() + b"C3,p,Zo\xeb,phone\n"
    assert client_problems("clients.csv", content) == [f"clients.csv:4: {NOT_LIKE_THE_REST}"]


def test_windows_1252_throughout_is_still_read() -> None:
    content = "client_id,programme,district,contact\nC1,p,Zoë,phone\n".encode("cp1252")
    (client,) = read_clients(write("clients.csv", content))
    assert client.district == "Zoë"


def test_a_row_that_changed_to_other_bytes_during_reading_is_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Simulated: the encoding is decided on the bytes as they were, then a row changes.
    from matcher.io import sources

    path = write("clients.csv", "client_id,programme,district,contact\nC1,p,Bos,phone\n")
    decide = sources._csv_encoding

    def decide_then_change(source: str, binary: object) -> str:
        encoding = decide(source, binary)  # type: ignore[arg-type]
        Path(path).write_bytes(b"client_id,programme,district,contact\nC1,p,B\xffs,phone\n")
        return encoding

    monkeypatch.setattr(sources, "_csv_encoding", decide_then_change)
    with pytest.raises(InputError) as caught:
        read_clients(path)
    assert [str(p) for p in caught.value.problems] == [f"clients.csv:2: {NOT_LIKE_THE_REST}"]


def test_header_with_a_million_columns_is_refused_quickly() -> None:
    import time

    content = ",".join(f"c{i}" for i in range(1_000_000)) + "\n"
    started = time.perf_counter()
    assert client_problems("clients.csv", content) == [
        "clients.csv:1: the header has 1000000 columns; at most 1000 can be read"
    ]
    assert time.perf_counter() - started < 5


def test_json_objects_with_too_many_keys() -> None:
    keys = ", ".join(f'"k{i}": 1' for i in range(1001))
    assert client_problems("clients.json", f"[{{{keys}}}]") == [
        "clients.json: the objects use 1001 different keys; at most 1000 can be read"
    ]


def read_problems(name: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_clients(name)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("name", ["folder.csv", "folder.json", "folder.xlsx", "2026"])
def test_a_folder(name: str) -> None:
    Path(name).mkdir()
    assert read_problems(name) == [f"{name}: cannot read: is a folder, not a file"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("name", ["pipe.csv", "pipe.json"])
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(name: str) -> None:
    os.mkfifo(name)
    assert read_problems(name) == [
        f"{name}: cannot read: not a regular file (a pipe, socket or device)"
    ]


def test_a_device_is_refused() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    assert read_problems("/dev/zero.csv") == ["/dev/zero.csv: no such file"]
    Path("zero.csv").symlink_to("/dev/zero")
    assert read_problems("zero.csv") == [
        "zero.csv: cannot read: not a regular file (a pipe, socket or device)"
    ]


def test_a_file_without_read_permission(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulated: the tests may run as root, who may read anything.
    write("clients.csv", CLIENT_HEADER + "\n")

    def refuse(path: object, flags: int, *args: object) -> int:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "open", refuse)
    assert read_problems("clients.csv") == ["clients.csv: cannot read: permission denied"]
