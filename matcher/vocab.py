"""Closed vocabularies of the input contract, and the helpers that normalise and suggest words.

Every word a user types is kebab-case. Spreadsheets bring capitals, spaces and underscores,
so words are normalised before they are checked ("Mon AM" -> "mon-am").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Literal, get_args

# Each closed vocabulary once, as a type (for type checkers and JSON Schema) and as the tuple
# the code loops over, derived from it.
LossType = Literal["partner", "child", "parent", "sibling", "friend", "other", "none"]
Gender = Literal["f", "m", "x"]
PreferredGender = Literal["f", "m"]
ContactMode = Literal["visit", "phone", "either"]
RiskTier = Literal["low", "moderate", "high"]
# Who said no to a proposed pair (matcher round decline --by).
DeclinedBy = Literal["client", "volunteer", "coordinator"]

LOSS_TYPES: Final[tuple[LossType, ...]] = get_args(LossType)
GENDERS: Final[tuple[Gender, ...]] = get_args(Gender)
PREFERRED_GENDERS: Final[tuple[PreferredGender, ...]] = get_args(PreferredGender)
CONTACT_MODES: Final[tuple[ContactMode, ...]] = get_args(ContactMode)
DAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_PARTS: Final = ("am", "pm", "eve")
SLOTS: Final = tuple(f"{day}-{part}" for day in DAYS for part in DAY_PARTS)
NEEDS: Final = ("emotional", "practical", "work", "life-story", "social", "life-questions")
HINDERING_FACTORS: Final = (
    "physical-health",
    "social-contact-difficulty",
    "little-social-support",
    "sudden-death",
    "caregiver-burden",
    "anxiety-or-depression",
    "financial-worries",
    "young-children",
    "living-alone",
    "low-education",
)
PROTECTIVE_FACTORS: Final = (
    "strong-network",
    "employed",
    "good-health",
    "meaning-and-faith",
    "coped-with-earlier-loss",
)
TRAININGS: Final = ("basic", "grief", "life-questions", "life-story", "advanced")
RISK_TIERS: Final[tuple[RiskTier, ...]] = get_args(RiskTier)
DECLINED_BY: Final[tuple[DeclinedBy, ...]] = get_args(DeclinedBy)
# The matching policies by the names a user types (config `policy`, --policy); the registry
# in matcher.policies holds one policy object for each, in this order (a test keeps them so).
PolicyName = Literal[
    "optimal",
    "coverage-first",
    "priority-first",
    "balanced",
    "reserve",
    "greedy",
    "fifo-greedy",
    "stable",
]
POLICY_NAMES: Final[tuple[str, ...]] = get_args(PolicyName)

_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")


def normalise_word(word: str) -> str:
    """Lower-case, trimmed, with spaces and underscores turned into hyphens."""
    return re.sub(r"[\s_]+", "-", word.strip().lower())


def is_kebab(word: str) -> bool:
    return bool(_KEBAB.match(word))


def is_language_code(word: str) -> bool:
    return bool(_LANGUAGE.match(word))


def closest(word: str, choices: Sequence[str]) -> str | None:
    """The most similar valid word, for "did you mean" hints; None when nothing is close."""
    import difflib  # only messages and notes need it: a plain --quiet round never does

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """`; did you mean 'partner'?` to end a message, or "" when nothing is close."""
    hint = closest(word, choices)
    return f"; did you mean {hint!r}?" if hint else ""
