"""`matcher scenario replay`: a simulated stretch of a scenario written into a new ledger, whole
or not at all, through the command line (matcher.rounds.new_ledger, matcher.simulate.replay)."""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from matcher import scenarios
from matcher.cli import main
from matcher.rounds import Ledger, LedgerError
from matcher.rounds.new_ledger import fill_new_ledger
from matcher.simulate.replay import replay
from matcher.simulate.scenario import simulated_year
from tests.ledger_checks import check_ledger

SCENARIO = "draad-weer-oppakken"
WEEKS = ("--weeks", "6", "--seed", "3")  # a few weeks: rounds, matches, check-ins, fast
NEXT = re.compile(r"^Next: matcher evaluate --from (\S+) --to (\S+) --db (\S+)$", re.M)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["-q", *args], prog_name="matcher")


def evaluated(db: Path, first: str, last: str) -> dict[str, Any]:
    found = run("evaluate", "--from", first, "--to", last, "--format", "json", "--db", str(db))
    assert found.exit_code == 0, found.output
    figures: dict[str, Any] = json.loads(found.stdout)
    return figures


def test_replay_writes_the_simulated_weeks_into_a_new_owner_only_ledger(fast_dir: Path) -> None:
    db = fast_dir / "draad.db"
    done = run("scenario", "replay", SCENARIO, "--db", str(db), *WEEKS)
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith(f"Wrote {db} (readable by you only): 6 week(s) of {SCENARIO}")
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert sorted(p.name for p in fast_dir.iterdir()) == ["draad.db"]
    check_ledger(db)
    # The printed command works, and the ledger holds exactly the library's replay of the
    # same world: the command adds nothing and leaves nothing out.
    (first, last, named) = NEXT.search(done.stdout).groups()  # type: ignore[union-attr]
    assert named == str(db)
    scenario = scenarios.load(SCENARIO)
    world, outcome = simulated_year(scenario, weeks=6, seed=3, start=dt.date(2026, 1, 5))
    with Ledger.create(fast_dir / "library.db") as ledger:
        library = replay(world, outcome, ledger, config=scenario.config)
    assert (first, last) == (library.first_day.isoformat(), library.last_day.isoformat())
    figures = evaluated(db, first, last)
    assert figures == evaluated(fast_dir / "library.db", first, last)
    assert figures["matches"]["started"] > 0, "a few weeks already make matches"
    assert f"{library.rounds} rounds" in done.stdout


def test_an_existing_empty_ledger_is_written_a_ledger_with_records_is_refused(
    fast_dir: Path,
) -> None:
    db = fast_dir / "draad.db"
    assert run("db", "init", "--db", str(db)).exit_code == 0
    assert run("scenario", "replay", SCENARIO, "--db", str(db), "--weeks", "2").exit_code == 0
    before = db.read_bytes()
    again = run("scenario", "replay", SCENARIO, "--db", str(db), "--weeks", "2")
    assert again.exit_code == 1
    assert again.stderr.startswith(f"{db}: already a ledger with records (got ")
    assert "only a new or empty ledger is written: give another --db" in again.stderr
    assert "Traceback" not in again.output
    assert db.read_bytes() == before
    assert sorted(p.name for p in fast_dir.iterdir()) == ["draad.db"]


@pytest.mark.parametrize("existing", [None, "empty ledger"])
def test_a_failure_half_way_leaves_the_destination_as_it_was(
    fast_dir: Path, monkeypatch: pytest.MonkeyPatch, existing: str | None
) -> None:
    db = fast_dir / "draad.db"
    if existing:
        assert run("db", "init", "--db", str(db)).exit_code == 0
    before = db.read_bytes() if existing else None
    calls = []

    def failing_confirm(self: Ledger, client_id: str, **kwargs: Any) -> None:
        calls.append(client_id)
        if len(calls) == 3:  # after rounds, matches and two "klik"s were written
            raise LedgerError("the disk is full (simulated)")
        return confirm(self, client_id, **kwargs)

    confirm = Ledger.confirm
    monkeypatch.setattr(Ledger, "confirm", failing_confirm)
    failed = run("scenario", "replay", SCENARIO, "--db", str(db), *WEEKS)
    assert failed.exit_code == 1, failed.output
    assert "the disk is full (simulated)" in failed.stderr
    assert len(calls) == 3
    assert (db.read_bytes() if db.exists() else None) == before
    assert sorted(p.name for p in fast_dir.iterdir()) == (["draad.db"] if existing else [])


def test_an_interrupted_fill_removes_its_half_built_file(tmp_path: Path) -> None:
    def interrupted(ledger: Ledger) -> None:
        ledger.import_volunteers([], on=dt.date(2026, 1, 5))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fill_new_ledger(tmp_path / "draad.db", interrupted)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nosuch",), "nosuch: no such scenario; built-in: "),
        ((SCENARIO, "--policy", "nosuch"), "--policy: unknown policy 'nosuch'; expected one of"),
        ((SCENARIO, "--db", "nodir/draad.db"), "nodir/draad.db: no such folder (got 'nodir')"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MATCHER_DB", raising=False)
    failed = run("scenario", "replay", *args, "--weeks", "2")
    assert failed.exit_code == 1, failed.output
    assert failed.stderr.startswith(message), failed.stderr
    assert "Traceback" not in failed.output
    assert list(tmp_path.iterdir()) == []
