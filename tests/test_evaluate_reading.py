"""The evaluation reads the clients' programme, age and triage facts out of the stored JSON
(matcher.rounds.evaluate_clients) instead of validating every record: on seeded ledgers, also
with records hand-edited into forms that validation reads differently than they are stored,
the figures equal those of the path that validates every record in full (the path before), for
random periods and programmes; a record damaged in what the evaluation reads stops it with the
same message as before."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from matcher import scenarios
from matcher.models import Client
from matcher.rounds import Ledger, LedgerError, evaluate, stored
from matcher.rounds.db import Tx
from matcher.rounds.evaluate_clients import EvaluatedClient

DAY = dt.date(2026, 11, 23)


def full_clients(tx: Tx, programme: str | None) -> dict[str, EvaluatedClient]:
    """The path before: every record validated as at its import."""
    out = {}
    for row in tx.all("SELECT client_id, record, state, waiting_since FROM clients"):
        client = stored.record(tx, Client, "clients", row[0], row[1])
        if programme is None or client.programme == programme:
            out[row[0]] = EvaluatedClient(
                client.programme, client.age, row["state"] == "waiting", row["waiting_since"], None
            )
    return out


def full_triage(tx: Tx, clients: Any) -> list[Client]:
    texts = tx.mapping("SELECT client_id, record FROM clients")
    return [stored.record(tx, Client, "clients", cid, texts[cid]) for cid, _ in clients]


def listed_volunteers(tx: Tx, programme: str | None) -> int:
    """The path before: each volunteer's record parsed in Python."""
    count = 0
    for (record,) in tx.all("SELECT record FROM volunteers"):
        try:
            programmes = json.loads(record).get("programmes", [])
        except (ValueError, AttributeError):
            programmes = []
        count += programme is None or programme in programmes
    return count


def both_ways(db: Path, monkeypatch: pytest.MonkeyPatch, **period: Any) -> tuple[Any, Any]:
    with Ledger(db) as ledger:
        fast = ledger.evaluate(**period)
        with monkeypatch.context() as patched:
            patched.setattr(evaluate, "evaluated_clients", full_clients)
            patched.setattr(evaluate, "triage_facts", full_triage)
            patched.setattr(evaluate, "_volunteers", listed_volunteers)
            full = ledger.evaluate(**period)
    return fast, full


def region_ledger(path: Path, seed: int) -> Path:
    """A small region: clients waiting for weeks, letters, and one accepted round."""
    region = scenarios.load("region-scale").resized(clients=300, volunteers=120)
    clients, volunteers = scenarios.generate(region, seed, round_date=DAY)
    with Ledger.create(path, user="test") as ledger:
        ledger.import_volunteers(volunteers, on=DAY - dt.timedelta(days=120))
        ledger.import_clients(clients, on=DAY - dt.timedelta(days=120))
        for i, client in enumerate(clients[:150]):
            ledger.outreach_add(f"B{i:04d}", programme=client.programme, by="letter",
                                on=DAY - dt.timedelta(days=i % 90))  # fmt: skip
        proposal = ledger.propose(round_date=DAY - dt.timedelta(days=60))
        ledger.accept(proposal.round_id, on=DAY - dt.timedelta(days=60))
    return path


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small region for the tests that damage a copy of it."""
    return region_ledger(tmp_path_factory.mktemp("region") / "matcher.db", 3)


# Valid records that validation reads differently than they are stored, as a hand edit or an
# older version may leave them: the evaluation must then validate them in full.
def _edits(record: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    edit = rng.randrange(9)
    if edit == 0 and record.get("age") is not None:
        record["age"] = str(record["age"])
    elif edit == 1 and record.get("age") is not None:
        record["age"] = float(record["age"])
    elif edit == 2:
        del record["age"]
    elif edit == 3:
        record["programme"] = " " + record["programme"].upper().replace("-", "_")
    elif edit == 4:
        record["hindering_factors"] = list(reversed(record["hindering_factors"]))  # read as is
    elif edit == 5:
        record["hindering_factors"] = "|".join(record["hindering_factors"] + ["living alone"])
    elif edit == 6:
        record["risk_tier"] = rng.choice(["high", "High", " LOW", "moderate"])
    elif edit == 7:
        del record["protective_factors"]
    else:
        record["protective_factors"] = [*record["protective_factors"], "good-health"]
    return record


def hand_edit(db: Path, seed: int, share: float) -> None:
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    for cid, text in conn.execute("SELECT client_id, record FROM clients").fetchall():
        if rng.random() < share:
            record = _edits(json.loads(text), rng)
            conn.execute("UPDATE clients SET record = ? WHERE client_id = ?",
                         (json.dumps(record), cid))  # fmt: skip
    for vid, text in conn.execute("SELECT volunteer_id, record FROM volunteers").fetchall():
        if rng.random() < share:
            record = json.loads(text)
            record["programmes"] = "|".join(record["programmes"])  # a string: searched as before
            conn.execute("UPDATE volunteers SET record = ? WHERE volunteer_id = ?",
                         (json.dumps(record), vid))  # fmt: skip
    conn.commit()
    conn.close()


def random_periods(db: Path, rng: random.Random, n: int) -> list[dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        programmes = [row[0] for row in conn.execute("SELECT DISTINCT programme FROM outreach")]
    periods: list[dict[str, Any]] = [{"end": DAY}]
    for _ in range(n):
        start = DAY - dt.timedelta(days=rng.randrange(0, 200))
        end = start + dt.timedelta(days=rng.randrange(0, 200))
        programme = rng.choice([None, None, "no-such-programme", *sorted(programmes)])
        periods.append({"start": rng.choice([None, start]), "end": end, "programme": programme})
    return periods


@pytest.mark.parametrize("seed", [1, 2])
def test_the_figures_equal_those_of_validating_every_record(
    fast_dir: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    db = region_ledger(fast_dir / "matcher.db", seed)
    rng = random.Random(seed)
    for share in (0.0, 0.3):
        hand_edit(db, seed, share)
        for period in random_periods(db, rng, 4):
            fast, full = both_ways(db, monkeypatch, **period)
            assert fast == full, period
    # Not a test that cannot fail: the period to the round day counts what was set up.
    figures = both_ways(db, monkeypatch, end=DAY)[0]
    assert figures.high_risk_clients > 0 and figures.matches_started > 0
    assert figures.volunteers == 120 and sum(figures.ages.values()) == 300


@pytest.mark.parametrize(
    "edit",
    [
        "json_set(record, '$.age', -5)",
        "json_set(record, '$.age', 'old')",
        "json_set(record, '$.programme', 'not a word!')",
        "json_set(record, '$.hindering_factors', json_array('no-such-factor'))",
        "json_set(record, '$.risk_tier', 'extreme')",
        "json_set(record, '$.client_id', 'c99999')",
        "'{not json'",
    ],
)
def test_a_record_damaged_where_the_evaluation_reads_stops_it_as_before(
    region: Path, fast_dir: Path, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    db = Path(shutil.copy(region, fast_dir / "matcher.db"))
    with sqlite3.connect(db) as conn:
        waiting = conn.execute("SELECT client_id FROM clients WHERE state = 'waiting'").fetchone()
        conn.execute(f"UPDATE clients SET record = {edit} WHERE client_id = ?", waiting)
    messages = []
    for path in (False, True):
        with monkeypatch.context() as patched:
            if path:
                patched.setattr(evaluate, "evaluated_clients", full_clients)
                patched.setattr(evaluate, "triage_facts", full_triage)
            with Ledger(db) as ledger, pytest.raises(LedgerError) as raised:
                ledger.evaluate(end=DAY + dt.timedelta(days=365))
        messages.append(str(raised.value))
    assert messages[0] == messages[1]
    assert f"clients record {waiting[0]!r} is damaged" in messages[0]


def test_damage_the_evaluation_does_not_read_is_left_to_db_check(
    region: Path, fast_dir: Path
) -> None:
    """A record damaged only in a field the evaluation never reads (its languages) no longer
    stops the funder's figures; `matcher db check` still names it."""
    db = Path(shutil.copy(region, fast_dir / "matcher.db"))
    with sqlite3.connect(db) as conn:
        cid = conn.execute("SELECT client_id FROM clients LIMIT 1").fetchone()[0]
        conn.execute("UPDATE clients SET record = json_set(record, '$.languages', 'x1')"
                     " WHERE client_id = ?", (cid,))  # fmt: skip
    with Ledger(db) as ledger:
        figures = ledger.evaluate(end=DAY)
        assert [found.key for found in ledger.check()] == [repr(cid)]
    assert sum(figures.ages.values()) == 300
    assert dataclasses.asdict(figures)["volunteers"] == 120
