"""Which volunteers of a pool serve which clients' programmes: counted without forming pairs.

The first rules (programme, capacity, contact) only count options per client; the pairs are
formed later, one programme at a time, from the groups made here.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from matcher.arrays import IntArray
from matcher.population import Population


def options_before_forming(
    pop: Population, *, programme: bool, capacity: bool, contact: bool
) -> tuple[IntArray, list[IntArray]]:
    """The volunteers pairs may be formed with, and per client the options left after each
    of the first three rules that is switched on (programme, capacity, contact)."""
    n_clients = pop.n_clients
    volunteer_pool = np.arange(pop.n_volunteers)
    counts: list[IntArray] = []
    if programme:
        serving = serving_counts(pop, volunteer_pool)
        counts.append(serving[pop.c_programme] if n_clients else np.zeros(0, np.int64))
    capacity_per_pair = capacity and pop.hours_mode
    if capacity_per_pair:
        # In hours a volunteer may have room for a short match and not for a long one.
        volunteer_pool = volunteer_pool[pop.v_free >= pop.c_need.min(initial=0)]
        counts.append(fitting_counts(pop, volunteer_pool, by_programme=programme))
    elif capacity:
        volunteer_pool = volunteer_pool[pop.v_free >= 1]
        if programme:
            serving = serving_counts(pop, volunteer_pool)
            counts.append(serving[pop.c_programme] if n_clients else np.zeros(0, np.int64))
        else:
            counts.append(np.full(n_clients, len(volunteer_pool), dtype=np.int64))
    if contact:
        counts.append(
            contact_counts(pop, volunteer_pool, by_programme=programme, fit=capacity_per_pair)
        )
    return volunteer_pool, counts


def in_pool(pop: Population, volunteers: IntArray) -> tuple[IntArray, IntArray]:
    """(volunteer, programme code) memberships of the volunteers in the pool, by code."""
    in_pool = np.zeros(pop.n_volunteers, dtype=bool)
    in_pool[volunteers] = True
    member, code = pop.membership
    keep = in_pool[member]
    return member[keep], code[keep]


def serving_counts(pop: Population, volunteers: IntArray) -> IntArray:
    """How many of `volunteers` serve each programme code."""
    _, code = in_pool(pop, volunteers)
    return np.bincount(code, minlength=len(pop.programmes.words)).astype(np.int64)


def fitting_counts(pop: Population, volunteers: IntArray, *, by_programme: bool) -> IntArray:
    """Per client: volunteers in the pool (of its programme) with the hours the client needs.

    Sorted by (programme, free units), a client's count is one range of that order."""
    if pop.n_clients == 0:
        return np.zeros(0, np.int64)
    if by_programme:
        member, code = in_pool(pop, volunteers)
    else:
        member, code = volunteers, np.zeros(len(volunteers), dtype=np.int64)
    span = int(max(pop.v_free.max(initial=0), pop.c_need.max(initial=0))) + 1
    keys = np.sort(code * span + pop.v_free[member])
    client_code = pop.c_programme if by_programme else np.zeros(pop.n_clients, dtype=np.int64)
    high = np.searchsorted(keys, (client_code + 1) * span, side="left")
    low = np.searchsorted(keys, client_code * span + pop.c_need, side="left")
    return (high - low).astype(np.int64)


def contact_counts(
    pop: Population, volunteers: IntArray, *, by_programme: bool, fit: bool = False
) -> IntArray:
    """Per client: volunteers in the pool (of its programme) that accept its way of contact
    (and, with `fit`, have the hours the client needs).

    Counted, not paired: a client accepting both ways reaches every volunteer, a visit-only
    client the volunteers accepting visits, a phone-only client those accepting phone."""
    if pop.n_clients == 0:
        return np.zeros(0, np.int64)
    visit, phone = volunteers[pop.v_visit[volunteers]], volunteers[pop.v_phone[volunteers]]
    if fit:
        every, by_visit, by_phone = (
            fitting_counts(pop, pool, by_programme=by_programme)
            for pool in (volunteers, visit, phone)
        )
    elif by_programme:
        every, by_visit, by_phone = (
            serving_counts(pop, pool)[pop.c_programme] for pool in (volunteers, visit, phone)
        )
    else:
        every, by_visit, by_phone = (
            np.full(pop.n_clients, len(pool), dtype=np.int64) for pool in (volunteers, visit, phone)
        )
    both = pop.c_visit & pop.c_phone
    return np.where(both, every, np.where(pop.c_visit, by_visit, by_phone)).astype(np.int64)


def programme_groups(
    pop: Population, volunteers: IntArray, *, by_programme: bool
) -> Iterator[tuple[IntArray, IntArray]]:
    all_clients = np.arange(pop.n_clients)
    if not by_programme or pop.n_clients == 0:
        yield all_clients, volunteers
        return
    order = np.argsort(pop.c_programme, kind="stable")
    codes, starts = np.unique(pop.c_programme[order], return_index=True)
    member, member_code = in_pool(pop, volunteers)
    # Members are sorted by (code, volunteer): each code's volunteers in id order.
    first = np.searchsorted(member_code, codes, side="left").tolist()
    last = np.searchsorted(member_code, codes, side="right").tolist()
    for k, clients in enumerate(np.split(order, starts[1:])):
        serving = member[first[k] : last[k]]
        if len(serving):
            yield clients, serving
