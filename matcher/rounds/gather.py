"""What a ledger round gives the engine: one way in, shared by `round propose` and explain.

`gather_round` reads the ledger as it is now (a round about to be proposed), or as it was
when a stored round was proposed (`as_of_round`): that round's own clients and pins, and only
the declines, matches and pauses recorded before it (the events table orders them). Records
imported again since are not kept in history; `RoundInputs.inputs_hash` against
the stored hash tells whether the rebuild is exact.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass

from matcher.config import MatchConfig
from matcher.engine import Prepared, prepare
from matcher.models import DEFAULT_CLIENT_HOURS, Client, Volunteer, record_json
from matcher.result import MatchResult
from matcher.rounds import stored
from matcher.rounds.db import LedgerError, Tx
from matcher.rounds.state import Load, loads


@dataclass(frozen=True)
class Decline:
    volunteer_id: str
    declined_by: str  # client, volunteer or coordinator
    declined_on: dt.date


@dataclass(frozen=True)
class RoundInputs:
    """The round's people and decisions as the engine sees them, and what left some out."""

    config: MatchConfig
    round_date: dt.date
    clients: list[Client]  # waiting and not pinned: the engine's clients
    pinned_clients: dict[str, Client]
    pins: dict[str, str]  # client id -> volunteer id, for the pinned clients
    volunteers: list[Volunteer]  # not paused, with every place already taken as active_clients
    all_volunteers: dict[str, Volunteer]
    paused: dict[str, dt.date]  # volunteers left out of the round -> first day back
    declines: dict[str, tuple[Decline, ...]]  # client id -> its declined pairs
    active: dict[str, tuple[str, ...]]  # volunteer id -> clients in active matches with them
    prepared: Prepared

    @property
    def inputs_hash(self) -> str:
        """SHA-256 of everything the round depended on, as the engine saw it."""
        digest = hashlib.sha256()
        for item in (*self.clients, *self.pinned_clients.values(), *self.volunteers):
            digest.update(record_json(item).encode())
            digest.update(b"\n")
        digest.update(json.dumps(sorted(self.pins.items())).encode())
        digest.update(self.config.round_json().encode())
        digest.update(self.round_date.isoformat().encode())
        return "sha256:" + digest.hexdigest()

    def with_paused_reasons(self, result: MatchResult) -> MatchResult:
        """A client whose programme no volunteer in the round serves, while paused volunteers
        do, waits for those volunteers: say so (who, until when), not "no volunteer"."""
        paused_by_programme: dict[str, list[tuple[str, dt.date]]] = defaultdict(list)
        for vid, until in sorted(self.paused.items()):
            for programme in self.all_volunteers[vid].programmes:
                paused_by_programme[programme].append((vid, until))
        programme_of = {c.client_id: c.programme for c in self.clients}
        unmatched = []
        for item in result.unmatched:
            programme = programme_of[item.client_id]
            paused = tuple(paused_by_programme.get(programme, ()))
            if item.reason == "no-programme" and paused:
                item = dataclasses.replace(item, reason="volunteers-paused", paused=paused)
            unmatched.append(item)
        return dataclasses.replace(result, unmatched=tuple(unmatched))


def gather_round(
    tx: Tx, config: MatchConfig, round_date: dt.date, *, as_of_round: int | None = None
) -> RoundInputs:
    """The engine's input for a round on `round_date`, prepared (validated, pairs weighed)."""
    before = None if as_of_round is None else _round_event(tx, as_of_round)
    load = loads(tx)
    records = tx.mapping("SELECT volunteer_id, record FROM volunteers")
    all_volunteers = {
        vid: stored.record(tx, Volunteer, "volunteers", vid, text) for vid, text in records.items()
    }
    active = _active_matches(tx, as_of_round, before)
    pins = (
        tx.mapping("SELECT client_id, volunteer_id FROM pins")
        if as_of_round is None
        else tx.mapping(
            "SELECT client_id, volunteer_id FROM proposals WHERE round_id = ? AND pinned = 1",
            (as_of_round,),
        )
    )
    pinned_to: dict[str, int] = defaultdict(int)
    for vid in pins.values():
        pinned_to[vid] += 1
    paused_until = {vid: v.paused_until for vid, v in load.items()}
    if before is not None:
        paused_until = _paused_before(tx, before, paused_until)
    volunteers, paused = [], {}
    for vid, volunteer in sorted(all_volunteers.items()):
        until = paused_until.get(vid)
        # Paused "until" a date: available again from that date on.
        if until is not None and round_date < until:
            paused[vid] = until
            continue
        # Places already taken, as the engine's active_clients: it then sees only free ones.
        taken = load[vid].outside + len(active.get(vid, ())) + pinned_to[vid]
        volunteers.append(volunteer.model_copy(update={"active_clients": min(volunteer.capacity,
                                                                             taken)}))  # fmt: skip
    volunteers = _hours_taken(tx, volunteers, load, active, pins)
    declines = _declines(tx, before)
    present = {v.volunteer_id for v in volunteers}
    engine, pinned = [], {}
    for row in _client_rows(tx, as_of_round):
        client = stored.record(tx, Client, "clients", row["client_id"], row["record"])
        key = stored.show_key(("client_id", client.client_id))
        declined = {d.volunteer_id for d in declines.get(client.client_id, ())}
        # Exclusions of paused volunteers are dropped: those volunteers are not in the round.
        excluded = (set(client.excluded_volunteers) | declined) & present
        client = client.model_copy(
            update={
                "waiting_since": stored.date(
                    tx, "clients", key, "waiting_since", row["waiting_since"]
                ),
                "excluded_volunteers": tuple(sorted(excluded)),
            }
        )
        if client.client_id in pins:
            pinned[client.client_id] = client
        else:
            engine.append(client)
    return RoundInputs(
        config=config,
        round_date=round_date,
        clients=engine,
        pinned_clients=pinned,
        pins={c: v for c, v in pins.items() if c in pinned},
        volunteers=volunteers,
        all_volunteers=all_volunteers,
        paused=paused,
        declines=declines,
        active=active,
        prepared=prepare(engine, volunteers, config, round_date),
    )


def _hours_taken(
    tx: Tx,
    volunteers: list[Volunteer],
    load: dict[str, Load],
    active: dict[str, tuple[str, ...]],
    pins: dict[str, str],
) -> list[Volunteer]:
    """With capacity in hours anywhere in the ledger, each volunteer's hours already taken
    as the engine's active_hours: outside the ledger, by active matches and by pins, each
    client with its own hours (README "Capacity in hours"). Without hours: as they are."""
    needs = {
        str(cid): float(hours)
        for cid, hours in tx.all(
            "SELECT client_id, json_extract(record, '$.hours_per_week') FROM clients"
            " WHERE json_valid(record) AND json_extract(record, '$.hours_per_week') IS NOT NULL"
        )
    }
    if not needs and not any(load[v.volunteer_id].in_hours for v in volunteers):
        return volunteers
    pinned_by: dict[str, list[str]] = defaultdict(list)
    for client_id, vid in pins.items():
        pinned_by[vid].append(client_id)
    out = []
    for volunteer in volunteers:
        vid = volunteer.volunteer_id
        ledger_clients = (*active.get(vid, ()), *pinned_by[vid])
        taken = load[vid].hours_outside
        taken += sum(needs.get(cid, DEFAULT_CLIENT_HOURS) for cid in ledger_clients)
        hours = min(volunteer.hours_given, taken)
        out.append(volunteer.model_copy(update={"active_hours": hours}))
    return out


def _round_event(tx: Tx, round_id: int) -> int:
    """The id of the event that recorded the round: decisions after it came after the round."""
    row = tx.one("SELECT min(event_id) FROM events WHERE kind = 'round' AND round_id = ?",
                 (round_id,))  # fmt: skip
    if row is None or row[0] is None:
        raise LedgerError(f"round {round_id}: the ledger has no record of when it was proposed")
    return int(row[0])


_PAUSED = re.compile(r"paused until (\d{4}-\d{2}-\d{2})")


def _paused_before(
    tx: Tx, before: int, now: dict[str, dt.date | None]
) -> dict[str, dt.date | None]:
    """Each volunteer's pause as it stood before the event `before`, from the pause and
    resume events (the volunteers table keeps only the latest, `now`)."""
    state: dict[str, dt.date | None] = {}
    for kind, vid, detail in tx.all(
        "SELECT kind, volunteer_id, detail FROM events WHERE kind IN ('pause', 'resume')"
        " AND event_id < ? ORDER BY event_id",
        (before,),
    ):
        if kind == "resume":
            state[vid] = None
        elif found := _PAUSED.fullmatch(detail):
            state[vid] = dt.date.fromisoformat(found.group(1))
        else:  # a pause worded otherwise: today's state, and the inputs hash will tell
            state[vid] = now.get(vid)
    return state


def _client_rows(tx: Tx, as_of_round: int | None) -> list[dict[str, str]]:
    if as_of_round is None:
        query = "SELECT client_id, record, waiting_since FROM clients WHERE state = 'waiting'"
        params: tuple[object, ...] = ()
    else:
        # The round's own clients: those it proposed for and those it left waiting.
        query = (
            "SELECT client_id, record, waiting_since FROM clients WHERE client_id IN"
            " (SELECT client_id FROM proposals WHERE round_id = ?"
            " UNION SELECT client_id FROM unmatched WHERE round_id = ?)"
        )
        params = (as_of_round, as_of_round)
    return [dict(row) for row in tx.all(query + " ORDER BY client_id", params)]


def _active_matches(
    tx: Tx, as_of_round: int | None, before: int | None
) -> dict[str, tuple[str, ...]]:
    if as_of_round is None or before is None:
        rows = tx.all(
            "SELECT volunteer_id, client_id FROM matches WHERE ended_on IS NULL"
            " ORDER BY volunteer_id, client_id"
        )
    else:
        # Accepted in an earlier round, and not ended before this round was proposed.
        rows = tx.all(
            "SELECT volunteer_id, client_id FROM matches m"
            " WHERE (m.round_id IS NULL OR m.round_id < ?) AND (m.ended_on IS NULL OR EXISTS"
            " (SELECT 1 FROM events e WHERE e.kind = 'end' AND e.client_id = m.client_id"
            " AND e.volunteer_id = m.volunteer_id AND e.event_id > ?))"
            " ORDER BY volunteer_id, client_id",
            (as_of_round, before),
        )
    active: dict[str, list[str]] = defaultdict(list)
    for volunteer_id, client_id in rows:
        active[volunteer_id].append(client_id)
    return {vid: tuple(clients) for vid, clients in active.items()}


def _declines(tx: Tx, before: int | None) -> dict[str, tuple[Decline, ...]]:
    query = "SELECT client_id, volunteer_id, declined_by, declined_on FROM declines d"
    params: tuple[object, ...] = ()
    if before is not None:
        query += (
            " WHERE EXISTS (SELECT 1 FROM events e WHERE e.kind = 'decline'"
            " AND e.client_id = d.client_id AND e.volunteer_id = d.volunteer_id"
            " AND e.event_id < ?)"
        )
        params = (before,)
    out: dict[str, list[Decline]] = defaultdict(list)
    for row in tx.all(query + " ORDER BY client_id, volunteer_id", params):
        out[row[0]].append(Decline(row[1], row[2], dt.date.fromisoformat(row[3])))
    return {client_id: tuple(items) for client_id, items in out.items()}
