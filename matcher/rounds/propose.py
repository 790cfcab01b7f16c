"""A weekly round: the engine on waiting clients and free places, stored with its reasons.

What the ledger adds to the engine's input:
- only clients still waiting, each waiting since the ledger says (first import or the end of
  an earlier match), so weeks waited raise priority round after round;
- volunteers not paused on the round date, with every place already taken counted as taken:
  active matches in the ledger, clients supported outside it, and pins;
- every declined pair as an exclusion, so it is never proposed again;
- pinned clients leave the engine and their pair enters the proposal as decided;
- a client whose programme only paused volunteers serve waits for `volunteers-paused`
  (who, and until when), not `no-programme`.
The engine's input is gathered in gather.py, which explain shares.
Active matches are not inputs to change: their clients are not waiting.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field

from matcher.bottleneck import Bottlenecks, find_bottlenecks
from matcher.config import MatchConfig
from matcher.engine import Prepared, score_pair, solve
from matcher.facts import PairFacts, Reason
from matcher.models import Client, Volunteer
from matcher.result import Match, MatchResult, Unmatched
from matcher.rounds import facts_store, stored
from matcher.rounds.db import Tx
from matcher.rounds.gather import gather_round
from matcher.vocab import RiskTier
from matcher.wording import LANGUAGES, pair_why, unmatched_detail


# Keyword-only, so that the fields stand in the order the API shows them
# (matcher.web.round_models derives its JSON from these), defaults or not.
@dataclass(frozen=True, kw_only=True)
class ProposedPair:
    client_id: str
    volunteer_id: str
    weight_units: int
    risk_tier: RiskTier
    scores: dict[str, float]
    pinned: bool
    decision: str | None = None  # accepted, declined, superseded; None while undecided
    facts: PairFacts | None = None  # None in a round an older matcher stored
    reasons: tuple[Reason, ...]  # why the pair fits, as facts; `pinned` is said apart
    # A round an older matcher stored, whose English reasons could not be read back as facts.
    stored_reasons: str | None = None

    def why(self, lang: str = "en") -> str:
        return pair_why(self.reasons, lang, pinned=self.pinned, stored=self.stored_reasons)

    @classmethod
    def of_match(cls, match: Match, *, pinned: bool = False) -> ProposedPair:
        return cls(
            client_id=match.client_id,
            volunteer_id=match.volunteer_id,
            weight_units=match.weight_units,
            risk_tier=match.risk_tier,
            scores=match.scores,
            reasons=match.reasons,
            pinned=pinned,
            facts=match.facts,
        )


@dataclass(frozen=True, kw_only=True)  # in the API's order, as ProposedPair
class RoundProposal:
    round_id: int
    round_date: dt.date
    policy: str
    status: str
    objective_units: int
    inputs_hash: str
    n_waiting: int
    n_volunteers: int
    superseded: int = 0  # undecided proposals of earlier rounds this round replaced
    # The round's config [report] lang: the language the round is worded in unless asked.
    lang: str = "nl"
    pairs: tuple[ProposedPair, ...]
    waiting: tuple[Unmatched, ...]
    timings: dict[str, float] = field(default_factory=dict)
    # The people the round was computed on, as the engine saw them (for the HTML report);
    # not stored, so empty in a round read back from the ledger.
    clients: tuple[Client, ...] = field(default=(), repr=False, compare=False)
    volunteers: tuple[Volunteer, ...] = field(default=(), repr=False, compare=False)
    # The engine's result, the round it solved and its bottleneck groups (for the workbook,
    # the call list and the report); not stored, so None in a round read back from the ledger.
    result: MatchResult | None = field(default=None, repr=False, compare=False)
    prepared: Prepared | None = field(default=None, repr=False, compare=False)
    bottlenecks: Bottlenecks | None = field(default=None, repr=False, compare=False)


def _pinned_pair(
    client: Client, volunteer: Volunteer, config: MatchConfig, round_date: dt.date
) -> ProposedPair:
    """Weight and reasons of a pair the coordinator decided, scored as the engine would."""
    return ProposedPair.of_match(score_pair(client, volunteer, config, round_date), pinned=True)


def propose_round(tx: Tx, config: MatchConfig, round_date: dt.date) -> RoundProposal:
    started = time.perf_counter()
    timings: dict[str, float] = {}
    superseded = tx.conn.execute(
        "UPDATE proposals SET decision = 'superseded', decided_at = ? WHERE decision IS NULL",
        (tx.at,),
    ).rowcount

    inputs = gather_round(tx, config, round_date)
    clients, pinned_clients, pins = inputs.clients, inputs.pinned_clients, inputs.pins
    volunteers, all_volunteers = inputs.volunteers, inputs.all_volunteers
    present = {v.volunteer_id for v in volunteers}
    prepared = inputs.prepared
    # gather_round prepares too; the engine's own stages are timed apart in prepared.timings.
    timings["load_s"] = time.perf_counter() - started - sum(prepared.timings.values())
    result = inputs.with_paused_reasons(solve(prepared))
    timings.update(result.timings)

    started = time.perf_counter()
    pairs = [
        _pinned_pair(client, all_volunteers[pins[cid]], config, round_date)
        for cid, client in sorted(pinned_clients.items())
    ]
    pairs += [ProposedPair.of_match(m) for m in result.matches]
    pairs.sort(key=lambda p: p.client_id)
    timings["reasons_s"] = time.perf_counter() - started
    started = time.perf_counter()
    bottlenecks = find_bottlenecks(prepared, result)
    timings["bottlenecks_s"] = time.perf_counter() - started

    started = time.perf_counter()
    digest = inputs.inputs_hash
    n_waiting = len(clients) + len(pinned_clients)
    cursor = tx.conn.execute(
        "INSERT INTO rounds (round_date, created_at, policy, config, inputs_hash, solver_status,"
        " objective_units, n_waiting, n_volunteers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            round_date.isoformat(),
            tx.at,
            config.policy,
            config.round_json(),
            digest,
            str(result.status),
            result.objective_units,
            n_waiting,
            len(volunteers),
        ),
    )
    round_id = int(cursor.lastrowid or 0)
    tx.conn.executemany(
        "INSERT INTO proposals (round_id, client_id, volunteer_id, weight_units, risk_tier,"
        " scores, reasons, pinned, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                round_id,
                p.client_id,
                p.volunteer_id,
                p.weight_units,
                p.risk_tier,
                json.dumps(p.scores),
                p.why(),
                int(p.pinned),
                facts_store.pair_json(p.reasons, p.facts),
            )
            for p in pairs
        ),
    )
    tx.conn.executemany(
        "INSERT INTO unmatched (round_id, client_id, risk_tier, reason, detail, facts)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            (
                round_id,
                u.client_id,
                u.risk_tier,
                u.reason,
                unmatched_detail(u, weights=True),
                facts_store.unmatched_json(u),
            )
            for u in result.unmatched
        ),
    )
    tx.events(
        ("propose", round_id, p.client_id, p.volunteer_id,
         f"proposed{' (pinned)' if p.pinned else ''} with {p.volunteer_id}: {p.why()}")
        for p in pairs
    )  # fmt: skip
    summary = (
        f"round {round_id} for {round_date} ({config.policy}, {result.status}):"
        f" {len(pairs)} proposals ({len(pins)} pinned), {len(result.unmatched)} left waiting"
        + (f"; {superseded} undecided earlier proposal(s) superseded" if superseded else "")
    )
    tx.event("round", summary, round_id=round_id)
    timings["store_s"] = time.perf_counter() - started
    return RoundProposal(
        round_id=round_id,
        round_date=round_date,
        policy=config.policy,
        status=str(result.status),
        objective_units=result.objective_units,
        inputs_hash=digest,
        n_waiting=n_waiting,
        n_volunteers=len(volunteers),
        pairs=tuple(pairs),
        waiting=tuple(result.unmatched),
        superseded=superseded,
        lang=config.report.lang,
        timings=timings,
        clients=tuple(clients) + tuple(pinned_clients.values()),
        # A pinned volunteer may be paused this week: still part of the round's picture.
        volunteers=tuple(volunteers)
        + tuple(all_volunteers[v] for v in sorted(set(pins.values()) - present)),
        result=result,
        prepared=prepared,
        bottlenecks=bottlenecks,
    )


def load_round(tx: Tx, round_id: int) -> RoundProposal:
    """A stored round as it was proposed, with each pair's decision so far."""
    row = tx.one("SELECT * FROM rounds WHERE round_id = ?", (round_id,))
    assert row is not None
    pairs = []
    for p in tx.all("SELECT * FROM proposals WHERE round_id = ? ORDER BY client_id", (round_id,)):
        reasons, facts, stored_reasons = facts_store.read_pair(p["facts"], p["reasons"])
        pairs.append(
            ProposedPair(
                client_id=p["client_id"],
                volunteer_id=p["volunteer_id"],
                weight_units=p["weight_units"],
                risk_tier=p["risk_tier"],
                scores=stored.scores(
                    tx,
                    stored.show_key(("round_id", round_id), ("client_id", p["client_id"])),
                    p["scores"],
                ),
                reasons=reasons,
                pinned=bool(p["pinned"]),
                decision=p["decision"],
                facts=facts,
                stored_reasons=stored_reasons,
            )
        )
    waiting = tuple(
        facts_store.read_unmatched(u, row["policy"])
        for u in tx.all(
            "SELECT * FROM unmatched WHERE round_id = ? ORDER BY client_id", (round_id,)
        )
    )
    return RoundProposal(
        round_id=round_id,
        round_date=stored.date(tx, "rounds", str(round_id), "round_date", row["round_date"]),
        policy=row["policy"],
        status=row["solver_status"],
        objective_units=row["objective_units"],
        inputs_hash=row["inputs_hash"],
        n_waiting=row["n_waiting"],
        n_volunteers=row["n_volunteers"],
        pairs=tuple(pairs),
        waiting=waiting,
        lang=_stored_lang(row["config"]),
    )


def _stored_lang(config_json: str) -> str:
    """The stored config's [report] lang; read alone, so that a round whose config no longer
    validates (a hand-edited ledger) is still shown."""
    try:
        lang = json.loads(config_json).get("report", {}).get("lang")
    except (ValueError, AttributeError):
        lang = None
    return lang if lang in LANGUAGES else MatchConfig().report.lang
