"""What a matching round returns: proposals with their reasons, and every client left out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

from matcher.scoring import WEIGHT_SCALE, format_weight
from matcher.solvers.status import SolveStatus

# Why a client got no proposal: a hard rule removed its last option (in the order of
# candidates.RULES), the only volunteers of its programme are paused (ledger rounds), or others
# took its options.
REASON_CODES: Final = (
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
)


@dataclass(frozen=True, slots=True)
class Match:
    client_id: str
    volunteer_id: str
    weight_units: int
    risk_tier: str
    scores: dict[str, float]
    priority: float
    distance_km: float | None
    contact: str  # "visit" or "phone": how this pair can meet

    @property
    def weight(self) -> float:
        return self.weight_units / WEIGHT_SCALE

    @property
    def weight_text(self) -> str:
        return format_weight(self.weight_units)


@dataclass(frozen=True, slots=True)
class Unmatched:
    client_id: str
    risk_tier: str
    reason: str  # one of REASON_CODES
    detail: str
    # The facts behind the detail, for other languages and the report; a round read back
    # from the ledger has only the detail.
    options_before: int | None = None  # volunteers left before the rule that removed the last
    best_volunteer: str | None = None  # outcompeted: the best allowed volunteer
    taken_by: tuple[str, ...] = ()  # outcompeted: the clients that volunteer went to
    # volunteers-paused: the paused volunteers who serve the programme, each with the first
    # day they take new clients again, by volunteer id
    paused: tuple[tuple[str, dt.date], ...] = ()
    # no-capacity with capacity in hours: the hours a week the client needs
    hours_needed: float | None = None


@dataclass(frozen=True)
class MatchResult:
    matches: tuple[Match, ...]
    unmatched: tuple[Unmatched, ...]
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
