"""The ledger's tables, versioned: `PRAGMA user_version` is the number of migrations applied.

A new ledger is built by running every migration in order, so the upgrade path from each old
version is exercised on every `matcher db init`. Never edit a released migration: append a
new one. Each migration is a list of statements (not a script: `executescript` would commit
the open transaction, and a migration must be all or nothing).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from matcher.rounds import facts_store
from matcher.rounds.db import LedgerError


@dataclass(frozen=True)
class Migration:
    version: int
    summary: str
    statements: tuple[str, ...]
    # Python run after the statements, in the same transaction, for what SQL cannot do.
    backfill: Callable[[sqlite3.Connection], None] | None = None


# Version 1: the first ledger. Clients and volunteers are kept as their validated records in
# JSON: the readers already dropped names, notes and every other column the model lacks.
_V1: Final = (
    """CREATE TABLE clients (
        client_id TEXT PRIMARY KEY,
        record TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'matched', 'closed')),
        waiting_since TEXT NOT NULL,
        first_imported_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE volunteers (
        volunteer_id TEXT PRIMARY KEY,
        record TEXT NOT NULL,
        first_imported_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE pins (
        client_id TEXT PRIMARY KEY REFERENCES clients (client_id),
        volunteer_id TEXT NOT NULL REFERENCES volunteers (volunteer_id),
        pinned_on TEXT NOT NULL
    )""",
    """CREATE TABLE rounds (
        round_id INTEGER PRIMARY KEY,
        round_date TEXT NOT NULL,
        created_at TEXT NOT NULL,
        policy TEXT NOT NULL,
        config TEXT NOT NULL,
        inputs_hash TEXT NOT NULL,
        solver_status TEXT NOT NULL,
        objective_units INTEGER NOT NULL,
        n_waiting INTEGER NOT NULL,
        n_volunteers INTEGER NOT NULL
    )""",
    """CREATE TABLE proposals (
        round_id INTEGER NOT NULL REFERENCES rounds (round_id),
        client_id TEXT NOT NULL REFERENCES clients (client_id),
        volunteer_id TEXT NOT NULL REFERENCES volunteers (volunteer_id),
        weight_units INTEGER NOT NULL,
        risk_tier TEXT NOT NULL,
        scores TEXT NOT NULL,
        reasons TEXT NOT NULL,
        pinned INTEGER NOT NULL DEFAULT 0,
        decision TEXT CHECK (decision IN ('accepted', 'declined', 'superseded')),
        decided_at TEXT,
        PRIMARY KEY (round_id, client_id)
    )""",
    """CREATE TABLE matches (
        match_id INTEGER PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients (client_id),
        volunteer_id TEXT NOT NULL REFERENCES volunteers (volunteer_id),
        round_id INTEGER REFERENCES rounds (round_id),
        started_on TEXT NOT NULL,
        ended_on TEXT,
        end_reason TEXT
    )""",
    # A client is in at most one active match, whatever the code above it does.
    "CREATE UNIQUE INDEX one_active_match_per_client ON matches (client_id) WHERE ended_on IS NULL",
    """CREATE TABLE declines (
        client_id TEXT NOT NULL REFERENCES clients (client_id),
        volunteer_id TEXT NOT NULL REFERENCES volunteers (volunteer_id),
        round_id INTEGER REFERENCES rounds (round_id),
        declined_by TEXT NOT NULL CHECK (declined_by IN ('client', 'volunteer', 'coordinator')),
        reason TEXT NOT NULL,
        declined_on TEXT NOT NULL,
        PRIMARY KEY (client_id, volunteer_id)
    )""",
    """CREATE TABLE events (
        event_id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        os_user TEXT NOT NULL,
        kind TEXT NOT NULL,
        round_id INTEGER,
        client_id TEXT,
        volunteer_id TEXT,
        detail TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX events_by_client ON events (client_id)",
)

# Version 2: pausing volunteers, the reasons each waiting client was left out of a round,
# match durations, anonymous counts of erased data, and capacity enforced by the database.
_V2: Final = (
    "ALTER TABLE volunteers ADD COLUMN paused_until TEXT",
    "ALTER TABLE matches ADD COLUMN duration_days INTEGER",
    "UPDATE matches SET duration_days = CAST(julianday(ended_on) - julianday(started_on)"
    " AS INTEGER) WHERE ended_on IS NOT NULL",
    """CREATE TABLE unmatched (
        round_id INTEGER NOT NULL REFERENCES rounds (round_id),
        client_id TEXT NOT NULL REFERENCES clients (client_id),
        risk_tier TEXT NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL,
        PRIMARY KEY (round_id, client_id)
    )""",
    "CREATE TABLE erased (kind TEXT PRIMARY KEY, count INTEGER NOT NULL)",
    "CREATE INDEX events_by_volunteer ON events (volunteer_id)",
    "CREATE INDEX active_by_volunteer ON matches (volunteer_id) WHERE ended_on IS NULL",
    "CREATE INDEX proposals_by_pair ON proposals (client_id, volunteer_id)",
    # A last line of defence: the code checks capacity first and says who is full; this
    # refuses a match that would put a volunteer over capacity, counting the clients the
    # volunteer supports outside the ledger (active_clients in the imported file).
    """CREATE TRIGGER matches_within_capacity BEFORE INSERT ON matches
    WHEN (SELECT count(*) FROM matches
          WHERE volunteer_id = NEW.volunteer_id AND ended_on IS NULL)
       + (SELECT json_extract(record, '$.active_clients') FROM volunteers
          WHERE volunteer_id = NEW.volunteer_id)
       >= (SELECT json_extract(record, '$.capacity') FROM volunteers
           WHERE volunteer_id = NEW.volunteer_id)
    BEGIN
        SELECT RAISE(ABORT, 'volunteer over capacity');
    END""",
)

# Version 3: a per-ledger secret, and the keyed hashes of erased client ids, so that a weekly
# re-import of the usual sheet cannot quietly bring back a client who was forgotten. The
# hash (HMAC-SHA256 under the secret) answers "was this id erased?" for someone who already
# has the id, and nothing else; the id itself is never stored.
_V3: Final = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "INSERT INTO meta (key, value) VALUES ('erasure_key', lower(hex(randomblob(32))))",
    """CREATE TABLE erased_ids (
        id_hash TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('client')),
        erased_on TEXT NOT NULL
    )""",
)

# Version 4: the programme around a match. Outreach (letters, referrals) and contact attempts
# before someone waits; when each match's client started waiting; the introduction and its
# confirmation ("klik"); check-ins with their note. Outreach rows are keyed by the id the
# person gets as a client, so an intake is importing that id and `forget` finds every row.
_V4: Final = (
    """CREATE TABLE outreach (
        client_id TEXT PRIMARY KEY,
        programme TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('letter', 'referral')),
        source TEXT NOT NULL DEFAULT '',
        approached_on TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'approached'
            CHECK (state IN ('approached', 'reached', 'appointment', 'intake', 'closed')),
        appointment_on TEXT,
        intake_on TEXT,
        closed_on TEXT,
        close_reason TEXT
    )""",
    """CREATE TABLE contact_attempts (
        client_id TEXT NOT NULL REFERENCES outreach (client_id),
        attempt INTEGER NOT NULL,
        contacted_on TEXT NOT NULL,
        outcome TEXT NOT NULL
            CHECK (outcome IN ('not-reached', 'reached', 'declined', 'appointment')),
        PRIMARY KEY (client_id, attempt)
    )""",
    # Waiting time is the start of a match minus this; the client's own waiting_since is
    # overwritten when the client waits again after a match.
    "ALTER TABLE matches ADD COLUMN waiting_since TEXT",
    "ALTER TABLE matches ADD COLUMN introduced_on TEXT",
    "ALTER TABLE matches ADD COLUMN confirmed_on TEXT",
    """CREATE TABLE checkins (
        checkin_id INTEGER PRIMARY KEY,
        match_id INTEGER NOT NULL REFERENCES matches (match_id),
        client_id TEXT NOT NULL REFERENCES clients (client_id),
        checked_on TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('going-well', 'concerns', 'end')),
        note TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX checkins_by_match ON checkins (match_id)",
)

# Version 5: each proposal's and each waiting client's facts as JSON, beside the English
# sentences, so a stored round can be shown in Dutch too; older rows get facts read back from
# their English (rounds/legacy.py), or keep only the English where it cannot be read.
_V5: Final = (
    "ALTER TABLE proposals ADD COLUMN facts TEXT",
    "ALTER TABLE unmatched ADD COLUMN facts TEXT",
)

# Version 6: accounts for `matcher serve` on a network (`matcher user add`): a name, a role and
# an scrypt hash of the password with its own salt and cost (never the password itself).
_V6: Final = (
    """CREATE TABLE web_users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('coordinator', 'viewer')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
)

# Version 7: capacity in hours. The database's last line of defence counts hours: the hours
# of a volunteer's active clients (1 each when not given), those outside the ledger
# (active_hours, else active_clients) and the new client's must fit in hours_per_week (else
# capacity, an hour per place). Without hours anywhere this is the version 2 count exactly.
_CLIENT_HOURS: Final = (
    "coalesce(CASE WHEN json_valid(c.record) THEN json_extract(c.record, '$.hours_per_week')"
    " END, 1.0)"
)
_V7: Final = (
    "DROP TRIGGER matches_within_capacity",
    f"""CREATE TRIGGER matches_within_capacity BEFORE INSERT ON matches
    WHEN (SELECT coalesce(sum({_CLIENT_HOURS}), 0) FROM matches m
          LEFT JOIN clients c ON c.client_id = m.client_id
          WHERE m.volunteer_id = NEW.volunteer_id AND m.ended_on IS NULL)
       + (SELECT coalesce(json_extract(record, '$.active_hours'),
                          json_extract(record, '$.active_clients'))
          FROM volunteers WHERE volunteer_id = NEW.volunteer_id)
       + (SELECT {_CLIENT_HOURS} FROM clients c WHERE c.client_id = NEW.client_id)
       > (SELECT coalesce(json_extract(record, '$.hours_per_week'),
                          json_extract(record, '$.capacity'))
          FROM volunteers WHERE volunteer_id = NEW.volunteer_id)
    BEGIN
        SELECT RAISE(ABORT, 'volunteer over capacity');
    END""",
)

MIGRATIONS: Final = (
    Migration(1, "clients, volunteers, pins, rounds, proposals, matches, declines, events", _V1),
    Migration(2, "pauses, unmatched reasons, durations, erasure counts, capacity trigger", _V2),
    Migration(3, "ledger secret, keyed hashes of erased client ids", _V3),
    Migration(4, "outreach, contact attempts, waiting per match, introductions, check-ins", _V4),
    Migration(5, "facts of proposals and waiting clients (JSON)", _V5, facts_store.backfill),
    Migration(6, "web accounts (name, role, scrypt password hash)", _V6),
    Migration(7, "capacity in hours in the capacity trigger", _V7),
)
# Tables every ledger has from version 1 on: their absence means someone else's database.
_FIRST_TABLES: Final = ("clients", "volunteers", "rounds", "events")
SCHEMA_VERSION: Final = MIGRATIONS[-1].version


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, source: str) -> tuple[int, int]:
    """Bring the schema up to SCHEMA_VERSION inside the caller's transaction: (from, to)."""
    version = user_version(conn)
    if version < 0:
        raise LedgerError(f"{source}: an SQLite database, but not a matcher ledger")
    if version > SCHEMA_VERSION:
        raise LedgerError(
            f"{source}: made by a newer matcher (schema v{version}; this one knows up to"
            f" v{SCHEMA_VERSION}); upgrade matcher to use it"
        )
    if version == 0:
        require_empty(conn, source)
    else:
        require_ledger_tables(conn, source)
    for migration in MIGRATIONS[version:]:
        for statement in migration.statements:
            conn.execute(statement)
        if migration.backfill is not None:
            migration.backfill(conn)
        # PRAGMA user_version is part of the transaction: a failed upgrade leaves the old one.
        conn.execute(f"PRAGMA user_version = {migration.version}")
    return version, SCHEMA_VERSION


def require_ledger_tables(conn: sqlite3.Connection, source: str) -> None:
    """A database whose user_version looks like ours must also have our tables."""
    found = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN (?, ?, ?, ?)",
            _FIRST_TABLES,
        )
    }
    if found != set(_FIRST_TABLES):
        raise LedgerError(f"{source}: an SQLite database, but not a matcher ledger")


def require_empty(conn: sqlite3.Connection, source: str) -> None:
    """A database without a user_version is a new ledger only while it has no tables."""
    if conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]:
        raise LedgerError(f"{source}: an SQLite database, but not a matcher ledger")
