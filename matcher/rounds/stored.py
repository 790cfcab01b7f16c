"""Values read back from the ledger: parsed, or refused with the record's table and id only.

A ledger edited by hand or damaged on disk can hold anything in a record, a date or a score.
Such a value stops only the commands that need it, with a message naming the table, the
record's id and the column, never the stored text (it may hold a health factor), and pointing
to `matcher db check`, which lists every damaged record (see check.py).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

# Our own wording of pydantic's error types: the messages carry bounds, never the input.
from matcher.errors import _PYDANTIC_MESSAGES
from matcher.rounds.db import LedgerError, Tx, UndecodableText

M = TypeVar("M", bound=BaseModel)

# Wording for error types whose pydantic message would quote the stored value (unknown_word
# says which word) or that only stored data can cause (not JSON, not an object).
_STORED_WORDING = {
    "json_invalid": "not valid JSON",
    "json_type": "not valid JSON",
    "model_type": "must be a JSON object",
    "model_attributes_type": "must be a JSON object",
    "number": "must be a number",
    "whole_number": "must be a whole number",
    "date": "must be a date",
    "list": "must be a list",
    "unknown_word": "not a known word",
    "kebab": "must be a kebab-case word",
    "language": "must be two-letter language codes",
}
MAX_REASONS_SHOWN = 3


@dataclass(frozen=True)
class Damage:
    """One stored value that cannot be used: where it is and what is wrong, no content."""

    table: str
    key: str  # the record's id as shown: 'c00383', 3, (round_id 3, client_id 'K001')
    what: str  # "waiting_since: must be a date as YYYY-MM-DD"

    def __str__(self) -> str:
        return f"{self.table} record {self.key}: {self.what}"


class DamagedRecordError(LedgerError):
    """A command needs a stored record that is damaged; nothing was changed."""

    def __init__(self, source: str, damage: Damage) -> None:
        self.damage = damage
        super().__init__(
            f"{source}: {damage.table} record {damage.key} is damaged ({damage.what});"
            " run `matcher db check` to list every damaged record"
        )


def show_key(*parts: tuple[str, object]) -> str:
    """A record's id for messages: 'c00383' alone, or (round_id 3, client_id 'K001')."""
    shown = [repr(value) if isinstance(value, str) else str(value) for _, value in parts]
    if len(parts) == 1:
        return shown[0]
    return (
        "("
        + ", ".join(f"{name} {value}" for (name, _), value in zip(parts, shown, strict=True))
        + ")"
    )


def validation_reasons(error: ValidationError, column: str = "record") -> str:
    """`programme: is required; age: must be ≥ 0`: field names and our words, no values."""
    reasons = []
    for detail in error.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in detail["loc"]) or column
        kind = detail["type"]
        if kind in _STORED_WORDING:
            what = _STORED_WORDING[kind]
        elif kind in _PYDANTIC_MESSAGES:
            context = {key: value for key, value in detail.get("ctx", {}).items()}
            what = _PYDANTIC_MESSAGES[kind].format(**context)
        else:
            # Custom checks word their message with the value ("got 3"): name the check only.
            what = f"fails the check {kind!r}"
        reasons.append(f"{where}: {what}")
    hidden = len(reasons) - MAX_REASONS_SHOWN
    shown = reasons[:MAX_REASONS_SHOWN] + ([f"… and {hidden} more"] if hidden > 0 else [])
    return "; ".join(shown)


def model_damage(model: type[M], text: object, id_field: str, key: str) -> tuple[M | None, str]:
    """The parsed record, or None and what is wrong with it."""
    if isinstance(text, UndecodableText):
        return None, "record: not valid UTF-8 text"
    if not isinstance(text, str):
        return None, "record: must be JSON text"
    try:
        parsed = model.model_validate_json(text)
    except ValidationError as error:
        return None, validation_reasons(error)
    if getattr(parsed, id_field) != key:
        return None, f"{id_field}: differs from the record's id"
    return parsed, ""


def record(tx: Tx, model: type[M], table: str, key: str, text: object) -> M:
    """A stored client or volunteer record, validated as when it was imported."""
    id_field = f"{table.removesuffix('s')}_id"
    parsed, what = model_damage(model, text, id_field, key)
    if parsed is None:
        raise DamagedRecordError(tx.source, Damage(table, show_key((id_field, key)), what))
    return parsed


def date_damage(text: object, *, optional: bool = False) -> tuple[dt.date | None, str]:
    if text is None and optional:
        return None, ""
    if isinstance(text, str) and not isinstance(text, UndecodableText):
        try:
            return dt.date.fromisoformat(text), ""
        except ValueError:
            pass
    return None, "must be a date as YYYY-MM-DD"


def date(tx: Tx, table: str, key: str, column: str, text: object) -> dt.date:
    """A stored date (waiting_since, started_on, …); `key` as made by show_key."""
    found, what = date_damage(text)
    if found is None:
        raise DamagedRecordError(tx.source, Damage(table, key, f"{column}: {what}"))
    return found


def optional_date(tx: Tx, table: str, key: str, column: str, text: object) -> dt.date | None:
    found, what = date_damage(text, optional=True)
    if what:
        raise DamagedRecordError(tx.source, Damage(table, key, f"{column}: {what}"))
    return found


def scores_damage(text: object) -> tuple[dict[str, float] | None, str]:
    """A proposal's criterion scores: a JSON object of numbers."""
    if not isinstance(text, str) or isinstance(text, UndecodableText):
        return None, "scores: must be JSON text"
    try:
        value: Any = json.loads(text)
    except ValueError:
        return None, "scores: not valid JSON"
    if not isinstance(value, dict) or not all(
        isinstance(score, int | float) and not isinstance(score, bool) for score in value.values()
    ):
        return None, "scores: must be a JSON object of numbers"
    return value, ""


def scores(tx: Tx, key: str, text: object) -> dict[str, float]:
    found, what = scores_damage(text)
    if found is None:
        raise DamagedRecordError(tx.source, Damage("proposals", key, what))
    return found
