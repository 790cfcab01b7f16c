"""The matching pipeline without I/O: validate, triage, candidates, scoring, solve, explain."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import ValidationError

from matcher.arrays import EdgeList, IntArray
from matcher.candidates import Candidates, find_candidates
from matcher.config import MatchConfig, config_from_dict
from matcher.errors import InputError, Problem, problems_from_validation
from matcher.files import without_cycle_collection
from matcher.io.geo import gazetteer_for
from matcher.io.record_table import RecordTable
from matcher.locations import locate_all
from matcher.models import Client, Volunteer
from matcher.outcome import matches_of, waiting_clients
from matcher.policies import AssignmentProblem, MatchPolicy, PolicyContext, find_policy
from matcher.policies.hours import places_or_hours
from matcher.population import Population, build_population
from matcher.result import Match, MatchResult
from matcher.row_index import volunteer_rows
from matcher.scoring import PairScores, score_pairs

ClientLike = Client | Mapping[str, Any]
VolunteerLike = Volunteer | Mapping[str, Any]


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
    def edges(self) -> EdgeList:
        """The allowed pairs and their weights (the scores are an edge list of them)."""
        return self.scores

    @property
    def free_places(self) -> IntArray:
        return self.population.v_free


def validate_records(
    items: Sequence[Any], model: type[Client] | type[Volunteer], source: str
) -> Sequence[Any]:
    """Model objects pass through; dicts (the input format) are validated, all problems
    collected; a repeated id is a problem too."""
    if isinstance(items, RecordTable) and items.model is model:
        return items  # read from a file: validated, every id once (the readers saw to it)
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
    ids = [getattr(item, id_field) for item in out]
    if not problems and len(set(ids)) == len(ids):
        return out  # the common case, in one pass: every id once
    first_row: dict[str, int] = {}
    for row, identifier in enumerate(ids, start=1):
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
    volunteer_index = volunteer_rows(pop)
    problems = []
    keys = set()
    excluded = pop.clients.column("excluded_volunteers")
    for ci in [k for k, ids in enumerate(excluded) if ids]:
        for volunteer_id in excluded[ci]:
            vi = volunteer_index.get(volunteer_id)
            if vi is None:
                problems.append(
                    Problem(
                        "clients",
                        None,
                        "excluded_volunteers",
                        f"client {pop.client_ids[ci]}: unknown volunteer id",
                        volunteer_id,
                    )
                )
            else:
                keys.add(ci * pop.n_volunteers + vi)
    if problems:
        raise InputError(problems)
    return frozenset(keys)


def _located(
    clients: Sequence[Client], volunteers: Sequence[Volunteer], config: MatchConfig
) -> tuple[Sequence[Client], Sequence[Volunteer]]:
    """Places people a caller gave by postcode, district or place; records read from files
    or the ledger are placed already and pass through untouched."""
    if isinstance(clients, RecordTable) and isinstance(volunteers, RecordTable):
        return clients, volunteers  # read from files: placed as they were read
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
    scores = score_pairs(population, config, candidates.edge_client, candidates.edge_volunteer)
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
            pop.c_need, pop.v_free, edges.edge_client
        )
    return AssignmentProblem(
        n_clients=pop.n_clients,
        n_volunteers=pop.n_volunteers,
        edge_client=edges.edge_client,
        edge_volunteer=edges.edge_volunteer,
        weight_units=edges.weight_units,
        fit=prepared.scores.fit,
        free_places=free_places,
        current_load=np.array(pop.volunteers.column("active_clients"), dtype=np.int64),
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
    edges = prepared.edges
    # Tens of thousands of result objects, none in a reference cycle, as a file's records.
    with without_cycle_collection():
        chosen = np.flatnonzero(assignment.chosen)
        matches = matches_of(
            prepared.population,
            prepared.scores,
            edges.edge_client[chosen],
            edges.edge_volunteer[chosen],
            chosen,
        )
        unmatched = waiting_clients(
            prepared.population, prepared.candidates, edges.weight_units, assignment.chosen, name
        )
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


def score_pair(
    client: Client, volunteer: Volunteer, config: MatchConfig, round_date: dt.date
) -> Match:
    """One pair the engine did not choose (a coordinator's pin), weighed and described as
    the engine weighs and describes its own proposals; no hard rule is applied."""
    pop = build_population([client], [volunteer], config, round_date)
    one = np.zeros(1, dtype=np.int64)
    return matches_of(pop, score_pairs(pop, config, one, one), one, one, one)[0]
