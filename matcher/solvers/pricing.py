"""Solving a large network from a few of its pairs, with proof that no pair left out would help.

In a dense city a client has hundreds of allowed pairs, but the optimum uses one, and only a
client's best few pairs (and a volunteer's best few clients) ever compete for it. So the
network is first solved over those few pairs only; then the LP dual of that restricted
optimum is worked out — a price y_v ≥ 0 per volunteer and a surplus u_c ≥ 0 per client, tight
on the chosen pairs, zero for a client left waiting and for a volunteer with a place left —
and every pair of the full round is checked against it. A pair with u_c + y_v < weight could
improve the solution: the most violated few per client join the restricted network and it is
solved again. When no pair violates, (u, y) is feasible for the full round's dual with the
same objective as the chosen pairs, which proves them optimal for the full round (LP duality;
the assignment polytope is integral). All in integer weight units: the proof is exact.

The duals come from the restricted solution alone: for a client c on volunteer v_c and
another of its pairs (c, v'), u_c = w(c, v_c) - y(v_c) and u_c + y(v') ≥ w(c, v') give the
difference constraint y(v_c) ≤ y(v') + w(c, v_c) - w(c, v'); together with y(v) ≤ w(c, v)
for each of v's clients (u_c ≥ 0) and y(v) = 0 for a volunteer with a place left, the largest
solution is a shortest-path problem, solved by Bellman-Ford on whole arrays (a few dozen
passes on a city). The largest prices leave the smallest surpluses, so the fewest pairs
violate. A client left waiting has u_c = 0, and the largest prices satisfy its pairs
(every optimal dual does).

Only the plain objective is priced (largest total weight, a client may wait); the shaped
objectives (most clients first, load penalty) have other duals and are solved whole.
Deterministic: every step depends on the arrays alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np

from matcher.arrays import BoolArray, IntArray
from matcher.solvers.flow_round import FlowRound

# A part is priced when it has at least this many pairs per client and volunteer. OR-Tools'
# solve time grows with the nodes more than with the arcs: a national part (about 46 pairs
# per node) solves in 8 ms from a tenth of its pairs against 30 ms from all of them, which
# five pricing rounds do not repay; a dense city (170 per node) solves in 0.05 s from 4 % of
# its pairs against 1.1 s from all of them.
PRICE_FROM_PAIRS_PER_NODE: Final = 100
# The first restricted network: each client's best pairs, and each volunteer's best clients
# (so many per free place), which seed the prices of the volunteers who fill up.
START_PER_CLIENT: Final = 4
START_PER_PLACE: Final = 4
# Each pricing round adds at most this many pairs of a client, those that fall shortest.
ADD_PER_CLIENT: Final = 8
# A safety net, never reached on the benchmark rounds (the dense city takes five): after this many
# rounds the whole network is solved as it stands.
MAX_ROUNDS: Final = 40
# _best_per_group first narrows scattered groups to their top bins of value when the items
# are many more than those wanted: PREFILTER_BINS bins, from this many items per one wanted
# (the volunteers' best clients in a dense city: 0.07 s → 0.03 s).
PREFILTER_BINS: Final = 64
PREFILTER_FROM_ITEMS_PER_WANTED: Final = 8

Solve = Callable[[FlowRound], BoolArray]


def worth_pricing(network: FlowRound) -> bool:
    """Plain objective, and enough pairs per client and volunteer for pricing to pay
    (`network` numbered over the people with a pair: FlowRound.compact)."""
    if network.most_clients_first or network.load_penalty_units:
        return False
    nodes = max(1, network.n_clients + network.n_volunteers)
    return len(network.edge_client) >= PRICE_FROM_PAIRS_PER_NODE * nodes


def solve_by_pricing(network: FlowRound, solve: Solve) -> BoolArray:
    """The chosen pairs of `network`, optimal over all of its pairs, found by `solve` on few.

    The proof rests on the last check alone: the duals are tight on the chosen pairs, zero
    where a client waits or a place is left (by construction) and not negative (_duals), so
    when no pair of the whole network falls short of them the chosen pairs are optimal,
    however the duals were found. Otherwise, or after MAX_ROUNDS, the whole network is solved.
    """
    client, volunteer = network.edge_client, network.edge_volunteer
    weight = network.weight_units
    places = network.free_places
    # The first pairs: each client's best, and each volunteer's best clients per free place.
    selected = _best_per_group(client, network.n_clients, weight, START_PER_CLIENT)
    selected |= _best_per_group(volunteer, network.n_volunteers, weight, START_PER_PLACE * places)
    for _ in range(MAX_ROUNDS):
        edges = np.flatnonzero(selected)
        chosen_there = solve(network.part(edges))
        prices = _duals(network, edges, chosen_there)
        if prices is None:
            break  # no certificate (never seen): solve the whole network instead
        surplus, price = prices
        shortfall = weight - surplus[client] - price[volunteer]
        violated = shortfall > 0
        if not violated.any():
            chosen = np.zeros(len(client), dtype=bool)
            chosen[edges[chosen_there]] = True
            return chosen
        if (violated & selected).any():
            break  # a selected pair falls short: the duals are wrong (never seen)
        # A client with a pair that falls short gets its pairs that fall shortest (those
        # nearly short too), which saves a round where the prices then move.
        short_client = np.zeros(network.n_clients, dtype=bool)
        short_client[client[violated]] = True
        added = np.flatnonzero(short_client[client] & ~selected)
        worst = _best_per_group(client[added], network.n_clients, shortfall[added], ADD_PER_CLIENT)
        selected[added[worst]] = True
    return solve(network)


def _best_per_group(
    group: IntArray, n_groups: int, value: IntArray, count: int | IntArray
) -> BoolArray:
    """The `count` largest values of each group (an array: count[g] for group g), the
    earliest item first among equal values; a mask over the items.

    Items scattered over the groups (the edges by volunteer) are first narrowed to those in
    their group's top bins of value (one pass that bins and counts every item), so that the
    scatter-maximum passes see a few items per group rather than hundreds; items in runs by
    group are cheap enough to take in passes as they are."""
    wanted = np.broadcast_to(np.asarray(count, dtype=np.int64), (n_groups,))
    in_runs = not np.any(group[1:] < group[:-1])
    if in_runs or len(group) <= PREFILTER_FROM_ITEMS_PER_WANTED * int(wanted.sum()):
        return _best_in_passes(group, n_groups, value, wanted, in_runs)
    items = np.flatnonzero(_in_top_bins(group, n_groups, value, wanted))
    picked = np.zeros(len(group), dtype=bool)
    picked[items[_best_in_passes(group[items], n_groups, value[items], wanted, False)]] = True
    return picked


def _in_top_bins(group: IntArray, n_groups: int, value: IntArray, wanted: IntArray) -> BoolArray:
    """A mask that holds every item among its group's `wanted` best (and some others).

    Values are binned by a monotone map onto PREFILTER_BINS bins; a group's threshold is its
    highest bin t with at least wanted[g] items in bins t and above. The wanted-th best item
    lies in bin t exactly (fewer than wanted[g] items are above its bin), and so does every
    item equal to it: what passes holds every item the exact passes could pick."""
    low = float(value.min())
    span = float(value.max()) - low
    if span <= 0:
        return np.ones(len(group), dtype=bool)
    bins = PREFILTER_BINS
    scale = (bins - 1) / span  # float: monotone, and the top value lands in the top bin
    binned = ((value - low) * scale).astype(np.int64)
    np.clip(binned, 0, bins - 1, out=binned)
    counts = np.bincount(group * bins + binned, minlength=n_groups * bins).reshape(n_groups, bins)
    from_top = np.cumsum(counts[:, ::-1], axis=1)
    enough = from_top >= wanted[:, None]
    threshold = np.where(enough[:, -1], bins - 1 - np.argmax(enough, axis=1), 0)
    threshold[wanted <= 0] = bins  # nothing wanted: nothing passes
    passed: BoolArray = binned >= threshold[group]
    return passed


def _best_in_passes(
    group: IntArray, n_groups: int, value: IntArray, wanted: IntArray, in_runs: bool
) -> BoolArray:
    """_best_per_group by passes: value and position are packed into one integer, so that
    each pass of numpy's scatter-maximum names every group's best item at once (`in_runs`:
    the items come in runs by group, as the edges come by client, and a maximum per run is
    six times faster; either way the picks are the same)."""
    picked = np.zeros(len(group), dtype=bool)
    if len(group) == 0:
        return picked
    low = int(value.min())
    position_bits = max(1, (len(group) - 1).bit_length())
    if (int(value.max()) - low) >= 2 ** (62 - position_bits):
        return _best_per_group_by_sort(group, value, wanted)
    last = (1 << position_bits) - 1
    key = ((value.astype(np.int64) - low) << position_bits) | (
        last - np.arange(len(group), dtype=np.int64)
    )
    if in_runs:
        run_start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        wanted = wanted[group[run_start]]
    for rank in range(int(wanted.max(initial=0))):
        if in_runs:
            best = np.maximum.reduceat(key, run_start)
        else:
            best = np.full(n_groups, -1, dtype=np.int64)
            np.maximum.at(best, group, key)
        best = best[(best >= 0) & (wanted > rank)]
        if len(best) == 0:
            break
        item = last - (best & last)
        picked[item] = True
        key[item] = -1
    return picked


def _best_per_group_by_sort(group: IntArray, value: IntArray, wanted: IntArray) -> BoolArray:
    """_best_per_group for values too wide to pack with a position: by sorting."""
    order = np.lexsort((-value.astype(np.int64), group))
    size = np.bincount(group, minlength=len(wanted))
    place = np.empty(len(group), dtype=np.int64)
    place[order] = np.arange(len(group)) - np.repeat(np.cumsum(size) - size, size)
    picked: BoolArray = place < wanted[group]
    return picked


def _duals(
    network: FlowRound, edges: IntArray, chosen_there: BoolArray
) -> tuple[IntArray, IntArray] | None:
    """(surplus per client, price per volunteer) of the restricted optimum, or None if the
    Bellman-Ford passes do not settle (a negative cycle: the restricted solve was not optimal)."""
    n_clients, n_volunteers = network.n_clients, network.n_volunteers
    client = network.edge_client[edges]
    volunteer = network.edge_volunteer[edges]
    weight = network.weight_units[edges].astype(np.int64)
    places = network.free_places.astype(np.int64)
    on, on_client = chosen_there, client[chosen_there]
    partner = np.full(n_clients, -1, dtype=np.int64)
    partner[on_client] = volunteer[on]
    partner_weight = np.zeros(n_clients, dtype=np.int64)
    partner_weight[on_client] = weight[on]
    load = np.bincount(volunteer[on], minlength=n_volunteers)

    # Upper bounds: 0 for a volunteer with a place left; the smallest weight among its
    # clients for a full one (u_c >= 0); above every weight for one without places.
    ceiling = np.int64(weight.max(initial=0)) + 1
    price = np.where(load >= places, ceiling, 0).astype(np.int64)
    np.minimum.at(price, volunteer[on], weight[on])
    price[load < places] = 0
    # Arcs v' -> v_c of length w(c, v_c) - w(c, v'), grouped by head for minimum.reduceat.
    other = ~on & (partner[client] >= 0)
    tail = volunteer[other]
    head = partner[client[other]]
    length = partner_weight[client[other]] - weight[other]
    order = np.argsort(head, kind="stable")
    tail, head, length = tail[order], head[order], length[order]
    if len(head):
        starts = np.flatnonzero(np.r_[True, head[1:] != head[:-1]])
        heads = head[starts]
        for _ in range(n_volunteers + 1):
            offered = np.minimum.reduceat(price[tail] + length, starts)
            lower = offered < price[heads]
            if not lower.any():
                break
            price[heads[lower]] = offered[lower]
        else:
            return None
    surplus = np.where(partner >= 0, partner_weight - price[np.maximum(partner, 0)], 0)
    if (price < 0).any() or (surplus < 0).any():
        return None
    return surplus, price
