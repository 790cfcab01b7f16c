"""Capacity in hours in the ledger: active matches consume their clients' hours, the next
round sees only the hours left, accept and the database refuse a week over its hours."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from matcher.cli import main
from matcher.models import Client, Volunteer
from matcher.rounds import Ledger, LedgerError
from tests.ledger_checks import check_ledger

DAY = dt.date(2026, 11, 23)


def _client(cid: str, hours: float) -> Client:
    return Client(
        client_id=cid, programme="p", contact="phone", hours_per_week=hours, waiting_since=DAY
    )


def _volunteer(vid: str, **fields: Any) -> Volunteer:
    return Volunteer(volunteer_id=vid, programmes=("p",), contact="phone", **fields)


def test_active_matches_take_their_clients_hours(tmp_path: Path) -> None:
    path = tmp_path / "matcher.db"
    with Ledger.create(path, user="tester") as ledger:
        # 4 hours a week; `capacity` (1 by default) no longer limits this volunteer.
        ledger.import_volunteers([_volunteer("V1", hours_per_week=4)], on=DAY)
        ledger.import_clients([_client("C1", 2), _client("C2", 1.5)], on=DAY)
        first = ledger.propose(round_date=DAY)
        assert sorted(p.client_id for p in first.pairs) == ["C1", "C2"]  # 3.5 of 4 hours
        ledger.accept(first.round_id, on=DAY)
        # Half an hour is left: a one-hour client waits, for lack of hours.
        ledger.import_clients([_client("C3", 1)], on=DAY)
        second = ledger.propose(round_date=DAY)
        assert second.pairs == ()
        (waiting,) = second.waiting
        assert (waiting.reason, waiting.hours_needed) == ("no-capacity", 1.0)
        # A quarter-hour client still fits in the half hour.
        ledger.import_clients([_client("C4", 0.25)], on=DAY)
        third = ledger.propose(round_date=DAY)
        assert [p.client_id for p in third.pairs] == ["C4"]
    # The status shows the hours taken by active matches of the week's hours.
    text = CliRunner(env={"MATCHER_DB": str(path)}).invoke(main, ["-q", "status"]).stdout
    assert "3.5/4 h" in text
    check_ledger(path)


def test_accept_refuses_more_hours_than_the_week_has(tmp_path: Path) -> None:
    path = tmp_path / "matcher.db"
    with Ledger.create(path, user="tester") as ledger:
        ledger.import_volunteers([_volunteer("V1", hours_per_week=3)], on=DAY)
        ledger.import_clients([_client("C1", 2)], on=DAY)
        first = ledger.propose(round_date=DAY)
        # The volunteer's week shrinks to 1 hour before the proposal is accepted.
        ledger.import_volunteers([_volunteer("V1", hours_per_week=1)], on=DAY)
        with pytest.raises(LedgerError, match=r"V1: 1 more client\(s\) would take 2 of 1 hour"):
            ledger.accept(first.round_id, on=DAY)


def test_the_database_refuses_a_match_over_the_hours(tmp_path: Path) -> None:
    """The trigger counts hours: a last line of defence below the code's own check."""
    path = tmp_path / "matcher.db"
    with Ledger.create(path, user="tester") as ledger:
        ledger.import_volunteers([_volunteer("V1", hours_per_week=3)], on=DAY)
        ledger.import_clients([_client("C1", 2), _client("C2", 1.5)], on=DAY)
    with sqlite3.connect(path) as conn:
        insert = (
            "INSERT INTO matches (client_id, volunteer_id, round_id, started_on)"
            " VALUES (?, 'V1', NULL, '2026-11-23')"
        )
        conn.execute(insert, ("C1",))  # 2 of 3 hours
        with pytest.raises(sqlite3.IntegrityError, match="volunteer over capacity"):
            conn.execute(insert, ("C2",))  # 3.5 of 3 hours
