"""Her own words: checking a config's `[values.FIELD]` tables against the vocabularies.

`[values.loss_type]` with `"Partner overleden" = "partner"` maps a cell of her spreadsheet to
a word the engine knows; every target must be such a word, in the column's own vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from matcher import vocab, vocab_nl
from matcher.models import Client, Volunteer
from matcher.suggest import unknown_word_message


def value_problems(field: str, table: Mapping[str, str]) -> list[str]:
    """What is wrong with a config's `[values.FIELD]` table, as `field: message` lines."""
    known = tuple(dict.fromkeys([*Client.model_fields, *Volunteer.model_fields]))
    if field not in known:
        return [f"{field}: unknown column" + vocab.did_you_mean(field, known)]
    kind = vocab_nl.FIELD_WORDS.get(field, ("", False))[0]
    problems = []
    for key, target in table.items():
        for item in re.split(r"[|,]", target):
            if item.strip() and not _known_word(kind, item):
                choices = vocab_nl.CHOICES.get(kind, ())
                why = (
                    unknown_word_message(kind, vocab.normalise_word(item), choices)
                    if choices
                    else "must be two-letter ISO 639-1 codes like 'nl' or 'en'"
                )
                problems.append(f"{field}: {key!r} = {target!r}: {why}")
    return problems


def _known_word(kind: str, word: str) -> bool:
    if not kind:
        return True  # a free word or text; the row's own validation judges it
    folded = vocab_nl.fold(word)
    if kind == "language":
        return vocab.is_language_code(word.strip().lower()) or folded in vocab_nl.WORDS[kind]
    return vocab.normalise_word(word) in vocab_nl.CHOICES[kind] or folded in vocab_nl.WORDS[kind]
