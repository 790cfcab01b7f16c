"""Explanations a coordinator can act on: why a pair was proposed, why a client waits.

Works on one client at a time, evaluating every rule against every volunteer for that client
(vectorised over volunteers), so the answer shows each volunteer the rules removed and what
would have to change for the outcome to change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from matcher import vocab
from matcher.bottleneck import BottleneckGroup, find_bottlenecks, sentence_of
from matcher.engine import Prepared, assignment_problem
from matcher.facts import PairFacts
from matcher.hint_wording import change_text, hint_text
from matcher.hints import BlockingHint, blocking_hint_facts
from matcher.models import Client
from matcher.outcome import matches_of
from matcher.policies import MatchPolicy, PolicyContext, find_policy
from matcher.population import Population
from matcher.result import MatchResult, Unmatched
from matcher.row_index import client_rows, volunteer_rows
from matcher.scoring import CRITERIA, format_weight
from matcher.terminal import visible_join
from matcher.triage import overruled_tier
from matcher.wording import render_pair_reasons, unmatched_detail


def blocking_hint(
    pop: Population,
    rule_code: str,
    ci: int,
    vi: int,
    declined_by: Mapping[str, str] | None = None,
) -> str:
    """What stands between a client and one volunteer under one rule, in English."""
    return hint_text(blocking_hint_facts(pop, rule_code, ci, vi, declined_by))


@dataclass(frozen=True)
class Option:
    volunteer_id: str
    weight_units: int
    scores: dict[str, float]
    facts: PairFacts
    taken_by: tuple[str, ...]  # clients this round gave the volunteer to

    @property
    def reasons(self) -> str:
        return render_pair_reasons(self.facts.reasons())


@dataclass(frozen=True)
class Explanation:
    client_id: str
    risk_tier: str
    weeks_waited: float
    outcome: str
    options: tuple[Option, ...]
    # rule code -> volunteers that rule removed (the first rule each one fails, in order)
    removed: dict[str, tuple[str, ...]]
    # what would change the outcome, most actionable first, as facts (said by
    # matcher.hint_wording.change_text): ("extra-place", (volunteer, taken_by, verified)),
    # ("extra-place-elsewhere", ()), ("only-rule", (rule code, volunteer, BlockingHint)),
    # ("more-only-rule", (rule code, how many more))
    change_facts: tuple[tuple[str, tuple[object, ...]], ...] = field(default=())
    # rule code -> what blocks the first SHOWN_REMOVED volunteers of `removed`
    hints: Mapping[str, tuple[BlockingHint, ...]] = field(default_factory=dict)
    # ledger rounds: volunteer id -> who declined the pair (client, volunteer, coordinator)
    declined_by: Mapping[str, str] = field(default_factory=dict)
    # The tier the factors give, when the coordinator set another one at the intake.
    computed_risk_tier: str | None = None
    # The group of clients competing for too few places this client is in (matcher.bottleneck)
    bottleneck: BottleneckGroup | None = None
    # The outcome as facts (`outcome` is its English sentence): the volunteer and the weight
    # of the client's match, or the waiting client's reason and detail facts.
    matched: tuple[str, int] | None = None
    unmatched: Unmatched | None = None

    def changes_in(self, lang: str = "en") -> tuple[str, ...]:
        return tuple(change_text(kind, values, lang) for kind, values in self.change_facts)

    @property
    def changes(self) -> tuple[str, ...]:
        """What would change the outcome, in English."""
        return self.changes_in("en")


# Volunteers each rule removed that an explanation describes one by one.
SHOWN_REMOVED = 5


def explain_client(
    prepared: Prepared,
    result: MatchResult,
    client_id: str,
    *,
    top: int = 5,
    declined_by: Mapping[str, str] | None = None,
    policy: str | MatchPolicy | None = None,
) -> Explanation:
    """Why `client_id` got its outcome in `result`; a what-if re-solves with `policy`
    (default: the policy that made `result`)."""
    round_policy = find_policy(policy or result.policy)
    pop = prepared.population
    ci = client_rows(pop)[client_id]
    vi = np.arange(pop.n_volunteers)
    cis = np.full(pop.n_volunteers, ci)
    rules = prepared.candidates.rules
    fails = np.array(
        [~rule.allows(pop, cis, vi, prepared.excluded) for rule in rules], dtype=bool
    ).reshape(len(rules), pop.n_volunteers)
    codes = [rule.code for rule in rules]
    if "contact-mismatch" in codes and "too-far" in codes:
        # Distance only matters to a pair that can meet: a pair without a shared way of contact
        # is blocked by that alone (accepting phone on one side would meet at any distance).
        fails[codes.index("too-far")] &= ~fails[codes.index("contact-mismatch")]
    allowed = ~fails.any(axis=0)

    first_fail = np.argmax(fails, axis=0)
    removed = {
        rule.code: tuple(
            pop.volunteers[v].volunteer_id
            for v in np.flatnonzero(~allowed & (first_fail == k)).tolist()
        )
        for k, rule in enumerate(rules)
    }
    taken: dict[str, list[str]] = {}
    for m in result.matches:
        taken.setdefault(m.volunteer_id, []).append(m.client_id)

    # The client's options are its allowed pairs, weighed and described once by the engine.
    edges = prepared.edges
    first, last = np.searchsorted(edges.edge_client, [ci, ci + 1])
    own = np.arange(first, last, dtype=np.int64)
    order = own[np.lexsort((edges.edge_volunteer[own], -edges.weight_units[own]))][:top]
    proposals = matches_of(
        pop, prepared.scores, edges.edge_client[order], edges.edge_volunteer[order], order
    )
    options = [
        Option(
            m.volunteer_id, m.weight_units, m.scores, m.facts, tuple(taken.get(m.volunteer_id, ()))
        )
        for m in proposals
    ]
    match = result.match_for(client_id)
    unmatched = result.unmatched_for(client_id)
    change_facts: list[tuple[str, tuple[object, ...]]] = []
    if match is not None:
        outcome = f"matched to {match.volunteer_id} (weight {match.weight_text})"
    else:
        assert unmatched is not None
        outcome = f"unmatched: {unmatched.reason}: {unmatched_detail(unmatched, weights=True)}"
        verify = len(prepared.edges.edge_client) <= MAX_PAIRS_TO_VERIFY
        for option in options:
            if not verify:
                change_facts.append(("extra-place", (option.volunteer_id, option.taken_by, False)))
            elif _matched_with_extra_place(prepared, round_policy, ci, option.volunteer_id):
                change_facts.append(("extra-place", (option.volunteer_id, option.taken_by, True)))
        if options and verify and not change_facts:
            change_facts.append(("extra-place-elsewhere", ()))
        change_facts += _near_misses(pop, ci, fails, codes, declined_by or {})
    volunteer_index = volunteer_rows(pop)
    hints = {
        code: tuple(
            blocking_hint_facts(pop, code, ci, volunteer_index[vid], declined_by)
            for vid in volunteers[:SHOWN_REMOVED]
        )
        for code, volunteers in removed.items()
    }
    return Explanation(
        client_id=client_id,
        risk_tier=vocab.RISK_TIERS[pop.c_tier[ci]],
        weeks_waited=float(pop.c_weeks_waited[ci]),
        outcome=outcome,
        options=tuple(options),
        removed=removed,
        change_facts=tuple(change_facts),
        hints=hints,
        declined_by=dict(declined_by or {}),
        computed_risk_tier=overruled_tier(pop.clients[ci], prepared.config.triage),
        bottleneck=find_bottlenecks(prepared, result).group_of(client_id),
        matched=None if match is None else (match.volunteer_id, match.weight_units),
        unmatched=unmatched,
    )


# Re-solving to check a "what if" costs a full solve; on large rounds only suggest it.
MAX_PAIRS_TO_VERIFY = 200_000


def _matched_with_extra_place(
    prepared: Prepared, policy: MatchPolicy, ci: int, volunteer_id: str
) -> bool:
    """Would this client be matched if the volunteer had one more free place (in hours: the
    client's hours more)? Re-solve with the policy that made the round."""
    problem = assignment_problem(prepared)
    vi = prepared.population.volunteer_ids.index(volunteer_id)
    free = problem.free_places.copy()
    free[vi] += 1
    more = replace(problem, free_places=free)
    if problem.client_hours is not None and problem.volunteer_hours is not None:
        hours = problem.volunteer_hours.copy()
        hours[vi] += problem.client_hours[ci]
        more = replace(more, volunteer_hours=hours)
    assignment = policy(more, PolicyContext(prepared.config))
    return bool(np.any(problem.edge_client[assignment.chosen] == ci))


# Near misses the coordinator can most easily act on come first; another programme is last.
_ACTIONABLE_ORDER = (
    "no-capacity",
    "too-far",
    "contact-mismatch",
    "no-shared-time",
    "gender-preference",
    "training-required",
    "no-shared-language",
    "excluded",
    "no-programme",
)
_SHOWN_PER_RULE = 3


def _near_misses(
    pop: Population,
    ci: int,
    fails: np.ndarray[Any, np.dtype[np.bool_]],
    codes: list[str],
    declined_by: Mapping[str, str],
) -> list[tuple[str, tuple[object, ...]]]:
    """Volunteers that only one rule keeps from this client, grouped by that rule, as facts."""
    only_one = fails.sum(axis=0) == 1
    found: list[tuple[str, tuple[object, ...]]] = []
    for code in _ACTIONABLE_ORDER:
        if code not in codes:
            continue
        volunteers = np.flatnonzero(only_one & fails[codes.index(code)]).tolist()
        for v in volunteers[:_SHOWN_PER_RULE]:
            hint = blocking_hint_facts(pop, code, ci, v, declined_by)
            found.append(("only-rule", (code, pop.volunteers[v].volunteer_id, hint)))
        if len(volunteers) > _SHOWN_PER_RULE:
            found.append(("more-only-rule", (code, len(volunteers) - _SHOWN_PER_RULE)))
    return found


def _location_line(client: Client) -> list[str]:
    # Said only when the client's place is not the coordinates the file gave.
    if client.location_source == "coordinates":
        return []
    if client.location_source is None:
        return ["location: none (phone contact only)"]
    return [f"location: the {client.location_source} centre, so distances are approximate (≈)"]


def _bottleneck_line(explanation: Explanation) -> list[str]:
    group = explanation.bottleneck
    if group is None:
        return []
    return [f"too few places: {sentence_of(group, 'en', client=explanation.client_id)}"]


def _tier_note(explanation: Explanation) -> str:
    if explanation.computed_risk_tier is None:
        return ""
    return f" (set at the intake; the factors give {explanation.computed_risk_tier})"


def render_explanation(explanation: Explanation, prepared: Prepared) -> str:
    pop = prepared.population
    ci = pop.client_ids.index(explanation.client_id)
    lines = [
        f"client {explanation.client_id}: risk {explanation.risk_tier}{_tier_note(explanation)},"
        f" waited {explanation.weeks_waited:.1f} weeks",
        f"outcome: {explanation.outcome}",
        *_location_line(pop.clients[ci]),
        *_bottleneck_line(explanation),
        "",
        "best options:" if explanation.options else "no allowed volunteer.",
    ]
    for option in explanation.options:
        taken = f"  [given to {', '.join(option.taken_by)}]" if option.taken_by else ""
        breakdown = "  ".join(f"{name} {option.scores[name]:.2f}" for name in CRITERIA)
        lines.append(f"  {option.volunteer_id}  weight {format_weight(option.weight_units)}{taken}")
        lines.append(f"      {option.reasons}")
        lines.append(f"      {breakdown}")
    lines.append("")
    lines.append("removed by hard rules:")
    for code, volunteers in explanation.removed.items():
        if not volunteers:
            continue
        lines.append(f"  {code}: {len(volunteers)} volunteer(s)")
        lines.extend(f"      {hint_text(hint)}" for hint in explanation.hints[code])
        if len(volunteers) > SHOWN_REMOVED:
            lines.append(f"      … and {len(volunteers) - SHOWN_REMOVED} more")
    if explanation.changes:
        lines.append("")
        lines.append("what would change the outcome:")
        lines.extend(f"  - {change}" for change in explanation.changes)
    # Ids, reasons and hints come from the input: control characters shown, not sent.
    return visible_join(lines)
