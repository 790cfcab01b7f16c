"""What a matching round returns: proposals with their facts and reasons, and every client
left out with the facts of why. Numbers and codes only: matcher.wording says them in words."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Final, Literal

from matcher.candidates import RULES
from matcher.facts import Contact, PairFacts, Reason, fast_maker
from matcher.lazy_tuple import item_column
from matcher.scoring import format_weight
from matcher.solvers.status import SolveStatus
from matcher.units import WEIGHT_SCALE
from matcher.vocab import RISK_TIERS, RiskTier

# Why a client got no proposal: a hard rule removed its last option (in the order of
# candidates.RULES), the only volunteers of its programme are paused (ledger rounds), or others
# took its options. The Literal is for type checkers; REASON_CODES is derived from the rules
# and a test keeps the two in step.
ReasonCode = Literal[
    "no-programme",
    "volunteers-paused",
    "no-capacity",
    "contact-mismatch",
    "too-far",
    "no-shared-time",
    "no-shared-language",
    "gender-preference",
    "excluded",
    "training-required",
    "outcompeted",
]
# A paused programme is said right after "no volunteer serves it": it is the same gap.
REASON_CODES: Final[tuple[str, ...]] = (
    RULES[0].code,
    "volunteers-paused",
    *(rule.code for rule in RULES[1:]),
    "outcompeted",
)


@dataclass(frozen=True, slots=True)
class Match:
    client_id: str
    volunteer_id: str
    weight_units: int
    risk_tier: RiskTier
    scores: dict[str, float]
    priority: float
    facts: PairFacts

    @property
    def weight(self) -> float:
        return self.weight_units / WEIGHT_SCALE

    @property
    def weight_text(self) -> str:
        return format_weight(self.weight_units)

    @property
    def distance_km(self) -> float | None:
        return self.facts.distance_km

    @property
    def contact(self) -> Contact:
        return self.facts.contact

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return self.facts.reasons()

    def to_dict(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "volunteer_id": self.volunteer_id,
            "weight": self.weight,
            "weight_units": self.weight_units,
            "risk_tier": self.risk_tier,
            "scores": dict(self.scores),
            "priority": self.priority,
            "distance_km": self.distance_km,
            "contact": self.contact,
            "facts": self.facts.to_dict(),
            "reasons": [[kind, list(values)] for kind, values in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A client left waiting, and the facts of why (matcher.wording.unmatched_detail says them)."""

    client_id: str
    risk_tier: RiskTier
    reason: ReasonCode
    programme: str = ""
    # Volunteers left after each hard rule, in the round's rule order (a rule switched off in
    # the config is not listed); the rule that took the count to 0 is the reason.
    options_left: tuple[tuple[str, int], ...] = ()
    options_before: int | None = None  # volunteers left before the rule that removed the last
    best_volunteer: str | None = None  # outcompeted: the best allowed volunteer
    best_weight_units: int | None = None
    taken_by: tuple[str, ...] = ()  # outcompeted: the clients that volunteer went to
    taken_weight_units: tuple[int, ...] = ()  # the weight of each of those pairs
    policy: str = ""  # the policy of the round (it may leave a place free)
    # volunteers-paused: the paused volunteers who serve the programme, each with the first
    # day they take new clients again, by volunteer id
    paused: tuple[tuple[str, dt.date], ...] = ()
    # no-capacity with capacity in hours: the hours a week the client needs
    hours_needed: float | None = None
    # A round stored by an older matcher, whose English sentence could not be read back as
    # facts: shown as it is.
    stored_detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "risk_tier": self.risk_tier,
            "reason": self.reason,
            "programme": self.programme,
            "options_left": dict(self.options_left),
            "options_before": self.options_before,
            "best_volunteer": self.best_volunteer,
            "best_weight": None
            if self.best_weight_units is None
            else self.best_weight_units / WEIGHT_SCALE,
            "taken_by": [
                {"client_id": c, "weight": w / WEIGHT_SCALE}
                for c, w in zip(self.taken_by, self.taken_weight_units, strict=False)
            ],
            "policy": self.policy,
            "paused": [{"volunteer_id": v, "until": d.isoformat()} for v, d in self.paused],
            # Only with capacity in hours: rounds without hours stay as they were.
            **({} if self.hours_needed is None else {"hours_needed": self.hours_needed}),
        }


# The engine makes tens of thousands of these per round: made without the frozen __init__'s
# per-field object.__setattr__ (matcher.facts.fast_maker), every field given, in field order.
make_match: Final = fast_maker(Match)
make_unmatched: Final = fast_maker(Unmatched)


_risk_tier: Final = attrgetter("risk_tier")


@dataclass(frozen=True)
class MatchResult:
    # The engine's are LazyTuples: equal to the tuple of their items, each made when first
    # looked at (a caller who reads a few proposals does not pay for the rest).
    matches: Sequence[Match]
    unmatched: Sequence[Unmatched]
    objective_units: int
    status: SolveStatus
    round_date: dt.date
    policy: str
    n_clients: int
    n_volunteers: int
    n_candidates: int
    timings: dict[str, float] = field(default_factory=dict)
    # A solve stopped at its work limit: how far from proven optimal it may be (see status).
    gap: float | None = None

    @property
    def objective(self) -> float:
        return self.objective_units / WEIGHT_SCALE

    @property
    def objective_text(self) -> str:
        return format_weight(self.objective_units)

    def match_for(self, client_id: str) -> Match | None:
        return next((m for m in self.matches if m.client_id == client_id), None)

    def unmatched_for(self, client_id: str) -> Unmatched | None:
        return next((u for u in self.unmatched if u.client_id == client_id), None)

    def summary(self) -> dict[str, Any]:
        """The counts of summary.json (without input hash and versions), numbers as numbers."""
        # Read from the engine's arrays where it can: counting makes no object per row.
        matched_tiers = Counter(item_column(self.matches, "risk_tier", _risk_tier))
        tiers = matched_tiers + Counter(item_column(self.unmatched, "risk_tier", _risk_tier))
        reasons = Counter(item_column(self.unmatched, "reason", attrgetter("reason")))
        # Only a solve stopped at its work limit has a gap: exact rounds stay as they were.
        gap = {} if not self.gap else {"gap": round(self.gap, 6)}
        return {
            "status": str(self.status),
            **gap,
            "policy": self.policy,
            "round_date": self.round_date.isoformat(),
            "objective": self.objective,
            "objective_units": self.objective_units,
            "weight_scale": WEIGHT_SCALE,
            "clients": self.n_clients,
            "volunteers": self.n_volunteers,
            "candidate_pairs": self.n_candidates,
            "matched": len(self.matches),
            "unmatched": len(self.unmatched),
            "risk_tiers": {tier: tiers.get(tier, 0) for tier in RISK_TIERS},
            "matched_by_risk_tier": {tier: matched_tiers.get(tier, 0) for tier in RISK_TIERS},
            "unmatched_by_reason": dict(sorted(reasons.items())),
        }

    def to_dict(self) -> dict[str, Any]:
        """The whole result as JSON-ready data: summary.json's keys, then every proposal
        (`matches`) and every client left waiting (`waiting`) with their facts."""
        return {
            **self.summary(),
            "timings": {key: round(value, 4) for key, value in self.timings.items()},
            "matches": [m.to_dict() for m in self.matches],
            "waiting": [u.to_dict() for u in self.unmatched],
        }
