"""A round's facts in the ledger: each proposal's and each waiting client's facts as JSON
(schema v5), read back into the objects the engine returned, so a stored round is shown in
either language. Rows an older matcher stored hold only English text: the v5 upgrade reads
the facts back from it (legacy.py); text that does not fit is shown as it is.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any, cast

from matcher.facts import PairFacts, Reason, reasons_from_json, reasons_to_json
from matcher.result import ReasonCode, Unmatched
from matcher.rounds import legacy
from matcher.vocab import RiskTier


def pair_json(reasons: tuple[Reason, ...], facts: PairFacts | None) -> str:
    """proposals.facts: the reasons (without "pinned": a column says that) and the facts."""
    return json.dumps(
        {"reasons": reasons_to_json(reasons), "pair": None if facts is None else facts.to_dict()}
    )


def read_pair(text: object, stored: str) -> tuple[tuple[Reason, ...], PairFacts | None, str | None]:
    """(reasons, facts, stored English text when the facts cannot be read)."""
    try:
        data = json.loads(cast(str, text))
        reasons = reasons_from_json(data["reasons"])
        facts = None if data.get("pair") is None else PairFacts.from_dict(data["pair"])
    except (TypeError, ValueError, KeyError, IndexError):
        return (), None, stored
    return reasons, facts, None


def unmatched_json(u: Unmatched) -> str:
    return json.dumps(
        {
            "programme": u.programme,
            "options_left": [list(pair) for pair in u.options_left],
            "options_before": u.options_before,
            "best_volunteer": u.best_volunteer,
            "best_weight_units": u.best_weight_units,
            "taken_by": list(u.taken_by),
            "taken_weight_units": list(u.taken_weight_units),
            "policy": u.policy,
            "paused": [[v, until.isoformat()] for v, until in u.paused],
            **({} if u.hours_needed is None else {"hours_needed": u.hours_needed}),
        }
    )


def read_unmatched(row: sqlite3.Row, policy: str) -> Unmatched:
    """A waiting client of a stored round; `policy`: the round's."""
    tier, reason = cast(RiskTier, row["risk_tier"]), cast(ReasonCode, row["reason"])
    try:
        data: dict[str, Any] = json.loads(row["facts"])
        return Unmatched(
            row["client_id"],
            tier,
            reason,
            programme=str(data.get("programme", "")),
            options_left=tuple((str(c), int(n)) for c, n in data.get("options_left", ())),
            options_before=data.get("options_before"),
            best_volunteer=data.get("best_volunteer"),
            best_weight_units=data.get("best_weight_units"),
            taken_by=tuple(data.get("taken_by", ())),
            taken_weight_units=tuple(int(w) for w in data.get("taken_weight_units", ())),
            policy=str(data.get("policy") or policy),
            paused=tuple((str(v), dt.date.fromisoformat(d)) for v, d in data.get("paused", ())),
            hours_needed=None if data.get("hours_needed") is None else float(data["hours_needed"]),
        )
    except (TypeError, ValueError, KeyError, IndexError):
        return Unmatched(row["client_id"], tier, reason, policy=policy, stored_detail=row["detail"])


def backfill(conn: sqlite3.Connection) -> None:
    """The v5 upgrade: facts for the rows of older rounds, read back from their English."""
    rows = conn.execute("SELECT rowid, reasons FROM proposals WHERE facts IS NULL").fetchall()
    for rowid, text in rows:
        reasons = legacy.pair_reasons(str(text))
        if reasons is not None:
            kept = tuple(r for r in reasons if r[0] != "pinned")
            conn.execute(
                "UPDATE proposals SET facts = ? WHERE rowid = ?", (pair_json(kept, None), rowid)
            )
    rows = conn.execute(
        "SELECT u.rowid, u.reason, u.detail, r.policy FROM unmatched u"
        " JOIN rounds r USING (round_id) WHERE u.facts IS NULL"
    ).fetchall()
    for rowid, reason, detail, policy in rows:
        facts = legacy.unmatched_facts(str(reason), str(detail))
        if facts is not None:
            facts["policy"] = policy
            conn.execute(
                "UPDATE unmatched SET facts = ? WHERE rowid = ?", (json.dumps(facts), rowid)
            )
