"""`matcher validate`: read files as a round would, and collect every problem in all of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from matcher.config import MatchConfig
from matcher.errors import InputError, Problem
from matcher.io.readers import TableKind, read_clients, read_table_kinds, read_volunteers
from matcher.io.records import check_exclusions


@dataclass(frozen=True)
class ReadFile:
    path: str
    kind: TableKind
    rows: int


@dataclass
class Validation:
    read: list[ReadFile] = field(default_factory=list)  # the tables that had no problems
    problems: list[Problem] = field(default_factory=list)


def validate_files(paths: Sequence[str], config: MatchConfig) -> Validation:
    """Every table of every file read; a client's excluded volunteers checked against the
    volunteers when both kinds were given."""
    found = Validation()
    loaded: dict[str, tuple[str, Any]] = {}
    for path in paths:
        try:
            # A workbook may hold clients and volunteers on two sheets ([columns] *_sheet).
            for kind in read_table_kinds(path, config):
                reader = read_clients if kind == "clients" else read_volunteers
                loaded[kind] = (path, reader(path, config))
                found.read.append(ReadFile(path, kind, len(loaded[kind][1])))
        except InputError as error:
            found.problems.extend(error.problems)
    if "clients" in loaded and "volunteers" in loaded:
        try:
            check_exclusions(loaded["clients"][1], loaded["volunteers"][1], loaded["clients"][0])
        except InputError as error:
            found.problems.extend(error.problems)
    return found
