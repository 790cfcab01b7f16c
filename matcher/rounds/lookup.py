"""One person's record as the ledger keeps it, for the web app's client and volunteer pages;
the people and the bottleneck groups of a stored round."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matcher.bottleneck import Bottlenecks, find_bottlenecks
from matcher.config import MatchConfig, config_from_dict
from matcher.engine import solve
from matcher.models import Client, Volunteer
from matcher.rounds import stored
from matcher.rounds.db import Tx
from matcher.rounds.gather import gather_round
from matcher.rounds.state import require_client, require_round, require_volunteer

if TYPE_CHECKING:
    from matcher.rounds.ledger import Ledger


@dataclass(frozen=True)
class ClientRecord:
    client: Client
    state: str  # waiting, matched or closed
    waiting_since: dt.date
    pinned_to: str | None


@dataclass(frozen=True)
class VolunteerRecord:
    volunteer: Volunteer
    paused_until: dt.date | None


def client_record(ledger: Ledger, client_id: str) -> ClientRecord:
    def work(tx: Tx) -> ClientRecord:
        row = require_client(tx, client_id)
        pin = tx.one("SELECT volunteer_id FROM pins WHERE client_id = ?", (client_id,))
        return ClientRecord(
            client=stored.record(tx, Client, "clients", client_id, row["record"]),
            state=row["state"],
            waiting_since=stored.date(
                tx, "clients", client_id, "waiting_since", row["waiting_since"]
            ),
            pinned_to=pin[0] if pin else None,
        )

    return ledger._read(work)


def volunteer_record(ledger: Ledger, volunteer_id: str) -> VolunteerRecord:
    def work(tx: Tx) -> VolunteerRecord:
        row = require_volunteer(tx, volunteer_id)
        return VolunteerRecord(
            volunteer=stored.record(tx, Volunteer, "volunteers", volunteer_id, row["record"]),
            paused_until=stored.optional_date(
                tx, "volunteers", volunteer_id, "paused_until", row["paused_until"]
            ),
        )

    return ledger._read(work)


def latest_round_id(ledger: Ledger) -> int | None:
    row = ledger._read(lambda tx: tx.one("SELECT max(round_id) FROM rounds"))
    return int(row[0]) if row and row[0] is not None else None


@dataclass(frozen=True)
class RoundPeople:
    """The people a stored round was computed on, rebuilt as the round saw them."""

    config: MatchConfig
    clients: tuple[Client, ...]
    volunteers: tuple[Volunteer, ...]
    exact: bool  # the rebuild hashes as the stored round: nobody was re-imported since


def round_people(ledger: Ledger, round_id: int) -> RoundPeople:
    def work(tx: Tx) -> RoundPeople:
        row = require_round(tx, round_id)
        config = config_from_dict(json.loads(row["config"]), source=f"round {round_id}")
        day = stored.date(tx, "rounds", str(round_id), "round_date", row["round_date"])
        inputs = gather_round(tx, config, day, as_of_round=round_id)
        pinned = set(inputs.pins.values())
        present = {v.volunteer_id for v in inputs.volunteers}
        return RoundPeople(
            config=config,
            clients=(*inputs.clients, *inputs.pinned_clients.values()),
            volunteers=(
                *inputs.volunteers,
                *(inputs.all_volunteers[v] for v in sorted(pinned - present)),
            ),
            exact=inputs.inputs_hash == row["inputs_hash"],
        )

    return ledger._read(work)


@dataclass(frozen=True)
class RoundBottlenecks:
    """A stored round's bottleneck groups, from the engine on the round rebuilt as it was."""

    round_id: int
    bottlenecks: Bottlenecks
    exact: bool  # the rebuild hashes as the stored round: these are the round's own groups


def round_bottlenecks(ledger: Ledger, round_id: int) -> RoundBottlenecks:
    """The groups `round propose` found, for a round read back from the ledger (which stores
    no groups): the round rebuilt as `round explain` rebuilds it, solved and grouped again."""

    def work(tx: Tx) -> RoundBottlenecks:
        row = require_round(tx, round_id)
        config = config_from_dict(json.loads(row["config"]), source=f"round {round_id}")
        day = stored.date(tx, "rounds", str(round_id), "round_date", row["round_date"])
        inputs = gather_round(tx, config, day, as_of_round=round_id)
        result = inputs.with_paused_reasons(solve(inputs.prepared))
        return RoundBottlenecks(
            round_id=round_id,
            bottlenecks=find_bottlenecks(inputs.prepared, result),
            exact=inputs.inputs_hash == row["inputs_hash"],
        )

    return ledger._read(work)
