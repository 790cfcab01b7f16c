"""GDPR erasure (art. 17): forget one client everywhere in the ledger, keep anonymous counts.

Every row about the client goes: the record, pins, proposals, reasons it waited, matches,
declines (with their free-text reasons) and its audit events. What remains are counts without
an id (how many clients, matches, declines were erased, and how matches ended), and rounds'
totals. Other clients' "why waiting" texts that named the client say "another client" instead.
With secure_delete on, SQLite overwrites the freed pages, so the bytes do not linger in the file.
"""

from __future__ import annotations

import re
from collections import Counter

from matcher.rounds.db import Tx
from matcher.rounds.state import require_client

# Tables holding rows about a client, children before the clients table itself.
_CLIENT_TABLES = ("events", "pins", "declines", "unmatched", "proposals", "matches")


def forget(tx: Tx, client_id: str) -> dict[str, int]:
    """Erase the client; returns how many rows of each table were removed."""
    require_client(tx, client_id)
    counts: Counter[str] = Counter()
    for ended, reason in tx.all(
        "SELECT ended_on IS NOT NULL, end_reason FROM matches WHERE client_id = ?", (client_id,)
    ):
        counts[f"matches-ended:{reason}" if ended else "matches-active"] += 1
    removed = {}
    for table in (*_CLIENT_TABLES, "clients"):
        cursor = tx.conn.execute(f"DELETE FROM {table} WHERE client_id = ?", (client_id,))
        removed[table] = cursor.rowcount
        if table != "events":
            counts[table] += cursor.rowcount
    # The reason another client waited may say who got the volunteer: "went to K017 (2.9)".
    mention = re.compile(rf"(?<![\w-]){re.escape(client_id)}(?![\w-])")
    like = "%" + client_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = tx.all(
        "SELECT round_id, client_id, detail FROM unmatched WHERE detail LIKE ? ESCAPE '\\'",
        (like,),
    )
    for round_id, other, detail in rows:
        tx.conn.execute(
            "UPDATE unmatched SET detail = ? WHERE round_id = ? AND client_id = ?",
            (mention.sub("another client", detail), round_id, other),
        )
    tx.conn.executemany(
        "INSERT INTO erased (kind, count) VALUES (?, ?)"
        " ON CONFLICT (kind) DO UPDATE SET count = count + excluded.count",
        sorted((kind, n) for kind, n in counts.items() if n),
    )
    total = sum(removed.values())
    tx.event("forget", f"a client's personal data was erased ({total} rows); counts kept")
    return removed
