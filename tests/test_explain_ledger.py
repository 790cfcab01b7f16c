"""Explaining a client as the ledger's round saw it: pauses, declines, pins, active matches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from matcher.models import Client, Volunteer
from matcher.rounds import Ledger, LedgerError
from matcher.rounds.explain_round import ledger_lines, render_ledger_explanation
from matcher.wording import unmatched_detail
from tests.ledger_checks import check_ledger, rows

DAY = dt.date(2026, 11, 23)
WEEK = dt.timedelta(days=7)
BACK = dt.date(2027, 1, 15)
HERE = {"lat": 52.5, "lon": 6.1}


def client(client_id: str, programme: str = "p", **fields: object) -> Client:
    return Client.model_validate(
        {"client_id": client_id, "programme": programme, "contact": "visit", **HERE, **fields}
    )


def volunteer(volunteer_id: str, programmes: str = "p", **fields: object) -> Volunteer:
    record = {"volunteer_id": volunteer_id, "programmes": programmes, "contact": "visit", **HERE}
    return Volunteer.model_validate(record | fields)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "matcher.db"


@pytest.fixture
def ledger(path: Path) -> Iterator[Ledger]:
    """K01 and K02 in programme p (V01, V02 one place each); K03 in levensboek, served by V03."""
    with Ledger.create(path, user="tester") as opened:
        opened.import_volunteers(
            [volunteer("V01"), volunteer("V02"), volunteer("V03", "levensboek")], on=DAY
        )
        opened.import_clients(
            [client("K01"), client("K02"), client("K03", "levensboek")], on=DAY - 4 * WEEK
        )
        yield opened
    check_ledger(path)


def test_a_client_whose_only_volunteer_is_paused_is_told_who_and_until_when(
    ledger: Ledger, path: Path
) -> None:
    # The probe of issue 10: was "no-programme: no volunteer serves programme levensboek".
    ledger.pause("V03", until=BACK, on=DAY)
    proposal = ledger.propose(round_date=DAY)
    (waiting,) = [u for u in proposal.waiting if u.client_id == "K03"]
    assert waiting.reason == "volunteers-paused"
    assert (
        unmatched_detail(waiting, weights=True)
        == "the only volunteer for levensboek, V03, is paused until 2027-01-15"
    )
    assert waiting.paused == (("V03", BACK),)
    assert unmatched_detail(waiting, "nl") == (
        "de enige vrijwilliger voor levensboek, V03, is gepauzeerd tot 2027-01-15"
    )
    stored = rows(path, "SELECT reason, detail FROM unmatched WHERE client_id = 'K03'")
    assert stored == [("volunteers-paused", unmatched_detail(waiting, weights=True))]
    # Back on the date the pause ends: then proposed as usual.
    assert any(p.client_id == "K03" for p in ledger.propose(round_date=BACK).pairs)


def test_several_paused_volunteers_are_all_named_and_a_programme_nobody_serves_stays_so(
    ledger: Ledger,
) -> None:
    ledger.import_volunteers([volunteer("V04", "levensboek")], on=DAY)
    ledger.import_clients([client("K04", "rouw")], on=DAY)
    ledger.pause("V03", until=BACK, on=DAY)
    ledger.pause("V04", until=BACK + WEEK, on=DAY)
    waiting = {u.client_id: u for u in ledger.propose(round_date=DAY).waiting}
    assert unmatched_detail(waiting["K03"], weights=True) == (
        "all 2 volunteers for levensboek are paused: V03 until 2027-01-15, V04 until 2027-01-22"
    )
    assert (waiting["K04"].reason, unmatched_detail(waiting["K04"], weights=True)) == (
        "no-programme",
        "no volunteer serves programme rouw",
    )


def test_round_explain_sees_a_decline_and_a_pause_as_the_round_did(ledger: Ledger) -> None:
    first = ledger.propose(round_date=DAY)
    pair = {p.client_id: p.volunteer_id for p in first.pairs}
    declined = pair["K01"]
    ledger.decline(first.round_id, "K01", by="volunteer", reason="no click", on=DAY)
    ledger.pause("V03", until=BACK, on=DAY + WEEK)
    second = ledger.propose(round_date=DAY + WEEK)

    found = ledger.explain("K01", round_id=second.round_id)
    assert found.same_inputs is True
    assert [(d.volunteer_id, d.declined_by) for d in found.declines] == [(declined, "volunteer")]
    text = render_ledger_explanation(found)
    assert (
        f"round {second.round_id} on 2026-11-30, rebuilt from the ledger: the same inputs" in text
    )
    assert f"declined: {declined} (by the volunteer, 2026-11-23): never proposed again" in text
    assert f"{declined} was declined for this client in an earlier round (by volunteer)" in text
    assert "the client excluded" not in text

    paused = render_ledger_explanation(ledger.explain("K03", round_id=second.round_id))
    assert (
        "outcome: unmatched: volunteers-paused: the only volunteer for levensboek, V03," in paused
    )
    assert "paused: V03 (serves this programme) until 2027-01-15: not in this round" in paused
    # The same ledger facts in Dutch, line for line (the web app's Waarom?).
    k03 = ledger.explain("K03", round_id=second.round_id)
    assert ledger_lines(found, "nl") == [
        f"afgewezen: {declined} (door de vrijwilliger, 2026-11-23): wordt nooit meer voorgesteld"
    ]
    assert ledger_lines(k03, "nl") == [
        "gepauzeerd: V03 (werkt in dit programma) tot 2027-01-15: niet in deze ronde"
    ]
    assert len(ledger_lines(k03, "nl")) == len(ledger_lines(k03, "en"))
    assert "stored in round 2: left waiting (volunteers-paused)" in paused

    # Round 1 as it was: before the decline and the pause, though both are in the ledger now.
    before = ledger.explain("K01", round_id=first.round_id)
    assert before.same_inputs is True
    assert before.declines == () and before.paused == ()
    assert before.stored_outcome == f"proposed {declined}, declined since"
    assert before.explanation is not None
    assert before.explanation.outcome.startswith(f"matched to {declined} ")


def test_round_explain_after_acceptance_counts_places_as_they_were(ledger: Ledger) -> None:
    first = ledger.propose(round_date=DAY)
    ledger.accept(first.round_id, on=DAY)
    found = ledger.explain("K02", round_id=first.round_id)
    assert found.same_inputs is True and found.full == ()
    assert found.explanation is not None and found.explanation.outcome.startswith("matched to")
    # A newcomer now finds both places taken by the matches round 1 started.
    ledger.import_clients([client("K05")], on=DAY + WEEK)
    now = ledger.explain("K05", round_date=DAY + WEEK)
    assert [(f.volunteer_id, f.active) for f in now.full] == [("V01", ("K01",)), ("V02", ("K02",))]
    text = render_ledger_explanation(now)
    assert text.startswith("a round on 2026-11-30 as the ledger would propose it now (not stored)")
    assert "full: V01 (1 place(s): active matches with K01)" in text
    assert "active match" not in text.split("in the ledger:")[0]


def test_explain_now_shows_pins_and_active_matches_and_stores_nothing(
    ledger: Ledger, path: Path
) -> None:
    ledger.pin("K01", "V02", on=DAY)
    before = path.read_bytes()
    pinned = render_ledger_explanation(ledger.explain("K01", round_date=DAY))
    assert "client K01: pinned to V02 by the coordinator; the round proposes this pair" in pinned
    assert "pinned: to V02 by the coordinator" in pinned
    assert path.read_bytes() == before

    proposal = ledger.propose(round_date=DAY)
    ledger.accept(proposal.round_id, on=DAY)
    matched = render_ledger_explanation(ledger.explain("K01", round_date=DAY + WEEK))
    assert "client K01: not waiting: in an active match with V02 since 2026-11-23" in matched
    assert "active match: with V02 since 2026-11-23" in matched


def test_round_explain_says_when_the_ledger_changed_in_ways_it_keeps_no_history_of(
    ledger: Ledger,
) -> None:
    first = ledger.propose(round_date=DAY)
    ledger.import_clients([client("K02", languages="tr")], on=DAY)
    found = ledger.explain("K02", round_id=first.round_id)
    assert found.same_inputs is False
    assert "the inputs differ from the round's, so this may not be what the round saw" in (
        render_ledger_explanation(found)
    )


def test_round_explain_refuses_a_client_outside_the_round_and_unknown_ids(
    ledger: Ledger,
) -> None:
    first = ledger.propose(round_date=DAY)
    ledger.import_clients([client("K09")], on=DAY)
    refused = (
        r"^round 1: client K09 was not in this round \(not waiting on 2026-11-23\);"
        r" `matcher history --client K09` shows why$"
    )
    with pytest.raises(LedgerError, match=refused):
        ledger.explain("K09", round_id=first.round_id)
    with pytest.raises(LedgerError, match=r"client 'K10': not in the ledger; did you mean"):
        ledger.explain("K10", round_id=first.round_id)
    with pytest.raises(LedgerError, match=r"round 7: no such round; the latest is round 1"):
        ledger.explain("K01", round_id=7)
