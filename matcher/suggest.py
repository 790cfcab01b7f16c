"""The message for a word that is not in its vocabulary, with the closest safe suggestion.

Kept apart from matcher.vocab because a vocabulary's hint goes through the Dutch tables
(matcher.vocab_nl), which build on matcher.vocab.
"""

from __future__ import annotations

from matcher import vocab, vocab_nl


def unknown_word_message(kind: str, word: str, choices: tuple[str, ...]) -> str:
    """`unknown loss type 'partnr'; did you mean 'partner'?` (or the list when nothing is close)."""
    # A vocabulary's hint must be safe ('kind' is Dutch for child, never a typo of 'friend').
    if kind in vocab_nl.WORDS:
        suggestion = vocab_nl.suggestion(kind, word, choices)
    else:
        suggestion = vocab.closest(word, choices)
    if suggestion is not None:
        return f"unknown {kind} {word!r}; did you mean {suggestion!r}?"
    if len(choices) <= 10:
        return f"unknown {kind} {word!r}; expected one of {', '.join(choices)}"
    return f"unknown {kind} {word!r}; expected e.g. {', '.join(choices[:6])}, …"
