"""A damaged or hand-edited ledger record: named by table and id, never quoted; other commands
keep working; `matcher db check` lists every damaged record."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import matcher
from matcher.cli import main
from matcher.rounds import Ledger, LedgerError
from tests.ledger_checks import ROOT, rows

CLIENTS = ROOT / "examples" / "clients.csv"
VOLUNTEERS = ROOT / "examples" / "volunteers.csv"
DAY = dt.date(2026, 11, 23)
NEXT = dt.date(2026, 11, 30)
# Undecodable bytes inside a record that otherwise names a programme and a health factor.
BAD_UTF8 = "CAST(X'7b22636c69656e745f6964223a224b303032222c2270726f6772616d6d65223aff7d' AS TEXT)"

# (edit, what `matcher db check` and the refusing command say about it)
DAMAGES = {
    "not-json": (
        "UPDATE clients SET record = '{not json' WHERE client_id = 'K002'",
        "clients record 'K002'",
        "record: not valid JSON",
    ),
    "array": (
        "UPDATE clients SET record = '[]' WHERE client_id = 'K002'",
        "clients record 'K002'",
        "record: must be a JSON object",
    ),
    "negative-age": (
        "UPDATE clients SET record = json_set(record, '$.age', -5) WHERE client_id = 'K002'",
        "clients record 'K002'",
        "age: must be ≥ 0",
    ),
    "garbage-date": (
        "UPDATE clients SET waiting_since = 'garbage' WHERE client_id = 'K002'",
        "clients record 'K002'",
        "waiting_since: must be a date as YYYY-MM-DD",
    ),
    "bad-utf8": (
        f"UPDATE clients SET record = {BAD_UTF8} WHERE client_id = 'K002'",
        "clients record 'K002'",
        "record: not valid UTF-8 text",
    ),
    "other-id": (
        "UPDATE clients SET record = json_set(record, '$.client_id', 'K099')"
        " WHERE client_id = 'K002'",
        "clients record 'K002'",
        "client_id: differs from the record's id",
    ),
    "volunteer-not-json": (
        "UPDATE volunteers SET record = '{not json' WHERE volunteer_id = 'V01'",
        "volunteers record 'V01'",
        "record: not valid JSON",
    ),
}


@pytest.fixture
def path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "matcher.db"
    with Ledger.create(path, user="tester") as ledger:
        ledger.import_volunteers(matcher.read_volunteers(str(VOLUNTEERS)), on=DAY)
        ledger.import_clients(matcher.read_clients(str(CLIENTS)), on=DAY)
        ledger.propose(round_date=DAY)
    yield path


def damage(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def invoke(path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner(env={"MATCHER_DB": str(path)}).invoke(main, ["-q", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", list(DAMAGES))
def test_a_damaged_record_is_named_and_the_commands_that_need_it_stop(
    path: Path, tmp_path: Path, name: str
) -> None:
    edit, record, what = DAMAGES[name]
    damage(path, edit)
    expected = (
        f"{path}: {record} is damaged ({what}); run `matcher db check` to list every damaged record"
    )
    with Ledger(path) as ledger:
        before = path.read_bytes()
        commands = [lambda: ledger.status(on=NEXT), lambda: ledger.propose(round_date=NEXT)]
        if what.startswith(("record", "age", "client_id")):
            # The export writes a record's fields as columns; other columns are copied as stored.
            commands.append(lambda: ledger.export(tmp_path / "out"))
        for command in commands:
            with pytest.raises(LedgerError) as raised:
                command()
            assert str(raised.value) == expected
        assert path.read_bytes() == before, "a refused command changed the ledger"
        assert not (tmp_path / "out").exists()
        assert [str(found) for found in ledger.check()] == [f"{record}: {what}"]
        # What does not need the record keeps working.
        assert ledger.history()
        assert ledger.round(1).pairs


def test_cli_errors_name_the_record_and_never_quote_it(path: Path) -> None:
    damage(path, DAMAGES["bad-utf8"][0])
    code, out, err = invoke(path, "status")
    assert (code, out) == (1, "")
    assert err == (
        f"{path}: clients record 'K002' is damaged (record: not valid UTF-8 text);"
        " run `matcher db check` to list every damaged record\n"
    )
    assert "programme" not in err and "Could not decode" not in err
    for command in (("round", "propose", "--date", str(NEXT)), ("export", "--out", "x")):
        code, _, err = invoke(path, *command)
        assert code == 1 and "Traceback" not in err
        assert "clients record 'K002' is damaged" in err


def test_db_check_lists_every_damaged_record_and_exits_1(path: Path) -> None:
    code, out, _ = invoke(path, "db", "check")
    assert (code, out) == (0, f"{path}: every record reads; no damage found.\n")
    damage(
        path,
        DAMAGES["not-json"][0],
        "UPDATE clients SET waiting_since = 'garbage' WHERE client_id = 'K004'",
        "UPDATE clients SET record = json_set(record, '$.age', -5, '$.gender', 'q')"
        " WHERE client_id = 'K005'",
        DAMAGES["volunteer-not-json"][0],
        "UPDATE proposals SET scores = '[1]' WHERE client_id = 'K001'",
        "UPDATE rounds SET round_date = '2026-13-01'",
        "UPDATE volunteers SET record = json_set(record, '$.capacity', 'many')"
        " WHERE volunteer_id = 'V02'",
    )
    code, out, err = invoke(path, "db", "check")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{path}: 7 damaged record(s):",
        "  clients record 'K002': record: not valid JSON",
        "  clients record 'K004': waiting_since: must be a date as YYYY-MM-DD",
        "  clients record 'K005': age: must be ≥ 0; gender: not a known word",
        "  proposals record (round_id 1, client_id 'K001'): scores: must be a JSON object of"
        " numbers",
        "  rounds record 1: round_date: must be a date as YYYY-MM-DD",
        "  volunteers record 'V01': record: not valid JSON",
        "  volunteers record 'V02': capacity: must be a whole number",
        "Import the clients or volunteers file again to repair their records; restore a backup"
        " for anything else.",
    ]


def test_forget_history_and_reimport_work_around_a_damaged_record(path: Path) -> None:
    damage(path, DAMAGES["not-json"][0], DAMAGES["volunteer-not-json"][0])
    with Ledger(path) as ledger:
        assert [e.kind for e in ledger.history(client_id="K002")][:1] == ["import"]
        # Importing the file again repairs the stored records.
        clients = ledger.import_clients(matcher.read_clients(str(CLIENTS)), on=DAY)
        volunteers = ledger.import_volunteers(matcher.read_volunteers(str(VOLUNTEERS)), on=DAY)
        assert (clients.updated, volunteers.updated) == (1, 1)
        assert ledger.check() == []
        assert ledger.status(on=NEXT).waiting
        damage(path, DAMAGES["array"][0])
        assert ledger.forget("K002")["clients"] == 1
        assert ledger.check() == []


def test_a_damaged_volunteer_stops_only_what_needs_that_volunteer(path: Path) -> None:
    with Ledger(path) as ledger:
        round_1 = ledger.round(1)
    other = next(p for p in round_1.pairs if p.volunteer_id != "V01")
    damage(path, DAMAGES["volunteer-not-json"][0])
    with Ledger(path) as ledger:
        assert ledger.accept(1, only=[other.client_id], on=DAY) == [
            (other.client_id, other.volunteer_id)
        ]
        with_v01 = [p.client_id for p in round_1.pairs if p.volunteer_id == "V01"]
        if with_v01:
            with pytest.raises(LedgerError, match=r"volunteers record 'V01' is damaged"):
                ledger.accept(1, only=with_v01[:1], on=DAY)
        with pytest.raises(LedgerError, match=r"volunteers record 'V01' is damaged"):
            ledger.pin("K030", "V01", on=DAY)
    assert rows(path, "SELECT count(*) FROM matches") == [(1,)]


def test_db_check_reports_a_database_that_references_missing_rows(path: Path) -> None:
    damage(path, "PRAGMA foreign_keys = OFF", "DELETE FROM clients WHERE client_id = 'K001'")
    with Ledger(path) as ledger:
        found = [str(d) for d in ledger.check()]
    assert "proposals record 1: refers to a missing clients row" in found
