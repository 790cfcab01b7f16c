"""An erased client stays erased: the weekly re-import of the usual sheet is refused for them
until the coordinator says --allow-erased; the ledger keeps a keyed hash, never the id."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import matcher
from matcher.cli import main
from matcher.errors import InputError
from matcher.rounds import Ledger
from tests.ledger_checks import ROOT, check_ledger, rows, snapshot

CLIENTS = ROOT / "examples" / "clients.csv"
VOLUNTEERS = ROOT / "examples" / "volunteers.csv"
DATA = ROOT / "tests" / "data"
DAY = dt.date(2026, 11, 23)
TODAY = dt.datetime.now(dt.UTC).date().isoformat()
# K003 is on row 4 of the example sheet (row 1 is the header).
REFUSED = (
    "clients.csv:4: client_id: was erased on {day} (matcher forget);"
    " re-import only with --allow-erased"
)


@pytest.fixture
def path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "matcher.db"
    with Ledger.create(path, user="tester") as ledger:
        ledger.import_volunteers(matcher.read_volunteers(str(VOLUNTEERS)), on=DAY)
        ledger.import_clients(matcher.read_clients(str(CLIENTS)), on=DAY)
        proposal = ledger.propose(round_date=DAY)
        ledger.decline(proposal.round_id, "K003", by="client", reason="moved away", on=DAY)
        ledger.forget("K003")
    yield path
    check_ledger(path)


def test_reimporting_an_erased_client_is_refused_and_imports_nothing(path: Path) -> None:
    before = snapshot(path)
    with Ledger(path) as ledger, pytest.raises(InputError) as refused:
        ledger.import_clients(matcher.read_clients(str(CLIENTS)), on=DAY)
    assert str(refused.value) == REFUSED.format(day=TODAY)
    assert snapshot(path) == before


def test_the_ledger_keeps_a_keyed_hash_and_never_the_id(path: Path) -> None:
    assert b"K003" not in path.read_bytes()
    ((stored, kind, erased_on),) = rows(path, "SELECT id_hash, kind, erased_on FROM erased_ids")
    assert (kind, erased_on) == ("client", TODAY)
    # Keyed: not the plain hash anyone could compute from a list of likely ids.
    assert stored != hashlib.sha256(b"K003").hexdigest()
    assert len(str(stored)) == 64
    other = path.parent / "other.db"
    Ledger.create(other).close()
    secret = "SELECT value FROM meta WHERE key = 'erasure_key'"
    assert rows(path, secret) != rows(other, secret)


def test_allow_erased_imports_again_and_says_so(path: Path) -> None:
    with Ledger(path) as ledger:
        summary = ledger.import_clients(
            matcher.read_clients(str(CLIENTS)), on=DAY, allow_erased=True
        )
        assert (summary.new, summary.unchanged) == (1, 29)
        assert summary.notes == ("1 client(s) erased before were imported again (--allow-erased)",)
        (event,) = ledger.history(client_id="K003")
        assert event.detail == (
            f"new, from clients.csv; this id was erased on {TODAY} and re-imported with"
            " --allow-erased"
        )
        # Back in the ledger with a fresh history: the hash is gone, a new forget adds it again.
        assert rows(path, "SELECT count(*) FROM erased_ids") == [(0,)]
        ledger.import_clients(matcher.read_clients(str(CLIENTS)), on=DAY)
        ledger.forget("K003")
    assert rows(path, "SELECT count(*) FROM erased_ids") == [(1,)]
    assert b"K003" not in path.read_bytes()


def test_cli_refuses_then_allows_with_the_flag(path: Path) -> None:
    runner = CliRunner(env={"MATCHER_DB": str(path)})
    refused = runner.invoke(main, ["-q", "import", "clients", str(CLIENTS)])
    assert refused.exit_code == 1
    assert refused.stderr == REFUSED.format(day=TODAY) + "\n"
    allowed = runner.invoke(main, ["-q", "import", "clients", str(CLIENTS), "--allow-erased"])
    assert allowed.exit_code == 0, allowed.output
    assert allowed.stdout == (
        "Imported clients.csv: 30 clients: 1 new, 0 updated, 29 unchanged.\n"
        "  ! 1 client(s) erased before were imported again (--allow-erased)\n"
    )


def test_a_v1_ledger_gets_a_secret_on_upgrade_and_forget_works(tmp_path: Path) -> None:
    old = tmp_path / "v1.db"
    conn = sqlite3.connect(old)
    conn.executescript((DATA / "ledger_v1.sql").read_text(encoding="utf-8"))
    conn.close()
    with Ledger(old) as ledger:
        ledger.forget("K003")
    (secret,) = rows(old, "SELECT value FROM meta WHERE key = 'erasure_key'")
    assert len(str(secret[0])) == 64
    assert rows(old, "SELECT count(*) FROM erased_ids") == [(1,)]
