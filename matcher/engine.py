"""The matching pipeline without I/O: validate, triage, candidates, scoring, solve, explain."""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from pydantic import ValidationError

from matcher.arrays import IntArray
from matcher.candidates import Candidates, find_candidates
from matcher.config import MatchConfig, config_from_dict
from matcher.errors import InputError, Problem, problems_from_validation
from matcher.facts import pair_facts
from matcher.io.geo import gazetteer_for
from matcher.locations import locate_all
from matcher.models import Client, Volunteer
from matcher.policies import AssignmentProblem, MatchPolicy, PolicyContext, find_policy
from matcher.policies.hours import places_or_hours
from matcher.population import Population, build_population
from matcher.result import Match, MatchResult, ReasonCode, Unmatched
from matcher.scoring import CRITERIA, PairScores, score_pairs
from matcher.vocab import RISK_TIERS

ClientLike = Client | Mapping[str, Any]
VolunteerLike = Volunteer | Mapping[str, Any]


@dataclass(frozen=True)
class Edges:
    client: IntArray
    volunteer: IntArray
    weight_units: IntArray


@dataclass(frozen=True)
class Prepared:
    """A round ready to solve: the population, its allowed pairs and their weights."""

    config: MatchConfig
    round_date: dt.date
    population: Population
    candidates: Candidates
    scores: PairScores
    excluded: frozenset[int]
    timings: dict[str, float]

    @property
    def edges(self) -> Edges:
        return Edges(self.candidates.client, self.candidates.volunteer, self.scores.weight_units)

    @property
    def free_places(self) -> IntArray:
        return self.population.v_free


def validate_records(
    items: Sequence[Any], model: type[Client] | type[Volunteer], source: str
) -> list[Any]:
    """Model objects pass through; dicts (the input format) are validated, all problems
    collected; a repeated id is a problem too."""
    out, problems = [], []
    for row, item in enumerate(items, start=1):
        if isinstance(item, model):
            out.append(item)
            continue
        try:
            out.append(model.model_validate(item))
        except Exception as error:  # pydantic.ValidationError, or not a mapping at all
            if not isinstance(error, ValidationError):
                raise
            problems.extend(problems_from_validation(error, source=source, row=row))
    id_field = "client_id" if model is Client else "volunteer_id"
    first_row: dict[str, int] = {}
    for row, item in enumerate(out, start=1):
        identifier = getattr(item, id_field)
        if identifier in first_row:
            problems.append(
                Problem(
                    source,
                    row,
                    id_field,
                    f"duplicate id, first seen on row {first_row[identifier]}",
                    identifier,
                )
            )
        first_row.setdefault(identifier, row)
    if problems:
        raise InputError(problems)
    return out


def _excluded_pairs(pop: Population) -> frozenset[int]:
    """Excluded (client, volunteer) pairs as client_index * n_volunteers + volunteer_index."""
    volunteer_index = pop.volunteer_index
    problems = []
    keys = set()
    for ci, client in enumerate(pop.clients):
        for volunteer_id in client.excluded_volunteers:
            vi = volunteer_index.get(volunteer_id)
            if vi is None:
                problems.append(
                    Problem(
                        "clients",
                        None,
                        "excluded_volunteers",
                        f"client {client.client_id}: unknown volunteer id",
                        volunteer_id,
                    )
                )
            else:
                keys.add(ci * pop.n_volunteers + vi)
    if problems:
        raise InputError(problems)
    return frozenset(keys)


def _located(
    clients: list[Client], volunteers: list[Volunteer], config: MatchConfig
) -> tuple[list[Client], list[Volunteer]]:
    """Places people a caller gave by postcode, district or place; records read from files
    or the ledger are placed already and pass through untouched."""
    people: list[Client | Volunteer] = [*clients, *volunteers]
    if all(p.lat is not None or not (p.postcode or p.district or p.place) for p in people):
        return clients, volunteers
    gazetteer = gazetteer_for(config)
    problems = []
    located: list[list[Any]] = []
    for items, source in ((clients, "clients"), (volunteers, "volunteers")):
        try:
            located.append(locate_all(items, gazetteer, source))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return located[0], located[1]


def _config(config: MatchConfig | Mapping[str, Any] | None) -> MatchConfig:
    if config is None:
        return MatchConfig()
    if isinstance(config, MatchConfig):
        return config
    return config_from_dict(dict(config))


def prepare(
    clients: Sequence[ClientLike],
    volunteers: Sequence[VolunteerLike],
    config: MatchConfig | Mapping[str, Any] | None = None,
    round_date: dt.date | None = None,
) -> Prepared:
    """Validate, triage, find the allowed pairs and weigh them; everything but the solve."""
    config = _config(config)
    round_date = round_date or dt.date.today()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    client_models = validate_records(clients, Client, "clients")
    volunteer_models = validate_records(volunteers, Volunteer, "volunteers")
    client_models, volunteer_models = _located(client_models, volunteer_models, config)
    population = build_population(client_models, volunteer_models, config, round_date)
    excluded = _excluded_pairs(population)
    timings["prepare_s"] = time.perf_counter() - started

    started = time.perf_counter()
    candidates = find_candidates(population, config, excluded)
    timings["candidates_s"] = time.perf_counter() - started

    started = time.perf_counter()
    scores = score_pairs(population, config, candidates.client, candidates.volunteer)
    timings["scoring_s"] = time.perf_counter() - started
    return Prepared(config, round_date, population, candidates, scores, excluded, timings)


def match(
    clients: Sequence[ClientLike],
    volunteers: Sequence[VolunteerLike],
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    round_date: dt.date | None = None,
    policy: str | MatchPolicy | None = None,
) -> MatchResult:
    """Propose the pairs with the largest total weight, and say why each other client waits.

    `clients` and `volunteers` are model objects or dicts in the input format; `round_date`
    (default today) fixes the weeks waited, so a rerun of an old round gives the same result;
    `policy` (default the config's, "optimal") picks how pairs are chosen: a registered
    name (`matcher.policies.POLICY_NAMES`) or a `MatchPolicy` object of the caller's own.
    """
    prepared = prepare(clients, volunteers, config, round_date)
    return solve(prepared, policy)


def assignment_problem(prepared: Prepared) -> AssignmentProblem:
    pop, edges = prepared.population, prepared.edges
    client_hours = volunteer_hours = None
    free_places = prepared.free_places
    if pop.hours_mode:
        free_places, client_hours, volunteer_hours = places_or_hours(
            pop.c_need, pop.v_free, edges.client
        )
    return AssignmentProblem(
        n_clients=pop.n_clients,
        n_volunteers=pop.n_volunteers,
        edge_client=edges.client,
        edge_volunteer=edges.volunteer,
        weight_units=edges.weight_units,
        fit=prepared.scores.fit,
        free_places=free_places,
        current_load=np.array([v.active_clients for v in pop.volunteers], dtype=np.int64),
        client_tier=pop.c_tier,
        client_weeks_waited=pop.c_weeks_waited,
        client_hours=client_hours,
        volunteer_hours=volunteer_hours,
    )


def solve(prepared: Prepared, policy: str | MatchPolicy | None = None) -> MatchResult:
    """Choose pairs with `policy` (default: the config's), and explain the outcome."""
    config = prepared.config
    chosen_policy = find_policy(policy or config.policy)
    name = chosen_policy.name
    problem = assignment_problem(prepared)
    assignment = chosen_policy(problem, PolicyContext(config))
    timings = dict(prepared.timings, solve_s=assignment.solve_s)
    started = time.perf_counter()
    with _without_cycle_collection():
        matches = _matches(prepared, np.flatnonzero(assignment.chosen))
        unmatched = _unmatched(prepared, assignment.chosen, name)
    timings["explain_s"] = time.perf_counter() - started
    return MatchResult(
        matches=matches,
        unmatched=unmatched,
        objective_units=assignment.objective_units(problem),
        status=assignment.status,
        gap=assignment.gap,
        round_date=prepared.round_date,
        policy=name,
        n_clients=problem.n_clients,
        n_volunteers=problem.n_volunteers,
        n_candidates=len(problem.edge_client),
        timings=timings,
    )


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Tens of thousands of small result objects, none in a reference cycle: left on, the
    cyclic garbage collector walks every object of the round (the models too) again and
    again while they are made, a third of the time it takes to make them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _matches(prepared: Prepared, chosen: IntArray) -> tuple[Match, ...]:
    edges = prepared.edges
    return matches_of(
        prepared.population, prepared.scores, edges.client[chosen], edges.volunteer[chosen], chosen
    )


def matches_of(
    pop: Population, scores: PairScores, ci: IntArray, vi: IntArray, edge: IntArray
) -> tuple[Match, ...]:
    """The proposals (ci[k], vi[k]), scored in `scores` at `edge[k]`, with their facts."""
    criteria = scores.criteria_at(edge)
    rows = zip(*(criteria[name].tolist() for name in CRITERIA), strict=True)
    facts = pair_facts(pop, ci, vi, scores.distance_km[edge], scores.visit[edge])
    client_ids, volunteer_ids = pop.client_ids, pop.volunteer_ids
    tiers = [RISK_TIERS[tier] for tier in pop.c_tier[ci].tolist()]
    return tuple(
        Match(
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
            scores.weight_units[edge].tolist(),
            tiers,
            rows,
            scores.priority_at(edge).tolist(),
            facts,
            strict=True,
        )
    )


def score_pair(
    client: Client, volunteer: Volunteer, config: MatchConfig, round_date: dt.date
) -> Match:
    """One pair the engine did not choose (a coordinator's pin), weighed and described as
    the engine weighs and describes its own proposals; no hard rule is applied."""
    pop = build_population([client], [volunteer], config, round_date)
    one = np.zeros(1, dtype=np.int64)
    return matches_of(pop, score_pairs(pop, config, one, one), one, one, one)[0]


def _unmatched(
    prepared: Prepared, chosen: np.ndarray[Any, np.dtype[np.bool_]], policy: str
) -> tuple[Unmatched, ...]:
    """Every client without a proposal and why: the facts are gathered as arrays over the
    waiting clients, then one object each."""
    pop, edges, candidates = prepared.population, prepared.edges, prepared.candidates
    matched = np.zeros(pop.n_clients, dtype=bool)
    matched[edges.client[chosen]] = True
    waiting = np.flatnonzero(~matched)
    client_ids, volunteer_ids = pop.client_ids, pop.volunteer_ids

    # Who took each volunteer's places, in edge order (by client id).
    taken = np.flatnonzero(chosen)
    taken = taken[np.argsort(edges.volunteer[taken], kind="stable")]
    taker_volunteer = edges.volunteer[taken].tolist()
    taker_client = edges.client[taken].tolist()
    taker_units = edges.weight_units[taken].tolist()
    takers: dict[int, tuple[list[str], list[int]]] = {}
    for v, c, units in zip(taker_volunteer, taker_client, taker_units, strict=True):
        names, weights = takers.setdefault(v, ([], []))
        names.append(client_ids[c])
        weights.append(units)
    taken_by: dict[int, tuple[tuple[str, ...], tuple[int, ...]]] = {
        v: (tuple(names), tuple(weights)) for v, (names, weights) in takers.items()
    }
    nobody: tuple[tuple[str, ...], tuple[int, ...]] = ((), ())

    # The rule that removed each waiting client's last option (-1: options were left), and the
    # options there were before it.
    left = candidates.options_left[:, waiting]
    n_rules = len(candidates.rules)
    has_left = (left > 0).all(axis=0) if n_rules else np.ones(len(waiting), dtype=bool)
    stage = np.where(has_left, -1, np.argmin(left > 0, axis=0) if n_rules else -1)
    padded = np.vstack([np.full((1, len(waiting)), pop.n_volunteers, dtype=np.int64), left])
    before = padded[np.maximum(stage, 0), np.arange(len(waiting))]
    # -1 (no edge) picks the -1 appended at the end.
    best = _best_edge_per_client(edges, pop.n_clients)[waiting]
    best_volunteer = np.append(edges.volunteer, -1)[best]
    best_units = np.append(edges.weight_units, -1)[best]

    codes = [rule.code for rule in candidates.rules]
    programmes = pop.programmes.words
    hours_mode = pop.hours_mode
    clients = pop.clients
    out = []
    for ci, tier, code, rule, options_before, vi, units, options_left in zip(
        waiting.tolist(),
        pop.c_tier[waiting].tolist(),
        pop.c_programme[waiting].tolist(),
        stage.tolist(),
        before.tolist(),
        best_volunteer.tolist(),
        best_units.tolist(),
        left.T.tolist(),
        strict=True,
    ):
        counts = tuple(zip(codes, options_left, strict=True))
        if rule < 0:
            taken_names, taken_weights = taken_by.get(vi, nobody)
            out.append(
                Unmatched(
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
                )
            )
            continue
        reason = codes[rule]
        hours = clients[ci].hours_needed if hours_mode and reason == "no-capacity" else None
        out.append(
            Unmatched(
                client_ids[ci],
                RISK_TIERS[tier],
                cast(ReasonCode, reason),
                programmes[code],
                counts,
                options_before,
                policy=policy,
                hours_needed=hours,
            )
        )
    return tuple(out)


def _best_edge_per_client(edges: Edges, n_clients: int) -> IntArray:
    """Index of each client's highest-weight edge (lowest volunteer id on ties); -1 if none."""
    best = np.full(n_clients, -1, dtype=np.int64)
    if len(edges.client) == 0:
        return best
    # Edges are sorted by client, then volunteer: each client's edges form one segment.
    starts = np.flatnonzero(np.r_[True, edges.client[1:] != edges.client[:-1]])
    segment_max = np.maximum.reduceat(edges.weight_units, starts)
    at_max = edges.weight_units == np.repeat(segment_max, np.diff(np.r_[starts, len(edges.client)]))
    # The first edge at the maximum in each segment: the lowest volunteer id.
    at_max_edges = np.flatnonzero(at_max)
    clients = edges.client[at_max_edges]
    first = np.r_[True, clients[1:] != clients[:-1]]
    best[clients[first]] = at_max_edges[first]
    return best
