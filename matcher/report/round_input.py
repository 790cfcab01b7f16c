"""What a round report is drawn from: the people, the proposals and who waits, from a match
of files (`matcher match`) or from a round the ledger proposed (`matcher round propose`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from matcher.bottleneck import Bottlenecks
from matcher.config import MatchConfig
from matcher.facts import Reason
from matcher.models import Client, Volunteer
from matcher.result import MatchResult, Unmatched
from matcher.rounds.propose import RoundProposal


class ProposedPair(Protocol):
    """A proposal as the engine (Match) or the ledger (rounds.ProposedPair) hands it over."""

    @property
    def client_id(self) -> str: ...
    @property
    def volunteer_id(self) -> str: ...
    @property
    def weight_units(self) -> int: ...
    @property
    def risk_tier(self) -> str: ...
    @property
    def scores(self) -> dict[str, float]: ...
    @property
    def reasons(self) -> tuple[Reason, ...]: ...


@dataclass(frozen=True)
class RoundInput:
    clients: Sequence[Client]
    volunteers: Sequence[Volunteer]  # active_clients = places taken before this round
    pairs: Sequence[ProposedPair]
    unmatched: Sequence[Unmatched]
    config: MatchConfig
    round_date: dt.date
    policy: str
    status: str
    objective_units: int
    round_id: int | None = None
    pinned: frozenset[str] = frozenset()  # clients whose pair the coordinator decided
    bottlenecks: Bottlenecks | None = None  # groups with too few places (matcher.bottleneck)

    @classmethod
    def of_match(
        cls,
        result: MatchResult,
        clients: Sequence[Client],
        volunteers: Sequence[Volunteer],
        config: MatchConfig,
        *,
        bottlenecks: Bottlenecks | None = None,
    ) -> RoundInput:
        """A round of `matcher.match` (or `matcher match`) on these people."""
        return cls(clients, volunteers, result.matches, result.unmatched, config,
                   result.round_date, result.policy, str(result.status),
                   result.objective_units, bottlenecks=bottlenecks)  # fmt: skip

    @classmethod
    def of_proposal(cls, proposal: RoundProposal, config: MatchConfig) -> RoundInput:
        """A round the ledger has just proposed (it carries the people it was computed on)."""
        return cls(proposal.clients, proposal.volunteers, proposal.pairs, proposal.waiting,
                   config, proposal.round_date, proposal.policy, proposal.status,
                   proposal.objective_units, round_id=proposal.round_id,
                   pinned=frozenset(p.client_id for p in proposal.pairs if p.pinned),
                   bottlenecks=proposal.bottlenecks)  # fmt: skip
