"""Errors the library raises. The CLI turns every MatcherError into a message and exit code 1."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one cell, row or file: `file:row: column: message (got 'x')`."""

    source: str
    row: int | None
    column: str | None
    message: str
    got: str | None = None

    def __str__(self) -> str:
        where = self.source if self.row is None else f"{self.source}:{self.row}"
        column = f" {self.column}:" if self.column else ""
        got = "" if self.got is None else f" (got {_shorten(self.got)!r})"
        return f"{where}:{column} {self.message}{got}"


def shown_value(value: Any) -> str:
    """A value as text for `(got …)`; an integer too long to print is described instead."""
    if isinstance(value, int) and value.bit_length() > 1000:
        # str() of an int over 4300 digits raises ValueError, and nobody reads them anyway.
        return f"a number of {int(value.bit_length() * 0.30103)} digits"
    return str(value)


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class MatcherError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(MatcherError):
    """One or more problems in input files or objects; all of them are collected."""

    def __init__(self, problems: list[Problem], *, shown: int | None = MAX_PROBLEMS_SHOWN) -> None:
        """`shown`: how many problems the message lists before "… and N more"; None: all."""
        self.problems = problems
        self.shown = len(problems) if shown is None else shown
        super().__init__(self._render())

    def _render(self) -> str:
        lines = [str(problem) for problem in self.problems[: self.shown]]
        hidden = len(self.problems) - self.shown
        if hidden > 0:
            lines.append(f"… and {hidden} more")
        return "\n".join(lines)


class ConfigError(InputError):
    """Problems in a configuration file or object."""


def os_reason(failure: OSError) -> str:
    """The operating system's reason for a failure, in words that fit after a colon."""
    text = failure.strerror or str(failure) or type(failure).__name__
    return text[:1].lower() + text[1:]


class SolverError(MatcherError):
    """The solver failed in a way that is not a property of the input (a bug or a limit)."""


_PYDANTIC_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "unknown field",
    "greater_than_equal": "must be ≥ {ge}",
    "greater_than": "must be > {gt}",
    "less_than_equal": "must be ≤ {le}",
    "less_than": "must be < {lt}",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "finite_number": "must be a finite number",
    "int_from_float": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "string_type": "must be text",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "literal_error": "must be {expected}",
}

# Cross-field rules name their column at the start of the message: "high_from: must be > …".
_COLUMN_PREFIX = re.compile(r"^([a-z_]+(?:/[a-z_]+)?): (.+)$", re.DOTALL)


def _plain(value: Any) -> Any:
    # Bounds on float fields arrive as floats; "must be ≤ 90" reads better than "≤ 90.0".
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def problems_from_validation(
    error: ValidationError,
    *,
    source: str,
    row: int | None = None,
    column_names: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Pydantic's errors as Problems, in the file's own column names and our own words."""
    problems = []
    for detail in error.errors(include_url=False):
        location = [str(part) for part in detail["loc"]]
        message = detail["msg"].removeprefix("Value error, ")
        named = _COLUMN_PREFIX.match(message)
        if named:
            # Checked before our own wording, which would drop the column from the message.
            if not location or location[-1] != named[1]:
                location.append(named[1])
            message = named[2]
        elif detail["type"] in _PYDANTIC_MESSAGES:
            context = {key: _plain(value) for key, value in detail.get("ctx", {}).items()}
            message = _PYDANTIC_MESSAGES[detail["type"]].format(**context)
        column = ".".join(location) if location else None
        if column is not None and column_names is not None:
            column = column_names.get(column, column)
        got = None
        if (
            detail["type"] not in ("missing",)
            and detail["loc"]
            and not isinstance(detail["input"], dict)
        ):
            got = shown_value(detail["input"])
        problems.append(Problem(source, row, column, message, got))
    return problems
