"""What a solve becomes: the proposals and every waiting client, each with the facts the
front ends render. Facts are gathered as arrays over all pairs shown or clients waiting, then
made into one object each when first looked at (matcher.lazy_tuple); nothing here loops over
the allowed pairs. The arrays are also read without the objects (`column`, `proposal_facts`,
`waiting_facts`): a round's files and counts need no object per row."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any, cast

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
    facts = ProposalFacts(pop, scores, ci, vi, edge)
    return LazyTuple(len(ci), facts.make, facts)


def proposal_facts(matches: Sequence[Match]) -> ProposalFacts | None:
    """The arrays behind the engine's proposals until their objects are all made; None for
    any other sequence (a ledger's, a caller's)."""
    source = matches.source if isinstance(matches, LazyTuple) else None
    return source if isinstance(source, ProposalFacts) else None


def waiting_facts(unmatched: Sequence[Unmatched]) -> WaitingFacts | None:
    """The arrays behind the engine's waiting clients, as `proposal_facts`."""
    source = unmatched.source if isinstance(unmatched, LazyTuple) else None
    return source if isinstance(source, WaitingFacts) else None


class ProposalFacts:
    """The facts of the proposals as arrays (a few per proposal, none over all pairs)."""

    def __init__(
        self, pop: Population, scores: PairScores, ci: IntArray, vi: IntArray, edge: IntArray
    ) -> None:
        self.pop, self.ci, self.vi = pop, ci, vi
        self.criteria = scores.criteria_at(edge)
        self.units = scores.weight_units[edge]
        self.priority = scores.priority_at(edge)
        self.km, self.visit = scores.distance_km[edge], scores.visit[edge]

    def column(self, name: str) -> Sequence[Any] | None:
        """Match.`name` of every proposal (`scores.closeness`: one criterion's score), as the
        objects would hold it; None for the fields only the objects have."""
        if name == "client_id":
            return _gather(self.pop.client_ids, self.ci)
        if name == "volunteer_id":
            return _gather(self.pop.volunteer_ids, self.vi)
        if name == "risk_tier":
            return _gather(RISK_TIERS, self.pop.c_tier[self.ci])
        if name == "weight_units":
            return cast(list[int], self.units.tolist())
        if name == "priority":
            return cast(list[float], self.priority.tolist())
        if name == "distance_km":
            # As pair_facts: None where the distance is not known.
            km = self.km.astype(object)
            km[np.isnan(self.km)] = None
            return cast(list[float | None], km.tolist())
        if name == "contact":
            return _gather(("phone", "visit"), self.visit.astype(np.int64))
        criterion = name.removeprefix("scores.")
        if criterion != name and criterion in self.criteria:
            return cast(list[float], self.criteria[criterion].tolist())
        return None

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
    n, facts = WaitingFacts.of(pop, candidates, weight_units, chosen, policy)
    return LazyTuple(n, facts.make, facts)


class WaitingFacts:
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
    ) -> tuple[int, WaitingFacts]:
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
        return len(waiting), facts

    def column(self, name: str) -> Sequence[Any] | None:
        """Unmatched.`name` of every waiting client, as the objects would hold it; None for
        the fields only the objects have."""
        if name == "client_id":
            return _gather(self.pop.client_ids, self.waiting)
        if name == "risk_tier":
            return _gather(RISK_TIERS, self.pop.c_tier[self.waiting])
        if name == "reason":
            # A waiting client with options left was outcompeted (stage -1: the last code).
            return _gather((*self.codes, "outcompeted"), self.stage)
        if name == "programme":
            return _gather(self.pop.programmes.words, self.pop.c_programme[self.waiting])
        return None

    @cached_property
    def taker_starts(self) -> IntArray:
        """Where each volunteer's takers start in `takers` (and end: where the next start)."""
        counts = np.bincount(self.takers[0], minlength=self.pop.n_volunteers)
        return np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts)])

    def taken_by(self, volunteers: IntArray) -> dict[int, tuple[tuple[str, ...], tuple[int, ...]]]:
        """Volunteer index -> the clients given its places and the weight of each pair, for
        the `volunteers` asked for (a few waiting clients need not pay for every volunteer)."""
        asked = np.zeros(self.pop.n_volunteers, dtype=bool)
        asked[volunteers[volunteers >= 0]] = True
        wanted = np.flatnonzero(asked)  # (np.unique would load numpy.ma: see test_cli_structure)
        starts = self.taker_starts[wanted]
        lengths = self.taker_starts[wanted + 1] - starts
        ends = np.cumsum(lengths)
        # The wanted volunteers' takers, one run after another.
        total = int(ends[-1]) if len(ends) else 0
        at = np.arange(total) + np.repeat(starts - ends + lengths, lengths)
        _, clients, units = self.takers
        ids, weights = _gather(self.pop.client_ids, clients[at]), units[at].tolist()
        return {
            v: (tuple(ids[end - length : end]), tuple(weights[end - length : end]))
            for v, end, length in zip(wanted.tolist(), ends.tolist(), lengths.tolist(), strict=True)
        }

    @cached_property
    def options_table(self) -> tuple[npt.NDArray[np.object_], IntArray]:
        return _options_table(self.codes, self.left)

    def make(self, at: IntArray, best_units: IntArray | None = None) -> list[Unmatched]:
        """The waiting clients at `at`; `best_units`: other weights of their best options (a
        template of a sentence, matcher.output), instead of their own."""
        pop, codes, policy = self.pop, self.codes, self.policy
        waiting = self.waiting[at]
        client_ids, volunteer_ids = pop.client_ids, pop.volunteer_ids
        taken_by = self.taken_by(self.best_volunteer[at][self.stage[at] < 0])
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
            (self.best_units[at] if best_units is None else best_units).tolist(),
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


def _gather(items: Sequence[str], at: npt.NDArray[np.integer[Any]]) -> list[str]:
    """`[items[k] for k in at]`: the strings shared, no new one per row."""
    return list(map(items.__getitem__, at.tolist()))


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
