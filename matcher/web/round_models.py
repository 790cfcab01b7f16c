"""The JSON bodies of /api/v1 for a round: its pairs, its waiting clients with why, and its
bottleneck groups; built from the library's RoundProposal field for field (see api_models)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from matcher.bottleneck import BottleneckGroup
from matcher.facts import reasons_to_json
from matcher.result import Unmatched
from matcher.rounds import ProposedPair, RoundProposal
from matcher.web.model_base import _Model
from matcher.wording import unmatched_detail


class PairOut(_Model):
    client_id: str
    volunteer_id: str
    weight_units: int
    risk_tier: str
    scores: dict[str, float]
    pinned: bool
    decision: str | None
    facts: dict[str, Any] | None  # distance, contact, shared slots, … (None: an old round)
    reasons: list[Any]  # why the pair fits, as facts: [kind, values]
    why: str  # the reasons in words, in the asked language

    @classmethod
    def of(cls, pair: ProposedPair, lang: str) -> PairOut:
        return cls(
            client_id=pair.client_id,
            volunteer_id=pair.volunteer_id,
            weight_units=pair.weight_units,
            risk_tier=pair.risk_tier,
            scores=pair.scores,
            pinned=pair.pinned,
            decision=pair.decision,
            facts=None if pair.facts is None else pair.facts.to_dict(),
            reasons=reasons_to_json(pair.reasons),
            why=pair.why(lang),
        )


class UnmatchedOut(_Model):
    client_id: str
    risk_tier: str
    reason: str
    facts: dict[str, Any]  # options left after each rule, the best volunteer, …
    detail: str  # why, in words, in the asked language

    @classmethod
    def of(cls, unmatched: Unmatched, lang: str) -> UnmatchedOut:
        found = unmatched.to_dict()
        return cls(
            client_id=unmatched.client_id,
            risk_tier=unmatched.risk_tier,
            reason=unmatched.reason,
            facts={k: v for k, v in found.items() if k not in ("client_id", "risk_tier", "reason")},
            detail=unmatched_detail(unmatched, lang, weights=True),
        )


class BottleneckOut(_Model):
    """Clients who can only be served by `volunteers`, with `free_places` between them: at
    least `must_wait` of them wait whatever the policy (matcher.bottleneck)."""

    clients: list[str]
    volunteers: list[str]
    free_places: int
    must_wait: int
    waiting: list[str]  # those this round leaves waiting

    @classmethod
    def of(cls, group: BottleneckGroup) -> BottleneckOut:
        return cls(clients=list(group.clients), volunteers=list(group.volunteers),
                   free_places=group.free_places, must_wait=group.must_wait,
                   waiting=list(group.waiting))  # fmt: skip


class RoundOut(_Model):
    round_id: int
    round_date: dt.date
    policy: str
    status: str
    objective_units: int
    inputs_hash: str
    n_waiting: int
    n_volunteers: int
    superseded: int
    pairs: list[PairOut]
    waiting: list[UnmatchedOut]
    # The engine's bottleneck groups, largest shortage first: in the answer to a proposal; a
    # round read back has none stored (null; the Koppelronde page can rebuild them).
    bottlenecks: list[BottleneckOut] | None = None

    @classmethod
    def of(cls, proposal: RoundProposal, lang: str = "en") -> RoundOut:
        return cls(
            round_id=proposal.round_id,
            round_date=proposal.round_date,
            policy=proposal.policy,
            status=proposal.status,
            objective_units=proposal.objective_units,
            inputs_hash=proposal.inputs_hash,
            n_waiting=proposal.n_waiting,
            n_volunteers=proposal.n_volunteers,
            superseded=proposal.superseded,
            pairs=[PairOut.of(p, lang) for p in proposal.pairs],
            waiting=[UnmatchedOut.of(u, lang) for u in proposal.waiting],
            bottlenecks=None
            if proposal.bottlenecks is None
            else [BottleneckOut.of(g) for g in proposal.bottlenecks.groups],
        )
