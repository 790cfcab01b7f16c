"""What a solve becomes: the proposals and every waiting client, each with the facts the
front ends render. Facts are gathered as arrays over all pairs shown or clients waiting, then
made into one object each when first looked at (matcher.lazy_tuple); nothing here loops over
the allowed pairs."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import cast

import numpy as np
import numpy.typing as npt

from matcher.arrays import BoolArray, EdgeList, IntArray
from matcher.candidates import Candidates
from matcher.facts import pair_facts
from matcher.lazy_tuple import LazyTuple
from matcher.population import Population
from matcher.result import Match, ReasonCode, Unmatched, make_match, make_unmatched
from matcher.scoring import CRITERIA, PairScores
from matcher.vocab import RISK_TIERS


def matches_of(
    pop: Population, scores: PairScores, ci: IntArray, vi: IntArray, edge: IntArray
) -> LazyTuple[Match]:
    """The proposals (ci[k], vi[k]), scored in `scores` at `edge[k]`, with their facts: the
    arrays gathered now, each object made when it is first looked at (matcher.lazy_tuple)."""
    return LazyTuple(len(ci), _Proposals(pop, scores, ci, vi, edge).make)


class _Proposals:
    """The facts of the proposals as arrays (a few per proposal, none over all pairs)."""

    def __init__(
        self, pop: Population, scores: PairScores, ci: IntArray, vi: IntArray, edge: IntArray
    ) -> None:
        self.pop, self.ci, self.vi = pop, ci, vi
        self.criteria = scores.criteria_at(edge)
        self.units = scores.weight_units[edge]
        self.priority = scores.priority_at(edge)
        self.km, self.visit = scores.distance_km[edge], scores.visit[edge]

    def make(self, at: IntArray) -> list[Match]:
        pop, ci, vi = self.pop, self.ci[at], self.vi[at]
        rows = zip(*(self.criteria[name][at].tolist() for name in CRITERIA), strict=True)
        facts = pair_facts(pop, ci, vi, self.km[at], self.visit[at])
        client_ids, volunteer_ids = pop.client_ids, pop.volunteer_ids
        tiers = [RISK_TIERS[tier] for tier in pop.c_tier[ci].tolist()]
        make = make_match
        return [
            make(
                client_ids[c],
                volunteer_ids[v],
                units,
                tier,
                dict(zip(CRITERIA, row, strict=True)),
                priority,
                pair,
            )
            for c, v, units, tier, row, priority, pair in zip(
                ci.tolist(),
                vi.tolist(),
                self.units[at].tolist(),
                tiers,
                rows,
                self.priority[at].tolist(),
                facts,
                strict=True,
            )
        ]


def waiting_clients(
    pop: Population, candidates: Candidates, weight_units: IntArray, chosen: BoolArray, policy: str
) -> LazyTuple[Unmatched]:
    """Every client without a proposal and why: the facts are gathered as arrays over the
    waiting clients now, each object made when it is first looked at."""
    return LazyTuple(*_Waiting.of(pop, candidates, weight_units, chosen, policy))


class _Waiting:
    """The facts of the waiting clients as arrays over them (`at`: positions among them)."""

    def __init__(
        self,
        pop: Population,
        codes: list[str],
        policy: str,
        waiting: IntArray,
        stage: IntArray,
        before: IntArray,
        best_volunteer: IntArray,
        best_units: IntArray,
        left: IntArray,
        takers: tuple[IntArray, IntArray, IntArray],
    ) -> None:
        self.pop, self.codes, self.policy = pop, codes, policy
        self.waiting, self.stage, self.before = waiting, stage, before
        self.best_volunteer, self.best_units = best_volunteer, best_units
        self.left, self.takers = left, takers

    @classmethod
    def of(
        cls,
        pop: Population,
        candidates: Candidates,
        weight_units: IntArray,
        chosen: BoolArray,
        policy: str,
    ) -> tuple[int, Callable[[IntArray], list[Unmatched]]]:
        edges = candidates.weighed(weight_units)
        matched = np.zeros(pop.n_clients, dtype=bool)
        matched[edges.edge_client[chosen]] = True
        waiting = np.flatnonzero(~matched)

        # Who took each volunteer's places, in edge order (by client id).
        taken = np.flatnonzero(chosen)
        taken = taken[np.argsort(edges.edge_volunteer[taken], kind="stable")]
        takers = (edges.edge_volunteer[taken], edges.edge_client[taken], edges.weight_units[taken])

        # The rule that removed each waiting client's last option (-1: options were left), and
        # the options there were before it.
        left = candidates.options_left[:, waiting]
        n_rules = len(candidates.rules)
        has_left = (left > 0).all(axis=0) if n_rules else np.ones(len(waiting), dtype=bool)
        stage = np.where(has_left, -1, np.argmin(left > 0, axis=0) if n_rules else -1)
        padded = np.vstack([np.full((1, len(waiting)), pop.n_volunteers, dtype=np.int64), left])
        before = padded[np.maximum(stage, 0), np.arange(len(waiting))]
        # -1 (no edge) picks the -1 appended at the end.
        best = _best_edge_per_client(edges)[waiting]
        best_volunteer = np.append(edges.edge_volunteer, -1)[best]
        best_units = np.append(edges.weight_units, -1)[best]
        codes = [rule.code for rule in candidates.rules]
        facts = cls(
            pop, codes, policy, waiting, stage, before, best_volunteer, best_units, left, takers
        )
        return len(waiting), facts.make

    @cached_property
    def taken_by(self) -> dict[int, tuple[tuple[str, ...], tuple[int, ...]]]:
        """Volunteer index -> the clients given its places and the weight of each pair."""
        client_ids = self.pop.client_ids
        takers: dict[int, tuple[list[str], list[int]]] = {}
        for v, c, units in zip(*(column.tolist() for column in self.takers), strict=True):
            names, weights = takers.setdefault(v, ([], []))
            names.append(client_ids[c])
            weights.append(units)
        return {v: (tuple(names), tuple(weights)) for v, (names, weights) in takers.items()}

    @cached_property
    def options_table(self) -> tuple[npt.NDArray[np.object_], IntArray]:
        return _options_table(self.codes, self.left)

    def make(self, at: IntArray) -> list[Unmatched]:
        pop, codes, policy = self.pop, self.codes, self.policy
        waiting = self.waiting[at]
        client_ids, volunteer_ids = pop.client_ids, pop.volunteer_ids
        taken_by = self.taken_by
        nobody: tuple[tuple[str, ...], tuple[int, ...]] = ((), ())
        programmes = pop.programmes.words
        hours_mode = pop.hours_mode
        clients = pop.clients
        make = make_unmatched
        out = []
        for ci, tier, code, rule, options_before, vi, units, counts in zip(
            waiting.tolist(),
            pop.c_tier[waiting].tolist(),
            pop.c_programme[waiting].tolist(),
            self.stage[at].tolist(),
            self.before[at].tolist(),
            self.best_volunteer[at].tolist(),
            self.best_units[at].tolist(),
            _options_left(*self.options_table, at, len(codes)),
            strict=True,
        ):
            if rule < 0:
                taken_names, taken_weights = taken_by.get(vi, nobody)
                out.append(
                    make(
                        client_ids[ci],
                        RISK_TIERS[tier],
                        "outcompeted",
                        programmes[code],
                        counts,
                        None,
                        volunteer_ids[vi],
                        units,
                        taken_names,
                        taken_weights,
                        policy,
                        (),
                        None,
                        None,
                    )
                )
                continue
            reason = codes[rule]
            hours = clients[ci].hours_needed if hours_mode and reason == "no-capacity" else None
            out.append(
                make(
                    client_ids[ci],
                    RISK_TIERS[tier],
                    cast(ReasonCode, reason),
                    programmes[code],
                    counts,
                    options_before,
                    None,
                    None,
                    (),
                    (),
                    policy,
                    (),
                    hours,
                    None,
                )
            )
        return out


def _options_table(codes: list[str], left: IntArray) -> tuple[npt.NDArray[np.object_], IntArray]:
    """Each distinct (rule code, volunteers left) pair once, and for every rule and waiting
    client the index of its pair: column j of `left` holds client j's counts, one row per
    rule. Counts repeat across clients, so the pairs are shared (a gather from an object
    array), not a new tuple for every rule of every client."""
    pairs: list[tuple[str, int]] = []
    index = np.empty_like(left)
    for k, code in enumerate(codes):
        # The counts are at most the number of volunteers: marked in a table, not sorted.
        present = np.zeros(int(left[k].max(initial=0)) + 1, dtype=bool)
        present[left[k]] = True
        index[k] = len(pairs) + (np.cumsum(present) - 1)[left[k]]
        pairs += [(code, count) for count in np.flatnonzero(present).tolist()]
    # fromiter: each pair one element (assigning the list could read the pairs as a 2-D array).
    return np.fromiter(pairs, dtype=object, count=len(pairs)), index


def _options_left(
    table: npt.NDArray[np.object_], index: IntArray, at: IntArray, n_rules: int
) -> list[tuple[tuple[str, int], ...]]:
    """The (rule code, volunteers left) pairs of the waiting clients at `at`."""
    if n_rules == 0:
        return [() for _ in range(len(at))]
    return list(map(tuple, table[index[:, at].T].tolist()))


def _best_edge_per_client(edges: EdgeList) -> IntArray:
    """Index of each client's highest-weight edge (lowest volunteer id on ties); -1 if none."""
    best = np.full(edges.n_clients, -1, dtype=np.int64)
    if len(edges.edge_client) == 0:
        return best
    # Edges are sorted by client, then volunteer: each client's edges form one segment.
    starts = np.flatnonzero(np.r_[True, edges.edge_client[1:] != edges.edge_client[:-1]])
    segment_max = np.maximum.reduceat(edges.weight_units, starts)
    ends = np.r_[starts[1:], len(edges.edge_client)]
    at_max = edges.weight_units == np.repeat(segment_max, ends - starts)
    # The first edge at the maximum in each segment: the lowest volunteer id.
    at_max_edges = np.flatnonzero(at_max)
    clients = edges.edge_client[at_max_edges]
    first = np.r_[True, clients[1:] != clients[:-1]]
    best[clients[first]] = at_max_edges[first]
    return best
