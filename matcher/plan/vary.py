"""`--vary KEY=VALUES`: scenario keys by dotted path, their values, and the grid of cells.

    volunteers.count=15..40:5            15, 20, …, 40 (`a..b` steps by 1)
    dynamics.max_match_weeks=52,104,none none: the key's default (here: no cap)
    volunteers.training.grief=0.2,0.35,0.5

A key is checked against the scenario's model before anything runs (`volunteers.cuont:
unknown key; did you mean volunteers.count?`); each cell is the scenario file with its values
put in and validated like any scenario file, so a value the scenario cannot take is reported
with the cell it belongs to. Every problem is reported at once.
"""

from __future__ import annotations

import copy
import itertools
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from matcher import vocab
from matcher.errors import ConfigError, InputError, Problem
from matcher.models import Volunteer
from matcher.scenarios import Scenario, scenario_from_dict

Value = int | float | bool | str | None
RANGE = re.compile(r"^(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?$")
MAX_VALUES = 1000  # one key
MAX_CELLS = 10_000  # the grid
# A programme's own tables hold only what it overrides (matcher.scenarios.spec._merged).
_OVERRIDES = ("clients", "volunteers")


@dataclass(frozen=True)
class Vary:
    key: str  # dotted path: volunteers.count
    path: tuple[str | int, ...]
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Cell:
    index: int
    values: tuple[Value, ...]  # one per Vary, in the order of the --vary options
    scenario: Scenario
    # One more volunteer, as given, in every world of the cell (`matcher plan --recruit`).
    recruit: Volunteer | None = None

    def label(self, varies: Sequence[Vary]) -> str:
        pairs = zip(varies, self.values, strict=True)
        return ", ".join(f"{v.key}={value_text(x)}" for v, x in pairs)


def value_text(value: Value) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def parse_varies(specs: Sequence[str]) -> list[Vary]:
    """Every --vary option, checked against the scenario model; all problems at once."""
    problems: list[Problem] = []
    varies: list[Vary] = []
    for spec in specs:
        key, sep, text = spec.partition("=")
        key = key.strip()
        if not sep or not key or not text.strip():
            problems.append(Problem("--vary", None, None, "must be KEY=VALUES", spec))
            continue
        path, problem = key_path(key)
        values, value_problem = parse_values(text)
        if problem:
            problems.append(Problem("--vary", None, key, problem))
        if value_problem:
            problems.append(Problem("--vary", None, key, value_problem, text))
        if any(v.key == key for v in varies):
            problems.append(Problem("--vary", None, key, "given twice; give its values once"))
        if not problem and not value_problem:
            varies.append(Vary(key, path, values))
    if not specs:
        problems.append(Problem("--vary", None, None, "give at least one KEY=VALUES to vary"))
    cells = 1
    for vary in varies:
        cells *= len(vary.values)
    if cells > MAX_CELLS:
        problems.append(Problem("--vary", None, None, f"more than {MAX_CELLS:,} cells", str(cells)))
    if problems:
        raise ConfigError(problems)
    return varies


def parse_values(text: str) -> tuple[tuple[Value, ...], str | None]:
    """`a..b[:step]` or a comma list of numbers, true/false, none or words."""
    text = text.strip()
    found = RANGE.match(text)
    if found:
        return _range(*found.groups())
    values = tuple(_scalar(part.strip()) for part in text.split(","))
    if any(v == "" for v in values):
        return (), "an empty value between commas"
    if len(set(map(value_text, values))) < len(values):
        return (), "a value appears twice"
    if len(values) > MAX_VALUES:
        return (), f"more than {MAX_VALUES} values"
    return values, None


def _range(start: str, end: str, step: str | None) -> tuple[tuple[Value, ...], str | None]:
    integral = all(part is None or "." not in part for part in (start, end, step))
    a, b, s = float(start), float(end), float(step or 1)
    if s <= 0:
        return (), "the step must be > 0"
    if b < a:
        return (), f"the range runs backwards ({start} > {end})"
    count = int((b - a) / s + 1e-9) + 1
    if count > MAX_VALUES:
        return (), f"more than {MAX_VALUES} values"
    # Rounded so that 0.1 steps give 0.3, not 0.30000000000000004.
    values = [round(a + k * s, 10) for k in range(count)]
    return tuple(int(v) if integral else v for v in values), None


def _scalar(text: str) -> Value:
    lower = text.lower()
    if lower in ("none", "null"):
        return None
    if lower in ("true", "false"):
        return lower == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def key_path(key: str) -> tuple[tuple[str | int, ...], str | None]:
    """The key's path through the scenario model, or what is wrong with it."""
    parts = key.split(".")
    path: list[str | int] = []
    kind: Any = Scenario
    for depth, part in enumerate(parts):
        here = ".".join(parts[:depth])
        if _is_model(kind):
            fields = kind.model_fields
            if part not in fields:
                known = [f"{here}.{f}" if here else f for f in fields]
                hint = vocab.closest(key if not here else f"{here}.{part}", known)
                return (), "unknown key" + (f"; did you mean {hint}?" if hint else
                                            f"; expected one of {', '.join(known)}")  # fmt: skip
            path.append(part)
            kind = _bare(fields[part].annotation)
        elif _is_sequence(kind):
            if not part.isdigit():
                return (), f"{here} is a list: give an entry's number, as in {here}.0"
            path.append(int(part))
            kind = _bare(typing.get_args(kind)[0])
        elif _is_mapping(kind):
            path.append(part)
            kind = float  # a share per word: the scenario's own check names the valid words
        else:
            return (), f"{here} is a value, not a table; it has no key {part!r}"
    if _is_model(kind) or _is_mapping(kind) or _is_sequence(kind):
        inner = list(kind.model_fields)[:6] if _is_model(kind) else []
        example = f"; e.g. {key}.{inner[0]}" if inner else ""
        return (), f"is a table, not a value: vary one of its keys{example}"
    return tuple(path), None


def _bare(annotation: Any) -> Any:
    """The type inside Optional[...] and Annotated[...]."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            inner = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = inner[0]
        else:
            return annotation


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def _is_sequence(kind: Any) -> bool:
    return typing.get_origin(kind) in (tuple, list)


def _is_mapping(kind: Any) -> bool:
    return kind is dict or typing.get_origin(kind) is dict


def cells(data: dict[str, Any], scenario: Scenario, varies: Sequence[Vary]) -> list[Cell]:
    """Every combination of the values (the first --vary slowest), each a validated scenario."""
    out, problems = [], []
    for index, values in enumerate(itertools.product(*(v.values for v in varies))):
        changed = copy.deepcopy(data)
        label = ", ".join(f"{v.key}={value_text(x)}" for v, x in zip(varies, values, strict=True))
        try:
            for vary, value in zip(varies, values, strict=True):
                put_value(changed, scenario, vary.path, value)
            out.append(Cell(index, values, scenario_from_dict(changed, source=label)))
        except IndexError:
            problems.append(Problem("--vary", None, label, "no such entry in the list"))
        except InputError as error:
            problems += [Problem("--vary", None, label, _without_source(p)) for p in error.problems]
    if problems:
        raise ConfigError(problems)
    return out


def _without_source(problem: Problem) -> str:
    column = f"{problem.column}: " if problem.column else ""
    got = "" if problem.got is None else f" (got {problem.got!r})"
    return f"{column}{problem.message}{got}"


def put_value(
    data: dict[str, Any], scenario: Scenario, path: tuple[str | int, ...], value: Value
) -> None:
    """Set the value in the scenario's tables; a table the file leaves out starts from the
    scenario's own values (so `training.grief` keeps the other trainings' prevalence)."""
    node: Any = data
    for depth, part in enumerate(path[:-1]):
        missing = isinstance(part, str) and part not in node
        if missing:
            in_programme = depth >= 2 and path[0] == "programmes" and part in _OVERRIDES
            node[part] = {} if in_programme else _dumped(_current(scenario, path[: depth + 1]))
        node = node[part]
    last = path[-1]
    if value is None:
        if isinstance(node, dict):
            node.pop(last, None)
        return
    node[last] = value


def _current(scenario: Scenario, path: tuple[str | int, ...]) -> Any:
    """The value at the path in the loaded scenario; a programme's tables as resolved."""
    if len(path) >= 3 and path[0] == "programmes" and path[2] in _OVERRIDES:
        node: Any = getattr(scenario.resolved()[int(path[1])], str(path[2]))
        rest = path[3:]
    else:
        node, rest = scenario, path
    for part in rest:
        indexed = isinstance(part, int) or isinstance(node, dict)
        node = node[part] if indexed else getattr(node, str(part))
    return node


def _dumped(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return copy.deepcopy(dict(value)) if isinstance(value, dict) else value
