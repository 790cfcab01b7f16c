"""Facts read back from the English sentences an older matcher stored (ledgers before v5).

Those ledgers kept each pair's reasons and each waiting client's detail only as English
text. The sentences came from fixed templates, so they are read back into the same facts a
new round stores; a sentence that does not fit a template is left as it was (shown as it is
in every language).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final

from matcher import vocab
from matcher.candidates import RULES
from matcher.facts import Reason
from matcher.scoring import WEIGHT_SCALE

_DAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_PART_NAMES: Final = {"morning": "am", "afternoon": "pm", "evening": "eve"}
_LOSSES: Final = {
    "a partner": "partner",
    "a child": "child",
    "a parent": "parent",
    "a brother or sister": "sibling",
    "a friend": "friend",
    "someone close": "other",
}
_BASES: Final = {"postcode centres": "postcode", "district centres": "district",
                 "town centres": "place"}  # fmt: skip
_NUMBER: Final = r"(\d+(?:\.\d+)?)"


def _slot(phrase: str) -> str | None:
    day, _, part = phrase.partition(" ")
    if day not in _DAY_NAMES or part not in _PART_NAMES:
        return None
    slot = f"{vocab.DAYS[_DAY_NAMES.index(day)]}-{_PART_NAMES[part]}"
    return slot if slot in vocab.SLOTS else None


def _reason(phrase: str) -> Reason | None:
    if phrase == "pinned by the coordinator":
        return ("pinned", ())
    if phrase == "volunteer knows loss first-hand":
        return ("knows-loss", ())
    if phrase == "by phone":
        return ("phone", ())
    if phrase == "trained for this risk level":
        return ("trained", ())
    if phrase.startswith("both lost ") and phrase[10:] in _LOSSES:
        return ("same-loss", (_LOSSES[phrase[10:]],))
    if found := re.fullmatch(_NUMBER + r" km apart", phrase):
        return ("km", (float(found[1]),))
    if found := re.fullmatch("≈" + _NUMBER + r" km apart \((.+)\)", phrase):
        if found[2] in _BASES:
            return ("km", (float(found[1]), _BASES[found[2]]))
        return None
    if found := re.fullmatch(r"covers (\d+) of (\d+) needs", phrase):
        return ("needs", (int(found[1]), int(found[2])))
    if found := re.fullmatch(r"both free (.+?)(?: \(\+(\d+)\))?", phrase):
        slots = [_slot(part) for part in found[1].split(", ")]
        if None in slots:
            return None
        return ("free", (tuple(slots), int(found[2] or 0)))
    return None


def pair_reasons(text: str) -> tuple[Reason, ...] | None:
    """'both lost a partner; 0.6 km apart' -> the reasons; None if a part is not ours."""
    if not text:
        return ()
    reasons = [_reason(phrase) for phrase in text.split("; ")]
    if any(reason is None for reason in reasons):
        return None
    return tuple(r for r in reasons if r is not None)


def _weight_units(text: str) -> int:
    whole, _, fraction = text.partition(".")
    return int(whole) * WEIGHT_SCALE + int(fraction.ljust(6, "0"))


def _rule_pattern(template: str) -> re.Pattern[str]:
    escaped = re.escape(template).replace(r"\{n\}", r"(?P<n>\d+)")
    return re.compile(escaped.replace(r"\{programme\}", r"(?P<programme>.+)"))


_RULE_PATTERNS: Final = {rule.code: _rule_pattern(rule.none_left) for rule in RULES}
_WEIGHT: Final = r"(-?\d+\.\d{6})"


def _outcompeted(detail: str) -> dict[str, Any] | None:
    found = re.fullmatch(rf"best option (\S+) \(weight {_WEIGHT}\) went to (.+)", detail)
    if found is None:
        return None
    facts: dict[str, Any] = {
        "best_volunteer": found[1],
        "best_weight_units": _weight_units(found[2]),
        "taken_by": [],
        "taken_weight_units": [],
    }
    if re.fullmatch(r"nobody: the \S+ policy left the place free", found[3]):
        return facts
    for taker in found[3].split(", "):
        one = re.fullmatch(rf"(\S+) \({_WEIGHT}\)", taker)
        if one is None:
            return None
        facts["taken_by"].append(one[1])
        facts["taken_weight_units"].append(_weight_units(one[2]))
    return facts


def _paused(detail: str) -> dict[str, Any] | None:
    if found := re.fullmatch(r"the only volunteer for (\S+), (\S+), is paused until (\S+)", detail):
        programme, pairs = found[1], [(found[2], found[3])]
    elif found := re.fullmatch(r"all \d+ volunteers for (\S+) are paused: (.+)", detail):
        programme, pairs = found[1], []
        for part in found[2].split(", "):
            one = re.fullmatch(r"(\S+) until (\S+)", part)
            if one is None:
                return None
            pairs.append((one[1], one[2]))
    else:
        return None
    try:
        paused = [[v, dt.date.fromisoformat(d).isoformat()] for v, d in pairs]
    except ValueError:
        return None
    return {"programme": programme, "paused": paused}


def unmatched_facts(reason: str, detail: str) -> dict[str, Any] | None:
    """The facts of a stored 'why waiting' sentence, as the v5 `unmatched.facts` column
    holds them (without programme and policy: the loader takes those from the round)."""
    if reason == "outcompeted":
        return _outcompeted(detail)
    if reason == "volunteers-paused":
        return _paused(detail)
    pattern = _RULE_PATTERNS.get(reason)
    found = pattern.fullmatch(detail) if pattern else None
    if found is None:
        return None
    n = found.groupdict().get("n")
    programme = found.groupdict().get("programme")
    return {"programme": programme or "", "options_before": None if n is None else int(n)}


__all__ = ["pair_reasons", "unmatched_facts"]
