"""The config file: the printed defaults are the defaults, and every mistake is named."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from matcher.config import (
    DEFAULT_TOML,
    MatchConfig,
    config_from_dict,
    load_config,
    load_config_or_defaults,
)
from matcher.errors import ConfigError


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def config_problems(content: str | bytes) -> list[str]:
    data = content.encode("utf-8") if isinstance(content, str) else content
    Path("matcher.toml").write_bytes(data)
    with pytest.raises(ConfigError) as caught:
        load_config("matcher.toml")
    return [str(problem) for problem in caught.value.problems]


def test_default_toml_is_exactly_the_default_config() -> None:
    assert config_from_dict(tomllib.loads(DEFAULT_TOML)) == MatchConfig()


def _keys(data: dict[str, Any], prefix: str = "") -> set[str]:
    keys = set()
    for key, value in data.items():
        if isinstance(value, dict) and value:
            keys |= _keys(value, f"{prefix}{key}.")
        else:
            keys.add(prefix + key)
    return keys


def test_default_toml_documents_every_key() -> None:
    # A key whose default is "not set" can only be shown as a comment: TOML has no null.
    assert _keys(tomllib.loads(DEFAULT_TOML)) == _keys(MatchConfig().model_dump(exclude_none=True))


def test_no_file_and_an_empty_file_mean_the_defaults() -> None:
    assert load_config(None) == MatchConfig()
    Path("empty.toml").write_text("# nothing set\n")
    assert load_config("empty.toml") == MatchConfig()


def test_unknown_key_with_suggestion() -> None:
    assert config_problems("[weights]\nlived_experiance = 2.0\n") == [
        "matcher.toml: weights.lived_experiance: unknown key; did you mean 'lived_experience'?"
    ]


def test_unknown_key_and_section_without_a_close_match() -> None:
    assert config_problems("theme = 'dark'\n[weights2]\n[rules]\nspeed = true\n") == [
        "matcher.toml: rules.speed: unknown key; known keys: programme, capacity, distance, "
        "shared_time, language, gender_preference, excluded, training_for_high_risk",
        "matcher.toml: theme: unknown key; known keys: policy, rules, weights, priority, "
        "triage, balanced, reserve, report, columns, geo, lifecycle, values",
        "matcher.toml: weights2: unknown key; did you mean 'weights'?",
    ]


def test_wrong_types_and_values_are_all_reported() -> None:
    content = (
        'policy = "gredy"\n'
        "weights = 3\n"
        "[priority]\n"
        'match_value = 0.5\nwaiting_bonus = "lots"\n'
        "[triage]\nmoderate_from = 4.0\nhigh_from = 2.0\n"
        "[columns.clients]\nNummer = 3\n"
    )
    assert config_problems(content) == [
        "matcher.toml: policy: unknown policy 'gredy'; did you mean 'greedy'? (got 'gredy')",
        "matcher.toml: weights: must be a table (got '3')",
        "matcher.toml: priority.match_value: must be > 1 (got '0.5')",
        "matcher.toml: priority.waiting_bonus: must be a number (got 'lots')",
        "matcher.toml: triage.high_from: must be > moderate_from",
        "matcher.toml: columns.clients.Nummer: must be text (got '3')",
    ]


def test_all_weights_zero() -> None:
    names = MatchConfig().weights.model_dump()
    content = "[weights]\n" + "".join(f"{name} = 0\n" for name in names)
    assert config_problems(content) == [
        "matcher.toml: weights: at least one criterion weight must be > 0"
    ]


def test_invalid_toml() -> None:
    (problem,) = config_problems("[weights\ncloseness = 1\n")
    assert problem.startswith("matcher.toml: not valid TOML: ")
    assert "line 1" in problem


def test_missing_and_unreadable_files() -> None:
    with pytest.raises(ConfigError, match=r"^nope\.toml: no such file$"):
        load_config("nope.toml")
    assert config_problems(b"policy = '\xff'\n") == ["matcher.toml: not a UTF-8 text file"]


def test_column_mapping_keys_are_case_and_space_insensitive() -> None:
    Path("crm.toml").write_text('[columns.clients]\n" Cliëntnummer " = " Client_ID "\n')
    assert load_config("crm.toml").columns.clients == {"cliëntnummer": "client_id"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[triage]\nhigh_from = nan\n", "triage.high_from: must be a finite number (got 'nan')"),
        (
            "[triage]\nmoderate_from = -inf\n",
            "triage.moderate_from: must be a finite number (got '-inf')",
        ),
        ("[triage]\nhigh_from = 1000.0\n", "triage.high_from: must be ≤ 100 (got '1000.0')"),
        ("[reserve]\nseed = -1\n", "reserve.seed: must be ≥ 0 (got '-1')"),
        ("[reserve]\nseed = 1.5\n", "reserve.seed: must be a whole number (got '1.5')"),
        (
            "[reserve]\nseed = 99999999999\n",
            "reserve.seed: must be ≤ 4294967295 (got '99999999999')",
        ),
        (
            "[reserve]\nweekly_arrivals = 1e9\n",
            "reserve.weekly_arrivals: must be ≤ 1000 (got '1000000000.0')",
        ),
        (
            "[weights]\nlived_experience = 1e308\n",
            "weights.lived_experience: must be ≤ 100 (got '1e+308')",
        ),
        (
            "[weights]\nlived_experience = inf\n",
            "weights.lived_experience: must be a finite number (got 'inf')",
        ),
        (
            "[priority.tier_bonus]\nhigh = nan\n",
            "priority.tier_bonus.high: must be a finite number (got 'nan')",
        ),
    ],
)
def test_every_number_is_finite_and_in_its_range(content: str, expected: str) -> None:
    assert config_problems(content) == [f"matcher.toml: {expected}"]


def test_every_numeric_default_is_inside_a_range_that_is_checked() -> None:
    # Each number field has both bounds, so no number the config accepts can be absurd.
    def numbers(model: type[BaseModel], prefix: str = "") -> list[str]:
        unbounded = []
        for name, info in model.model_fields.items():
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                unbounded += numbers(annotation, f"{prefix}{name}.")
                continue
            if annotation not in (int, float, float | None):
                continue
            bounds = {type(item).__name__ for item in info.metadata}
            if not ({"Ge", "Gt"} & bounds and {"Le", "Lt"} & bounds):
                unbounded.append(prefix + name)
        return unbounded

    assert numbers(MatchConfig) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("seed = " + "9" * 5000 + "\n", "not valid TOML: a number has far too many digits"),
        (
            "a = " + "[" * 3000 + "]" * 3000 + "\n",
            "not valid TOML: arrays or tables are nested far too deeply",
        ),
    ],
)
def test_toml_that_tomllib_cannot_parse(content: str, message: str) -> None:
    assert config_problems(content) == [f"matcher.toml: {message}"]


def test_a_folder_or_a_pipe_as_config() -> None:
    Path("folder.toml").mkdir()
    with pytest.raises(ConfigError, match=r"^folder\.toml: cannot read: is a folder, not a file$"):
        load_config("folder.toml")
    if hasattr(os, "mkfifo"):
        os.mkfifo("pipe.toml")
        with pytest.raises(ConfigError, match=r"^pipe\.toml: cannot read: not a regular file"):
            load_config("pipe.toml")


def test_load_config_or_defaults_keeps_a_valid_column_mapping() -> None:
    Path("matcher.toml").write_text(
        '[weights]\nage = nan\n[columns.clients]\n"Nummer" = "client_id"\n'
    )
    config, problems = load_config_or_defaults("matcher.toml")
    assert [str(problem) for problem in problems] == [
        "matcher.toml: weights.age: must be a finite number (got 'nan')"
    ]
    assert config.columns.clients == {"nummer": "client_id"}
    assert config.weights == MatchConfig().weights
    assert load_config_or_defaults(None) == (MatchConfig(), [])
