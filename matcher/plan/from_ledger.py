"""`matcher plan --from-ledger`: a scenario's flows from the coordinator's own ledger.

The people (who they are, where they live) come from the scenario named with it; what the
ledger has seen replaces the flows: the waiting list, arrivals a week, the pool and its taken
places, match lengths, early ends and declined introductions. A figure with too little data
behind it keeps the scenario's value, and the planner says which is which.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from matcher.plan.vary import put_value
from matcher.rounds.flows import LedgerFlows
from matcher.scenarios import Scenario

# Fewer observations than this and a rate is noise: the scenario's value stays.
MIN_EVENTS = 3
MIN_WEEKS = 4.0


@dataclass(frozen=True)
class Parameter:
    key: str  # dotted scenario key
    value: Any
    from_data: bool
    basis: str  # what it was estimated from, or why the default stayed


def parameters(flows: LedgerFlows, scenario: Scenario) -> list[Parameter]:
    """Every flow parameter: estimated from the ledger where it has enough data."""
    out = [
        Parameter("clients.count", flows.waiting, True, f"{flows.waiting} waiting now"),
        Parameter("volunteers.count", flows.volunteers, True, f"{flows.volunteers} in the ledger"),
    ]
    weeks = (flows.today - flows.first_intake).days / 7 if flows.first_intake else 0.0
    if weeks >= MIN_WEEKS and flows.intakes >= MIN_EVENTS:
        rate = round(flows.intakes / weeks, 3)
        basis = f"{flows.intakes} clients came to wait in {weeks:.0f} weeks"
        out.append(Parameter("clients.weekly_arrivals", rate, True, basis))
    else:
        why = f"too little data ({flows.intakes} clients over {weeks:.0f} weeks)"
        out.append(_default("clients.weekly_arrivals", scenario.weekly_arrivals, why))
    if flows.places > 0:
        share = round(min(flows.places_taken / flows.places, 1.0), 3)
        basis = f"{flows.places_taken} of {flows.places} places taken"
        out.append(Parameter("volunteers.occupied", share, True, basis))
    else:
        why = "no volunteer places in the ledger"
        out.append(_default("volunteers.occupied", scenario.volunteers.occupied, why))
    dynamics = scenario.dynamics
    if flows.ended_matches >= MIN_EVENTS:
        # Running matches count for as long as they have run: an estimate from ended ones
        # alone would miss the long matches still going (right-censored lengths).
        observed = flows.ended_weeks + flows.running_weeks
        mean = round(observed / flows.ended_matches, 1)
        basis = (f"{flows.ended_matches} ended and {flows.running_matches} running matches, "
                 f"{observed:.0f} match-weeks")  # fmt: skip
        out.append(Parameter("dynamics.match_weeks", max(mean, 1.0), True, basis))
        early = round(flows.ended_early / flows.ended_matches, 3)
        basis = f"{flows.ended_early} of {flows.ended_matches} ended before completion"
        out.append(Parameter("dynamics.ends_early", early, True, basis))
    else:
        why = f"too little data ({flows.ended_matches} ended matches)"
        out.append(_default("dynamics.match_weeks", dynamics.match_weeks, why))
        out.append(_default("dynamics.ends_early", dynamics.ends_early, why))
    introductions = flows.declines + flows.ended_matches + flows.running_matches
    if introductions >= MIN_EVENTS:
        share = round(flows.declines / introductions, 3)
        basis = f"{flows.declines} declined of {introductions} introductions"
        out.append(Parameter("dynamics.introductions_declined", share, True, basis))
    else:
        why = f"too little data ({introductions} introductions)"
        out.append(
            _default("dynamics.introductions_declined", dynamics.introductions_declined, why)
        )
    out.append(_default("dynamics.volunteer_churn_per_year", dynamics.volunteer_churn_per_year,
                        "the ledger does not record volunteers stopping"))  # fmt: skip
    return out


def _default(key: str, value: Any, why: str) -> Parameter:
    return Parameter(key, value, False, why)


def with_ledger(data: dict[str, Any], scenario: Scenario, found: list[Parameter]) -> dict[str, Any]:
    """The scenario's tables with the ledger's figures put in (defaults stay as they are)."""
    changed = copy.deepcopy(data)
    for parameter in found:
        if parameter.from_data:
            put_value(changed, scenario, tuple(parameter.key.split(".")), parameter.value)
    # Arrivals given a week replace the outreach funnel's; both would have to agree.
    if any(p.from_data and p.key == "clients.weekly_arrivals" for p in found):
        changed.pop("funnel", None)
    return changed
