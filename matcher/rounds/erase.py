"""GDPR erasure (art. 17): forget one client everywhere in the ledger, keep anonymous counts.

Every row about the client goes: the record, pins, proposals, reasons it waited, matches,
declines (with their free-text reasons), check-ins (with their notes), outreach (with the
referral's source), contact attempts and its audit events. What remains are counts without
an id (how many clients, matches, declines were erased, and how matches ended), and rounds'
totals. Other clients' "why waiting" texts that named the client say "another client" instead.
With secure_delete on, SQLite overwrites the freed pages, so the bytes do not linger in the file.

The id itself is kept only as a keyed hash (HMAC-SHA256 under a secret of this ledger), so
that importing the usual sheet again, which still lists the client, is refused instead of
quietly bringing the client back with a fresh history (see intake.import_clients).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Callable, Iterable

from matcher.rounds.db import LedgerError, Tx
from matcher.rounds.state import require_client

# Tables holding rows about a client, children before the clients table itself.
_CLIENT_TABLES = (
    "events",
    "pins",
    "declines",
    "unmatched",
    "proposals",
    "checkins",
    "matches",
    "contact_attempts",
    "outreach",
)


def forget(tx: Tx, client_id: str) -> dict[str, int]:
    """Erase the client; returns how many rows of each table were removed."""
    if tx.one("SELECT 1 FROM outreach WHERE client_id = ?", (client_id,)) is None:
        require_client(tx, client_id)  # someone only approached has no client record yet
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
    tx.conn.execute(
        "INSERT INTO erased_ids (id_hash, kind, erased_on) VALUES (?, 'client', ?)"
        " ON CONFLICT (id_hash) DO UPDATE SET erased_on = excluded.erased_on",
        (id_hasher(tx)(client_id), tx.at[:10]),
    )
    total = sum(removed.values())
    tx.event("forget", f"a client's personal data was erased ({total} rows); counts kept")
    return removed


def id_hasher(tx: Tx) -> Callable[[str], str]:
    """The keyed hash of a client id under this ledger's secret."""
    row = tx.one("SELECT value FROM meta WHERE key = 'erasure_key'")
    if row is None:
        raise LedgerError(f"{tx.source}: the ledger's secret is missing (meta table)")
    key = bytes.fromhex(row[0])

    def digest(client_id: str) -> str:
        return hmac.new(key, client_id.encode(), hashlib.sha256).hexdigest()

    return digest


def erased_on(tx: Tx, client_ids: Iterable[str]) -> dict[str, str]:
    """The ids among these that were erased, with the day each was erased."""
    erased = tx.mapping("SELECT id_hash, erased_on FROM erased_ids WHERE kind = 'client'")
    if not erased:
        return {}
    digest = id_hasher(tx)
    return {cid: erased[h] for cid in client_ids if (h := digest(cid)) in erased}


def unerase(tx: Tx, client_ids: Iterable[str]) -> None:
    """Drop the hashes of erased ids imported again: they are in the ledger once more."""
    digest = id_hasher(tx)
    tx.conn.executemany(
        "DELETE FROM erased_ids WHERE id_hash = ?", ((digest(cid),) for cid in client_ids)
    )
