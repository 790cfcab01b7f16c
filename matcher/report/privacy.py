"""What a pseudonymised report leaves out or coarsens, so that it singles nobody out.

Pseudonyms hide ids, but "a volunteer in Westenholte who lost a partner would reach 1 waiting
client: C-VT6MOU6DWE" still points at one person. A shared report therefore follows
k-anonymity (k = `[report] min_group_size`, default 5): whatever it says about clients' details
(district, loss, language, gender preference, high risk) it says about at least k of them, and
it prints counts below k as "<5". A coordinator's own report (not pseudonymised) is untouched.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from matcher.recruits import Profile, Recruit

# Degrees a shared map rounds positions to: about 1.1 km north–south, 1 km east–west.
COARSE_LAT, COARSE_LON = 0.01, 0.015
# Sizes of a map place, in those steps of about 1 km: the finest that hides few people wins.
PLACE_STEPS = (1, 2, 5, 10, 20, 50)
MAX_HIDDEN_SHARE = 0.1

# The details a recruit suggestion can tell about the clients behind it, the most useful to a
# recruiter first: when too few waiting clients share them all, the last ones go first.
DETAILS = ("loss_type", "where", "grief_trained", "language", "gender")


def count_text(n: int, k: int | None) -> str:
    """A count as a report may print it: in a shared one, 1 to k - 1 only as "<k"."""
    return f"<{k}" if k is not None and 0 < n < k else str(n)


def _told(profile: Profile) -> tuple[str, ...]:
    """The details a suggestion's sentence mentions (Dutch, no gender preference go unsaid)."""
    said = {
        "loss_type": bool(profile.loss_type),
        "where": profile.phone or bool(profile.district),
        "grief_trained": profile.grief_trained,
        "language": profile.language != "nl",
        "gender": bool(profile.gender),
    }
    return tuple(detail for detail in DETAILS if said[detail])


def _value(profile: Profile, detail: str) -> object:
    return (profile.phone, profile.district) if detail == "where" else getattr(profile, detail)


def _left_out(profile: Profile, keep: Sequence[str]) -> Profile:
    unsaid = {"loss_type": "", "grief_trained": False, "language": "nl", "gender": ""}
    changes: dict[str, object] = {d: v for d, v in unsaid.items() if d not in keep}
    if "where" not in keep:
        changes.update(phone=False, district="")
    return dataclasses.replace(profile, **changes)  # type: ignore[arg-type]


def coarsened(profile: Profile, waiting: Sequence[Profile], k: int) -> Profile:
    """The profile with the most details (the most useful, on a tie) that at least k waiting
    clients share, so the sentence describes a group and not a person."""
    told = _told(profile)
    for size in range(len(told), 0, -1):
        for keep in itertools.combinations(told, size):
            mine = tuple(_value(profile, d) for d in keep)
            shared = sum(tuple(_value(p, d) for d in keep) == mine for p in waiting)
            if shared >= k:
                return _left_out(profile, keep)
    return _left_out(profile, ())


@dataclass(frozen=True)
class SharedRecruit:
    profile: Profile  # as coarse as privacy asks
    n_clients: int  # waiting clients the suggested (full) profile would be allowed to match


@dataclass(frozen=True)
class SharedRecruits:
    shown: list[SharedRecruit]
    left_out: int  # suggestions reaching fewer than k clients
    coarsened: int  # suggestions told with fewer details (or merged into an earlier one)


def shareable_recruits(
    chosen: Sequence[Recruit], waiting: Sequence[Profile], k: int
) -> SharedRecruits:
    """The suggestions a shared report may show, and how many it left out or coarsened.

    A suggestion reaching fewer than k clients is left out; the others keep only details that
    k waiting clients share. Two suggestions that become the same sentence are shown once."""
    shown: list[SharedRecruit] = []
    left_out = changed = 0
    for recruit in chosen:
        if len(recruit.clients) < k:
            left_out += 1
            continue
        profile = coarsened(recruit.profile, waiting, k)
        if profile != recruit.profile:
            changed += 1
        if all(s.profile != profile for s in shown):
            shown.append(SharedRecruit(profile, len(recruit.clients)))
        elif profile == recruit.profile:
            changed += 1  # the same as an earlier coarsened one: merged into it
    return SharedRecruits(shown, left_out, changed)


@dataclass(frozen=True)
class Places:
    """Where a shared map draws people: at the middle of a place of at least k people."""

    step: int  # a place is about `step` km across
    hidden: int  # people in places of fewer than k, not drawn
    drawn: frozenset[tuple[int, int]]

    def cell(self, lat: float, lon: float) -> tuple[int, int]:
        return (round(lat / (COARSE_LAT * self.step)), round(lon / (COARSE_LON * self.step)))

    def place(self, lat: float, lon: float) -> tuple[float, float] | None:
        cell = self.cell(lat, lon)
        if cell not in self.drawn:
            return None
        return (cell[0] * COARSE_LAT * self.step, cell[1] * COARSE_LON * self.step)


def places(positions: Sequence[tuple[float, float]], k: int) -> Places:
    """The finest places that leave at most a tenth of the people undrawn (else the coarsest)."""
    for step in PLACE_STEPS:
        grid = Places(step, 0, frozenset())
        counts = Counter(grid.cell(lat, lon) for lat, lon in positions)
        drawn = frozenset(cell for cell, n in counts.items() if n >= k)
        hidden = sum(n for cell, n in counts.items() if cell not in drawn)
        if hidden <= MAX_HIDDEN_SHARE * len(positions) or step == PLACE_STEPS[-1]:
            return Places(step, hidden, drawn)
    raise AssertionError("unreachable: the last step always returns")
