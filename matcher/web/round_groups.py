"""The bottleneck groups of the rounds this server proposed or rebuilt, kept in memory.

The ledger stores a round's pairs and waiting clients, not its bottleneck groups: the engine
gives them when it proposes (RoundProposal.bottlenecks), and `lookup.round_bottlenecks`
rebuilds a stored round to find them again (a full solve, so only on request). The pages show
what this holds; they name volunteers and counts only, as the report and the terminal do.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from matcher.bottleneck import Bottlenecks, sentence_of
from matcher.wording import bottleneck_summary

# Rounds whose groups are kept; the oldest go first.
KEPT_ROUNDS = 20
# Groups a page lists; the rest are counted (as in the report).
SHOWN_GROUPS = 10


@dataclass(frozen=True)
class GroupsSaid:
    summary: str  # how many groups, how many clients wait in any round
    sentences: list[str]  # the largest shortage first
    more: int  # groups not listed
    exact: bool  # from the round as proposed (or rebuilt from the same inputs)


class RoundGroups:
    def __init__(self) -> None:
        self._kept: OrderedDict[int, tuple[Bottlenecks, bool]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, round_id: int, bottlenecks: Bottlenecks, *, exact: bool = True) -> None:
        with self._lock:
            self._kept[round_id] = (bottlenecks, exact)
            self._kept.move_to_end(round_id)
            while len(self._kept) > KEPT_ROUNDS:
                self._kept.popitem(last=False)

    def get(self, round_id: int) -> Bottlenecks | None:
        with self._lock:
            found = self._kept.get(round_id)
        return None if found is None else found[0]

    def said(self, round_id: int, lang: str) -> GroupsSaid | None:
        """The round's groups in words, or None when this server has not seen them."""
        with self._lock:
            found = self._kept.get(round_id)
        if found is None:
            return None
        bottlenecks, exact = found
        groups = bottlenecks.groups
        if not groups:
            return GroupsSaid("", [], 0, exact)
        sentences = [_capitalised(sentence_of(g, lang)) for g in groups[:SHOWN_GROUPS]]
        summary = bottleneck_summary(len(groups), bottlenecks.must_wait, lang)
        return GroupsSaid(summary, sentences, len(groups) - len(sentences), exact)


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]
