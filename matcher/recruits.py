"""Who to recruit: volunteer profiles that would reach the clients a round left waiting.

The round report lists them (matcher.report.round); the planner simulates one more of each
(`matcher plan --recruit`, matcher.plan.recruit), so both start from the same suggestions.

Each waiting client suggests a profile (programme, district, loss, language, training, gender
that client needs). A hypothetical volunteer with that profile, living at the middle of the
clients who suggested it, is then checked against every waiting client with the round's own
rules, so "would match 3 waiting clients" is a count the engine agrees with, not a guess.
The profiles that together reach the most clients are chosen greedily (largest new coverage
first, ties by profile), which is deterministic and within a factor (1 - 1/e) of the best.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matcher.candidates import enabled_rules
from matcher.config import MatchConfig
from matcher.models import Client, Volunteer
from matcher.population import build_population
from matcher.triage import TIER_HIGH, risk_tiers

# Checking every profile against every waiting client is profiles × clients pairs: keep the
# profiles to those suggested by the most clients.
MAX_PROFILES = 200


@dataclass(frozen=True, order=True)
class Profile:
    programme: str
    district: str  # "" when unknown
    phone: bool  # the clients who suggested it accept only phone contact
    loss_type: str  # "" for no lived experience asked
    language: str
    grief_trained: bool
    gender: str  # "" for no preference


@dataclass(frozen=True)
class Recruit:
    profile: Profile
    clients: tuple[str, ...]  # waiting clients this volunteer would be an allowed match for
    volunteer: Volunteer | None = None  # the hypothetical volunteer checked against them


def _profile(client: Client, high_risk: bool) -> Profile:
    phone = client.contact == "phone" or client.lat is None
    loss = client.loss_type if client.loss_type not in (None, "none") else ""
    language = "nl" if "nl" in client.languages else client.languages[0]
    return Profile(
        programme=client.programme,
        district="" if phone else (client.district or ""),
        phone=phone,
        loss_type=loss or "",
        language=language,
        grief_trained=high_risk,
        gender=client.preferred_gender or "",
    )


def _volunteer(index: int, profile: Profile, members: Sequence[Client]) -> Volunteer:
    located = [c for c in members if c.lat is not None and c.lon is not None]
    where: dict[str, object] = {"contact": "phone"}
    if not profile.phone and located:
        where = {
            "contact": "either",
            "lat": float(np.mean([c.lat for c in located])),
            "lon": float(np.mean([c.lon for c in located])),
        }
    # Free whenever one of them is; a client free any time (no slots) shares every slot.
    slots = sorted({s for c in members for s in c.availability})
    return Volunteer.model_validate(
        {
            "volunteer_id": f"recruit-{index}",
            "programmes": [profile.programme],
            "lived_experience": [profile.loss_type] if profile.loss_type else [],
            "training": ["grief"] if profile.grief_trained else ["basic"],
            "languages": sorted({profile.language, "nl"}),
            "gender": profile.gender or None,
            "availability": slots,
            "skills": sorted({n for c in members for n in c.needs}),
            "capacity": 1,
            **where,
        }
    )


def client_profiles(waiting: Sequence[Client], config: MatchConfig) -> list[Profile]:
    """The volunteer each waiting client would need, in the order of `waiting`."""
    if not waiting:
        return []
    high = risk_tiers(waiting, config.triage) == TIER_HIGH
    return [_profile(c, bool(h)) for c, h in zip(waiting, high.tolist(), strict=True)]


def recruits(
    waiting: Sequence[Client], config: MatchConfig, round_date: dt.date, *, limit: int = 5
) -> list[Recruit]:
    if not waiting:
        return []
    groups: dict[Profile, list[Client]] = defaultdict(list)
    for client, profile in zip(waiting, client_profiles(waiting, config), strict=True):
        groups[profile].append(client)
    profiles = sorted(groups, key=lambda p: (-len(groups[p]), p))[:MAX_PROFILES]
    candidates = [_volunteer(k, p, groups[p]) for k, p in enumerate(profiles)]

    pop = build_population(waiting, candidates, config, round_date)
    n_clients, n_recruits = pop.n_clients, pop.n_volunteers
    ci = np.tile(np.arange(n_clients), n_recruits)
    vi = np.repeat(np.arange(n_recruits), n_clients)
    allowed = np.ones(len(ci), dtype=bool)
    for rule in enabled_rules(config):
        allowed &= rule.allows(pop, ci, vi, frozenset())
    # The population orders volunteers by id: back to profile order.
    order = [int(v.volunteer_id.split("-")[1]) for v in pop.volunteers]
    reach = np.zeros((n_recruits, n_clients), dtype=bool)
    reach[order] = allowed.reshape(n_recruits, n_clients)

    chosen: list[Recruit] = []
    covered = np.zeros(n_clients, dtype=bool)
    while len(chosen) < limit:
        gains = (reach & ~covered).sum(axis=1)
        best = int(np.argmax(gains))  # first of the largest: profiles are in a fixed order
        if gains[best] == 0:
            break
        covered |= reach[best]
        ids = tuple(pop.clients[i].client_id for i in np.flatnonzero(reach[best]).tolist())
        chosen.append(Recruit(profiles[best], ids, candidates[best]))
    return chosen
