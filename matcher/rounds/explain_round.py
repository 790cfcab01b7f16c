"""Why a client waits, as a ledger round sees it: the engine's explanation and the ledger's facts.

`round explain N --client ID` rebuilds stored round N (gather.gather_round, as_of_round=N);
`explain --db --client ID` a round proposed now, stored nowhere. Both show what the files
alone cannot: pauses (until when), declined pairs (by whom), the client's pin or active match,
and the places active matches take.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Final

from matcher.config import MatchConfig, config_from_dict
from matcher.engine import Prepared, solve
from matcher.explain import Explanation, explain_client, render_explanation
from matcher.hint_wording import DECIDED_BY_NL
from matcher.result import Unmatched
from matcher.rounds.db import LedgerError, Tx
from matcher.rounds.gather import Decline, RoundInputs, gather_round
from matcher.rounds.state import require_client, require_round


@dataclass(frozen=True)
class FullVolunteer:
    """A volunteer of the client's programme whose places are all taken, and by what."""

    volunteer_id: str
    capacity: int
    outside: int  # clients supported outside the ledger (the file's active_clients)
    active: tuple[str, ...]  # clients in active matches in the ledger
    pinned: tuple[str, ...]  # clients pinned to the volunteer


@dataclass(frozen=True)
class StoredOutcome:
    """What a stored round holds for the client: a proposal, or why it left them waiting."""

    volunteer_id: str | None  # None: left waiting
    pinned: bool = False
    decision: str | None = None  # accepted, declined, superseded; None: undecided
    reason: str | None = None  # left waiting: the reason code

    def text(self) -> str:
        if self.volunteer_id is None:
            return f"left waiting ({self.reason})"
        pinned = " (pinned)" if self.pinned else ""
        decided = f", {self.decision} since" if self.decision else ", undecided"
        return f"proposed {self.volunteer_id}{pinned}{decided}"


@dataclass(frozen=True)
class LedgerExplanation:
    client_id: str
    state: str  # the client's state in the ledger now: waiting, matched, closed
    round_id: int | None  # None: a round as the ledger would propose it now, not stored
    round_date: dt.date
    same_inputs: bool | None  # a stored round: the rebuild hashes as the round did
    stored_outcome: str | None  # a stored round: what it proposed for the client, or why not
    active_match: tuple[str, dt.date] | None  # the client's active match now: volunteer, start
    pinned_to: str | None
    declines: tuple[Decline, ...]
    paused: tuple[tuple[str, dt.date], ...]  # paused volunteers of the client's programme
    full: tuple[FullVolunteer, ...]
    explanation: Explanation | None  # None when the engine did not choose for the client
    prepared: Prepared | None
    # The same as facts (for another language): the stored outcome, and the engine's outcome
    # in the rebuilt round: the volunteer and weight, or the waiting client's facts.
    stored: StoredOutcome | None = None
    matched: tuple[str, int] | None = None
    unmatched: Unmatched | None = None
    # The config of the round (a stored round's own): its [report] lang is the default language.
    config: MatchConfig | None = None


def explain_in_ledger(
    tx: Tx,
    client_id: str,
    config: MatchConfig,
    round_date: dt.date,
    *,
    round_id: int | None = None,
    top: int = 5,
) -> LedgerExplanation:
    state = require_client(tx, client_id)["state"]
    same_inputs = stored = None
    if round_id is not None:
        row = require_round(tx, round_id)
        config = config_from_dict(json.loads(row["config"]), source=f"round {round_id}")
        round_date = dt.date.fromisoformat(row["round_date"])
        inputs = gather_round(tx, config, round_date, as_of_round=round_id)
        same_inputs = inputs.inputs_hash == row["inputs_hash"]
        stored = _stored_outcome(tx, round_id, client_id)
    else:
        inputs = gather_round(tx, config, round_date)
    in_engine = any(c.client_id == client_id for c in inputs.clients)
    if round_id is not None and not in_engine and client_id not in inputs.pinned_clients:
        raise LedgerError(
            f"round {round_id}: client {client_id} was not in this round (not waiting on"
            f" {round_date}); `matcher history --client {client_id}` shows why"
        )
    declines = inputs.declines.get(client_id, ())
    explanation = prepared = matched = unmatched = None
    if in_engine:
        prepared = inputs.prepared
        result = inputs.with_paused_reasons(solve(prepared))
        declined_by = {d.volunteer_id: d.declined_by for d in declines}
        explanation = explain_client(prepared, result, client_id, top=top, declined_by=declined_by)
        match = result.match_for(client_id)
        matched = None if match is None else (match.volunteer_id, match.weight_units)
        unmatched = result.unmatched_for(client_id)
    programme = _programme(tx, client_id)
    return LedgerExplanation(
        client_id=client_id,
        state=state,
        round_id=round_id,
        round_date=round_date,
        same_inputs=same_inputs,
        stored_outcome=None if stored is None else stored.text(),
        active_match=_active_match(tx, client_id) if round_id is None else None,
        pinned_to=inputs.pins.get(client_id),
        declines=declines,
        paused=tuple(
            (vid, until)
            for vid, until in sorted(inputs.paused.items())
            if programme in inputs.all_volunteers[vid].programmes
        ),
        # Places taken matter to a client the engine chose for, not to one who is not waiting.
        full=_full_volunteers(inputs, programme) if in_engine else (),
        explanation=explanation,
        prepared=prepared,
        stored=stored,
        matched=matched,
        unmatched=unmatched,
        config=config,
    )


def _programme(tx: Tx, client_id: str) -> str:
    row = tx.one("SELECT json_extract(record, '$.programme') FROM clients WHERE client_id = ?",
                 (client_id,))  # fmt: skip
    assert row is not None
    return str(row[0])


def _stored_outcome(tx: Tx, round_id: int, client_id: str) -> StoredOutcome | None:
    pair = tx.one(
        "SELECT volunteer_id, pinned, decision FROM proposals WHERE round_id = ? AND client_id = ?",
        (round_id, client_id),
    )
    if pair is not None:
        return StoredOutcome(pair["volunteer_id"], bool(pair["pinned"]), pair["decision"])
    waiting = tx.one(
        "SELECT reason FROM unmatched WHERE round_id = ? AND client_id = ?", (round_id, client_id)
    )
    return None if waiting is None else StoredOutcome(None, reason=waiting["reason"])


def _active_match(tx: Tx, client_id: str) -> tuple[str, dt.date] | None:
    row = tx.one(
        "SELECT volunteer_id, started_on FROM matches WHERE client_id = ? AND ended_on IS NULL",
        (client_id,),
    )
    return None if row is None else (row[0], dt.date.fromisoformat(row[1]))


def _full_volunteers(inputs: RoundInputs, programme: str) -> tuple[FullVolunteer, ...]:
    pinned: dict[str, list[str]] = {}
    for cid, vid in sorted(inputs.pins.items()):
        pinned.setdefault(vid, []).append(cid)
    out = []
    for volunteer in inputs.volunteers:
        vid = volunteer.volunteer_id
        if programme not in volunteer.programmes or volunteer.active_clients < volunteer.capacity:
            continue
        active, pins = inputs.active.get(vid, ()), tuple(pinned.get(vid, ()))
        if not active and not pins:
            continue  # full from the file alone: the engine's explanation says so
        outside = inputs.all_volunteers[vid].active_clients
        out.append(FullVolunteer(vid, volunteer.capacity, outside, active, pins))
    return tuple(out)


def render_ledger_explanation(found: LedgerExplanation) -> str:
    lines = [_heading(found)]
    if found.stored_outcome is not None:
        lines.append(f"stored in round {found.round_id}: {found.stored_outcome}")
    lines.append("")
    if found.explanation is not None and found.prepared is not None:
        lines.append(render_explanation(found.explanation, found.prepared))
    elif found.pinned_to is not None:
        lines.append(
            f"client {found.client_id}: pinned to {found.pinned_to} by the coordinator; the round"
            " proposes this pair as decided, the engine does not choose for this client"
        )
    elif found.active_match is not None:
        volunteer, since = found.active_match
        lines.append(
            f"client {found.client_id}: not waiting: in an active match with {volunteer} since"
            f" {since}; a round leaves this client out"
        )
    else:
        lines.append(
            f"client {found.client_id}: not waiting ({found.state}); a round leaves this client out"
        )
    lines.append("")
    lines.append("in the ledger:")
    lines.extend(f"  {line}" for line in ledger_lines(found))
    return "\n".join(lines)


def _heading(found: LedgerExplanation) -> str:
    if found.round_id is None:
        return f"a round on {found.round_date} as the ledger would propose it now (not stored)"
    head = f"round {found.round_id} on {found.round_date}, rebuilt from the ledger"
    if found.same_inputs:
        return head + ": the same inputs as when it was proposed"
    return (
        head + "; the ledger changed since in ways it keeps no history of (records imported"
        " again, pauses, ended matches): the inputs differ from the round's, so this may not be"
        " what the round saw"
    )


# What the ledger itself holds about a client, in the words of each language.
_LEDGER_WORDS: Final = {
    "en": {
        "pinned": "pinned: to {volunteer} by the coordinator",
        "active": "active match: with {volunteer} since {since}",
        "declined": "declined: {volunteer} (by the {by}, {on}): never proposed again",
        "paused": "paused: {volunteer} (serves this programme) until {until}: not in this round",
        "outside": "{count} outside the ledger",
        "active_with": "active matches with {ids}",
        "pinned_for": "pinned for {ids}",
        "full": "full: {volunteer} ({capacity} place(s): {taken})",
        "none": "no pause, decline, pin or active match bears on this client",
    },
    "nl": {
        "pinned": "vastgezet: aan {volunteer} door de coördinator",
        "active": "actieve koppeling: met {volunteer} sinds {since}",
        "declined": "afgewezen: {volunteer} (door de {by}, {on}): wordt nooit meer voorgesteld",
        "paused": "gepauzeerd: {volunteer} (werkt in dit programma) tot {until}: niet in deze"
        " ronde",
        "outside": "{count} buiten het grootboek",
        "active_with": "actieve koppelingen met {ids}",
        "pinned_for": "vastgezet voor {ids}",
        "full": "vol: {volunteer} ({capacity} plek(ken): {taken})",
        "none": "geen pauze, afwijzing, vastzetting of actieve koppeling speelt voor deze cliënt",
    },
}
_DECIDED_BY: Final[dict[str, dict[str, str]]] = {"en": {}, "nl": DECIDED_BY_NL}


def ledger_lines(found: LedgerExplanation, lang: str = "en") -> list[str]:
    """The ledger's own facts about the client (pins, matches, declines, pauses, full places)."""
    words, by = _LEDGER_WORDS[lang], _DECIDED_BY[lang]
    lines = []
    if found.pinned_to is not None:
        lines.append(words["pinned"].format(volunteer=found.pinned_to))
    if found.active_match is not None:
        volunteer, since = found.active_match
        lines.append(words["active"].format(volunteer=volunteer, since=since))
    for d in found.declines:
        who = by.get(d.declined_by, d.declined_by)
        lines.append(words["declined"].format(volunteer=d.volunteer_id, by=who, on=d.declined_on))
    for volunteer, until in found.paused:
        lines.append(words["paused"].format(volunteer=volunteer, until=until))
    for full in found.full:
        taken = []
        if full.outside:
            taken.append(words["outside"].format(count=full.outside))
        if full.active:
            taken.append(words["active_with"].format(ids=", ".join(full.active)))
        if full.pinned:
            taken.append(words["pinned_for"].format(ids=", ".join(full.pinned)))
        lines.append(words["full"].format(volunteer=full.volunteer_id, capacity=full.capacity,
                                          taken="; ".join(taken)))  # fmt: skip
    return lines or [words["none"]]
