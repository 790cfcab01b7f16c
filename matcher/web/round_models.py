"""The JSON bodies of /api/v1 for a round: its pairs, its waiting clients with why, and its
bottleneck groups; the fields are the library's own (RoundProposal, ProposedPair), derived."""

from __future__ import annotations

from typing import Any, Self

from matcher.bottleneck import BottleneckGroup
from matcher.facts import reasons_to_json
from matcher.result import Unmatched
from matcher.rounds import ProposedPair, RoundProposal
from matcher.web.model_base import _Model, derived_from
from matcher.wording import unmatched_detail


@derived_from(
    ProposedPair,
    leave_out={"stored_reasons"},
    # facts: distance, contact, shared slots, … (None: an old round); reasons: why the pair
    # fits, as facts [kind, values]; why: those reasons in words, in the asked language.
    retyped={"facts": dict[str, Any] | None, "reasons": list[Any]},
    added={"why": str},
)
class PairOut(_Model):
    """A proposed pair (matcher.rounds.ProposedPair), its reasons as facts and in words."""

    @classmethod
    def of(cls, pair: ProposedPair, lang: str) -> Self:
        facts = None if pair.facts is None else pair.facts.to_dict()
        return cls.of_fields(
            pair, facts=facts, reasons=reasons_to_json(pair.reasons), why=pair.why(lang)
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


@derived_from(
    RoundProposal,
    # What the engine computed the round on and how long it took: not part of the answer.
    # The round's default language: the API words it in the language asked (?lang=).
    leave_out={"timings", "clients", "volunteers", "result", "prepared", "lang"},
    # The engine's bottleneck groups, largest shortage first: in the answer to a proposal; a
    # round read back has none stored (null; the Koppelronde page can rebuild them).
    retyped={
        "pairs": list[PairOut],
        "waiting": list[UnmatchedOut],
        "bottlenecks": (list[BottleneckOut] | None, None),
    },
)
class RoundOut(_Model):
    """A round (matcher.rounds.RoundProposal): its pairs, who waits and why, its bottlenecks."""

    @classmethod
    def of(cls, proposal: RoundProposal, lang: str = "en") -> Self:
        groups = proposal.bottlenecks
        return cls.of_fields(
            proposal,
            pairs=[PairOut.of(p, lang) for p in proposal.pairs],
            waiting=[UnmatchedOut.of(u, lang) for u in proposal.waiting],
            bottlenecks=None if groups is None else [BottleneckOut.of(g) for g in groups.groups],
        )
