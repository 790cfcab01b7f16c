"""The rounds ledger as a library: imports, pins, pauses, rounds, decisions, endings, erasure."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

import matcher
from matcher.errors import InputError
from matcher.rounds import SCHEMA_VERSION, Ledger, LedgerError
from tests.ledger_checks import ROOT, check_ledger, rows, snapshot

CLIENTS = ROOT / "examples" / "clients.csv"
VOLUNTEERS = ROOT / "examples" / "volunteers.csv"
DAY = dt.date(2026, 11, 23)
WEEK = dt.timedelta(days=7)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "matcher.db"


@pytest.fixture
def ledger(path: Path) -> Iterator[Ledger]:
    with Ledger.create(path, user="tester") as opened:
        opened.import_volunteers(matcher.read_volunteers(str(VOLUNTEERS)), on=DAY)
        opened.import_clients(matcher.read_clients(str(CLIENTS)), on=DAY)
        yield opened
    check_ledger(path)


def test_create_makes_an_owner_only_file_and_refuses_other_files(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with Ledger.create(path) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(LedgerError, match="no ledger here; create one with `matcher db init"):
        Ledger(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()
    (tmp_path / "empty.db").touch()
    with pytest.raises(LedgerError, match="not an initialised ledger"):
        Ledger(tmp_path / "empty.db")
    (tmp_path / "text.db").write_text("hello, not a database at all" * 100)
    with pytest.raises(LedgerError, match="not a matcher ledger"):
        Ledger(tmp_path / "text.db")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(LedgerError, match="an SQLite database, but not a matcher ledger"):
        Ledger.create(other)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 9")
    conn.close()
    newer = rf"newer matcher \(schema v9; this one knows up to v{SCHEMA_VERSION}\)"
    with pytest.raises(LedgerError, match=newer):
        Ledger(path)


def test_import_upserts_by_id_and_reports_what_changed(ledger: Ledger, path: Path) -> None:
    clients = matcher.read_clients(str(CLIENTS))
    again = ledger.import_clients(clients, on=DAY + WEEK)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 30)
    changed = [clients[0].model_copy(update={"needs": ("social",)}), *clients[1:]]
    summary = ledger.import_clients(changed, on=DAY + WEEK)
    assert (summary.new, summary.updated, summary.unchanged) == (0, 1, 29)
    (event,) = [e for e in ledger.history(client_id="K001") if "updated" in e.detail]
    assert event.detail == "updated needs, from clients"
    assert event.os_user == "tester"
    # A client without waiting_since waits from the day of its first import.
    new = clients[0].model_copy(update={"client_id": "K100", "waiting_since": None})
    ledger.import_clients([new], on=DAY + WEEK)
    assert rows(path, "SELECT waiting_since FROM clients WHERE client_id = 'K100'") == [
        ((DAY + WEEK).isoformat(),)
    ]


def test_a_file_with_an_unknown_excluded_volunteer_imports_nothing(
    ledger: Ledger, path: Path
) -> None:
    before = snapshot(path)
    clients = matcher.read_clients(str(CLIENTS))
    bad = clients[5].model_copy(update={"client_id": "K200", "excluded_volunteers": ("V99",)})
    with pytest.raises(InputError, match=r"excluded_volunteers: unknown volunteer id .*'V99'"):
        ledger.import_clients([clients[0], bad], on=DAY)
    assert snapshot(path) == before


def test_round_keeps_pins_and_accept_makes_matches(ledger: Ledger, path: Path) -> None:
    ledger.pin("K002", "V06", on=DAY)
    proposal = ledger.propose(round_date=DAY)
    assert proposal.status == "optimal"
    pinned = [p for p in proposal.pairs if p.pinned]
    assert [(p.client_id, p.volunteer_id) for p in pinned] == [("K002", "V06")]
    assert pinned[0].why().startswith("pinned by the coordinator")
    assert all(p.reasons for p in proposal.pairs)
    stored = json.loads(rows(path, "SELECT config FROM rounds")[0][0])
    assert stored["policy"] == "optimal"
    assert proposal.inputs_hash.startswith("sha256:")
    accepted = ledger.accept(proposal.round_id, only=["K002", "K003"], on=DAY)
    by_client = {p.client_id: p.volunteer_id for p in proposal.pairs}
    assert accepted == [("K002", "V06"), ("K003", by_client["K003"])]
    assert rows(path, "SELECT count(*) FROM pins") == [(0,)]
    with pytest.raises(LedgerError, match=r"already decided: K002 \(accepted\)"):
        ledger.accept(proposal.round_id, only=["K002"])
    with pytest.raises(LedgerError, match="give --only or --except, not both"):
        ledger.accept(proposal.round_id, only=["K004"], but=["K005"])
    with pytest.raises(LedgerError, match=r"no proposal for client K009 \(left waiting"):
        ledger.accept(proposal.round_id, only=["K009"])
    # The next round proposes nobody already matched and supersedes the undecided rest.
    later = ledger.propose(round_date=DAY + WEEK)
    assert later.superseded == len(proposal.pairs) - 2
    assert {"K002", "K003"}.isdisjoint(p.client_id for p in later.pairs)
    with pytest.raises(LedgerError, match="superseded by a later round"):
        ledger.accept(proposal.round_id)


def test_declined_pairs_are_never_proposed_again_and_twice_declined_is_flagged(
    ledger: Ledger,
) -> None:
    seen: set[str] = set()
    declined: set[tuple[str, str]] = set()
    for week in range(3):
        proposal = ledger.propose(round_date=DAY + week * WEEK)
        pair = next(p for p in proposal.pairs if p.client_id == "K003")
        assert (pair.client_id, pair.volunteer_id) not in declined
        outcome = ledger.decline(
            proposal.round_id, "K003", by="client", reason="no click", on=DAY + week * WEEK
        )
        declined.add(("K003", pair.volunteer_id))
        seen.add(pair.volunteer_id)
        assert outcome.flagged == (week >= 1)
    status = ledger.status(on=DAY + 3 * WEEK)
    assert any(flag.startswith("K003: declined 3 times") for flag in status.flags)
    with pytest.raises(LedgerError, match=r"declined .* never proposed again"):
        ledger.pin("K003", sorted(seen)[0])


def test_decline_after_acceptance_ends_the_match(ledger: Ledger, path: Path) -> None:
    proposal = ledger.propose(round_date=DAY)
    ledger.accept(proposal.round_id, on=DAY)
    pair = proposal.pairs[0]
    outcome = ledger.decline(
        proposal.round_id, pair.client_id, by="volunteer", reason="first meeting", on=DAY + WEEK
    )
    assert outcome.ended_match
    assert rows(
        path, "SELECT end_reason, duration_days FROM matches WHERE client_id = ?", (pair.client_id,)
    ) == [("declined", 7)]
    assert rows(path, "SELECT state FROM clients WHERE client_id = ?", (pair.client_id,)) == [
        ("waiting",)
    ]


def test_end_match_frees_the_place_and_records_reason_and_duration(
    ledger: Ledger, path: Path
) -> None:
    proposal = ledger.propose(round_date=DAY)
    ledger.accept(proposal.round_id, on=DAY)
    first, second = proposal.pairs[0], proposal.pairs[1]
    ended = ledger.end_match(first.client_id, reason="completed", on=DAY + 30 * WEEK // 7)
    assert (ended.duration_days, ended.client_waits_again) == (30, False)
    again = ledger.end_match(second.client_id, reason="volunteer-stopped", on=DAY + 2 * WEEK)
    assert again.client_waits_again
    states = dict(rows(path, "SELECT client_id, state FROM clients"))  # type: ignore[arg-type]
    assert (states[first.client_id], states[second.client_id]) == ("closed", "waiting")
    # Waiting again counts from the end of the match.
    waiting = {w.client_id: w for w in ledger.status(on=DAY + 3 * WEEK).waiting}
    assert waiting[second.client_id].weeks_waited == 1.0
    with pytest.raises(LedgerError, match="no active match to end"):
        ledger.end_match(first.client_id, reason="completed")
    with pytest.raises(LedgerError, match=r"--reason 'complete': must be one of .* did you mean"):
        ledger.end_match(second.client_id, reason="complete")


def test_paused_volunteers_get_no_new_clients_until_the_date(ledger: Ledger) -> None:
    everyone = ledger.propose(round_date=DAY)
    busy = max({p.volunteer_id for p in everyone.pairs}, key=lambda v: v)
    ledger.pause(busy, until=DAY + 2 * WEEK, on=DAY)
    paused = ledger.propose(round_date=DAY + WEEK)
    assert busy not in {p.volunteer_id for p in paused.pairs}
    back = ledger.propose(round_date=DAY + 2 * WEEK)
    assert busy in {p.volunteer_id for p in back.pairs}
    with pytest.raises(LedgerError, match="paused until"):
        ledger.pin("K001", busy, on=DAY + WEEK)
    assert ledger.resume(busy)
    assert not ledger.resume(busy)


def test_capacity_counts_active_matches_outside_clients_and_pins(ledger: Ledger) -> None:
    # V02 has capacity 2 and one client outside the ledger (active_clients 1 in the file).
    ledger.pin("K001", "V02", on=DAY)
    with pytest.raises(LedgerError, match=r"V02: no free place \(0 in the ledger, 1 outside"):
        ledger.pin("K004", "V02", on=DAY)
    proposal = ledger.propose(round_date=DAY)
    assert [p.client_id for p in proposal.pairs if p.volunteer_id == "V02"] == ["K001"]


def test_weeks_waited_raise_priority(ledger: Ledger) -> None:
    early = {w.client_id: w.weeks_waited for w in ledger.status(on=DAY).waiting}
    late = {w.client_id: w.weeks_waited for w in ledger.status(on=DAY + 4 * WEEK).waiting}
    assert all(late[c] == pytest.approx(early[c] + 4) for c in early)
    first = {p.client_id: p.weight_units for p in ledger.propose(round_date=DAY).pairs}
    later = {p.client_id: p.weight_units for p in ledger.propose(round_date=DAY + WEEK).pairs}
    raised = [c for c in first.keys() & later.keys() if later[c] > first[c]]
    assert raised, "a week more of waiting must raise some weights"


def test_forget_erases_the_client_everywhere_and_keeps_counts(ledger: Ledger, path: Path) -> None:
    proposal = ledger.propose(round_date=DAY)
    ledger.accept(proposal.round_id, but=["K003"], on=DAY)
    ledger.decline(proposal.round_id, "K003", by="client", reason="moved away", on=DAY)
    removed = ledger.forget("K003")
    assert removed["clients"] == 1 and removed["declines"] == 1 and removed["events"] >= 3
    for table, found in snapshot(path).items():
        assert "K003" not in repr(found), f"K003 left in {table}"
        assert "moved away" not in repr(found)
    assert dict(rows(path, "SELECT kind, count FROM erased"))["clients"] == 1  # type: ignore[arg-type]
    ledger.close()
    # secure_delete: the erased bytes are overwritten, not only unlinked from the b-tree.
    assert b"K003" not in path.read_bytes()
    assert b"moved away" not in path.read_bytes()


def test_export_writes_every_table_and_clients_read_back(ledger: Ledger, tmp_path: Path) -> None:
    ledger.propose(round_date=DAY)
    written = ledger.export(tmp_path / "export")
    names = {p.name for p in written}
    assert {"clients.csv", "volunteers.csv", "rounds.csv", "proposals.csv", "events.csv"} <= names
    assert all(stat.S_IMODE(os.stat(p).st_mode) == 0o600 for p in written)
    back = matcher.read_clients(str(tmp_path / "export" / "clients.csv"))
    original = {c.client_id: c for c in matcher.read_clients(str(CLIENTS))}
    assert {c.client_id: c for c in back} == original


def test_the_readme_library_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Weekly rounds with a ledger") :]
    start = section.index("```python\n", section.index("**Library.**")) + len("```python\n")
    code = section[start : section.index("```", start)]
    for name, source in (("clients.csv", CLIENTS), ("volunteers.csv", VOLUNTEERS)):
        (tmp_path / name).write_bytes(source.read_bytes())
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    check_ledger(tmp_path / "matcher.db")
    assert rows(tmp_path / "matcher.db", "SELECT count(*) FROM declines") == [(1,)]


def test_status_flags_a_ledger_others_can_read(ledger: Ledger, path: Path) -> None:
    assert not [f for f in ledger.status(on=DAY).flags if "readable by others" in f]
    path.chmod(0o644)
    assert f"{path}: readable by others (mode 644); run chmod 600 on it" in ledger.status().flags
