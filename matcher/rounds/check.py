"""`matcher db check`: every damaged record of the ledger, by table, id and column.

A command that needs a damaged record stops and names it (see stored.py); this lists them
all at once, so a coordinator can repair them in one go: a client or volunteer record by
importing the file again, anything else by restoring a backup or asking for help. Findings
name tables, ids and columns only, never the stored text.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Final

from matcher.models import Client, Volunteer
from matcher.rounds import stored
from matcher.rounds.db import Tx, UndecodableText
from matcher.rounds.state import LOAD_COLUMNS, load_damage

# Dates the commands read back, by table; True where the column may be empty.
DATE_COLUMNS: Final = {
    "clients": {"waiting_since": False},
    "volunteers": {"paused_until": True},
    "pins": {"pinned_on": False},
    "rounds": {"round_date": False},
    "matches": {"started_on": False, "ended_on": True},
    "declines": {"declined_on": False},
}

Row = dict[str, object]


def _record_checks(tx: Tx, table: str) -> Iterator[Callable[[Row], str]]:
    if table in ("clients", "volunteers"):
        model = Client if table == "clients" else Volunteer
        id_field = f"{table.removesuffix('s')}_id"
        # The commands read a volunteer's places with SQL (state.loads): checked the same way.
        places = (
            {row[0]: tuple(row)[1:] for row in tx.all(f"SELECT {LOAD_COLUMNS} FROM volunteers")}
            if table == "volunteers"
            else {}
        )

        def record(row: Row) -> str:
            key = str(row[id_field])
            what = stored.model_damage(model, row["record"], id_field, key)[1]
            if not what and key in places:
                what = load_damage(*places[key])
            return what

        yield record
    if table == "proposals":
        yield lambda row: stored.scores_damage(row["scores"])[1]
    if table == "rounds":
        yield lambda row: _config_damage(row["config"])
    for column, optional in DATE_COLUMNS.get(table, {}).items():
        yield _date_check(column, optional)


def _date_check(column: str, optional: bool) -> Callable[[Row], str]:
    def check(row: Row) -> str:
        what = stored.date_damage(row[column], optional=optional)[1]
        return f"{column}: {what}" if what else ""

    return check


def _config_damage(text: object) -> str:
    # Only its shape: a round's config is kept as it was, and a later matcher may word its
    # configs differently.
    if not isinstance(text, str) or isinstance(text, UndecodableText):
        return "config: must be JSON text"
    try:
        value = json.loads(text)
    except ValueError:
        return "config: not valid JSON"
    return "" if isinstance(value, dict) else "config: must be a JSON object"


def _keys(conn: sqlite3.Connection, table: str) -> list[str]:
    columns = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    primary = sorted((column["pk"], column["name"]) for column in columns if column["pk"])
    return [name for _, name in primary] or ["rowid"]


def check(tx: Tx) -> list[stored.Damage]:
    """Every damaged value in the ledger; empty when every record reads."""
    found = [
        stored.Damage("file", "pages", line[0])
        for line in tx.all("PRAGMA integrity_check")
        if line[0] != "ok"
    ]
    found += [
        stored.Damage(row[0], str(row[1]), f"refers to a missing {row[2]} row")
        for row in tx.all("PRAGMA foreign_key_check")
    ]
    tables = [
        row[0]
        for row in tx.all(
            "SELECT name FROM sqlite_schema WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    for table in tables:
        found += _check_table(tx, table)
    return found


def _check_table(tx: Tx, table: str) -> list[stored.Damage]:
    keys = _keys(tx.conn, table)
    checks = list(_record_checks(tx, table))
    found = []
    try:
        cursor = tx.conn.execute(f'SELECT rowid AS rowid, * FROM "{table}" ORDER BY rowid')
    except sqlite3.DatabaseError as error:
        return [stored.Damage(table, "(all)", f"cannot be read ({error})")]
    names = [d[0] for d in cursor.description]
    try:
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            key = stored.show_key(*((name, row[name]) for name in keys))
            whats = [
                f"{name}: not valid UTF-8 text"
                for name, value in row.items()
                if isinstance(value, UndecodableText)
            ]
            if not whats:
                whats = [what for check in checks if (what := check(row))]
            found += [stored.Damage(table, key, what) for what in whats]
    except sqlite3.DatabaseError as error:
        found.append(stored.Damage(table, "(rest)", f"cannot be read ({error})"))
    return found
