"""Finding and reading scenarios: the built-in library (package data) or a file of one's own.

The built-in TOML files live in the top-level `scenarios/` folder of the source tree, which
pyproject.toml ships inside the package as `matcher._scenario_files`; they are read through
importlib.resources, so they work the same from a checkout and from an installed wheel.
"""

from __future__ import annotations

import re
import typing
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from matcher import vocab
from matcher.errors import InputError, Problem, problems_from_validation
from matcher.files import parse_toml, read_input
from matcher.scenarios.spec import Scenario

PACKAGE = "matcher._scenario_files"
# Keys a [[programmes]] entry cannot override: the scenario-wide counts are split by share.
_SCENARIO_WIDE = ("count", "weekly_arrivals")
MAX_EXTENDS_DEPTH = 5


def scenario_names() -> list[str]:
    """The names of the built-in scenarios, sorted."""
    folder = resources.files(PACKAGE)
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml") and not entry.name.startswith("_")
    )


def is_file_reference(name_or_path: str | Path) -> bool:
    text = str(name_or_path)
    return isinstance(name_or_path, Path) or text.endswith(".toml") or "/" in text or "\\" in text


def source_text(name_or_path: str | Path) -> tuple[str, str]:
    """(source shown in messages, TOML text) of a built-in name or a file path."""
    if is_file_reference(name_or_path):
        source = str(name_or_path)
        try:
            return source, read_input(name_or_path, source=source).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError([Problem(source, None, None, "not a UTF-8 text file")]) from None
    name = vocab.normalise_word(str(name_or_path))
    known = scenario_names()
    if name not in known:
        hint = vocab.closest(name, known)
        message = "no such scenario" + (
            f"; did you mean {hint!r}?" if hint else f"; built-in: {', '.join(known)}"
        )
        raise InputError([Problem(str(name_or_path), None, None, message)])
    text = resources.files(PACKAGE).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return f"scenarios/{name}.toml", text


def load(name_or_path: str | Path) -> Scenario:
    """A built-in scenario by name (`zwolle-partnerverlies`) or a scenario file by path.

    Raises InputError listing every problem as `file: key.path: what is wrong (got 'x')`.
    """
    source, data = _read(name_or_path)
    return scenario_from_dict(data, source=source)


def scenario_data(name_or_path: str | Path) -> tuple[str, dict[str, Any]]:
    """(source, tables) of a scenario as its file gives them, `extends` merged in: what a
    what-if changes a key of before validating it again (`matcher plan --vary`)."""
    return _read(name_or_path)


def _read(name_or_path: str | Path, depth: int = 0) -> tuple[str, dict[str, Any]]:
    """The file's tables, merged over those of the scenario it `extends`, if any."""
    source, text = source_text(name_or_path)
    data = parse_toml(text, source=source)
    base_name = data.pop("extends", None)
    if base_name is None:
        return source, data
    if not isinstance(base_name, str) or is_file_reference(base_name):
        message = "must be the name of a built-in scenario"
        raise InputError([Problem(source, None, "extends", message, str(base_name))])
    if depth >= MAX_EXTENDS_DEPTH:
        message = f"more than {MAX_EXTENDS_DEPTH} scenarios extend each other; is there a loop?"
        raise InputError([Problem(source, None, "extends", message, base_name)])
    try:
        _, base = _read(base_name, depth + 1)
    except InputError as error:
        problems = [Problem(source, None, "extends", p.message, base_name) for p in error.problems]
        raise InputError(problems) from None
    return source, _deep_merge(base, data)


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; anything else (numbers, arrays of tables) is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def scenario_from_dict(data: dict[str, Any], *, source: str = "scenario") -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        problems = [_readable(p) for p in problems_from_validation(error, source=source)]
        raise InputError(_without_echoes(problems)) from None


_INDEX = re.compile(r"\.(\d+)(?=\.|$)")
_TOO_SHORT = re.compile(r"^(?:Tuple|List) should have at least (\d+) items?")


def _without_echoes(problems: list[Problem]) -> list[Problem]:
    """Pydantic adds "too short" to an array whose entries failed: only the entries count."""
    out = []
    for problem in problems:
        short = _TOO_SHORT.match(problem.message)
        if short is None:
            out.append(problem)
            continue
        inside = f"{problem.column}["
        if any((other.column or "").startswith(inside) for other in problems):
            continue
        out.append(Problem(problem.source, None, problem.column, f"give at least {short[1]}"))
    return out


def _readable(problem: Problem) -> Problem:
    """Array positions counted from 1 (`programmes[2]`), and a hint for unknown keys."""
    if problem.column is None:
        return problem
    column = _INDEX.sub(lambda m: f"[{int(m[1]) + 1}]", problem.column)
    message = problem.message
    if message == "unknown field":
        message = _unknown_key_message(problem.column)
    return Problem(problem.source, problem.row, column, message, problem.got)


def _unknown_key_message(column: str) -> str:
    *parents, key = column.split(".")
    if parents and parents[0] == "programmes" and key in _SCENARIO_WIDE:
        return f"unknown key here: {key} belongs in [{parents[-1]}]; programmes share it"
    section: type[BaseModel] | None = Scenario
    for parent in parents:
        if section is None:
            break
        if parent.isdigit():
            continue
        field = section.model_fields.get(parent)
        section = _model_in(field.annotation) if field else None
    if section is None:
        return "unknown key"
    known = tuple(section.model_fields)
    hint = vocab.closest(key, known)
    if hint:
        return f"unknown key; did you mean {hint!r}?"
    return f"unknown key; known keys: {', '.join(known)}"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation such as `tuple[Programme, ...]` or `X | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None
