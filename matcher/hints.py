"""What stands between a client and one volunteer under one hard rule, as facts.

explain computes these once (the distance against the travel radius, the volunteer's free
places or hours, ways of contact, times, languages, gender, who declined the pair); the
wording of matcher.hint_wording says them in English or Dutch, so no front end measures a
distance or counts places again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from matcher.locations import least_precise
from matcher.population import Population, distance_km


@dataclass(frozen=True)
class BlockingHint:
    """One rule against one volunteer for one client; the fields the rule needs are set."""

    rule: str  # the rule's code (matcher.candidates.RULES)
    volunteer_id: str
    # no-programme: the volunteer's programmes and the client's
    programmes: tuple[str, ...] = ()
    client_programme: str = ""
    # no-capacity: places (active of capacity), or in hours mode the hours a week
    active: int = 0
    capacity: int = 0
    hours: tuple[float, float, float] | None = None  # free, given, the client needs
    # contact-mismatch and too-far: each side's way of contact
    volunteer_contact: str = ""
    client_contact: str = ""
    # too-far: the distance (None: a location is unknown), whether it is between centres
    km: float | None = None
    approximate: bool = False
    max_travel_km: float = 0.0
    # no-shared-time, no-shared-language, gender-preference: the volunteer's side
    availability: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    gender: str | None = None
    # excluded: who declined the pair in an earlier ledger round (None: the client's file)
    declined_by: str | None = None


def blocking_hint_facts(
    pop: Population,
    rule_code: str,
    ci: int,
    vi: int,
    declined_by: Mapping[str, str] | None = None,
) -> BlockingHint:
    """The facts of one rule against one pair (client row `ci`, volunteer row `vi`).

    `declined_by` (volunteer id -> who declined) tells a pair declined in the ledger from one
    the client's file excludes: both reach the engine as exclusions."""
    client, volunteer = pop.clients[ci], pop.volunteers[vi]
    hint = BlockingHint(rule_code, volunteer.volunteer_id)
    if rule_code == "no-programme":
        return replace(hint, programmes=tuple(volunteer.programmes),
                     client_programme=client.programme)  # fmt: skip
    if rule_code == "no-capacity" and pop.hours_mode:
        free = max(volunteer.hours_given - volunteer.hours_taken, 0)
        return replace(hint, hours=(free, volunteer.hours_given, client.hours_needed))
    if rule_code == "no-capacity":
        return replace(hint, active=volunteer.active_clients, capacity=volunteer.capacity)
    if rule_code in ("contact-mismatch", "too-far"):
        hint = replace(hint, volunteer_contact=volunteer.contact, client_contact=client.contact)
    if rule_code == "too-far":
        km = float(distance_km(pop, np.array([ci]), np.array([vi]))[0])
        approximate = bool(least_precise(client.location_source, volunteer.location_source))
        return replace(hint, km=None if np.isnan(km) else km, approximate=approximate,
                     max_travel_km=volunteer.max_travel_km)  # fmt: skip
    if rule_code == "no-shared-time":
        return replace(hint, availability=tuple(volunteer.availability))
    if rule_code == "no-shared-language":
        return replace(hint, languages=tuple(volunteer.languages))
    if rule_code == "gender-preference":
        return replace(hint, gender=volunteer.gender)
    if rule_code == "excluded" and declined_by and volunteer.volunteer_id in declined_by:
        return replace(hint, declined_by=declined_by[volunteer.volunteer_id])
    return hint
