"""Cell values in a coordinator's own words turned into the contract's, before validation.

Her config's `[values.FIELD]` table comes first, then the built-in Dutch table of the field's
vocabulary; a word neither knows is passed on unchanged, so validation reports it as she wrote
it. A column of 100,000 cells holds a few dozen distinct texts: each is mapped once per column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from matcher import vocab_nl

# Free-word list fields: her own words may name several items in one cell.
_OWN_LIST_FIELDS: Final = frozenset({"programmes", "excluded_volunteers"})
_ITEM_SEPARATORS: Final = re.compile(r"[|,;]")


class ValueMapper:
    """Maps one file's cells, field by field, remembering each distinct text it has seen."""

    def __init__(
        self, fields: Iterable[str], own: Mapping[str, Mapping[str, str]] | None = None
    ) -> None:
        own = own or {}
        self._own = {
            field: {vocab_nl.fold(key): target.strip() for key, target in own[field].items()}
            for field in fields
            if own.get(field)
        }
        self._tables = {
            field: vocab_nl.WORDS[vocab_nl.FIELD_WORDS[field][0]]
            for field in fields
            if field in vocab_nl.FIELD_WORDS
        }
        self._lists = {
            field
            for field in fields
            if vocab_nl.FIELD_WORDS.get(field, ("", False))[1] or field in _OWN_LIST_FIELDS
        }
        self.mapped_fields = frozenset(self._own) | frozenset(self._tables)
        self._seen: dict[str, dict[str, str | None]] = {field: {} for field in self.mapped_fields}

    def map_row(self, values: dict[str, Any]) -> dict[str, Any]:
        """The row with every mapped field's text replaced; the dict given is not changed."""
        out = values
        for field in self.mapped_fields:
            text = values.get(field)
            if not isinstance(text, str):
                continue  # empty, or a JSON number or list: already the contract's own
            seen = self._seen[field]
            if text in seen:
                mapped = seen[text]
            else:
                mapped = self.map_value(field, text)
                mapped = seen[text] = _SAME if mapped is text else mapped
            if mapped is not _SAME:
                if out is values:
                    out = dict(values)
                out[field] = mapped
        return out

    def maps_to_itself(self, field: str, words: tuple[str, ...]) -> bool:
        """Is a list of these words, joined by `|`, passed on as it is? True unless she has
        words of her own for the field (which may name a whole cell) or a word maps elsewhere."""
        if field not in self.mapped_fields:
            return True
        return field not in self._own and all(self.map_value(field, w) == w for w in words)

    def map_value(self, field: str, text: str) -> str | None:
        """One cell's text in the contract's words; the same object when nothing changes."""
        own = self._own.get(field, {})
        table = self._tables.get(field, {})
        # A list cell is seldom one of her words as a whole; fold it only when she has words.
        whole = vocab_nl.fold(text) if own or field not in self._lists else ""
        if whole in own:
            return own[whole] or None
        if field not in self._lists:
            found = table.get(whole)
            if found is None:
                return text
            return found or None  # "geen voorkeur" is no value at all
        items = [item.strip() for item in _ITEM_SEPARATORS.split(text) if item.strip()]
        words = []
        changed = False
        for item in items:
            key = vocab_nl.fold(item)
            found = own[key] if key in own else table.get(key)
            if found is None:
                words.append(item)
            else:
                changed = True
                words.extend(word for word in re.split(r"[|,]", found) if word.strip())
        if not changed:
            return text
        return "|".join(words) or None


# Marks a text that maps to itself, so a row of English words is passed on as it is.
_SAME: Final[str] = "\0same"
