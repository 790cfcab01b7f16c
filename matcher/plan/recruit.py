"""`matcher plan --recruit`: which volunteer profile to recruit, by what one more of it does.

The candidates are the round report's recruit suggestions (matcher.recruits): the profiles
(programme, district or phone, lived experience, language, training, gender) that together
reach the most clients the scenario's round leaves waiting, each as the hypothetical
volunteer the engine checked against them. Each candidate is a cell: the scenario's worlds
with that one volunteer added from week 0 (with its own churn draw); the first cell adds
nobody. Run r of every cell meets the same world otherwise (common random numbers), so the
per-run difference to the first cell is the recruit's effect, not luck; the candidates are
ranked by its mean over runs, with a paired Student t interval; ties go to the one that adds
more new couples (`matches`; fewer left waiting when ranking by `matches`), then to the one
that reaches more clients waiting in the round, then to the suggestions' order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from matcher.engine import match
from matcher.models import Volunteer
from matcher.plan.sweep import PlanResult
from matcher.plan.vary import Cell, Vary
from matcher.recruits import Profile, recruits
from matcher.scenarios import Scenario, generate
from matcher.simulate.metrics import Stat, mean_difference

Summary = Sequence[Mapping[str, Mapping[str, Stat]]]

KEY: Final = "recruit"
BASELINE: Final = "none (today's pool)"
DEFAULT_RANK_METRIC: Final = "high_risk_within_4_weeks"
# Metrics where less is better: a recruit improves them by lowering them.
LOWER_IS_BETTER: Final = frozenset(
    {"waiting_end", "declined", "mean_travel_km", "load_gini"}
    | {f"wait_{stat}_{tier}" for stat in ("median", "p90", "max")
       for tier in ("all", "low", "moderate", "high")}
)  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    label: str
    volunteer: Volunteer
    reaches: int  # clients waiting in the scenario's round this volunteer could be matched to


@dataclass(frozen=True)
class Candidates:
    candidates: tuple[Candidate, ...]
    waiting: int  # clients the scenario's round left waiting
    source: str  # "waiting": suggested by them; "all": by every client (none were left waiting)


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    cell: int
    improvement: Stat  # per-run difference to the first cell; > 0 is better
    value: Stat  # the metric in this cell
    tiebreak: float  # the mean change in the tie-break metric; > 0 is better


def profile_label(profile: Profile) -> str:
    """`draad · Zwolle-Zuid · grief-trained · lived experience partner · nl`."""
    parts = [profile.programme, "phone" if profile.phone else profile.district or "any district"]
    parts.append("grief-trained" if profile.grief_trained else "basic training")
    if profile.loss_type:
        parts.append(f"lived experience {profile.loss_type}")
    parts.append(profile.language)
    if profile.gender:
        parts.append(profile.gender)
    return " · ".join(parts)


def suggested(scenario: Scenario, *, top: int) -> Candidates:
    """The round report's suggestions for the scenario's round (its seed and date)."""
    clients, volunteers = generate(scenario, seed=scenario.seed)
    result = match(clients, volunteers, scenario.config, round_date=scenario.round_date)
    left = {u.client_id for u in result.unmatched}
    waiting = [c for c in clients if c.client_id in left]
    source = "waiting" if waiting else "all"
    chosen = recruits(waiting or clients, scenario.config, scenario.round_date, limit=top)
    return Candidates(
        tuple(
            Candidate(profile_label(r.profile), r.volunteer, len(r.clients))
            for r in chosen
            if r.volunteer is not None
        ),
        len(waiting),
        source,
    )


def recruit_cells(scenario: Scenario, candidates: Sequence[Candidate]) -> tuple[Vary, list[Cell]]:
    """The first cell adds nobody; cell k adds candidate k-1."""
    labels = (BASELINE, *(c.label for c in candidates))
    # Two profiles can read alike (the label leaves out availability): number those apart.
    unique = tuple(
        f"{label} ({k})" if labels.count(label) > 1 else label for k, label in enumerate(labels)
    )
    cells = [Cell(0, (unique[0],), scenario)] + [
        Cell(k + 1, (unique[k + 1],), scenario, c.volunteer) for k, c in enumerate(candidates)
    ]
    return Vary(KEY, (), unique), cells


def rank(
    result: PlanResult, summary: Summary, candidates: Sequence[Candidate], metric: str,
    policy: str,
) -> list[Ranked]:  # fmt: skip
    """Best first by mean improvement over the first cell (see the module's doc for ties)."""
    second = "waiting_end" if metric == "matches" else "matches"
    primary = _changes(result, metric, policy)
    secondary = _changes(result, second, policy)
    ranked = []
    for k, candidate in enumerate(candidates):
        cell = k + 1
        tie = mean_difference(secondary[cell])["mean"]
        ranked.append(
            Ranked(candidate, cell, mean_difference(primary[cell]), summary[cell][policy][metric],
                   0.0 if tie is None else tie)
        )  # fmt: skip
    return sorted(
        ranked,
        key=lambda r: (-_or_minus_inf(r.improvement["mean"]), -r.tiebreak,
                       -r.candidate.reaches, r.cell),
    )  # fmt: skip


def _changes(result: PlanResult, metric: str, policy: str) -> dict[int, np.ndarray]:
    """Per cell, its per-run difference to the first cell's run (signed: > 0 is better)."""
    by_cell: dict[int, dict[int, float]] = {}
    for r in result.results:
        by_cell.setdefault(r.cell, {})[r.run] = r.metrics[policy].get(metric, float("nan"))
    sign = -1.0 if metric in LOWER_IS_BETTER else 1.0
    base = by_cell.get(0, {})
    return {
        cell: np.array([sign * (own[run] - base[run]) for run in sorted(own) if run in base])
        for cell, own in by_cell.items()
    }


def _or_minus_inf(value: float | None) -> float:
    return -np.inf if value is None else value


def ranking_data(
    ranked: Sequence[Ranked], found: Candidates, metric: str, policy: str
) -> Mapping[str, object]:
    """The ranking as plan.json holds it."""
    return {
        "metric": metric,
        "policy": policy,
        "lower_is_better": metric in LOWER_IS_BETTER,
        "candidates_from": found.source,
        "waiting_in_round": found.waiting,
        "ranking": [
            {
                "rank": k + 1,
                "profile": r.candidate.label,
                "reaches_waiting": r.candidate.reaches,
                "improvement": r.improvement,
                "value": r.value,
            }
            for k, r in enumerate(ranked)
        ],
    }
