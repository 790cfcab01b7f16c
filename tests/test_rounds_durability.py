"""All or nothing, one writer at a time, old ledgers upgraded: the ledger's guarantees.

Killed commands run as real processes with a fault injected inside their transaction
(MATCHER_FAULT=command:exit|sleep); a tiny page cache in that mode makes SQLite write changed
pages into the database file before the commit, so the kill leaves a hot journal behind and
the next open must roll it back.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import matcher
from matcher.rounds import SCHEMA_VERSION, Ledger, LedgerBusyError
from matcher.rounds.db import BUSY_MESSAGE, FAULT_EXIT_CODE
from tests.ledger_checks import ROOT, check_ledger, city_rows, rows, snapshot

DATA = ROOT / "tests" / "data"
DAY = "2026-11-23"


def write_rows(path: Path, table: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("synthetic")
    clients, volunteers = city_rows(400, 150, seed=7)
    return {
        "clients": write_rows(folder / "clients.csv", clients[:300]),
        "more_clients": write_rows(folder / "more_clients.csv", clients[300:]),
        "volunteers": write_rows(folder / "volunteers.csv", volunteers),
    }


def matcher_process(
    db: Path, *args: str, fault: str | None = None, busy_s: float | None = None
) -> subprocess.Popen[str]:
    env = {**os.environ, "MATCHER_DB": str(db)}
    env.pop("MATCHER_FAULT", None)
    if fault:
        env["MATCHER_FAULT"] = fault
    if busy_s is not None:
        env["MATCHER_BUSY_TIMEOUT_S"] = str(busy_s)
    return subprocess.Popen(
        [sys.executable, "-m", "matcher", "-q", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(db: Path, *args: str, **options: object) -> tuple[int, str, str]:
    process = matcher_process(db, *args, **options)  # type: ignore[arg-type]
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


@pytest.fixture
def db(tmp_path: Path, files: dict[str, Path]) -> Path:
    path = tmp_path / "matcher.db"
    with Ledger.create(path) as ledger:
        ledger.import_volunteers(matcher.read_volunteers(str(files["volunteers"])))
        ledger.import_clients(matcher.read_clients(str(files["clients"])))
        proposal = ledger.propose(round_date=dt.date(2026, 11, 23))
        ledger.accept(proposal.round_id, but=[proposal.pairs[0].client_id])
    return path


def test_a_command_killed_inside_its_transaction_leaves_the_ledger_as_before(
    db: Path, files: dict[str, Path]
) -> None:
    round_id = rows(db, "SELECT max(round_id) FROM rounds")[0][0]
    undecided = rows(db, "SELECT client_id FROM proposals WHERE decision IS NULL")[0][0]
    matched = rows(db, "SELECT client_id FROM matches WHERE ended_on IS NULL LIMIT 1")[0][0]
    commands = {
        "import": ("import", "clients", str(files["more_clients"])),
        "propose": ("round", "propose", "--date", "2026-11-30"),
        "decline": ("round", "decline", str(round_id), "--client", str(undecided),
                    "--by", "client", "--reason", "no"),
        "end": ("match", "end", str(matched), "--reason", "moved"),
        "forget": ("forget", str(matched), "--yes"),
    }  # fmt: skip
    for command, args in commands.items():
        before = snapshot(db)
        code, _, err = run(db, *args, fault=f"{command}:exit")
        assert code == FAULT_EXIT_CODE, (command, err)
        if command == "import":
            # Pages were written into the file before the kill; only the journal can undo them.
            journal = db.with_name(db.name + "-journal")
            assert journal.exists() and journal.stat().st_size > 0
        assert snapshot(db) == before, f"{command} left a trace"
        check_ledger(db)
    # The same commands, not interrupted, go through.
    for command, args in commands.items():
        code, _, err = run(db, *args)
        assert code == 0, (command, err)
    check_ledger(db)


def test_sigkill_mid_propose_and_a_second_writer_is_told_the_ledger_is_busy(db: Path) -> None:
    before = snapshot(db)
    writer = matcher_process(db, "round", "propose", "--date", "2026-11-30", fault="propose:sleep")
    assert writer.stderr is not None
    line = writer.stderr.readline()
    assert "fault point propose reached" in line
    try:
        code, _, err = run(db, "pin", "K_NONE", "V_NONE", busy_s=0.3)
        assert code == 1
        assert err.strip() == f"{db}: {BUSY_MESSAGE}"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.communicate(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    assert snapshot(db) == before
    check_ledger(db)
    code, _, err = run(db, "round", "propose", "--date", "2026-11-30")
    assert code == 0, err


def test_concurrent_writers_are_serialised(db: Path) -> None:
    """Eight threads, each its own connection, write at once: every command lands, in turn."""
    volunteers = [r[0] for r in rows(db, "SELECT volunteer_id FROM volunteers LIMIT 8")]
    events_before = rows(db, "SELECT count(*) FROM events")[0][0]
    errors: list[BaseException] = []

    def work(volunteer_id: str) -> None:
        try:
            with Ledger(db, busy_timeout_s=30) as ledger:
                for _ in range(5):
                    ledger.pause(volunteer_id, until=dt.date(2030, 1, 1))
                    ledger.resume(volunteer_id)
        except BaseException as error:  # collected for the main thread's assert
            errors.append(error)

    threads = [threading.Thread(target=work, args=(v,)) for v in volunteers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert rows(db, "SELECT count(*) FROM events")[0][0] == events_before + 8 * 10
    check_ledger(db)


def test_busy_ledger_raises_a_clear_error_in_the_library(db: Path) -> None:
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with Ledger(db, busy_timeout_s=0.1) as ledger, pytest.raises(LedgerBusyError) as error:
            ledger.pause("V_ANY", until=dt.date(2030, 1, 1))
        assert str(error.value) == f"{db}: {BUSY_MESSAGE}"
        holder.execute("ROLLBACK")
    finally:
        holder.close()


def _schema(path: Path) -> list[tuple[str, str]]:
    found = rows(path, "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
    return [(str(name), re.sub(r"\s+", " ", str(sql))) for name, sql in found]


def test_a_v1_ledger_upgrades_to_the_current_schema(tmp_path: Path) -> None:
    old = tmp_path / "v1.db"
    conn = sqlite3.connect(old)
    conn.executescript((DATA / "ledger_v1.sql").read_text(encoding="utf-8"))
    conn.close()
    before = snapshot(old)

    with Ledger(old) as ledger:
        assert ledger.upgraded_from == 1
        assert ledger.schema_version == SCHEMA_VERSION
        status = ledger.status(on=dt.date(2026, 11, 30))
        assert [w.client_id for w in status.waiting] == ["K003"]
        assert [(a.client_id, a.volunteer_id) for a in status.active] == [("K002", "V02")]
        proposal = ledger.propose(round_date=dt.date(2026, 11, 30))
        # The decline recorded by v1 still holds: K003 never gets V01 again.
        assert [(p.client_id, p.volunteer_id) for p in proposal.pairs] == [("K003", "V02")]
        (migrated,) = [e for e in ledger.history() if e.kind == "migrate"]
        assert migrated.detail == f"ledger upgraded from schema v1 to schema v{SCHEMA_VERSION}"
    # Old rows survive; v2 backfilled the duration of the match v1 ended.
    after = snapshot(old)
    for table in ("clients", "volunteers", "declines", "proposals"):
        kept = [row[: len(old)] for row, old in zip(after[table], before[table], strict=False)]
        assert kept == before[table]
    assert rows(old, "SELECT duration_days FROM matches WHERE client_id = 'K001'") == [(28,)]
    check_ledger(old)

    fresh = tmp_path / "fresh.db"
    Ledger.create(fresh).close()
    assert _schema(old) == _schema(fresh)


def test_a_failed_upgrade_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = tmp_path / "v1.db"
    conn = sqlite3.connect(old)
    conn.executescript((DATA / "ledger_v1.sql").read_text(encoding="utf-8"))
    conn.close()
    before = snapshot(old)
    monkeypatch.setenv("MATCHER_FAULT", "migrate:raise")
    with pytest.raises(RuntimeError, match="fault injected in migrate"):
        Ledger(old)
    assert snapshot(old) == before
    assert rows(old, "PRAGMA user_version") == [(1,)]


def test_two_processes_importing_at_once_both_succeed(
    tmp_path: Path, files: dict[str, Path]
) -> None:
    db = tmp_path / "matcher.db"
    with Ledger.create(db) as ledger:
        ledger.import_volunteers(matcher.read_volunteers(str(files["volunteers"])))
    started = time.perf_counter()
    processes = [
        matcher_process(db, "import", "clients", str(files["clients"]), "--date", DAY),
        matcher_process(db, "import", "clients", str(files["more_clients"]), "--date", DAY),
    ]
    results = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], results
    assert time.perf_counter() - started < 60
    check_ledger(db)
    assert rows(db, "SELECT count(*) FROM clients") == [(400,)]
