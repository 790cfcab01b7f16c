"""`matcher import … --skip-invalid`: valid rows in, refused rows out to a file to fix."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from matcher.cli import main

HEADER = "client_id,programme,lat,lon,naam\n"
ROWS = (
    "C1,rouw,52.5,6.1,Anna\n"
    "C2,rouw,95,6.1,Bram\n"  # lat out of range
    "C3,rouw,52.5,6.1,Cor\n"
    "C3,rouw,52.6,6.2,Dirk\n"  # repeated id
    "C4,,52.5,6.1,Eva\n"  # programme missing
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def ledger_clients(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT client_id FROM clients ORDER BY 1")]


def setup(tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "matcher.db"
    assert run("db", "init", "--db", str(db))[0] == 0
    clients = tmp_path / "clients.csv"
    clients.write_text(HEADER + ROWS, encoding="utf-8")
    return db, clients


def test_without_the_flag_nothing_is_imported(tmp_path: Path) -> None:
    db, clients = setup(tmp_path)
    code, _, err = run("import", "clients", str(clients), "--db", str(db))
    assert code == 1
    assert f"{clients}:3: lat: must be ≤ 90 (got '95')" in err
    assert ledger_clients(db) == []
    assert not (tmp_path / "clients-refused.csv").exists()


def test_skip_invalid_imports_the_valid_rows_and_writes_the_refused(tmp_path: Path) -> None:
    db, clients = setup(tmp_path)
    code, out, err = run("import", "clients", str(clients), "--db", str(db), "--skip-invalid")
    assert code == 0, err
    assert ledger_clients(db) == ["C1", "C3"]
    refused = tmp_path / "clients-refused.csv"
    assert f"Refused 3 row(s), written with their problems to {refused}" in out
    with refused.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["client_id", "programme", "lat", "lon", "naam", "problems"],
        ["C2", "rouw", "95", "6.1", "Bram", "lat: must be ≤ 90 (got '95')"],
        ["C3", "rouw", "52.6", "6.2", "Dirk",
         "client_id: duplicate id, first seen on row 4 (got 'C3')"],
        ["C4", "", "52.5", "6.1", "Eva", "programme: is required"],
    ]  # fmt: skip
    assert refused.stat().st_mode & 0o077 == 0  # personal data: owner only
    # She fixes the cells in the refused file and imports it as it is.
    fixed = refused.read_text(encoding="utf-8").replace(",95,", ",52.4,").replace(",,", ",rouw,")
    fixed = fixed.replace("C3,rouw,52.6", "C5,rouw,52.6")
    refused.write_text(fixed, encoding="utf-8")
    code, out, err = run("import", "clients", str(refused), "--db", str(db))
    assert code == 0, err
    assert ledger_clients(db) == ["C1", "C2", "C3", "C4", "C5"]


def test_a_problem_of_the_whole_file_still_imports_nothing(tmp_path: Path) -> None:
    db, clients = setup(tmp_path)
    clients.write_text("client_id,lat,lon\nC1,52.5,6.1\n", encoding="utf-8")
    code, _, err = run("import", "clients", str(clients), "--db", str(db), "--skip-invalid")
    assert code == 1
    assert f"{clients}: programme: required column is missing" in err
    assert ledger_clients(db) == []
    assert not (tmp_path / "clients-refused.csv").exists()


def test_validate_all_lists_every_problem(tmp_path: Path) -> None:
    clients = tmp_path / "clients.csv"
    clients.write_text(HEADER + "".join(f"C{i},rouw,95,6.1,x\n" for i in range(25)))
    code, _, err = run("validate", str(clients))
    assert code == 1
    assert err.splitlines()[-1] == "… and 5 more"
    code, _, err = run("validate", str(clients), "--all")
    assert code == 1
    problems = [line for line in err.splitlines() if "lat: must be ≤ 90" in line]
    assert len(problems) == 25 and "more" not in err
