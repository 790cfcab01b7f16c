"""The default config without validators (matcher.config_defaults) is pydantic's to the byte.

`load_config` skips validation when a file says nothing but the defaults, and
`MatchConfig.round_json` writes the defaults' text itself: both must give exactly what
validating and pydantic's serializer give, or a round's input hash would change.
"""

from __future__ import annotations

import copy
import math
import random
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from matcher.config import MatchConfig, config_from_dict, default_config, load_config
from matcher.config_defaults import only_defaults, plain, says_only
from matcher.config_toml import DEFAULT_TOML
from matcher.errors import ConfigError
from matcher.files import read_toml

DEFAULTS_TABLE = tomllib.loads(DEFAULT_TOML)


def _validated(data: dict[str, Any]) -> MatchConfig:
    return MatchConfig.model_validate(data)


def test_the_constructed_defaults_are_the_validated_ones() -> None:
    made, validated = default_config(), MatchConfig()
    assert made == validated
    assert made.model_dump_json() == validated.model_dump_json()
    assert plain(made) == validated.model_dump(mode="json")
    assert made.round_json() == validated.model_dump_json(exclude={"lifecycle"})


def test_a_file_of_defaults_is_the_defaults_without_validation(tmp_path: Path) -> None:
    path = tmp_path / "matcher.toml"
    path.write_text(DEFAULT_TOML, encoding="utf-8")
    assert only_defaults(DEFAULTS_TABLE, default_config())
    loaded = load_config(path)
    assert loaded == _validated(DEFAULTS_TABLE)
    assert loaded.round_json() == _validated(DEFAULTS_TABLE).model_dump_json(exclude={"lifecycle"})


def _leaves(table: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for key, value in table.items():
        if isinstance(value, dict) and value:
            found += _leaves(value, (*prefix, key))
        else:
            found.append((*prefix, key))
    return found


def _with(table: dict[str, Any], where: tuple[str, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(table)
    inner = changed
    for key in where[:-1]:
        inner = inner[key]
    inner[where[-1]] = value
    return changed


def _variants(value: Any) -> list[Any]:
    """Values near `value` that a config file could hold instead of it."""
    out: list[Any] = [None, "x", [], {}, {"x": 1}, True, False, 0, 1, -0.0, math.nan, math.inf]
    if isinstance(value, bool):
        out += [int(value), float(value), str(value).lower()]
    elif isinstance(value, int):
        out += [value, float(value), value + 1, str(value), bool(value)]
    elif isinstance(value, float):
        out += [value, -value, int(value), value + 0.5, str(value)]
        if value == int(value):
            out.append(int(value))
    elif isinstance(value, str):
        out += [value, value.upper(), f" {value}", ""]
    elif isinstance(value, list):
        out += [list(value), tuple(value), value[:-1], [*value, 600], [float(v) for v in value]]
    return out


def test_only_defaults_says_yes_only_where_validation_gives_the_defaults() -> None:
    """Every leaf of the default file replaced by nearby values, an unknown key added, a
    table filled: where `only_defaults` says yes, validating gives the defaults' exact
    text; where validation gives something else (or fails), it says no."""
    defaults = default_config()
    default_json = defaults.model_dump_json()
    rng = random.Random(0)
    cases = [DEFAULTS_TABLE, {}, {"rules": {}}, {"weights": {"age": 0.5}}]
    for where in _leaves(DEFAULTS_TABLE):
        current: Any = DEFAULTS_TABLE
        for key in where:
            current = current[key]
        cases += [_with(DEFAULTS_TABLE, where, value) for value in _variants(current)]
        cases.append(_with(DEFAULTS_TABLE, (*where[:-1], where[-1] + "_typo"), current))
    cases += [_with(DEFAULTS_TABLE, ("columns", "clients"), {"Naam": "client_id"})]
    rng.shuffle(cases)
    said_yes = 0
    for data in cases:
        try:
            validated_json: str | None = _validated(data).model_dump_json()
        except ValidationError:
            validated_json = None
        if only_defaults(data, defaults):
            said_yes += 1
            assert validated_json == default_json, data
            assert config_from_dict(data) == defaults
        elif validated_json is None:
            with pytest.raises(ConfigError):
                config_from_dict(data)
        else:
            assert config_from_dict(data).model_dump_json() == validated_json
    assert said_yes >= 20  # the defaults, and every leaf given as itself


@pytest.mark.parametrize(
    "table",
    [
        {"priority": {"match_value": 2}},  # an integer for a float: validated
        {"priority": {"tier_bonus": {"low": -0.0}}},  # kept as -0.0 in the text
        {"rules": {"programme": 1}},
        {"lifecycle": {"checkin_weeks": [6, 26]}},
        {"policy": "greedy"},
    ],
)
def test_a_config_that_differs_keeps_pydantics_text(table: dict[str, Any]) -> None:
    assert not only_defaults(table, default_config())
    config = config_from_dict(table)
    assert config.round_json() == config.model_dump_json(exclude={"lifecycle"})
    assert config.round_json() == _validated(table).model_dump_json(exclude={"lifecycle"})


def test_bad_config_messages_are_unchanged() -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_dict({"weights": {"age": -1}, "rulez": {}}, source="m.toml")
    assert str(caught.value) == (
        "m.toml: weights.age: must be ≥ 0 (got '-1')\n"
        "m.toml: rulez: unknown key; did you mean 'rules'?"
    )


HEADER = (
    "# Generated by `matcher scenario generate city-scale --seed 0`.\n# keeps every default:\n\n"
)


@pytest.mark.parametrize(
    ("text", "skipped"),
    [
        (DEFAULT_TOML, True),
        (HEADER + DEFAULT_TOML, True),
        (HEADER.replace("\n", "\r\n") + DEFAULT_TOML, True),
        ("  \t# indented, with a tab\t and ünïcode\n" + DEFAULT_TOML, True),
        ("policy = 'greedy'\n" + DEFAULT_TOML, False),  # a key: parsed (here: given twice)
        ("# a comment with a control character \x0c\n" + DEFAULT_TOML, False),  # not TOML
        ("# a lone carriage return\r" + DEFAULT_TOML, False),
        ("# no newline before the defaults" + DEFAULT_TOML, False),
        ("[weights]\n" + DEFAULT_TOML, False),
        (DEFAULT_TOML + "\n[weights]\nage = 1.0\n", False),
        (DEFAULT_TOML.replace("age = 0.5", "age = 0.6"), False),
    ],
)
def test_a_file_of_the_default_text_behind_comments_is_not_even_parsed(
    text: str, skipped: bool, tmp_path: Path
) -> None:
    """config_defaults.says_only: what it skips parses to the defaults' table, and
    load_config gives for every file what parsing it gives (the config or the same errors)."""
    assert says_only(text, DEFAULT_TOML) is skipped
    if skipped:
        assert tomllib.loads(text) == DEFAULTS_TABLE
    path = tmp_path / "matcher.toml"
    path.write_bytes(text.encode("utf-8"))

    def outcome(load: Any) -> object:
        try:
            return load()
        except ConfigError as error:
            return error.problems

    def parsed() -> MatchConfig:
        return config_from_dict(
            read_toml(path, source=str(path), error=ConfigError), source=str(path)
        )

    assert outcome(lambda: load_config(path)) == outcome(parsed)
