"""A round's facts as numbers and codes: what each proposed pair shares, and why each other
client waits. Words come later (matcher.wording), so a round stored years ago can still be
said in Dutch or in English; no front end recomputes these.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, is_dataclass
from functools import lru_cache
from typing import Any, Final, Literal, TypeVar, cast

import numpy as np
import numpy.typing as npt

from matcher import vocab
from matcher.arrays import IntArray
from matcher.io.record_table import RecordView
from matcher.locations import least_precise
from matcher.population import DEPTH_FOR_TIER, NO_CODE, Population

Contact = Literal["visit", "phone"]
# The volunteer lost the same as the client; lost someone, not known to be the same; neither.
LivedExperience = Literal["same-loss", "knows-loss", "none"]
# A distance between two centres (not between given coordinates) is approximate.
DistanceBasis = Literal["postcode", "district", "place"]
ReasonKind = Literal["pinned", "same-loss", "knows-loss", "km", "phone", "free", "needs", "trained"]
# One reason a pair fits, as facts: (kind, values); matcher.wording says it in words.
Reason = tuple[str, tuple[Any, ...]]
# "both free" names this many shared slots and counts the rest.
SLOTS_NAMED: Final = 2

Record = TypeVar("Record")


def fast_maker(cls: type[Record]) -> Callable[..., Record]:
    """A maker of `cls`, a frozen dataclass with slots, from all its fields, in field order.

    A round makes one result object per proposal and per waiting client (about 140,000 at
    national size). The frozen `__init__` sets each field with `object.__setattr__`, by name;
    this maker sets the slots through their descriptors, about 40 % less time per object. The
    object is the same as `cls(...)` makes: equal, hashable, frozen. Only for classes without
    `__post_init__` or fields outside `__init__`, so that nothing is skipped."""
    params = getattr(cls, "__dataclass_params__", None)
    if not (
        is_dataclass(cls) and params is not None and params.frozen and "__slots__" in vars(cls)
    ):
        raise TypeError(f"{cls.__name__}: not a frozen dataclass with slots")
    if hasattr(cls, "__post_init__") or not all(f.init for f in fields(cls)):
        raise TypeError(f"{cls.__name__}: its __init__ does more than set the fields")
    names = [f.name for f in fields(cls)]
    # Generated, as dataclasses generate __init__: one call per field, no loop.
    setters = {f"_set_{name}": getattr(cls, name).__set__ for name in names}
    body = "".join(f"    _set_{name}(obj, {name})\n" for name in names)
    source = f"def make({', '.join(names)}):\n    obj = _new(_cls)\n{body}    return obj\n"
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, **setters}
    exec(source, namespace)  # the source is made of the dataclass's own field names
    return cast(Callable[..., Record], namespace["make"])


@dataclass(frozen=True, slots=True)
class PairFacts:
    """What a proposed pair shares, beside its criterion scores."""

    distance_km: float | None  # None: a location is unknown (phone contact)
    distance_basis: DistanceBasis | None  # None: between the coordinates the files gave
    within_travel: bool  # the client lives within the volunteer's travel radius
    contact: Contact  # how this pair can meet
    shared_slots: tuple[str, ...]  # slots both named, in vocabulary order
    needs_covered: int  # the client's needs among the volunteer's skills
    needs_total: int
    lived_experience: LivedExperience
    loss_type: str | None  # the client's loss
    trained_for_tier: bool  # the volunteer's training meets a moderate or high risk tier

    @property
    def approximate(self) -> bool:
        return self.distance_basis is not None

    def reasons(self) -> tuple[Reason, ...]:
        """Why the pair fits, strongest first: "both lost a partner; 3.2 km apart; …"."""
        out: list[Reason] = []
        if self.lived_experience == "same-loss":
            out.append(("same-loss", (self.loss_type,)))
        elif self.lived_experience == "knows-loss":
            out.append(("knows-loss", ()))
        if self.within_travel and self.distance_km is not None:
            km = self.distance_km
            out.append(("km", (km,) if self.distance_basis is None else (km, self.distance_basis)))
        else:
            out.append(("phone", ()))
        if self.shared_slots:
            named = self.shared_slots[:SLOTS_NAMED]
            out.append(("free", (named, len(self.shared_slots) - len(named))))
        if self.needs_covered:
            out.append(("needs", (self.needs_covered, self.needs_total)))
        if self.trained_for_tier:
            out.append(("trained", ()))
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["shared_slots"] = list(self.shared_slots)
        data["approximate"] = self.approximate
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PairFacts:
        fields = {k: v for k, v in data.items() if k != "approximate"}
        fields["shared_slots"] = tuple(fields["shared_slots"])
        return cls(**fields)


def reasons_to_json(reasons: Sequence[Reason]) -> list[Any]:
    return [[kind, list(values)] for kind, values in reasons]


def reasons_from_json(rows: Sequence[Any]) -> tuple[Reason, ...]:
    """Reasons read back from JSON: the lists that were tuples become tuples again."""
    out: list[Reason] = []
    for kind, values in rows:
        if kind == "free":
            out.append((kind, (tuple(values[0]), int(values[1]))))
        else:
            out.append((str(kind), tuple(values)))
    return tuple(out)


@lru_cache(maxsize=4096)
def _slot_names(mask: int) -> tuple[str, ...]:
    return tuple(slot for k, slot in enumerate(vocab.SLOTS) if mask >> k & 1)


def _bit_count(masks: IntArray) -> IntArray:
    return np.bitwise_count(masks.astype(np.uint64)).astype(np.int64)


def pair_facts(
    pop: Population,
    ci: IntArray,
    vi: IntArray,
    distance_km: npt.NDArray[np.float64],
    visit: npt.NDArray[np.bool_],
) -> list[PairFacts]:
    """The facts of the pairs (ci[k], vi[k]): array work for all, then one object each.

    Called on chosen pairs and on one client's options, never on all allowed pairs."""
    loss = pop.c_loss[ci]
    lived = pop.v_lived[vi]
    same_loss = (loss != NO_CODE) & (((lived >> np.maximum(loss, 0)) & 1) == 1)
    relation = np.where(same_loss, 0, np.where(lived != 0, 1, 2))
    with np.errstate(invalid="ignore"):
        within = distance_km <= pop.v_radius_km[vi]
    tier = pop.c_tier[ci]
    trained = (tier > 0) & (pop.v_training_depth[vi] >= DEPTH_FOR_TIER[tier])
    covered = _bit_count(pop.c_needs[ci] & pop.v_skills[vi])
    wanted = _bit_count(pop.c_needs[ci])
    shared = (pop.c_slots[ci] & pop.v_slots[vi]).tolist()
    c_source, c_times, c_loss_type = _fields_at(
        pop.clients, ("location_source", "availability", "loss_type"), ci
    )
    v_source, v_times = _fields_at(pop.volunteers, ("location_source", "availability"), vi)
    relations: tuple[LivedExperience, ...] = ("same-loss", "knows-loss", "none")
    make = _make_pair_facts
    out = []
    for (
        km,
        unknown,
        near,
        by_visit,
        slots,
        n_covered,
        n_wanted,
        k_relation,
        ok,
        client_source,
        volunteer_source,
        client_times,
        volunteer_times,
        loss_type,
    ) in zip(
        distance_km.tolist(),
        np.isnan(distance_km).tolist(),
        within.tolist(),
        visit.tolist(),
        shared,
        covered.tolist(),
        wanted.tolist(),
        relation.tolist(),
        trained.tolist(),
        c_source,
        v_source,
        c_times,
        v_times,
        c_loss_type,
        strict=True,
    ):
        out.append(
            make(
                None if unknown else km,
                # A quoted type: `DistanceBasis | None` unquoted is built anew on every call.
                cast("DistanceBasis | None", _least_precise(client_source, volunteer_source)),
                near,
                "visit" if by_visit else "phone",
                # Only slots both named are shared: no times given means any time.
                _slot_names(slots) if client_times and volunteer_times else (),
                n_covered,
                n_wanted,
                relations[k_relation],
                loss_type,
                ok,
            )
        )
    return out


# Asked for at least this share of the people, fields come from the columns: a round read
# from files makes a person's record only when it is asked for (matcher.io.record_table), and
# the proposals of a national round would make 60,000 records for five fields.
COLUMNS_FROM_SHARE: Final = 1 / 16


def _fields_at(people: RecordView[Any], names: tuple[str, ...], at: IntArray) -> list[list[Any]]:
    """The named fields of the people at `at`, one list per name."""
    rows = at.tolist()
    if people.table is not None and len(rows) >= COLUMNS_FROM_SHARE * len(people):
        columns = [people.column(name) for name in names]
        return [list(map(column.__getitem__, rows)) for column in columns]
    records = [people[k] for k in rows]
    return [[getattr(record, name) for record in records] for name in names]


_make_pair_facts: Final = fast_maker(PairFacts)


@lru_cache(maxsize=64)
def _least_precise(a: str | None, b: str | None) -> str | None:
    return least_precise(a, b)


__all__ = ["Contact", "DistanceBasis", "LivedExperience", "PairFacts", "Reason", "pair_facts"]
