"""The report's bottleneck groups: clients who compete for too few places (matcher.bottleneck).

Said under the waiting clients, the largest shortage first. A shared (pseudonymised) report
names volunteers by their pseudonyms and prints counts below k as "<k", as elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from matcher.bottleneck import Bottlenecks
from matcher.report.privacy import count_text
from matcher.report.pseudonyms import Pseudonyms
from matcher.wording import bottleneck_sentence

# A report lists this many groups; the rest are counted.
SHOWN_GROUPS: Final = 10


def bottleneck_view(
    bottlenecks: Bottlenecks | None,
    t: Mapping[str, str],
    lang: str,
    names: Pseudonyms,
    k: int | None,
) -> tuple[list[str], str]:
    """The groups' sentences, and a note on those left unlisted."""
    if bottlenecks is None or not bottlenecks.groups:
        return [], ""
    sentences = [
        _capitalised(
            bottleneck_sentence(
                len(group.clients),
                [names.volunteer(v) for v in group.volunteers],
                group.free_places,
                group.must_wait,
                lang,
                count=lambda n: count_text(n, k),
            )
        )
        for group in bottlenecks.groups[:SHOWN_GROUPS]
    ]
    more = len(bottlenecks.groups) - len(sentences)
    return sentences, t["bottlenecks_more"].format(n=more) if more else ""


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]
