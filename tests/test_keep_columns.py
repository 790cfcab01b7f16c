"""`--keep-columns`, `--call-list`, `round propose --xlsx/--names`: her names only where asked.

The privacy tests scan every byte a run leaves behind (each output, the ledger database and its
journal, an export, stdout and stderr, workbooks unzipped) for every name and note of the
input files: they may appear in the workbook and the call list, and nowhere else.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from python_calamine import CalamineWorkbook

from matcher.cli import main
from matcher.io import read_clients
from matcher.io.kept import read_kept_columns

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ROOT / "examples" / "clients.csv"
VOLUNTEERS = ROOT / "examples" / "volunteers.csv"
DATE = ["--date", "2026-11-23"]
KEPT = ("naam", "notities")


def run(*args: str, db: Path | None = None) -> Result:
    env = {"MATCHER_DB": str(db)} if db else {}
    return CliRunner(env=env).invoke(main, list(args), prog_name="matcher")


def secrets() -> set[str]:
    """Every name and note in the example files."""
    found = set()
    for path in (CLIENTS, VOLUNTEERS):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle, delimiter=";"):
                found |= {row[column].strip() for column in KEPT if row[column].strip()}
    assert len(found) > 40
    return found


def texts_of(path: Path) -> str:
    data = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return data.decode("utf-8", "replace")


def where_secrets_are(folder: Path, result: Result) -> dict[str, int]:
    """File name (or stdout/stderr) -> how many of the secrets it holds."""
    places = {
        p.relative_to(folder).as_posix(): texts_of(p) for p in folder.rglob("*") if p.is_file()
    }
    places |= {"stdout": result.stdout, "stderr": result.stderr}
    hidden = secrets()
    counts = {name: sum(secret in text for secret in hidden) for name, text in places.items()}
    return {name: n for name, n in counts.items() if n}


def sheets(path: Path) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_match_puts_her_columns_in_the_workbook_and_call_list_only(tmp_path: Path) -> None:
    result = run("match", str(CLIENTS), str(VOLUNTEERS), "--out", str(tmp_path / "out"),
                 "--xlsx", str(tmp_path / "p.xlsx"), "--call-list", str(tmp_path / "call.csv"),
                 "--keep-columns", "naam,notities", "--report", str(tmp_path / "r.html"),
                 "--format", "json", *DATE)  # fmt: skip
    assert result.exit_code == 0, result.output
    found = where_secrets_are(tmp_path, result)
    assert set(found) == {"p.xlsx", "call.csv"}
    assert found["p.xlsx"] > 40  # the waiting clients' names too
    book = sheets(tmp_path / "p.xlsx")
    header, first = book["voorstellen"][:2]
    assert header[:6] == ["cliënt", "naam", "notities", "vrijwilliger", "vrijwilliger: naam",
                          "vrijwilliger: notities"]  # fmt: skip
    assert first[:2] == ["K001", "Wim Bedacht"]
    assert book["wachtend"][0][:3] == ["cliënt", "naam", "notities"]
    assert (tmp_path / "call.csv").stat().st_mode & 0o077 == 0


def test_call_list_phones_the_most_vulnerable_first(tmp_path: Path) -> None:
    call = tmp_path / "call.csv"
    result = run("match", str(CLIENTS), str(VOLUNTEERS), "--out", str(tmp_path / "out"),
                 "--call-list", str(call), "--keep-columns", "naam", "--lang", "en",
                 *DATE)  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(call.read_text(encoding="utf-8"))))
    assert rows[0] == ["client", "naam", "volunteer", "volunteer: naam", "programme", "risk",
                       "distance (km)", "contact", "why", "notes"]  # fmt: skip
    order = {"high": 0, "moderate": 1, "low": 2}
    keys = [(order[row[5]], row[0]) for row in rows[1:]]
    assert keys == sorted(keys) and keys[0][0] == 0
    assert all(row[1] and row[3] for row in rows[1:])  # every example person has a name
    matches = list(csv.DictReader(io.StringIO((tmp_path / "out" / "matches.csv").read_text())))
    pairs = {(m["client_id"], m["volunteer_id"]) for m in matches}
    assert {(row[0], row[2]) for row in rows[1:]} == pairs


def test_ledger_round_takes_names_from_her_sheet_at_output_time(tmp_path: Path) -> None:
    db = tmp_path / "matcher.db"
    for args in (("db", "init"), ("import", "volunteers", str(VOLUNTEERS)),
                 ("import", "clients", str(CLIENTS), *DATE)):  # fmt: skip
        assert run(*args, db=db).exit_code == 0
    result = run("round", "propose", "--xlsx", str(tmp_path / "r.xlsx"),
                 "--call-list", str(tmp_path / "call.csv"), "--keep-columns", "naam,notities",
                 "--names", str(CLIENTS), "--names", str(VOLUNTEERS),
                 "--report", str(tmp_path / "r.html"), *DATE, db=db)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert run("export", "--out", str(tmp_path / "export"), db=db).exit_code == 0
    history = run("history", db=db)
    assert set(where_secrets_are(tmp_path, result)) == {"r.xlsx", "call.csv"}
    assert set(where_secrets_are(tmp_path, history)) == {"r.xlsx", "call.csv"}
    book = sheets(tmp_path / "r.xlsx")
    assert list(book) == ["voorstellen", "wachtend", "samenvatting"]
    assert book["voorstellen"][1][:2] == ["K001", "Wim Bedacht"]
    assert all(row[7] for row in book["voorstellen"][1:])  # programme on every row


def test_round_propose_writes_a_workbook_without_names_too(tmp_path: Path) -> None:
    db = tmp_path / "matcher.db"
    for args in (("db", "init"), ("import", "volunteers", str(VOLUNTEERS)),
                 ("import", "clients", str(CLIENTS), *DATE)):  # fmt: skip
        assert run(*args, db=db).exit_code == 0
    result = run("round", "propose", "--xlsx", str(tmp_path / "r.xlsx"), "--weights",
                 "--lang", "en", *DATE, db=db)  # fmt: skip
    assert result.exit_code == 0, result.output
    book = sheets(tmp_path / "r.xlsx")
    header = book["proposals"][0]
    assert header[:3] == ["client", "volunteer", "programme"] and "weight" in header
    assert not where_secrets_are(tmp_path, result)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--keep-columns", "naam"], "--keep-columns goes with --xlsx or --call-list"),
        (["--keep-columns", " , ", "--xlsx", "x.xlsx"], "--keep-columns needs column names"),
        (["--weights", "--call-list", "c.csv"], "--weights goes with --xlsx"),
    ],
)
def test_options_that_do_not_go_together(tmp_path: Path, args: list[str], message: str) -> None:
    result = run("match", str(CLIENTS), str(VOLUNTEERS), "--out", str(tmp_path / "o"), *args)
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "o").exists()


def test_an_unknown_column_is_named_with_a_hint_and_nothing_is_written(tmp_path: Path) -> None:
    result = run("match", str(CLIENTS), str(VOLUNTEERS), "--out", str(tmp_path / "o"),
                 "--xlsx", str(tmp_path / "p.xlsx"), "--keep-columns", "naam,telefon",
                 *DATE)  # fmt: skip
    assert result.exit_code == 1
    assert "telefon: --keep-columns names a column that no input file has" in result.stderr
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())


def test_a_ledger_round_without_names_or_with_a_bad_names_file_stores_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "matcher.db"
    for args in (("db", "init"), ("import", "volunteers", str(VOLUNTEERS))):
        assert run(*args, db=db).exit_code == 0
    result = run("round", "propose", "--xlsx", "r.xlsx", "--keep-columns", "naam", db=db)
    assert result.exit_code == 2 and "the ledger keeps no names" in result.stderr
    result = run("round", "propose", "--xlsx", "r.xlsx", "--names", str(CLIENTS), db=db)
    assert result.exit_code == 2 and "--names goes with --keep-columns" in result.stderr
    result = run("round", "propose", "--xlsx", str(tmp_path / "r.xlsx"), "--keep-columns",
                 "telefoon", "--names", str(CLIENTS), *DATE, db=db)  # fmt: skip
    assert result.exit_code == 1 and "telefoon: --keep-columns names a column" in result.stderr
    assert "round" not in run("history", db=db).stdout.split("import", 1)[-1]
    assert not (tmp_path / "r.xlsx").exists()


def test_readers_still_drop_her_columns_and_the_side_table_is_by_id(tmp_path: Path) -> None:
    records = read_clients(CLIENTS)
    assert "naam" not in type(records[0]).model_fields
    assert all("Bedacht" not in repr(client) for client in records)
    path = tmp_path / "c.json"
    path.write_text('[{"client_id": "K1", "Naam": "An", "age": 70}, {"client_id": "K2"}]')
    kept = read_kept_columns([(path, "clients"), (VOLUNTEERS, "volunteers")], ("naam",))
    assert kept.of_client("K1") == ["An"] and kept.of_client("K2") == [None]
    assert kept.of_volunteer("V01") == ["Gerda Demo"] and kept.of_client("V01") == [None]
