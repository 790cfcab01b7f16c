"""A generated round as the input format: CSV rows, validated models, or files on disk.

The columns are drawn once (people.py) and then spelt two ways: as the text `matcher match`
reads and as the typed values its validation would produce, so models are built without
parsing text. tests/test_scenarios_generate.py checks that both ways agree cell for cell.
Same scenario, seed and round date → the same text, byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from matcher import vocab
from matcher.arrays import BoolArray, FloatArray, IntArray
from matcher.config_toml import DEFAULT_TOML
from matcher.io import neutralise_cell, write_atomic
from matcher.models import HOURS_FIELDS, Client, RecordMaker, Volunteer
from matcher.scenarios.geography import Geography, build_geography
from matcher.scenarios.people import draw_clients, draw_volunteers, language_codes
from matcher.scenarios.spec import Scenario
from matcher.scenarios.toml import render_toml

# Scenario people live at drawn coordinates: the lookup columns (matcher.locations) stay out.
# Their risk tier is the triage's, from the drawn factors: no coordinator's own tier.
# The hours columns are drawn only by a scenario that gives hours (then they come last).
_NOT_DRAWN = ("postcode", "place", "location_source", "risk_tier", *HOURS_FIELDS)
CLIENT_COLUMNS = tuple(name for name in Client.model_fields if name not in _NOT_DRAWN)
VOLUNTEER_COLUMNS = tuple(name for name in Volunteer.model_fields if name not in _NOT_DRAWN)
Row = dict[str, str]


@dataclass(frozen=True)
class Column:
    values: list[Any]  # what validating `texts` gives
    texts: list[str]  # the CSV cells


@dataclass(frozen=True)
class GeneratedRound:
    scenario: Scenario
    seed: int
    round_date: dt.date
    geography: Geography
    clients: dict[str, Column]
    volunteers: dict[str, Column]

    @property
    def client_header(self) -> tuple[str, ...]:
        return CLIENT_COLUMNS + tuple(name for name in HOURS_FIELDS if name in self.clients)

    @property
    def volunteer_header(self) -> tuple[str, ...]:
        return VOLUNTEER_COLUMNS + tuple(name for name in HOURS_FIELDS if name in self.volunteers)

    @property
    def n_clients(self) -> int:
        return len(self.clients["client_id"].texts)

    @property
    def n_volunteers(self) -> int:
        return len(self.volunteers["volunteer_id"].texts)


def generate_round(
    scenario: Scenario, seed: int | None = None, *, round_date: dt.date | None = None
) -> GeneratedRound:
    """Draw a round of the scenario: seed and round date default to the scenario's own."""
    seed = scenario.seed if seed is None else seed
    if seed < 0:
        raise ValueError(f"seed={seed!r} must be ≥ 0")
    round_date = round_date or scenario.round_date
    rng = np.random.default_rng(seed)
    programmes = scenario.resolved()
    geo = build_geography(scenario, rng)
    codes = language_codes(programmes)
    volunteers = draw_volunteers(scenario.volunteers.count, programmes, geo, codes, rng)
    clients = draw_clients(scenario.clients.count, programmes, geo, codes, volunteers, rng)
    volunteer_ids = _ids("v", scenario.volunteers.count)
    return GeneratedRound(
        scenario=scenario,
        seed=seed,
        round_date=round_date,
        geography=geo,
        clients=_client_columns(clients, geo, codes, volunteer_ids, round_date),
        volunteers=_volunteer_columns(volunteers, geo, codes, volunteer_ids),
    )


def generate(
    scenario: Scenario, seed: int | None = None, *, round_date: dt.date | None = None
) -> tuple[list[Client], list[Volunteer]]:
    """Clients and volunteers of one round, as the models `matcher.match` takes."""
    drawn = generate_round(scenario, seed, round_date=round_date)
    return (
        _models(Client, drawn.client_header, drawn.clients),
        _models(Volunteer, drawn.volunteer_header, drawn.volunteers),
    )


def generate_rows(
    scenario: Scenario, seed: int | None = None, *, round_date: dt.date | None = None
) -> tuple[list[Row], list[Row]]:
    """Client and volunteer rows as `matcher match` reads them from CSV (column → cell text)."""
    drawn = generate_round(scenario, seed, round_date=round_date)
    return (
        _rows(drawn.client_header, drawn.clients),
        _rows(drawn.volunteer_header, drawn.volunteers),
    )


def write_round(drawn: GeneratedRound, out_dir: str | Path) -> tuple[Path, Path, Path]:
    """Write clients.csv, volunteers.csv and matcher.toml, all three or none."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = (out / "clients.csv", out / "volunteers.csv", out / "matcher.toml")
    write_atomic(
        {
            paths[0]: csv_text(drawn.client_header, drawn.clients),
            paths[1]: csv_text(drawn.volunteer_header, drawn.volunteers),
            paths[2]: config_text(drawn),
        }
    )
    return paths


def csv_text(header: Sequence[str], columns: dict[str, Column]) -> str:
    # The dialect of matcher.io.format_csv (`,`, `\n`, cells neutralised), column-wise for speed.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise_cell(name) for name in header])
    cells = (map(neutralise_cell, columns[name].texts) for name in header)
    writer.writerows(zip(*cells, strict=True))
    return buffer.getvalue()


def config_text(drawn: GeneratedRound) -> str:
    scenario = drawn.scenario
    header = (
        f"# Generated by `matcher scenario generate {scenario.name} --seed {drawn.seed}`.\n"
        f"# Use it with: matcher match clients.csv volunteers.csv --config matcher.toml "
        f"--date {drawn.round_date.isoformat()}\n"
    )
    chosen = scenario.config.model_dump(exclude_unset=True)
    if not chosen:
        return header + "# The scenario keeps every default:\n\n" + DEFAULT_TOML
    return (
        header
        + "# The scenario's settings; every other key keeps its default (`matcher config`).\n\n"
        + render_toml(chosen)
    )


# ------------------------------------------------------------------------------- columns


def _client_columns(
    a: dict[str, np.ndarray],
    geo: Geography,
    codes: list[str],
    volunteer_ids: list[str],
    round_date: dt.date,
) -> dict[str, Column]:
    n = len(a["programme"])
    no_location = np.isnan(a["lat"])
    excluded = [() if v < 0 else (volunteer_ids[v],) for v in a["excluded"].tolist()]
    columns = {
        "client_id": _plain(_ids("c", n)),
        "programme": _words(geo.programme_names, a["programme"]),
        "age": _integers(a["age"]),
        "gender": _words(vocab.GENDERS, a["gender"]),
        "lat": _coordinates(a["lat"], no_location),
        "lon": _coordinates(a["lon"], no_location),
        "district": _words(geo.district_names, a["district"]),
        "loss_type": _words(vocab.LOSS_TYPES, a["loss_type"]),
        "loss_date": _dates(a["loss_days"], round_date),
        "hindering_factors": _sets(a["hindering_factors"], vocab.HINDERING_FACTORS),
        "protective_factors": _sets(a["protective_factors"], vocab.PROTECTIVE_FACTORS),
        "needs": _sets(a["needs"], vocab.NEEDS),
        "availability": _sets(a["availability"], vocab.SLOTS),
        "languages": _sets(a["languages"], tuple(codes)),
        "preferred_gender": _words(vocab.PREFERRED_GENDERS, a["preferred_gender"]),
        "contact": _words(vocab.CONTACT_MODES, a["contact"]),
        "waiting_since": _dates(a["waiting_days"], round_date),
        "excluded_volunteers": Column(excluded, ["|".join(ids) for ids in excluded]),
    }
    return columns | _hours_columns(a)


def _volunteer_columns(
    a: dict[str, np.ndarray], geo: Geography, codes: list[str], volunteer_ids: list[str]
) -> dict[str, Column]:
    no_location = np.isnan(a["lat"])
    travel = a["max_travel_km"].tolist()
    columns = {
        "volunteer_id": _plain(volunteer_ids),
        "programmes": _programme_pairs(geo.programme_names, a["programme"], a["second_programme"]),
        "age": _integers(a["age"]),
        "gender": _words(vocab.GENDERS, a["gender"]),
        "lat": _coordinates(a["lat"], no_location),
        "lon": _coordinates(a["lon"], no_location),
        "district": _words(geo.district_names, a["district"]),
        "max_travel_km": Column([float(km) for km in travel], [f"{km:g}" for km in travel]),
        "lived_experience": _sets(a["lived_experience"], vocab.LOSS_TYPES),
        "training": _sets(a["training"], vocab.TRAININGS),
        "capacity": _integers(a["capacity"]),
        "active_clients": _integers(a["active_clients"]),
        "availability": _sets(a["availability"], vocab.SLOTS),
        "languages": _sets(a["languages"], tuple(codes)),
        "skills": _sets(a["skills"], vocab.NEEDS),
        "contact": _words(vocab.CONTACT_MODES, a["contact"]),
    }
    return columns | _hours_columns(a)


def _hours_columns(a: dict[str, np.ndarray]) -> dict[str, Column]:
    """The drawn hours (NaN: not given, a programme without hours), if any were drawn."""
    out = {}
    for name in HOURS_FIELDS:
        if name in a:
            values = [None if h != h else float(h) for h in a[name].tolist()]
            out[name] = Column(values, ["" if h is None else f"{h:g}" for h in values])
    return out


def _ids(prefix: str, n: int) -> list[str]:
    width = max(5, len(str(n)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def _plain(texts: list[str]) -> Column:
    return Column(texts, texts)


def _integers(values: IntArray) -> Column:
    numbers = values.tolist()
    return Column(numbers, [str(number) for number in numbers])


def _words(names: Sequence[str], index: IntArray) -> Column:
    """names[index] per row; -1 is "not given"."""
    values = [None if i < 0 else names[i] for i in index.tolist()]
    return Column(values, ["" if value is None else value for value in values])


def _coordinates(degrees: FloatArray, missing: BoolArray) -> Column:
    texts = [
        "" if gone else f"{x:.5f}"
        for x, gone in zip(degrees.tolist(), missing.tolist(), strict=True)
    ]
    return Column([float(text) if text else None for text in texts], texts)


def _sets(mask: BoolArray, names: tuple[str, ...]) -> Column:
    """Each row's words in vocabulary order, spelt once per distinct combination."""
    bits = np.left_shift(np.int64(1), np.arange(mask.shape[1], dtype=np.int64))
    codes, inverse = np.unique(mask.astype(np.int64) @ bits, return_inverse=True)
    words = [
        tuple(name for j, name in enumerate(names) if code >> j & 1) for code in codes.tolist()
    ]
    texts = ["|".join(combination) for combination in words]
    rows = inverse.ravel().tolist()
    return Column([words[i] for i in rows], [texts[i] for i in rows])


def _dates(days_before: IntArray, round_date: dt.date) -> Column:
    """The round date less so many days; -1 is "not given"."""
    distinct, inverse = np.unique(days_before, return_inverse=True)
    dates = [None if d < 0 else round_date - dt.timedelta(days=d) for d in distinct.tolist()]
    rows = inverse.ravel().tolist()
    values = [dates[i] for i in rows]
    return Column(values, ["" if value is None else value.isoformat() for value in values])


def _programme_pairs(names: list[str], first: IntArray, second: IntArray) -> Column:
    pairs = [
        tuple(sorted({names[a], names[b]})) if b >= 0 else (names[a],)
        for a, b in zip(first.tolist(), second.tolist(), strict=True)
    ]
    return Column(pairs, ["|".join(pair) for pair in pairs])


def _rows(header: Sequence[str], columns: dict[str, Column]) -> list[Row]:
    return [
        dict(zip(header, cells, strict=True))
        for cells in zip(*(columns[name].texts for name in header), strict=True)
    ]


def _models(model: type[Any], header: Sequence[str], columns: dict[str, Column]) -> list[Any]:
    # The values are what validation would give (the tests check it), so skip parsing text;
    # validation would also note that the drawn coordinates are coordinates.
    # Built as model_construct builds them, a third of the memory (models.RecordMaker).
    maker = RecordMaker(model)
    fields_set = maker.fields_set(frozenset([*header, "location_source"]))
    models = []
    for values in zip(*(columns[name].values for name in header), strict=True):
        fields = dict(zip(header, values, strict=True))
        fields["location_source"] = None if fields.get("lat") is None else "coordinates"
        models.append(maker.make(fields.items(), fields_set))
    return models
