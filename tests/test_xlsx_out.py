"""`matcher match --xlsx` and `--excel-nl`: files a coordinator opens in Excel."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from matcher.cli import main
from matcher.io import read_clients
from matcher.io.workbook_out import Sheet, format_xlsx

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = str(ROOT / "examples" / "clients.csv")
VOLUNTEERS = str(ROOT / "examples" / "volunteers.csv")
DATE = ["--date", "2026-11-23"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def sheets(path: Path) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_workbook_of_proposals_is_deterministic_and_in_dutch(tmp_path: Path) -> None:
    books = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.xlsx"
        code, _, err = run("match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path / name),
                                "--xlsx", str(path), *DATE)  # fmt: skip
        assert code == 0, err
        books.append(path.read_bytes())
    assert books[0] == books[1]  # byte-identical for the same input
    found = sheets(tmp_path / "a.xlsx")
    assert list(found) == ["voorstellen", "wachtend", "samenvatting"]
    header, *rows = found["voorstellen"]
    assert header == ["cliënt", "vrijwilliger", "programma", "risico", "afstand (km)",
                      "contact", "waarom"]  # fmt: skip
    assert rows and all(row[2] and row[6] for row in rows)  # programme and reason on every row
    assert any(" km uit elkaar" in str(row[6]) for row in rows)
    assert "gewicht" not in header  # no solver weights unless asked
    waiting_header = found["wachtend"][0]
    assert waiting_header == ["cliënt", "programma", "risico", "reden", "toelichting"]
    with zipfile.ZipFile(tmp_path / "a.xlsx") as book:
        sheet_xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<pane " in sheet_xml and 'state="frozen"' in sheet_xml  # frozen header row
    assert "<autoFilter " in sheet_xml and "<cols>" in sheet_xml
    assert (tmp_path / "a.xlsx").stat().st_mode & 0o077 == 0


def test_weights_on_request_and_english(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    code, _, err = run("match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path), "--xlsx", str(path),
                       "--weights", "--lang", "en", *DATE)  # fmt: skip
    assert code == 0, err
    header = sheets(path)["proposals"][0]
    assert header[-7:] == ["weight", "lived_experience", "closeness", "availability", "needs",
                           "age", "training"]  # fmt: skip
    code, _, err = run("match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path), "--weights", *DATE)
    assert code == 2 and "--weights goes with --xlsx" in err


def test_cells_are_neutralised_as_in_csv(tmp_path: Path) -> None:
    data = format_xlsx([Sheet("s", ["=h"], [['=HYPERLINK("x")'], ["-3.5"], [2.5]])])
    (tmp_path / "s.xlsx").write_bytes(data)
    rows = sheets(tmp_path / "s.xlsx")["s"]
    assert rows == [["'=h"], ['\'=HYPERLINK("x")'], ["-3.5"], [2.5]]
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert all("<f>" not in book.read(n).decode() for n in book.namelist() if "sheet" in n)


def test_excel_nl_csv_opens_in_columns_and_reads_back(tmp_path: Path) -> None:
    code, _, err = run("match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path), "--excel-nl", *DATE)
    assert code == 0, err
    raw = (tmp_path / "matches.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["client_id", "volunteer_id", "weight"]
    assert "," in rows[1][2] and "." not in rows[1][2]  # decimal comma
    plain = tmp_path / "plain"
    run("match", CLIENTS, VOLUNTEERS, "--out", str(plain), *DATE)
    with (plain / "matches.csv").open(newline="") as handle:
        assert [r[:2] for r in rows] == [r[:2] for r in csv.reader(handle)]


def test_examples_still_read_with_coordinates() -> None:
    clients = read_clients(CLIENTS)
    assert all(c.location_source == "coordinates" for c in clients if c.lat is not None)
    assert all(c.contact == "phone" for c in clients if c.location_source is None)
