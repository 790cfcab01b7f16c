"""Whole columns of plain cells validated without pydantic: ids, coordinates, lists of words.

An id or coordinate column has a distinct value in nearly every row, so validating each
distinct value once (matcher.io.fast_rows) still means a pydantic call per row. A cell that is
*plainly* valid — `c000123`, `52.44937`, `mon-am|tue-pm` — has a value anyone can read off its
text: these checks give that value, the very one the field's validator gives, and `ASK` for
every other cell (blank, padded, quoted, Dutch, out of range, anything unusual), which then
goes to the field's own validator as before. So a check may be cautious, never different:
`tests/test_fast_rows.py` compares each check with the field's validator on random cells.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Sequence
from typing import Any, Final

from pydantic import BeforeValidator

from matcher import field_types, vocab
from matcher.io.values import ValueMapper

# A cell this module cannot vouch for: the field's own validator decides.
ASK: Final = object()

ColumnCheck = Callable[[Sequence[str]], list[Any]]

# Text with no space at either end, no `'` in front (a neutralised cell) and no | or , (which an
# id must not hold): the id itself. \s is what str.strip() takes off.
_PLAIN_ID: Final = re.compile(r"[^\s|,'](?:[^|,]*[^\s|,])?").fullmatch
# A decimal number as a coordinate is written: float() reads it as to_number does.
_PLAIN_NUMBER: Final = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{1,20})?").fullmatch


# The same, for a whole column joined by newlines (which no plain cell holds), in one match.
_PLAIN_IDS: Final = re.compile(r"(?:[^\s|,'](?:[^|,\n]*[^\s|,])?\n)*").fullmatch
_PLAIN_NUMBERS: Final = re.compile(r"(?:(?:-?[0-9]{1,3}(?:\.[0-9]{1,20})?)?\n)*").fullmatch


def _one_per_line(texts: Sequence[str]) -> str | None:
    """The cells joined, a line each; None when a cell spans lines itself."""
    joined = "\n".join(texts) + "\n"
    return joined if joined.count("\n") == len(texts) else None


def _ids(texts: Sequence[str]) -> list[Any]:
    joined = _one_per_line(texts)
    if joined is not None and _PLAIN_IDS(joined):
        return list(texts)  # the usual column: every cell plain, one match for all
    return [text if _PLAIN_ID(text) else ASK for text in texts]


def _number_check(low: float, high: float) -> ColumnCheck:
    def number(text: str) -> Any:
        if _PLAIN_NUMBER(text):
            value = float(text)
            if low <= value <= high:
                return value
        return ASK

    def check(texts: Sequence[str]) -> list[Any]:
        joined = _one_per_line(texts)
        if joined is not None and _PLAIN_NUMBERS(joined):
            # The usual column: plain numbers and blanks (the validator sees those), one match.
            values: list[Any] = [float(text) if text else ASK for text in texts]
            given = [value for value in values if value is not ASK]
            if not given or (low <= min(given) and max(given) <= high):
                return values
        return list(map(number, texts))

    return check


def _word_list_check(choices: tuple[str, ...]) -> ColumnCheck:
    position = {word: k for k, word in enumerate(choices)}.__getitem__

    def words(text: str) -> Any:
        try:
            positions = set(map(position, text.split("|")))
        except KeyError:
            return ASK  # blank, padded, Dutch, separated by commas, or not a word of the list
        # Vocabulary order without repeats, as the field's validator gives them.
        return tuple(map(choices.__getitem__, sorted(positions)))

    def check(texts: Sequence[str]) -> list[Any]:
        # Combinations repeat: one tuple per distinct cell, shared by the rows that hold it.
        here = {text: words(text) for text in dict.fromkeys(texts)}
        return list(map(here.__getitem__, texts))

    return check


def _validator(alias: Any) -> BeforeValidator:
    """The BeforeValidator of a field type: the same object every model field of it carries."""
    found = [item for item in typing.get_args(alias)[1:] if isinstance(item, BeforeValidator)]
    assert len(found) == 1, alias
    return found[0]


_WORD_LISTS: Final = {
    _validator(field_types.Slots): vocab.SLOTS,
    _validator(field_types.Needs): vocab.NEEDS,
    _validator(field_types.Skills): vocab.NEEDS,
    _validator(field_types.LossTypes): vocab.LOSS_TYPES,
    _validator(field_types.Trainings): vocab.TRAININGS,
    _validator(field_types.Hindering): vocab.HINDERING_FACTORS,
    _validator(field_types.Protective): vocab.PROTECTIVE_FACTORS,
}
# Bounds as the field types declare them (matcher.field_types: Latitude, Longitude).
_OTHERS: Final[dict[int, ColumnCheck]] = {
    id(_validator(field_types.Identifier)): _ids,
    id(_validator(field_types.Latitude)): _number_check(-90, 90),
    id(_validator(field_types.Longitude)): _number_check(-180, 180),
}


def column_check(name: str, metadata: list[Any], words: ValueMapper) -> ColumnCheck | None:
    """The plain-cell check of a model field (its FieldInfo.metadata), or None: the field's
    validator sees every distinct value. A field her own words or the Dutch words change has a
    check only where every word of its list means itself, so the mapping changes nothing."""
    validators = [item for item in metadata if isinstance(item, BeforeValidator)]
    if len(validators) != 1:
        return None
    validator = validators[0]
    choices = next((c for v, c in _WORD_LISTS.items() if v is validator), None)
    if choices is not None:
        if not words.maps_to_itself(name, choices):
            return None
        assert all(vocab.normalise_word(word) == word for word in choices)
        return _word_list_check(choices)
    if name in words.mapped_fields:
        return None
    return _OTHERS.get(id(validator))
