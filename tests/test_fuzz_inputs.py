"""Whatever a user feeds in, every reader ends in a result or an InputError naming the file.

Each reader gets arbitrary bytes and garbage with structure (JSON of any shape, numbers of
any size, TOML tables with the config's and scenarios' own keys): no other exception, no
hang, and every problem starts with the file's name.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher import scenarios
from matcher.config import MatchConfig, load_config
from matcher.errors import ConfigError, InputError
from matcher.io import read_clients, read_volunteers

SETTINGS = settings(
    max_examples=int(os.environ.get("MATCHER_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".json", ".xlsx", ".ods")


def assert_refused_well(path: Path, error: InputError) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.source == str(path)
        assert str(problem).startswith(f"{path}:")


def read_table(path: Path) -> None:
    for reader in (read_clients, read_volunteers):
        try:
            reader(str(path))
        except InputError as error:
            assert_refused_well(path, error)


# Numbers a file can spell that Python's parsers trip over: huge, tiny, not finite.
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(),
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -0.0]),
)
NUMBER_TEXT = st.one_of(
    NUMBERS.map(repr),
    st.integers(min_value=100, max_value=6000).map(lambda digits: "9" * digits),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "0x10", "1_000", "٣"]),
)
CLIENT_KEYS = ["client_id", "programme", "lat", "lon", "age", "contact", "needs", "district"]
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=8))
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(CLIENT_KEYS) | st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=10,
)


@SETTINGS
@given(st.sampled_from(TABLE_SUFFIXES), st.binary(max_size=600))
def test_tables_of_arbitrary_bytes(tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    read_table(path)


@SETTINGS
@given(
    st.lists(
        st.lists(st.one_of(NUMBER_TEXT, st.text(max_size=6), st.just("\x00")), max_size=9),
        max_size=5,
    ),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "cp1252", "utf-16", "mixed"]),
)
def test_csv_with_header_and_garbage_cells(
    tmp_path: Path, rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    lines = [delimiter.join(CLIENT_KEYS)] + [delimiter.join(row) for row in rows]
    if encoding == "mixed":
        data = "\n".join(lines[:-1]).encode() + b"\n" + lines[-1].encode("cp1252", "replace")
    else:
        data = "\n".join(lines).encode(encoding, "replace")
    path = tmp_path / "clients.csv"
    path.write_bytes(data)
    read_table(path)


@SETTINGS
@given(st.lists(JSON_VALUES, max_size=4), st.booleans())
def test_json_of_any_shape_and_number(tmp_path: Path, items: list[Any], nest: bool) -> None:
    text = json.dumps(items)
    if nest:
        text = "[" * 30 + text + "]" * 30
    path = tmp_path / "clients.json"
    path.write_text(text, encoding="utf-8")
    read_table(path)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(CLIENT_KEYS), NUMBER_TEXT), min_size=1, max_size=6))
def test_json_numbers_as_written(tmp_path: Path, pairs: list[tuple[str, str]]) -> None:
    # Written by hand: json.dumps cannot spell 6000 digits or a key given twice.
    body = ", ".join(f"{json.dumps(key)}: {number}" for key, number in pairs)
    path = tmp_path / "clients.json"
    path.write_text("[{" + body + "}]", encoding="utf-8")
    read_table(path)


# Config and scenarios --------------------------------------------------------------------


def _leaves(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for key, value in data.items():
        if isinstance(value, dict):
            paths += _leaves(value, (*prefix, key))
        else:
            paths.append((*prefix, key))
    return paths


def _with_garbage(data: dict[str, Any], changes: list[tuple[tuple[str, ...], Any]]) -> str:
    data = copy.deepcopy(data)
    for path, value in changes:
        table = data
        for key in path[:-1]:
            table = table[key]
        table[path[-1]] = value
    return "".join(f"{json.dumps(key)} = {_inline(value)}\n" for key, value in data.items())


def _inline(value: Any) -> str:
    """Any value as inline TOML: tables `{a = 1}`, arrays, dates, NaN and inf included."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(value)


TOML_SCALARS = st.one_of(st.booleans(), NUMBERS, st.text(max_size=6))
CONFIG_DATA = MatchConfig().model_dump(exclude_none=True)
CONFIG_LEAVES = [path for path in _leaves(CONFIG_DATA) if path[0] not in ("columns", "geo")]


def read_config(path: Path) -> None:
    try:
        load_config(path)
    except ConfigError as error:
        assert_refused_well(path, error)


@SETTINGS
@given(st.binary(max_size=400))
def test_config_of_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "matcher.toml"
    path.write_bytes(data)
    read_config(path)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(CONFIG_LEAVES), TOML_SCALARS), min_size=1, max_size=5))
def test_config_with_garbage_values(
    tmp_path: Path, changes: list[tuple[tuple[str, ...], Any]]
) -> None:
    path = tmp_path / "matcher.toml"
    path.write_text(_with_garbage(CONFIG_DATA, changes), encoding="utf-8")
    read_config(path)
    try:
        config = load_config(path)
    except ConfigError:
        return
    # What the config accepts is finite: no NaN slips through to switch a rule off.
    for leaf in CONFIG_LEAVES:
        value: Any = config.model_dump()
        for key in leaf:
            value = value[key]
        if isinstance(value, float):
            assert math.isfinite(value)


SCENARIO_DATA = tomllib.loads(
    resources.files("matcher._scenario_files").joinpath("zwolle-partnerverlies.toml").read_text()
)
SCENARIO_LEAVES = [path for path in _leaves(SCENARIO_DATA) if path != ("extends",)]


def read_scenario(path: Path) -> None:
    try:
        scenarios.load(path)
    except InputError as error:
        assert_refused_well(path, error)


@SETTINGS
@given(st.binary(max_size=400))
def test_scenario_of_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "scenario.toml"
    path.write_bytes(data)
    read_scenario(path)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(SCENARIO_LEAVES), TOML_SCALARS), min_size=1, max_size=5))
def test_scenario_with_garbage_values(
    tmp_path: Path, changes: list[tuple[tuple[str, ...], Any]]
) -> None:
    path = tmp_path / "scenario.toml"
    path.write_text(_with_garbage(SCENARIO_DATA, changes), encoding="utf-8")
    read_scenario(path)
