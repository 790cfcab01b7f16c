"""What comes into the ledger between rounds: intakes, volunteers, pins, pauses."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matcher.errors import InputError, Problem
from matcher.io.records import Records
from matcher.models import DEFAULT_CLIENT_HOURS, Client, Volunteer, record_json
from matcher.rounds import erase, outreach
from matcher.rounds.db import EventRow, LedgerError, Tx
from matcher.rounds.state import (
    client_hours,
    loads,
    require_client,
    require_date_order,
    require_volunteer,
)


@dataclass(frozen=True)
class ImportSummary:
    kind: str  # "clients" or "volunteers"
    source: str
    new: int
    updated: int
    unchanged: int
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        total = self.new + self.updated + self.unchanged
        return (
            f"{self.source}: {total} {self.kind}: {self.new} new, {self.updated} updated,"
            f" {self.unchanged} unchanged"
        )


def _changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [name for name in new if old.get(name) != new[name]]


def _stored_fields(text: str) -> dict[str, Any]:
    """A stored record's fields; none when it is damaged, so a re-import repairs it."""
    try:
        fields = json.loads(text)
    except ValueError:
        return {}
    return fields if isinstance(fields, dict) else {}


def _source_name(records: Sequence[Any], fallback: str) -> str:
    # The file name only: a folder path can name a person or a team.
    source = records.source if isinstance(records, Records) and records.source else fallback
    return os.path.basename(source) or fallback


def _exclusion_problems(tx: Tx, clients: Sequence[Client], source: str) -> list[Problem]:
    """As `matcher match` does against the volunteers file, here against the ledger's."""
    wanted = {v for client in clients for v in client.excluded_volunteers}
    if not wanted:
        return []
    known = {row[0] for row in tx.all("SELECT volunteer_id FROM volunteers")}
    rows = clients.rows if isinstance(clients, Records) else {}
    names = clients.column_names if isinstance(clients, Records) else {}
    column = names.get("excluded_volunteers", "excluded_volunteers")
    return [
        Problem(
            source,
            rows.get(client.client_id),
            column,
            "unknown volunteer id (not in the ledger: import the volunteers first)",
            excluded,
        )
        for client in clients
        for excluded in client.excluded_volunteers
        if excluded not in known
    ]


def _erased_problems(
    clients: Sequence[Client], erased: dict[str, str], source: str
) -> list[Problem]:
    rows = clients.rows if isinstance(clients, Records) else {}
    names = clients.column_names if isinstance(clients, Records) else {}
    column = names.get("client_id", "client_id")
    return [
        Problem(
            source,
            rows.get(client.client_id),
            column,
            f"was erased on {erased[client.client_id]} (matcher forget);"
            " re-import only with --allow-erased",
        )
        for client in clients
        if client.client_id in erased
    ]


def _intake_problems(tx: Tx, clients: Sequence[Client], on: dt.date, source: str) -> list[Problem]:
    """An intake cannot start waiting before the person was approached."""
    approached = tx.mapping("SELECT client_id, approached_on FROM outreach WHERE state != 'intake'")
    if not approached:
        return []
    rows = clients.rows if isinstance(clients, Records) else {}
    names = clients.column_names if isinstance(clients, Records) else {}
    column = names.get("waiting_since", "waiting_since")
    problems = []
    for client in clients:
        start = approached.get(client.client_id)
        since = (client.waiting_since or on).isoformat()
        if start is not None and since < start:
            problems.append(
                Problem(
                    source,
                    rows.get(client.client_id),
                    column,
                    f"before the person was approached ({start}); an intake comes after",
                    since,
                )
            )
    return problems


def import_clients(
    tx: Tx, clients: Sequence[Client], on: dt.date, *, allow_erased: bool = False
) -> ImportSummary:
    """Upsert clients by id. A new client waits from its waiting_since, else from `on`.

    A client erased with `forget` comes back only with `allow_erased`: the sheet a
    coordinator imports every week still lists the client until someone removes the row.
    """
    source = _source_name(clients, "clients")
    erased = erase.erased_on(tx, (client.client_id for client in clients))
    problems = _exclusion_problems(tx, clients, source)
    if not allow_erased:
        problems += _erased_problems(clients, erased, source)
    problems += _intake_problems(tx, clients, on, source)
    if problems:
        raise InputError(problems)
    stored = {
        row["client_id"]: row
        for row in tx.all(
            "SELECT c.client_id, c.record, c.state,"
            " EXISTS (SELECT 1 FROM matches m WHERE m.client_id = c.client_id) AS ever_matched"
            " FROM clients c"
        )
    }
    inserts: list[tuple[str, ...]] = []
    updates: list[tuple[str | None, ...]] = []
    events: list[EventRow] = []
    unchanged = still_closed = 0
    for client in clients:
        text = record_json(client)
        since = (client.waiting_since or on).isoformat()
        old = stored.get(client.client_id)
        if old is None:
            inserts.append((client.client_id, text, since, tx.at, tx.at))
            again = client.client_id in erased
            detail = (
                f"new, from {source}; this id was erased on {erased[client.client_id]}"
                " and re-imported with --allow-erased"
                if again
                else f"new, from {source}"
            )
            events.append(("import", None, client.client_id, None, detail))
            continue
        if old["record"] == text:
            unchanged += 1
            continue
        fields = _changed_fields(_stored_fields(old["record"]), json.loads(text))
        # The file's waiting_since can correct the date a client started waiting, but only
        # before the first match: after that the ledger knows when the client waits again.
        fix_since = (
            client.waiting_since is not None
            and old["state"] == "waiting"
            and not old["ever_matched"]
        )
        updates.append((text, tx.at, since if fix_since else None, client.client_id))
        still_closed += old["state"] == "closed"
        detail = f"updated {', '.join(fields)}, from {source}"
        events.append(("import", None, client.client_id, None, detail))
    tx.conn.executemany(
        "INSERT INTO clients (client_id, record, state, waiting_since, first_imported_at,"
        " updated_at) VALUES (?, ?, 'waiting', ?, ?, ?)",
        inserts,
    )
    tx.conn.executemany(
        "UPDATE clients SET record = ?, updated_at = ?,"
        " waiting_since = coalesce(?, waiting_since) WHERE client_id = ?",
        updates,
    )
    erase.unerase(tx, erased)
    intakes = outreach.record_intakes(tx, [(row[0], row[2]) for row in inserts])
    events += intakes
    notes = []
    if intakes:
        notes.append(f"{len(intakes)} intake(s): approached before, now waiting for a volunteer")
    if erased:
        notes.append(f"{len(erased)} client(s) erased before were imported again (--allow-erased)")
    if still_closed:
        notes.append(f"{still_closed} updated client(s) had ended their support; they stay closed")
    summary = ImportSummary("clients", source, len(inserts), len(updates), unchanged, tuple(notes))
    events.append(("import", None, None, None, str(summary)))
    tx.events(events)
    return summary


def import_volunteers(tx: Tx, volunteers: Sequence[Volunteer], on: dt.date) -> ImportSummary:
    """Upsert volunteers by id; a pause set in the ledger survives a re-import."""
    del on  # volunteers have no waiting time; kept for a uniform signature
    source = _source_name(volunteers, "volunteers")
    stored = {row[0]: row[1] for row in tx.all("SELECT volunteer_id, record FROM volunteers")}
    inserts: list[tuple[str, ...]] = []
    updates: list[tuple[str | None, ...]] = []
    events: list[EventRow] = []
    unchanged = 0
    for volunteer in volunteers:
        text = record_json(volunteer)
        old = stored.get(volunteer.volunteer_id)
        if old is None:
            inserts.append((volunteer.volunteer_id, text, tx.at, tx.at))
            events.append(("import", None, None, volunteer.volunteer_id, f"new, from {source}"))
        elif old == text:
            unchanged += 1
        else:
            updates.append((text, tx.at, volunteer.volunteer_id))
            fields = ", ".join(_changed_fields(_stored_fields(old), json.loads(text)))
            detail = f"updated {fields}, from {source}"
            events.append(("import", None, None, volunteer.volunteer_id, detail))
    tx.conn.executemany(
        "INSERT INTO volunteers (volunteer_id, record, first_imported_at, updated_at)"
        " VALUES (?, ?, ?, ?)",
        inserts,
    )
    tx.conn.executemany(
        "UPDATE volunteers SET record = ?, updated_at = ? WHERE volunteer_id = ?", updates
    )
    imported = {v.volunteer_id for v in volunteers}
    over = [
        f"{load.volunteer_id} now has {over}: no new clients until matches end"
        for load in loads(tx, only=imported).values()
        if (over := load.over()) is not None
    ]
    summary = ImportSummary(
        "volunteers", source, len(inserts), len(updates), unchanged, tuple(over)
    )
    events.append(("import", None, None, None, str(summary)))
    tx.events(events)
    return summary


def _require_waiting(tx: Tx, client_id: str) -> None:
    row = require_client(tx, client_id)
    if row["state"] == "matched":
        active = tx.one(
            "SELECT volunteer_id FROM matches WHERE client_id = ? AND ended_on IS NULL",
            (client_id,),
        )
        with_whom = f" with {active[0]}" if active else ""
        raise LedgerError(
            f"client {client_id}: already in an active match{with_whom};"
            f" end it first with `matcher match end {client_id} --reason …`"
        )
    if row["state"] == "closed":
        raise LedgerError(f"client {client_id}: support has ended (closed); not waiting")


def pin(
    tx: Tx, client_id: str, volunteer_id: str, on: dt.date, *, force: bool = False
) -> str | None:
    """Keep a pair the coordinator already decided in the next round; returns a replaced pin."""
    _require_waiting(tx, client_id)
    require_volunteer(tx, volunteer_id)
    declined = tx.one(
        "SELECT round_id, declined_by FROM declines WHERE client_id = ? AND volunteer_id = ?",
        (client_id, volunteer_id),
    )
    if declined is not None:
        raise LedgerError(
            f"{client_id} and {volunteer_id} were declined (round {declined[0]}, by"
            f" {declined[1]}): a declined pair is never proposed again"
        )
    previous = tx.one("SELECT volunteer_id FROM pins WHERE client_id = ?", (client_id,))
    load = loads(tx, volunteer_id)[volunteer_id]
    if load.paused_on(on):
        raise LedgerError(
            f"volunteer {volunteer_id}: paused until {load.paused_until};"
            f" resume first with `matcher volunteer resume {volunteer_id}`"
        )
    already_here = previous is not None and previous[0] == volunteer_id
    needs = client_hours(tx, [client_id])[client_id]
    if (load.in_hours or needs != DEFAULT_CLIENT_HOURS) and not already_here:
        if load.free_hours < needs:
            raise LedgerError(
                f"volunteer {volunteer_id}: {load.free_hours:g} of {load.hours_given:g} hour(s)"
                f" a week free; client {client_id} needs {needs:g}"
            )
    elif load.free == 0 and not already_here:
        raise LedgerError(
            f"volunteer {volunteer_id}: no free place ({load.active} in the ledger,"
            f" {load.outside} outside it, {load.pinned} pinned; capacity {load.capacity})"
        )
    require_date_order(tx, on, force=force)
    tx.conn.execute(
        "INSERT INTO pins (client_id, volunteer_id, pinned_on) VALUES (?, ?, ?)"
        " ON CONFLICT (client_id) DO UPDATE SET volunteer_id = excluded.volunteer_id,"
        " pinned_on = excluded.pinned_on",
        (client_id, volunteer_id, on.isoformat()),
    )
    replaced = None if previous is None or already_here else str(previous[0])
    detail = f"pinned to {volunteer_id}" + (f" (was {replaced})" if replaced else "")
    tx.event("pin", detail, client_id=client_id, volunteer_id=volunteer_id)
    return replaced


def unpin(tx: Tx, client_id: str) -> str:
    require_client(tx, client_id)
    row = tx.one("SELECT volunteer_id FROM pins WHERE client_id = ?", (client_id,))
    if row is None:
        raise LedgerError(f"client {client_id}: not pinned")
    tx.conn.execute("DELETE FROM pins WHERE client_id = ?", (client_id,))
    tx.event("unpin", f"pin to {row[0]} removed", client_id=client_id, volunteer_id=row[0])
    return str(row[0])


def pause(tx: Tx, volunteer_id: str, until: dt.date, on: dt.date, *, force: bool = False) -> None:
    require_volunteer(tx, volunteer_id)
    if until <= on:
        raise LedgerError(f"--until {until}: must be after {on} (the volunteer is back then)")
    require_date_order(tx, on, force=force)
    tx.conn.execute(
        "UPDATE volunteers SET paused_until = ? WHERE volunteer_id = ?",
        (until.isoformat(), volunteer_id),
    )
    tx.event("pause", f"paused until {until}", volunteer_id=volunteer_id)


def resume(tx: Tx, volunteer_id: str) -> bool:
    """Lift a pause; False when the volunteer was not paused."""
    row = require_volunteer(tx, volunteer_id)
    if row["paused_until"] is None:
        return False
    tx.conn.execute(
        "UPDATE volunteers SET paused_until = NULL WHERE volunteer_id = ?", (volunteer_id,)
    )
    tx.event(
        "resume", f"resumed (was paused until {row['paused_until']})", volunteer_id=volunteer_id
    )
    return True
