"""Workbooks and real exports: every export in tests/data/exports gives the canonical proposals.

The corpus (tests/data/exports/make_exports.py) holds one round as a coordinator's tools save
it: Windows-1252 CSV with `;`, .xlsx with Excel dates and merged cells, .ods, .xls, her own
headers and words. Workbooks are written by openpyxl, odfpy and xlwt and read by calamine.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner

from matcher.cli import main
from matcher.config import MatchConfig, load_config
from matcher.engine import match
from matcher.errors import InputError
from matcher.io import read_clients, read_volunteers
from matcher.io.workbook import cell_text
from matcher.wording import unmatched_detail

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"
ROUND_DATE = dt.date(2026, 11, 23)

# (clients file, volunteers file, config): each the same round as the canonical pair.
CORPUS = [
    ("crm_clients_cp1252.csv", "crm_volunteers_cp1252.csv", None),
    ("intake.xlsx", "intake.xlsx", "intake.toml"),
    ("merged_cells.xlsx", "canonical_volunteers.csv", None),
    ("libreoffice_clients.ods", "old_excel_volunteers.xls", None),
    ("own_words.xlsx", "canonical_volunteers.csv", "own_words.toml"),
    ("canonical_clients.csv", "intake.xlsx", "intake.toml"),
]


def proposals(clients: str, volunteers: str, config_name: str | None) -> list[tuple[str, ...]]:
    config = load_config(EXPORTS / config_name) if config_name else MatchConfig()
    result = match(
        read_clients(EXPORTS / clients, config),
        read_volunteers(EXPORTS / volunteers, config),
        config,
        round_date=ROUND_DATE,
    )
    matched = [(m.client_id, m.volunteer_id, str(m.weight_units)) for m in result.matches]
    waiting = [(u.client_id, u.reason, unmatched_detail(u, weights=True)) for u in result.unmatched]
    return matched + waiting


CANONICAL = proposals("canonical_clients.csv", "canonical_volunteers.csv", None)


def test_the_canonical_round_matches_some_and_leaves_some_waiting() -> None:
    matched = [row for row in CANONICAL if row[1].startswith("V")]
    assert 6 <= len(matched) < 12  # a round worth comparing: choices were made


@pytest.mark.parametrize(("clients", "volunteers", "config"), CORPUS)
def test_every_export_gives_the_canonical_proposals(
    clients: str, volunteers: str, config: str | None
) -> None:
    assert proposals(clients, volunteers, config) == CANONICAL


def test_a_postcode_export_gives_the_canonical_proposals() -> None:
    """No coordinates in the files: everyone is placed through the organisation's PC6 table."""
    config = "postcodes.toml"
    assert proposals("postcode_clients.csv", "postcode_volunteers.csv", config) == CANONICAL
    settings = load_config(EXPORTS / config)
    sources = {c.location_source for c in read_clients(EXPORTS / "postcode_clients.csv", settings)}
    assert sources == {"postcode", None}  # None: K04 is phoned and gave no address


@pytest.mark.parametrize(("clients", "config"), [(c, cfg) for c, _, cfg in CORPUS])
def test_every_export_reads_as_the_canonical_clients(clients: str, config: str | None) -> None:
    settings = load_config(EXPORTS / config) if config else MatchConfig()
    canonical = read_clients(EXPORTS / "canonical_clients.csv")
    read = sorted(read_clients(EXPORTS / clients, settings), key=lambda c: c.client_id)
    assert read == list(canonical)


def test_the_corpus_has_every_kind_of_file() -> None:
    suffixes = {path.suffix for path in EXPORTS.iterdir()}
    assert {".csv", ".xlsx", ".ods", ".xls"} <= suffixes
    assert (EXPORTS / "crm_clients_cp1252.csv").read_bytes().decode("cp1252").count(";") > 100
    with pytest.raises(UnicodeDecodeError):
        (EXPORTS / "crm_clients_cp1252.csv").read_bytes().decode("utf-8")


# Row numbers, sheets and typed cells ----------------------------------------------------------


def test_rows_are_numbered_as_the_sheet_numbers_them() -> None:
    # intake.xlsx: two empty rows, the header on row 3, the first client on row 4.
    config = load_config(EXPORTS / "intake.toml")
    clients = read_clients(EXPORTS / "intake.xlsx", config)
    assert clients.rows["K01"] == 4
    assert clients.rows["K12"] == 15


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for number, row in enumerate(rows):
            sheet.write_row(number, 0, row)
    book.close()
    return path


def test_a_bad_cell_in_a_workbook_names_the_sheet_row(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        [],
        ["Cliëntnummer", "Programma", "Contact", "Leeftijd", "Geslacht"],
        ["K1", "rouw", "telefonisch", 54, "vrouw"],
        ["K2", "rouw", "telefonisch", "oud", "vrouwe"],
    ]
    write_xlsx(tmp_path / "clients.xlsx", {"Blad1": rows})
    with pytest.raises(InputError) as caught:
        read_clients(tmp_path / "clients.xlsx")
    assert [str(problem) for problem in caught.value.problems] == [
        f"{tmp_path / 'clients.xlsx'}:4: Leeftijd: must be a whole number (got 'oud')",
        f"{tmp_path / 'clients.xlsx'}:4: Geslacht: unknown gender 'vrouwe';"
        " did you mean 'vrouw'? (got 'vrouwe')",
    ]


def test_merged_cells_give_their_value_to_every_row_they_cover() -> None:
    clients = read_clients(EXPORTS / "merged_cells.xlsx")
    assert {client.programme for client in clients} == {"rouw-zwolle", "seniorencoach"}
    assert sum(client.programme == "seniorencoach" for client in clients) == 3


def test_the_first_visible_sheet_is_read_unless_one_is_named() -> None:
    # intake.xlsx starts with a notes sheet: without the config there is nothing to read.
    with pytest.raises(InputError) as caught:
        read_clients(EXPORTS / "intake.xlsx")
    assert "client_id: required column is missing" in str(caught.value)


def test_an_unknown_sheet_lists_the_sheets() -> None:
    config = MatchConfig.model_validate({"columns": {"clients_sheet": "Clienten!"}})
    with pytest.raises(InputError) as caught:
        read_clients(EXPORTS / "intake.xlsx", config)
    assert str(caught.value) == (
        f"{EXPORTS / 'intake.xlsx'}: no sheet 'Clienten!'; did you mean 'Cliënten'?"
        " (the workbook has 'Toelichting', 'Cliënten', 'Vrijwilligers')"
    )


def test_a_sheet_name_is_found_without_its_accent_or_capitals() -> None:
    config = MatchConfig.model_validate({"columns": {"clients_sheet": "clienten"}})
    assert len(read_clients(EXPORTS / "intake.xlsx", config)) == 12


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "true"),
        (False, "false"),
        (3.0, "3"),
        (52.5168, "52.5168"),
        (dt.date(2026, 3, 12), "2026-03-12"),
        (dt.datetime(2026, 3, 12), "2026-03-12"),
        (dt.datetime(2026, 3, 12, 9, 30), "2026-03-12 09:30:00"),
        ("", ""),
        (None, ""),
    ],
)
def test_typed_cells_become_the_text_a_csv_would_hold(value: object, text: str) -> None:
    assert cell_text(value) == text


# Refused workbooks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "password.xlsx",
            "the workbook is password-protected; open it, remove the password"
            " (Excel: File > Info > Protect Workbook) and save it again",
        ),
        (
            "damaged.xlsx",
            "cannot be read as a .xlsx workbook (the file is damaged or is not a workbook);"
            " open it in Excel or LibreOffice and save it again",
        ),
    ],
)
def test_a_workbook_that_cannot_be_read_gets_one_line(
    name: str, message: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        main,
        ["match", str(EXPORTS / name), str(EXPORTS / "canonical_volunteers.csv"),
         "--out", str(tmp_path / "out")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == f"{EXPORTS / name}: {message}\n"
    assert not (tmp_path / "out").exists()


def test_a_csv_renamed_to_xlsx_is_refused_as_damaged(tmp_path: Path) -> None:
    shutil.copy(EXPORTS / "canonical_clients.csv", tmp_path / "clients.xlsx")
    with pytest.raises(InputError, match=r"cannot be read as a \.xlsx workbook"):
        read_clients(tmp_path / "clients.xlsx")


def test_an_empty_sheet_names_the_others(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "clients.xlsx", {"Leeg": [], "Cliënten": [["client_id"]]})
    with pytest.raises(InputError) as caught:
        read_clients(tmp_path / "clients.xlsx")
    assert str(caught.value) == (
        f"{tmp_path / 'clients.xlsx'}: sheet 'Leeg' is empty; choose another with --sheet: Cliënten"
    )


# Commands ---------------------------------------------------------------------------------------


def test_sheet_option_applies_to_every_workbook_given(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["match", str(EXPORTS / "libreoffice_clients.ods"),
         str(EXPORTS / "old_excel_volunteers.xls"), "--sheet", "Cliënten",
         "--out", str(tmp_path), "--date", "2026-11-23"],
    )  # fmt: skip
    # --sheet names the clients' sheet; the .xls has no such sheet, and says so.
    assert result.exit_code == 1
    assert "old_excel_volunteers.xls: no sheet 'Cliënten'" in result.stderr


def test_validate_reads_both_sheets_of_one_workbook() -> None:
    result = CliRunner().invoke(
        main,
        ["validate", str(EXPORTS / "intake.xlsx"), "--config", str(EXPORTS / "intake.toml")],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{EXPORTS / 'intake.xlsx'}: 12 clients, no problems",
        f"{EXPORTS / 'intake.xlsx'}: 8 volunteers, no problems",
    ]
