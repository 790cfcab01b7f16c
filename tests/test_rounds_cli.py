"""The ledger commands through click's runner: output, exit codes, `match` vs `match end`."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from matcher.cli import main
from matcher.rounds import SCHEMA_VERSION
from tests.ledger_checks import ROOT, check_ledger, rows, snapshot

CLIENTS = str(ROOT / "examples" / "clients.csv")
VOLUNTEERS = str(ROOT / "examples" / "volunteers.csv")
DATE = ["--date", "2026-11-23"]


def invoke(db: Path, *args: str, stdin: str | None = None) -> Result:
    runner = CliRunner(env={"MATCHER_DB": str(db)})
    return runner.invoke(main, ["-q", *args], input=stdin, prog_name="matcher")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "matcher.db"
    for args in (
        ("db", "init"),
        ("import", "volunteers", VOLUNTEERS),
        ("import", "clients", CLIENTS, *DATE),
    ):
        result = invoke(path, *args)
        assert result.exit_code == 0, result.output
    return path


def proposed(db: Path) -> dict[str, object]:
    result = invoke(db, "round", "propose", "--format", "json", *DATE)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_db_init_creates_an_owner_only_ledger_once(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    first = CliRunner().invoke(main, ["db", "init", "--db", str(path)])
    assert first.exit_code == 0
    created = f"Created ledger {path} (schema v{SCHEMA_VERSION}, readable by you only).\n"
    assert first.stdout == created
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = CliRunner().invoke(main, ["db", "init", "--db", str(path)])
    current = f"{path} is already a ledger (schema v{SCHEMA_VERSION}); nothing to do.\n"
    assert again.stdout == current


def test_commands_without_a_ledger_say_how_to_make_one(tmp_path: Path) -> None:
    result = invoke(tmp_path / "none.db", "status")
    assert result.exit_code == 1
    assert "no ledger here; create one with `matcher db init" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_match_end_is_routed_and_match_still_matches_files(db: Path, tmp_path: Path) -> None:
    files = invoke(db, "match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path / "out"), *DATE)
    assert files.exit_code == 0, files.output
    assert (tmp_path / "out" / "matches.csv").exists()
    assert (
        "Usage: matcher match end [OPTIONS] CLIENT" in invoke(db, "match", "end", "--help").stdout
    )
    assert "Usage: matcher match [OPTIONS] CLIENTS VOLUNTEERS" in invoke(db, "match", "-h").stdout
    round_id = proposed(db)["round_id"]
    assert invoke(db, "round", "accept", str(round_id), "--only", "K003", *DATE).exit_code == 0
    ended = invoke(db, "match", "end", "K003", "--reason", "moved", "--date", "2026-12-21")
    assert ended.exit_code == 0, ended.output
    assert "Ended K003 – V01 on 2026-12-21 (moved) after 28 days" in ended.stdout
    same = invoke(db, "end-match", "K003", "--reason", "moved")
    assert same.exit_code == 1
    assert same.stderr == "client K003: no active match to end\n"
    wrong = invoke(db, "match", "end", "K003", "--reason", "bored")
    assert wrong.exit_code == 2
    assert "Invalid value for '--reason'" in wrong.stderr


def test_a_bad_file_imports_nothing_and_lists_every_problem(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "clients.csv"
    text = Path(CLIENTS).read_text(encoding="utf-8-sig").replace(";partner;", ";partnr;", 2)
    bad.write_text(text.replace("K030;", "K031;"), encoding="utf-8")
    before = snapshot(db)
    result = invoke(db, "import", "clients", str(bad))
    assert result.exit_code == 1
    problems = result.stderr.strip().splitlines()
    assert len(problems) == 2
    assert all(
        "loss_type: unknown loss type 'partnr'; did you mean 'partner'?" in p for p in problems
    )
    assert snapshot(db) == before


def test_propose_prints_reasons_and_accept_except(db: Path) -> None:
    printed = invoke(db, "round", "propose", *DATE)
    assert printed.exit_code == 0
    assert printed.stdout.startswith("Round 1 for 2026-11-23 (policy optimal, solver optimal):")
    assert "both lost a partner" in printed.stdout
    assert "Left waiting:" in printed.stdout
    assert "Next: phone them, then `matcher round accept 1`" in printed.stdout
    data = proposed(db)
    round_id = data["round_id"]
    assert data["superseded"] > 0  # type: ignore[operator]
    accepted = invoke(db, "round", "accept", str(round_id), "--except", "K003,K004", *DATE)
    assert accepted.exit_code == 0
    matched = {r[0] for r in rows(db, "SELECT client_id FROM matches")}
    assert {"K003", "K004"}.isdisjoint(matched) and len(matched) > 10
    both = invoke(db, "round", "accept", str(round_id), "--only", "K003", "--except", "K004")
    assert both.exit_code == 2
    shown = invoke(db, "round", "show", str(round_id))
    assert "accepted" in shown.stdout
    check_ledger(db)


def test_decline_twice_flags_the_client_in_status(db: Path) -> None:
    for week in ("2026-11-23", "2026-11-30"):
        round_id = proposed(db)["round_id"] if week == "2026-11-23" else None
        if round_id is None:
            result = invoke(db, "round", "propose", "--format", "json", "--date", week)
            round_id = json.loads(result.stdout)["round_id"]
        declined = invoke(
            db, "round", "decline", str(round_id), "--client", "K003",
            "--by", "coordinator", "--reason", "not a good fit", "--date", week,
        )  # fmt: skip
        assert declined.exit_code == 0, declined.output
    assert "K003 has been declined 2 times: flagged" in declined.stdout
    status = invoke(db, "status", "--date", "2026-12-07")
    assert status.exit_code == 0
    assert re.search(r"! K003: declined 2 times \(V01 by coordinator, V\d+ by coordinator\)",
                     status.stdout)  # fmt: skip
    assert "Waiting: " in status.stdout and "Volunteers: 15" in status.stdout


def test_pin_pause_resume_and_history(db: Path) -> None:
    assert invoke(db, "pin", "K002", "V06").stdout.startswith("Pinned K002 to V06")
    full = invoke(db, "pin", "K004", "V05")
    assert full.exit_code == 1
    assert "V05: no free place (0 in the ledger, 2 outside it" in full.stderr
    paused = invoke(db, "volunteer", "pause", "V01", "--until", "2026-12-14", *DATE)
    assert paused.stdout == "Paused V01 until 2026-12-14: no new clients before then.\n"
    data = proposed(db)
    pairs = {p["client_id"]: p["volunteer_id"] for p in data["proposals"]}  # type: ignore[attr-defined]
    assert pairs["K002"] == "V06" and "V01" not in pairs.values()
    assert invoke(db, "volunteer", "resume", "V01").stdout == "Resumed V01.\n"
    history = invoke(db, "history", "--client", "K002").stdout.splitlines()
    assert [line.split()[2] for line in history[1:]] == ["import", "pin", "propose"]
    kinds = [
        line.split()[2]
        for line in invoke(db, "history", "--volunteer", "V01").stdout.splitlines()[1:]
    ]
    assert kinds == ["import", "pause", "resume"]
    both = invoke(db, "history", "--client", "K002", "--volunteer", "V01")
    assert both.exit_code == 2


def test_forget_asks_first_then_erases(db: Path, tmp_path: Path) -> None:
    proposed(db)
    before = snapshot(db)
    refused = invoke(db, "forget", "K003", stdin="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.stderr
    assert snapshot(db) == before
    done = invoke(db, "forget", "K003", stdin="y\n")
    assert done.exit_code == 0
    assert "Forgot K003" in done.stdout
    assert "K003" not in repr(snapshot(db))
    unknown = invoke(db, "forget", "K0003", "--yes")
    assert unknown.exit_code == 1
    assert unknown.stderr == "client 'K0003': not in the ledger; did you mean 'K003'?\n" or (
        "not in the ledger" in unknown.stderr
    )
    out = invoke(db, "export", "--out", str(tmp_path / "export"))
    assert out.exit_code == 0
    assert "erased.csv" in out.stdout
    assert "clients,1" in (tmp_path / "export" / "erased.csv").read_text()


def test_propose_takes_a_policy_by_name(db: Path) -> None:
    greedy = invoke(db, "round", "propose", "--policy", "fifo-greedy", "--format", "json", *DATE)
    assert greedy.exit_code == 0, greedy.output
    assert json.loads(greedy.stdout)["policy"] == "fifo-greedy"
    assert rows(db, "SELECT policy FROM rounds") == [("fifo-greedy",)]
    typo = invoke(db, "round", "propose", "--policy", "fifo-greedi")
    assert typo.exit_code == 1
    assert "unknown policy 'fifo-greedi'; did you mean 'fifo-greedy'?" in typo.stderr
    assert rows(db, "SELECT count(*) FROM rounds") == [(1,)]


def test_round_explain_and_explain_db_see_pauses_and_declines(db: Path) -> None:
    assert invoke(db, "volunteer", "pause", "V14", "--until", "2027-01-15", *DATE).exit_code == 0
    assert invoke(db, "round", "propose", *DATE).exit_code == 0
    declined = invoke(db, "round", "decline", "1", "--client", "K001", "--by", "client",
                      "--reason", "x", *DATE)  # fmt: skip
    assert declined.exit_code == 0, declined.output
    volunteer = re.search(r"Declined K001 – (V\d+)", declined.stdout)
    assert volunteer is not None
    paused = invoke(db, "round", "explain", "1", "--client", "K030", "--lang", "en")
    assert paused.exit_code == 0, paused.output
    assert paused.stdout.startswith(
        "round 1 on 2026-11-23, rebuilt from the ledger: the same inputs as when it was proposed\n"
        "stored in round 1: left waiting (volunteers-paused)\n"
    )
    assert "outcome: unmatched: volunteers-paused: the only volunteer for zwolle-levensboek," in (
        paused.stdout
    )
    assert "V14, is paused until 2027-01-15" in paused.stdout
    now = invoke(
        db, "explain", "--db", str(db), "--client", "K001", "--date", "2026-11-30", "--lang", "en"
    )
    assert now.exit_code == 0, now.output
    assert f"declined: {volunteer[1]} (by the client, 2026-11-23): never proposed again" in (
        now.stdout
    )
    assert rows(db, "SELECT count(*) FROM rounds") == [(1,)]


def test_explain_takes_files_or_a_ledger_not_both(db: Path) -> None:
    both = invoke(db, "explain", CLIENTS, VOLUNTEERS, "--db", str(db), "--client", "K001")
    assert both.exit_code == 2
    assert "give CLIENTS VOLUNTEERS or --db, not both" in both.output
    neither = invoke(db, "explain", "--client", "K001")
    assert neither.exit_code == 2
    assert "give CLIENTS and VOLUNTEERS, or a ledger with --db" in neither.output
    unknown = invoke(db, "round", "explain", "1", "--client", "K001")
    assert unknown.exit_code == 1
    assert "round 1: no such round; no round was proposed yet" in unknown.output
