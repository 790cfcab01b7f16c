"""Invariants of a rounds ledger, checked with plain SQL, independently of matcher.rounds."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def city_rows(
    n_clients: int, n_volunteers: int, seed: int
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """CSV rows of the city-scale scenario at another size."""
    from matcher import scenarios

    city = scenarios.load("city-scale").resized(clients=n_clients, volunteers=n_volunteers)
    return scenarios.generate_rows(city, seed)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """Reads only; opened read-write all the same, so that, as any next command would, it
    rolls back a hot journal a killed command left behind."""
    conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with read_only(path) as conn:
        return conn.execute(sql, params).fetchall()


def check_ledger(path: Path) -> None:
    """Everything that must hold after any command, whatever happened before."""
    with read_only(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # In hours (README "Capacity in hours"); without hours, an hour per place.
        over = conn.execute(
            "SELECT v.volunteer_id, coalesce(json_extract(v.record, '$.hours_per_week'),"
            "   json_extract(v.record, '$.capacity')) AS capacity,"
            " coalesce(json_extract(v.record, '$.active_hours'),"
            "   json_extract(v.record, '$.active_clients'))"
            " + (SELECT coalesce(sum(coalesce(CASE WHEN json_valid(c.record) THEN"
            "    json_extract(c.record, '$.hours_per_week') END, 1)), 0)"
            "    FROM matches m LEFT JOIN clients c ON c.client_id = m.client_id"
            "    WHERE m.volunteer_id = v.volunteer_id AND m.ended_on IS NULL) AS taken"
            " FROM volunteers v WHERE taken > capacity"
        ).fetchall()
        assert over == [], f"volunteers over capacity: {over}"
        twice = conn.execute(
            "SELECT client_id, count(*) FROM matches WHERE ended_on IS NULL"
            " GROUP BY client_id HAVING count(*) > 1"
        ).fetchall()
        assert twice == [], f"clients in two active matches: {twice}"
        inconsistent = conn.execute(
            "SELECT client_id, state FROM clients c WHERE (state = 'matched') != EXISTS"
            " (SELECT 1 FROM matches m WHERE m.client_id = c.client_id AND m.ended_on IS NULL)"
        ).fetchall()
        assert inconsistent == [], f"state disagrees with active matches: {inconsistent}"
        # Proposed again = in a round created (its "round" event) after the decline event.
        again = conn.execute(
            "SELECT d.client_id, d.volunteer_id, p.round_id FROM declines d"
            " JOIN events e ON e.kind = 'decline' AND e.client_id = d.client_id"
            "  AND e.volunteer_id = d.volunteer_id"
            " JOIN proposals p ON p.client_id = d.client_id AND p.volunteer_id = d.volunteer_id"
            " JOIN events r ON r.kind = 'round' AND r.round_id = p.round_id"
            " WHERE r.event_id > e.event_id OR p.decision = 'accepted' AND EXISTS"
            "  (SELECT 1 FROM events a WHERE a.kind = 'accept' AND a.round_id = p.round_id"
            "   AND a.client_id = p.client_id AND a.event_id > e.event_id)"
        ).fetchall()
        assert again == [], f"declined pairs proposed or accepted again: {again}"
        pinned_not_waiting = conn.execute(
            "SELECT p.client_id FROM pins p JOIN clients c USING (client_id)"
            " WHERE c.state != 'waiting'"
        ).fetchall()
        assert pinned_not_waiting == [], f"pins of clients not waiting: {pinned_not_waiting}"


def snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to compare a ledger before and after a failed command."""
    with read_only(path) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            for table in tables
        }
