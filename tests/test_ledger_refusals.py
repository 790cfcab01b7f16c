"""What the ledger refuses with one clear line: dates that run back in time (unless --force),
files that are not a matcher ledger, and busy timeouts SQLite cannot honour."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import matcher
from matcher.cli import main
from matcher.rounds import Ledger, LedgerError
from matcher.rounds.db import busy_timeout_from_env
from tests.ledger_checks import ROOT, check_ledger, rows, snapshot

CLIENTS = ROOT / "examples" / "clients.csv"
VOLUNTEERS = ROOT / "examples" / "volunteers.csv"
DAY = dt.date(2026, 11, 23)
YEAR_1 = dt.date(1, 1, 1)


@pytest.fixture
def path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "matcher.db"
    with Ledger.create(path, user="tester") as ledger:
        ledger.import_volunteers(matcher.read_volunteers(str(VOLUNTEERS)), on=DAY)
        ledger.import_clients(matcher.read_clients(str(CLIENTS)), on=DAY)
        ledger.propose(round_date=DAY)
    yield path
    check_ledger(path)


def invoke(path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    runner = CliRunner(env={"MATCHER_DB": str(path), **(env or {})})
    result = runner.invoke(main, ["-q", *args])
    return result.exit_code, result.stdout, result.stderr


# ------------------------------------------------------------------------------------ dates


def test_accepting_before_the_round_date_is_refused_unless_forced(path: Path) -> None:
    before = snapshot(path)
    code, out, err = invoke(path, "round", "accept", "1", "--date", "0001-01-01")
    assert (code, out) == (1, "")
    assert err == (
        "--date 0001-01-01: before round 1 (2026-11-23); the ledger's history runs forward"
        " (give --force to keep 0001-01-01)\n"
    )
    assert snapshot(path) == before
    code, out, _ = invoke(path, "round", "accept", "1", "--date", "0001-01-01", "--force")
    assert code == 0 and out.startswith("Accepted ")
    with Ledger(path) as ledger:
        (forced,) = [e for e in ledger.history() if e.kind == "force"]
    assert forced.detail == "dated 0001-01-01, before round 1 (2026-11-23): kept with --force"
    assert forced.round_id == 1


def test_declining_before_the_round_date_is_refused_unless_forced(path: Path) -> None:
    with Ledger(path) as ledger:
        client = ledger.round(1).pairs[0].client_id
        with pytest.raises(LedgerError, match=r"^--date 2026-11-22: before round 1 \(2026-11-23\)"):
            ledger.decline(1, client, by="client", reason="no", on=DAY - dt.timedelta(days=1))
        ledger.decline(1, client, by="client", reason="no", on=YEAR_1, force=True)
    assert rows(path, "SELECT declined_on FROM declines") == [("0001-01-01",)]


def test_a_round_before_the_latest_round_is_refused_unless_forced(path: Path) -> None:
    with Ledger(path) as ledger:
        with pytest.raises(LedgerError) as refused:
            ledger.propose(round_date=YEAR_1)
        assert str(refused.value) == (
            "--date 0001-01-01: before the latest round, round 1 (2026-11-23); the ledger's"
            " history runs forward (give --force to keep 0001-01-01)"
        )
        assert ledger.propose(round_date=DAY).round_id == 2  # the same day is fine
        assert ledger.propose(round_date=YEAR_1, force=True).round_id == 3
    # Compared with the latest round, not the latest date: a forced round does not lock out
    # the dates between it and the one before.
    code, _, err = invoke(path, "round", "propose", "--date", "2026-11-22")
    assert code == 0, err


def test_pins_and_pauses_before_the_latest_round_are_refused_unless_forced(path: Path) -> None:
    with Ledger(path) as ledger:
        with pytest.raises(LedgerError, match=r"^--date 0001-01-01: before the latest round"):
            ledger.pin("K001", "V03", on=YEAR_1)
        with pytest.raises(LedgerError, match=r"^--date 0001-01-01: before the latest round"):
            ledger.pause("V03", until=DAY, on=YEAR_1)
        ledger.pause("V03", until=DAY, on=YEAR_1, force=True)
    code, _, err = invoke(path, "pin", "K001", "V04", "--date", "2026-01-01")
    assert code == 1 and err.startswith("--date 2026-01-01: before the latest round")
    code, _, _ = invoke(path, "pin", "K001", "V04", "--date", "2026-01-01", "--force")
    assert code == 0


def test_ending_a_match_before_it_started_is_refused_even_with_force(path: Path) -> None:
    with Ledger(path) as ledger:
        (pair,) = ledger.accept(1, only=[ledger.round(1).pairs[0].client_id], on=DAY)
        with pytest.raises(LedgerError, match=r"--date 2026-11-22: before the match started"):
            ledger.end_match(pair[0], reason="moved", on=DAY - dt.timedelta(days=1))


# ------------------------------------------------------------------------ not a ledger


def _foreign(path: Path, user_version: int) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("user_version", [-1, 0, 1, 3])
def test_someone_elses_sqlite_file_is_not_a_ledger(tmp_path: Path, user_version: int) -> None:
    foreign = _foreign(tmp_path / "other.db", user_version)
    for command in (("status",), ("db", "init"), ("db", "check")):
        code, out, err = invoke(foreign, *command)
        expected = f"{foreign}: an SQLite database, but not a matcher ledger\n"
        assert (code, out, err) == (1, "", expected)


MAKERS: dict[str, tuple[Callable[[Path], object], str]] = {
    "csv": (
        lambda p: p.write_text("client_id,age\nK1,40\n"),
        "not a matcher ledger (file is not a database)",
    ),
    "empty": (
        lambda p: p.write_bytes(b""),
        "not an initialised ledger; run `matcher db init --db {p}`",
    ),
    "folder": (lambda p: p.mkdir(), "is a folder, not a ledger file"),
}


@pytest.mark.parametrize("kind", list(MAKERS))
def test_other_files_get_one_line_and_exit_1(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "ledger.db"
    make, message = MAKERS[kind]
    make(target)
    code, out, err = invoke(target, "status")
    assert (code, out) == (1, "")
    assert err == f"{target}: {message.format(p=target)}\n"


def test_db_init_on_an_empty_file_makes_it_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "ledger.db"
    target.write_bytes(b"")
    target.chmod(0o644)
    code, _, _ = invoke(target, "db", "init")
    assert code == 0 and target.stat().st_mode & 0o777 == 0o600


# ------------------------------------------------------------------------ busy timeout


@pytest.mark.parametrize("text", ["2147484", "1e309", "inf", "nan", "-1", "soon"])
def test_busy_timeouts_out_of_range_are_refused(
    path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    message = f"MATCHER_BUSY_TIMEOUT_S: must be a number of seconds from 0 to 86400 (got {text!r})"
    monkeypatch.setenv("MATCHER_BUSY_TIMEOUT_S", text)
    with pytest.raises(LedgerError) as refused:
        busy_timeout_from_env()
    assert str(refused.value) == message
    code, _, err = invoke(path, "status", env={"MATCHER_BUSY_TIMEOUT_S": text})
    assert (code, err) == (1, message + "\n")
    with pytest.raises(LedgerError, match=r"^busy_timeout_s: must be a number of seconds"):
        Ledger(path, busy_timeout_s=float(text) if text != "soon" else -1.0)


@pytest.mark.parametrize("text", ["0", "2.5", "86400"])
def test_busy_timeouts_in_range_are_kept(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("MATCHER_BUSY_TIMEOUT_S", text)
    assert busy_timeout_from_env() == float(text)
