"""Reading the ledger: status for the coordinator, the audit trail, and an export of it all."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from matcher.config import MatchConfig
from matcher.io import format_csv, write_atomic
from matcher.models import Client, Volunteer
from matcher.rounds import stored
from matcher.rounds.db import Tx
from matcher.rounds.due import Due, due
from matcher.rounds.state import DECLINES_BEFORE_FLAG, Load, loads
from matcher.triage import risk_tiers
from matcher.vocab import RISK_TIERS


@dataclass(frozen=True)
class WaitingClient:
    client_id: str
    risk_tier: str
    waiting_since: dt.date
    weeks_waited: float
    pinned_to: str | None
    declines: int
    last_reason: str | None  # why the latest round that included the client left it waiting


@dataclass(frozen=True)
class ActiveMatch:
    client_id: str
    volunteer_id: str
    started_on: dt.date
    weeks: float
    round_id: int | None


@dataclass(frozen=True)
class Status:
    on: dt.date
    waiting: tuple[WaitingClient, ...]
    active: tuple[ActiveMatch, ...]
    volunteers: tuple[Load, ...]
    flags: tuple[str, ...]
    undecided: dict[int, int]  # round -> proposals not yet accepted or declined
    closed_clients: int
    due: Due = field(
        default_factory=Due
    )  # calls, intakes, introductions, check-ins and ends due this week
    # All waiting clients; `waiting` holds those from `waiting_offset` on (a page, if asked).
    n_waiting: int = 0
    waiting_offset: int = 0


def status(
    tx: Tx, on: dt.date, config: MatchConfig, *, offset: int = 0, limit: int | None = None
) -> Status:
    """`offset`, `limit`: one page of the waiting list (oldest first); only its records are
    read and triaged, so a page of a long waiting list costs what the page costs."""
    declines: dict[str, list[str]] = defaultdict(list)
    for client_id, volunteer_id, by in tx.all(
        "SELECT client_id, volunteer_id, declined_by FROM declines ORDER BY round_id, rowid"
    ):
        declines[client_id].append(f"{volunteer_id} by {by}")
    pins = tx.mapping("SELECT client_id, volunteer_id FROM pins")
    last_reason = tx.mapping(
        "SELECT u.client_id, u.reason FROM unmatched u JOIN (SELECT client_id,"
        " max(round_id) AS last FROM unmatched GROUP BY client_id) m"
        " ON u.client_id = m.client_id AND u.round_id = m.last"
    )
    rows = tx.all(
        "SELECT client_id, record, waiting_since FROM clients WHERE state = 'waiting'"
        " ORDER BY waiting_since, client_id LIMIT ? OFFSET ?",
        (-1 if limit is None else limit, offset),
    )
    counted = tx.one("SELECT count(*) FROM clients WHERE state = 'waiting'")
    clients = [stored.record(tx, Client, "clients", row[0], row["record"]) for row in rows]
    tiers: list[int] = risk_tiers(clients, config.triage).tolist() if clients else []
    waiting = []
    for row, tier in zip(rows, tiers, strict=True):
        key = stored.show_key(("client_id", row["client_id"]))
        since = stored.date(tx, "clients", key, "waiting_since", row["waiting_since"])
        waiting.append(
            WaitingClient(
                client_id=row["client_id"],
                risk_tier=RISK_TIERS[tier],
                waiting_since=since,
                weeks_waited=max(0.0, (on - since).days / 7),
                pinned_to=pins.get(row["client_id"]),
                declines=len(declines[row["client_id"]]),
                last_reason=last_reason.get(row["client_id"]),
            )
        )
    active = tuple(
        ActiveMatch(
            row["client_id"],
            row["volunteer_id"],
            start := stored.date(tx, "matches", str(row["match_id"]), "started_on", row[2]),
            max(0.0, (on - start).days / 7),
            row["round_id"],
        )
        for row in tx.all(
            "SELECT client_id, volunteer_id, started_on, round_id, match_id FROM matches"
            " WHERE ended_on IS NULL ORDER BY client_id"
        )
    )
    volunteer_loads = tuple(loads(tx).values())
    flags = [
        f"{cid}: declined {len(found)} times ({', '.join(found)}): needs a coordinator's look"
        for cid, found in sorted(declines.items())
        if len(found) >= DECLINES_BEFORE_FLAG
    ]
    by_id = {load.volunteer_id: load for load in volunteer_loads}
    flags += [
        f"{load.volunteer_id}: {over}: over capacity"
        for load in volunteer_loads
        if (over := load.over()) is not None
    ]
    flags += [
        f"{cid}: pinned to {vid}, who is paused until {by_id[vid].paused_until}"
        for cid, vid in sorted(pins.items())
        if by_id[vid].paused_on(on)
    ]
    undecided = tx.mapping(
        "SELECT round_id, count(*) FROM proposals WHERE decision IS NULL"
        " GROUP BY round_id ORDER BY round_id"
    )
    closed = tx.one("SELECT count(*) FROM clients WHERE state = 'closed'")
    return Status(
        on=on,
        waiting=tuple(waiting),
        active=active,
        volunteers=volunteer_loads,
        flags=tuple(flags),
        undecided=undecided,
        closed_clients=int(closed[0]) if closed else 0,
        due=due(tx, on, config.lifecycle),
        n_waiting=int(counted[0]) if counted else 0,
        waiting_offset=offset,
    )


@dataclass(frozen=True)
class Event:
    event_id: int
    at: str
    os_user: str
    kind: str
    round_id: int | None
    client_id: str | None
    volunteer_id: str | None
    detail: str


def history(
    tx: Tx, *, client_id: str | None = None, volunteer_id: str | None = None
) -> list[Event]:
    """The audit trail, oldest first; for one client or volunteer when asked."""
    params: tuple[str, ...]
    if client_id is not None:
        where, params = "WHERE client_id = ?", (client_id,)
    elif volunteer_id is not None:
        where, params = "WHERE volunteer_id = ?", (volunteer_id,)
    else:
        where, params = "", ()
    return [
        Event(*row)
        for row in tx.all(
            "SELECT event_id, at, os_user, kind, round_id, client_id, volunteer_id, detail"
            f" FROM events {where} ORDER BY event_id",
            params,
        )
    ]


def table_names(tx: Tx) -> list[str]:
    return [
        row[0]
        for row in tx.all(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]


RECORD_MODELS: dict[str, type[Client] | type[Volunteer]] = {
    "clients": Client,
    "volunteers": Volunteer,
}


# Not exported: password hashes of web accounts are nobody's data to take along.
NOT_EXPORTED = frozenset({"web_users"})


def export(tx: Tx, out_dir: Path) -> list[Path]:
    """Every table as CSV. A stored record becomes its own columns, so the exported clients
    and volunteers read back with `matcher import`."""
    files = {}
    for table in table_names(tx):
        if table in NOT_EXPORTED:
            continue
        cursor = tx.conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        columns = [d[0] for d in cursor.description]
        rows = [list(row) for row in cursor.fetchall()]
        model = RECORD_MODELS.get(table)
        if model is not None and "record" in columns:
            at = columns.index("record")
            fields = [name for name in model.model_fields if name not in columns]
            # Validated, so that what is exported reads back with `matcher import`.
            records = [
                stored.record(tx, model, table, row[0], row[at]).model_dump(mode="json")
                for row in rows
            ]
            columns = columns[:at] + fields + columns[at + 1 :]
            rows = [
                row[:at] + [record[name] for name in fields] + row[at + 1 :]
                for row, record in zip(rows, records, strict=True)
            ]
        files[out_dir / f"{table}.csv"] = format_csv(columns, rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(files)
    return sorted(files)
