"""Outreach, introductions, check-ins and the end at the cap in the ledger: every step one
transaction in the audit trail, bad input refused with nothing changed, `forget` erases every
new table down to the file's bytes, an older ledger upgrades."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import matcher
from matcher.cli import main
from matcher.config import config_from_dict
from matcher.errors import InputError
from matcher.rounds import Ledger, LedgerError
from tests.ledger_checks import ROOT, check_ledger, rows, snapshot

VOLUNTEERS = ROOT / "examples" / "volunteers.csv"
DATA = ROOT / "tests" / "data"
DAY = dt.date(2026, 11, 2)
PROGRAMME = "zwolle-partnerverlies"
CLIENT_ROW = (
    "client_id;programme;lat;lon;availability;risk_tier\n"
    "{id};zwolle-partnerverlies;52.50;6.12;tue-eve, wed-am, wed-pm;moderate\n"
)
NOTE = "weduwnaar, zoon woont in Canada"


def import_person(ledger: Ledger, folder: Path, client_id: str, on: dt.date) -> None:
    path = folder / f"intake-{on}.csv"  # the file name goes into the audit trail
    path.write_text(CLIENT_ROW.format(id=client_id), encoding="utf-8")
    ledger.import_clients(matcher.read_clients(str(path)), on=on)


@pytest.fixture
def path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "matcher.db"
    with Ledger.create(path, user="tester") as ledger:
        ledger.import_volunteers(matcher.read_volunteers(str(VOLUNTEERS)), on=DAY)
        ledger.outreach_add("P1", programme=PROGRAMME, by="letter", source="gemeente", on=DAY)
        ledger.outreach_add("P2", programme=PROGRAMME, by="referral", source="huisarts", on=DAY)
    yield path
    check_ledger(path)


def cli(path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--db", str(path)])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("outreach", "contact", "P11", "--outcome", "reached"),
         "'P11': not approached in the ledger; did you mean 'P1'?"),
        (("outreach", "contact", "P1", "--outcome", "reachd"), "Invalid value for '--outcome'"),
        (("outreach", "contact", "P1", "--outcome", "reached", "--date", "2026-11-01"),
         "--date 2026-11-01: before P1 was approached (2026-11-02)"),
        (("outreach", "add", "P1", "--programme", PROGRAMME, "--by", "letter"),
         "P1: already approached on 2026-11-02"),
        (("outreach", "close", "P1", "--reason", " "), "--reason: say why"),
        (("introduce", "P1"), "client 'P1': not in the ledger"),
        (("checkin", "K001", "--outcome", "going-well"), "client 'K001': not in the ledger"),
        (("evaluate", "--from", "2026-12-01", "--to", "2026-11-01"),
         "--from 2026-12-01: after --to 2026-11-01"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(
    path: Path, args: tuple[str, ...], message: str
) -> None:
    before = snapshot(path)
    code, output = cli(path, *args)
    assert (code, message in output) == (2 if "Invalid value" in message else 1, True), output
    assert "Traceback" not in output
    assert snapshot(path) == before


def test_calls_stop_at_max_attempts_and_status_says_what_is_due(path: Path) -> None:
    config = config_from_dict({"lifecycle": {"max_attempts": 2}})
    with Ledger(path, user="tester") as ledger:
        due = ledger.status(on=DAY + dt.timedelta(days=7), config=config).due
        assert [(i.client_id, i.what) for i in due.calls] == [("P1", "call 1"), ("P2", "call 1")]
        for week in (1, 2):
            ledger.outreach_contact(
                "P1", outcome="not-reached", on=DAY + dt.timedelta(weeks=week), config=config
            )
        before = snapshot(path)
        with pytest.raises(LedgerError, match="already called 2 times without reaching them"):
            ledger.outreach_contact("P1", outcome="not-reached", on=DAY + dt.timedelta(weeks=3),
                                    config=config)  # fmt: skip
        assert snapshot(path) == before
        ledger.outreach_contact("P2", outcome="appointment", on=DAY + dt.timedelta(weeks=1))
        due = ledger.status(on=DAY + dt.timedelta(weeks=3), config=config).due
        assert [i.client_id for i in due.to_close] == ["P1"]
        assert [i.client_id for i in due.intakes] == ["P2"]
        assert due.calls == ()
        ledger.outreach_close("P1", reason="not reached", on=DAY + dt.timedelta(weeks=3))
        kinds = [(e.kind, e.os_user) for e in ledger.history(client_id="P1")]
    assert kinds == [("outreach", "tester")] + [("contact", "tester")] * 2 + [
        ("outreach-close", "tester")
    ]


def test_an_intake_moves_the_person_from_the_funnel_to_the_waiting_list(
    path: Path, tmp_path: Path
) -> None:
    with Ledger(path) as ledger:
        ledger.outreach_contact("P1", outcome="appointment", on=DAY + dt.timedelta(days=7))
        with pytest.raises(InputError, match="before the person was approached"):
            import_person(ledger, tmp_path, "P1", DAY - dt.timedelta(days=1))
        import_person(ledger, tmp_path, "P1", DAY + dt.timedelta(days=14))
        status = ledger.status(on=DAY + dt.timedelta(days=14))
        assert [w.client_id for w in status.waiting] == ["P1"]
        assert status.due.intakes == ()
        assert [e.kind for e in ledger.history(client_id="P1")][-2:] == ["import", "intake"]
        with pytest.raises(LedgerError, match="had the intake on 2026-11-16 and is a client"):
            ledger.outreach_contact("P1", outcome="reached")
    assert rows(path, "SELECT state, intake_on FROM outreach WHERE client_id = 'P1'") == [
        ("intake", "2026-11-16")
    ]


def _matched(path: Path, folder: Path, config_data: dict[str, object] | None = None) -> Ledger:
    ledger = Ledger(path, user="tester")
    ledger.outreach_contact("P1", outcome="appointment", on=DAY)
    import_person(ledger, folder, "P1", DAY)
    proposal = ledger.propose(config_from_dict(config_data or {}), round_date=DAY)
    ledger.accept(proposal.round_id, only=["P1"], on=DAY)
    return ledger


def test_introduction_check_ins_and_the_cap(path: Path, tmp_path: Path) -> None:
    config = config_from_dict(
        {"lifecycle": {"programmes": {PROGRAMME: {"max_match_weeks": 10, "checkin_weeks": [6]}}}}
    )
    with _matched(path, tmp_path) as ledger:
        with pytest.raises(LedgerError, match="not introduced yet"):
            ledger.confirm("P1", on=DAY)
        with pytest.raises(LedgerError, match=r"--date 2026-11-01: before the match started"):
            ledger.introduce("P1", on=DAY - dt.timedelta(days=1))
        ledger.introduce("P1", on=DAY + dt.timedelta(days=3))
        due = ledger.status(on=DAY + dt.timedelta(days=17), config=config).due
        assert [i.what for i in due.introductions] == ["introduced 2026-11-05"]
        ledger.confirm("P1", on=DAY + dt.timedelta(days=10))
        due = ledger.status(on=DAY + dt.timedelta(weeks=6), config=config).due
        assert [(i.client_id, i.what) for i in due.checkins] == [("P1", "check-in after 6 weeks")]
        assert [i.what for i in due.ending] == ["ends after 10 weeks"]
        ledger.checkin("P1", outcome="concerns", note=NOTE, on=DAY + dt.timedelta(weeks=6))
        due = ledger.status(on=DAY + dt.timedelta(weeks=11), config=config).due
        assert (due.checkins, [i.client_id for i in due.past_end]) == ((), ["P1"])
        (ended,) = ledger.complete_at_cap(on=DAY + dt.timedelta(weeks=11), config=config)
        assert (ended.client_id, ended.reason, ended.duration_days) == ("P1", "completed", 77)
        assert ledger.complete_at_cap(on=DAY + dt.timedelta(weeks=12), config=config) == []
        kinds = [e.kind for e in ledger.history(client_id="P1")]
    assert kinds[-5:] == ["accept", "introduce", "confirm", "checkin", "end"]
    assert NOTE.encode() not in b"".join(
        str(row).encode() for row in rows(path, "SELECT detail FROM events")
    )


def test_forget_erases_every_new_table_down_to_the_bytes(path: Path, tmp_path: Path) -> None:
    with _matched(path, tmp_path) as ledger:
        ledger.checkin("P1", outcome="going-well", note=NOTE, on=DAY + dt.timedelta(weeks=6))
        ledger.outreach_contact("P2", outcome="not-reached", on=DAY + dt.timedelta(days=7))
        assert NOTE.encode() in path.read_bytes()
        removed = ledger.forget("P1")
        assert (removed["checkins"], removed["outreach"], removed["contact_attempts"]) == (1, 1, 1)
        # Someone only approached, never a client, is forgotten too (with the referral source).
        ledger.forget("P2")
        with pytest.raises(LedgerError, match="was erased on"):
            ledger.outreach_add("P2", programme=PROGRAMME, by="letter")
    data = path.read_bytes()
    for secret in (NOTE.encode(), b"P1", b"P2", b"huisarts"):
        assert secret not in data
    for table in ("outreach", "contact_attempts", "checkins"):
        assert rows(path, f"SELECT count(*) FROM {table}") == [(0,)]


def test_a_v1_ledger_upgrades_and_takes_outreach(tmp_path: Path) -> None:
    old = tmp_path / "v1.db"
    conn = sqlite3.connect(old)
    conn.executescript((DATA / "ledger_v1.sql").read_text(encoding="utf-8"))
    conn.close()
    with Ledger(old) as ledger:
        ledger.outreach_add("N1", programme=PROGRAMME, by="letter", on=DAY)
        found = ledger.evaluate(end=DAY)
        # v1's matches have no waiting start: they count as matches, not as waiting times.
        assert (found.funnel.approached, found.waits.n, found.matches_started) == (1, 0, 2)
    check_ledger(old)
