"""Bottleneck groups: waiting clients who compete for too few places, whatever the round does.

A group is a set of clients whose allowed volunteers all lie in one set of volunteers with
fewer free places than the group has clients: "these 9 clients can only be served by V03, V07
and V11, who have 4 free places: at least 5 wait". By Hall's theorem no assignment, by any
policy, serves more of them than there are places, so `must_wait` of them wait in every round
on these inputs; the policy decides only which.

The groups are the over-demanded part of the Dulmage–Mendelsohn decomposition: the clients
reachable from a waiting client by alternating paths (an allowed pair to a volunteer, back
along a chosen pair to the client who has that place) in a matching of the most clients,
split into connected parts. Their union is the smallest set of clients with the largest
shortage (|clients| - free places of their volunteers); each group is connected, so it cannot
be split into two groups that share no volunteer.

Only the waiting clients' neighbourhoods are visited: a breadth-first search over the edge
arrays, one numpy step per level. When the round's assignment does not serve the most clients
possible (a policy that keeps places free or prefers weight), a maximum flow on the visited
part alone (OR-Tools, matcher.solvers.flow.most_clients) first serves the most; the groups do
not depend on which such matching is used. The allowed pairs, the chosen pairs and the free
places come from the engine (Prepared, MatchResult); nothing here computes candidates or
scores again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.arrays import BoolArray, IntArray
from matcher.engine import Prepared
from matcher.outcome import proposal_facts
from matcher.policies.hours import places_or_hours
from matcher.result import MatchResult
from matcher.row_index import client_rows, volunteer_rows
from matcher.solvers.components import component_roots
from matcher.solvers.flow import most_clients
from matcher.wording import bottleneck_sentence, bottleneck_summary


@dataclass(frozen=True)
class BottleneckGroup:
    """Clients who can only be served by `volunteers`, who have `free_places` between them."""

    clients: tuple[str, ...]  # sorted by id; served and waiting alike
    volunteers: tuple[str, ...]  # every volunteer any of these clients may be matched to
    free_places: int
    waiting: tuple[str, ...]  # the group's clients this round leaves waiting

    @property
    def must_wait(self) -> int:
        """How many of the clients wait under any assignment (Hall's bound)."""
        return len(self.clients) - self.free_places


@dataclass(frozen=True)
class Bottlenecks:
    """A round's bottleneck groups, the largest shortage first."""

    groups: tuple[BottleneckGroup, ...] = ()

    @property
    def must_wait(self) -> int:
        return sum(group.must_wait for group in self.groups)

    def group_of(self, client_id: str) -> BottleneckGroup | None:
        return next((g for g in self.groups if client_id in g.clients), None)


def bottleneck_lines(bottlenecks: Bottlenecks, lang: str = "en", *, limit: int = 3) -> list[str]:
    """The groups as the terminal prints them under a round: a summary, then the largest."""
    groups = bottlenecks.groups
    if not groups:
        return []
    lines = [bottleneck_summary(len(groups), bottlenecks.must_wait, lang)]
    for group in groups[:limit]:
        lines.append("  - " + sentence_of(group, lang))
    if len(groups) > limit:
        more = len(groups) - limit
        lines.append(f"  … {more} meer" if lang == "nl" else f"  … and {more} more")
    return lines


def sentence_of(group: BottleneckGroup, lang: str, *, client: str | None = None) -> str:
    return bottleneck_sentence(
        len(group.clients), group.volunteers, group.free_places, group.must_wait, lang,
        client=client,
    )  # fmt: skip


def find_bottlenecks(prepared: Prepared, result: MatchResult) -> Bottlenecks:
    """The bottleneck groups of a solved round."""
    pop, edges = prepared.population, prepared.edges
    chosen = chosen_edges(prepared, result)
    places = free_places(prepared)
    client_group, volunteer_group = bottleneck_labels(
        pop.n_clients, pop.n_volunteers, edges.edge_client, edges.edge_volunteer, places, chosen
    )
    waiting = np.ones(pop.n_clients, dtype=bool)
    waiting[edges.edge_client[chosen]] = False
    n_groups = int(client_group.max(initial=-1)) + 1
    # Rows are in id order (matcher.population), and each group's rows come ascending, so
    # their ids come sorted without a sort.
    client_ids, volunteer_ids = pop.client_ids, pop.volunteer_ids
    groups = []
    for members, volunteers in zip(
        _by_label(client_group, n_groups), _by_label(volunteer_group, n_groups), strict=True
    ):
        groups.append(
            BottleneckGroup(
                clients=tuple([client_ids[c] for c in members.tolist()]),
                volunteers=tuple([volunteer_ids[v] for v in volunteers.tolist()]),
                free_places=int(places[volunteers].sum()),
                waiting=tuple([client_ids[c] for c in members[waiting[members]].tolist()]),
            )
        )
    groups.sort(key=lambda g: (-g.must_wait, -len(g.clients), g.clients[0]))
    return Bottlenecks(tuple(groups))


def free_places(prepared: Prepared) -> IntArray:
    """Each volunteer's free places, as the policies count them.

    In hours (matcher.policies.hours) a volunteer's places are its free hours over the
    shortest need among the clients with options: exact when every such client needs the same
    hours, and otherwise the most clients it could take, so a group's shortage is still a
    shortage in every assignment (a lower bound on who waits, no longer always reached)."""
    pop = prepared.population
    if not pop.hours_mode:
        return prepared.free_places
    return places_or_hours(pop.c_need, pop.v_free, prepared.edges.edge_client)[0]


def _by_label(labels: IntArray, n_groups: int) -> list[IntArray]:
    """The indices with each label 0 … n_groups - 1, in one sort (not one scan per group)."""
    order = np.argsort(labels, kind="stable")
    counts = np.bincount(labels[labels >= 0], minlength=n_groups)
    inside = order[len(labels) - int(counts.sum()) :]  # -1 (no group) sorts first
    return np.split(inside, np.cumsum(counts)[:-1]) if n_groups else []


def chosen_edges(prepared: Prepared, result: MatchResult) -> BoolArray:
    """The result's pairs as a mask over the prepared edges (sorted by client, volunteer)."""
    pop, edges = prepared.population, prepared.edges
    facts = proposal_facts(result.matches)
    if facts is not None and facts.pop is pop:
        # The engine's proposals of this very round: their rows, no object per proposal.
        pairs = np.stack([facts.ci, facts.vi], axis=1).astype(np.int64).reshape(-1, 2)
    else:
        c_row, v_row = client_rows(pop), volunteer_rows(pop)
        pairs = np.array(
            [(c_row[m.client_id], v_row[m.volunteer_id]) for m in result.matches],
            dtype=np.int64,
        ).reshape(-1, 2)
    keys = edges.edge_client * pop.n_volunteers + edges.edge_volunteer
    wanted = pairs[:, 0] * pop.n_volunteers + pairs[:, 1]
    chosen = np.zeros(len(keys), dtype=bool)
    if len(wanted):
        at = np.searchsorted(keys, wanted)
        assert np.array_equal(keys[np.minimum(at, len(keys) - 1)], wanted), "a pair not allowed"
        chosen[at] = True
    return chosen


def bottleneck_labels(
    n_clients: int,
    n_volunteers: int,
    edge_client: IntArray,
    edge_volunteer: IntArray,
    free_places: IntArray,
    chosen: BoolArray,
) -> tuple[IntArray, IntArray]:
    """Each client's and volunteer's bottleneck group (0, 1, …; -1 for none).

    `chosen` must be a feasible assignment over the edges (each client at most once, each
    volunteer at most `free_places` times); a client without allowed pairs is in no group.
    """
    edge_client = np.asarray(edge_client, dtype=np.int64)
    edge_volunteer = np.asarray(edge_volunteer, dtype=np.int64)
    keys = edge_client * n_volunteers + edge_volunteer
    if len(keys) > 1 and not np.all(keys[1:] > keys[:-1]):
        # The engine's edges come sorted by (client, volunteer); other callers' may not.
        order = np.argsort(keys, kind="stable")
        edge_client, edge_volunteer, chosen = (
            edge_client[order],
            edge_volunteer[order],
            chosen[order],
        )
    free = np.asarray(free_places, dtype=np.int64)
    graph = _Graph(n_clients, n_volunteers, edge_client, edge_volunteer)
    seen_c, seen_v = graph.alternating_reach(chosen)
    load = np.bincount(edge_volunteer[chosen], minlength=n_volunteers)
    if np.any(load[seen_v] < free[seen_v]):
        # A place within reach is free: serve the most clients first, on the reached part only.
        chosen = graph.most_served(chosen, seen_c, seen_v, free)
        seen_c, seen_v = graph.alternating_reach(chosen)
    return graph.components(seen_c, seen_v)


class _Graph:
    """The allowed pairs in compressed rows by client, for level-by-level searches."""

    def __init__(
        self, n_clients: int, n_volunteers: int, edge_client: IntArray, edge_volunteer: IntArray
    ) -> None:
        self.n_clients, self.n_volunteers = n_clients, n_volunteers
        self.client, self.volunteer = edge_client, edge_volunteer
        self.degree = np.bincount(edge_client, minlength=n_clients)
        self.start = np.concatenate(([0], np.cumsum(self.degree)[:-1]))

    def pairs_of(self, edges: IntArray) -> tuple[IntArray, IntArray]:
        """The client and volunteer of each of `edges` (every edge: the arrays themselves)."""
        if len(edges) == len(self.client):
            return self.client, self.volunteer  # a dense city reaches every pair: no copy
        return self.client[edges], self.volunteer[edges]

    def edges_of(self, clients: IntArray) -> IntArray:
        """Indices of every edge of `clients`, without a Python loop."""
        lengths = self.degree[clients]
        total = int(lengths.sum())
        offsets = self.start[clients] - (np.cumsum(lengths) - lengths)
        return np.repeat(offsets, lengths) + np.arange(total, dtype=np.int64)

    def alternating_reach(self, chosen: BoolArray) -> tuple[BoolArray, BoolArray]:
        """Clients and volunteers reachable from the waiting clients by alternating paths."""
        served = np.zeros(self.n_clients, dtype=bool)
        served[self.client[chosen]] = True
        # Each volunteer's chosen clients, in compressed rows by volunteer.
        by_volunteer = np.flatnonzero(chosen)[np.argsort(self.volunteer[chosen], kind="stable")]
        taken = np.bincount(self.volunteer[chosen], minlength=self.n_volunteers)
        taken_start = np.concatenate(([0], np.cumsum(taken)[:-1]))
        seen_c = ~served & (self.degree > 0)
        seen_v = np.zeros(self.n_volunteers, dtype=bool)
        frontier = np.flatnonzero(seen_c)
        while len(frontier):
            # Marked rather than np.unique'd: one pass, no sort or hash of the frontier's edges.
            reached = np.zeros(self.n_volunteers, dtype=bool)
            reached[self.volunteer[self.edges_of(frontier)]] = True
            volunteers = np.flatnonzero(reached & ~seen_v)
            seen_v[volunteers] = True
            lengths = taken[volunteers]
            offsets = taken_start[volunteers] - (np.cumsum(lengths) - lengths)
            slots = np.repeat(offsets, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)
            clients = self.client[by_volunteer[slots]]
            frontier = clients[~seen_c[clients]]
            seen_c[frontier] = True
        return seen_c, seen_v

    def most_served(
        self, chosen: BoolArray, seen_c: BoolArray, seen_v: BoolArray, free: IntArray
    ) -> BoolArray:
        """`chosen` with its reached part replaced by a matching that serves the most clients.

        The reached part is closed: its clients' allowed volunteers and its volunteers'
        chosen clients are all in it, so a maximum flow there is a maximum overall."""
        part = self.edges_of(np.flatnonzero(seen_c))
        best = chosen.copy()
        best[part] = most_clients(self.n_clients, self.n_volunteers, *self.pairs_of(part), free)
        return best

    def components(self, seen_c: BoolArray, seen_v: BoolArray) -> tuple[IntArray, IntArray]:
        """Connected parts of the reached clients and volunteers, numbered as first found."""
        clients = np.flatnonzero(seen_c)
        # The reached clients' pairs, in edge order, by a mask over the pairs rather than a list
        # of their indices (a national round reaches 98 % of its clients: 0.04 -> 0.02 s).
        reached = seen_c[self.client]
        pairs = (self.client, self.volunteer) if reached.all() else (
            self.client[reached], self.volunteer[reached]
        )  # fmt: skip
        client_root, volunteer_root = component_roots(self.n_clients, self.n_volunteers, *pairs)
        client_label = np.full(self.n_clients, -1, dtype=np.int64)
        volunteer_label = np.full(self.n_volunteers, -1, dtype=np.int64)
        # Numbered 0, 1, … in order of each group's first client, which names its part.
        rank = np.full(self.n_clients, -1, dtype=np.int64)
        # The distinct roots, in order, by a mask: np.unique would load numpy.ma (0.02 s)
        # on the first call, for a city round a tenth of its own work.
        is_root = np.zeros(self.n_clients, dtype=bool)
        is_root[client_root[clients]] = True
        roots = np.flatnonzero(is_root)
        rank[roots] = np.arange(len(roots))
        client_label[clients] = rank[client_root[clients]]
        volunteers = np.flatnonzero(seen_v)
        volunteer_label[volunteers] = rank[volunteer_root[volunteers]]
        return client_label, volunteer_label
