"""A file's header against a model: which column feeds which field, and what is wrong with it.

Header names are compared case-insensitively, trimmed, with inner spaces and hyphens read as
underscores; the config's column mapping turns a CRM's own names into ours first.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from matcher import vocab, vocab_nl
from matcher.errors import Problem
from matcher.io.raw_table import RawTable

logger = logging.getLogger("matcher")

_SEPARATORS = re.compile(r"[\s\-]+")


def normalise_header(text: str) -> str:
    """`" Client-ID "` -> `client_id`."""
    return _SEPARATORS.sub("_", unicodedata.normalize("NFC", text).strip().lower())


def mapped_headers(
    headers: Iterable[str], mapping: Mapping[str, str], fields: Collection[str] = ()
) -> list[str]:
    """Normalised header names, with the config's names for a CRM's columns applied.

    A header that names none of `fields` may still be a Dutch name for one (`Leeftijd`).
    """
    ours = {normalise_header(key): normalise_header(value) for key, value in mapping.items()}
    return [understood_header(header, ours, fields)[0] for header in headers]


HeaderSource = Literal["config", "own", "dutch", "unknown"]


def understood_header(
    header: str, ours: Mapping[str, str], fields: Collection[str]
) -> tuple[str, HeaderSource]:
    """The name a header is read as, and why: her config, our own name, or the Dutch table."""
    name = normalise_header(header)
    if name in ours:
        return ours[name], "config"
    if name in fields:
        return name, "own"
    dutch = vocab_nl.header_field(header, fields)
    if dutch is not None:
        return dutch, "dutch"
    return name, "unknown"


@dataclass(frozen=True)
class Layout:
    """Where each field's values are in the rows, and the problems of the header itself."""

    kept: list[tuple[int, str]]  # CSV: (cell index, field), in file order
    by_key: dict[str, str]  # JSON: key as written -> field
    names: dict[str, str]  # field -> header text as the file writes it
    ignored: tuple[str, ...]  # normalised names of the columns that are dropped
    missing: frozenset[str]  # required fields without a column
    problems: list[Problem]


def make_layout(table: RawTable, model: type[BaseModel], mapping: Mapping[str, str]) -> Layout:
    """Match the header to the model's fields; logs the names of the columns it drops."""
    fields = model.model_fields
    own = [normalise_header(header) for header in table.headers]
    ours = mapped_headers(table.headers, mapping, fields)
    kept: list[tuple[int, str]] = []
    by_key: dict[str, str] = {}
    names: dict[str, str] = {}
    ignored: dict[str, str] = {}  # normalised name -> header text
    problems: list[Problem] = []
    for index, (header, name, field) in enumerate(zip(table.headers, own, ours, strict=True)):
        text = header.strip()
        if not name:
            continue  # a header cell left empty, e.g. after a trailing delimiter
        if field in fields and field in names:
            if table.positional:
                first = next(cell for cell, known in kept if known == field)
                places = f"{_where(table, first)} and {_where(table, index)}"
                problems.append(
                    Problem(table.source, None, field, f"column appears twice, as {places}")
                )
            else:
                # Objects may spell a key differently; only one object using both is wrong.
                by_key[header] = field
        elif field in fields:
            kept.append((index, field))
            by_key[header] = field
            names[field] = text
        elif field != name:
            hint = vocab.closest(field, tuple(fields))
            message = f"the config maps this column to unknown column {field!r}"
            problems.append(Problem(table.source, None, text, message + _did_you_mean(hint)))
        else:
            ignored.setdefault(name, text)
    # An empty JSON list has no keys at all, and nothing that could miss one.
    has_header = table.positional or bool(table.headers)
    missing = [
        name
        for name, info in fields.items()
        if has_header and info.is_required() and name not in names
    ]
    for name in missing:
        hint = vocab.closest(name, tuple(ignored))
        suggestion = _did_you_mean(None if hint is None else ignored[hint])
        problems.append(
            Problem(table.source, None, name, "required column is missing" + suggestion)
        )
    # Only when it is shown: its "did you mean" hints load difflib, which --quiet never needs.
    if ignored and logger.isEnabledFor(logging.INFO):
        logger.info("%s: ignored columns: %s", table.source, _ignored_note(ignored, fields, names))
    return Layout(kept, by_key, names, tuple(ignored), frozenset(missing), problems)


def _did_you_mean(hint: str | None) -> str:
    return "" if hint is None else f"; did you mean {hint!r}?"


def _where(table: RawTable, index: int) -> str:
    return f"{table.headers[index].strip()!r} (column {column_letters(index)})"


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column names a spreadsheet shows."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _ignored_note(
    ignored: Mapping[str, str], fields: Iterable[str], found: Mapping[str, str]
) -> str:
    # A misspelt header would lose its data without a word: point at the likely column.
    absent = tuple(name for name in fields if name not in found)
    notes = []
    for name in ignored:
        hint = vocab.closest(name, absent)
        notes.append(name if hint is None else f"{name} (did you mean {hint!r}?)")
    return ", ".join(notes)
