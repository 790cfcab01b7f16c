"""The Evaluatie page's charts, served as images of their own.

Drawing a chart with matplotlib takes a tenth of a second or more, so the page does not draw:
it names each chart by a digest of what it shows (its labels and counts), and keeps what the
digest stands for here. The browser then asks for `/evaluation/charts/<name>.svg?…&figures=
<digest>`, which draws it (once per figures) without counting the ledger again. The digest is
of the content, so the same figures give the same page and image; one not kept (the server
restarted, or many other figures shown since) is counted again from the period in the query.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from typing import Final

from matcher.report.evaluation import Bars

# Charts whose figures are kept; the least recently shown go first.
KEPT: Final = 256
DIGEST_PATTERN: Final = "^[0-9a-f]{16}$"

_kept: OrderedDict[tuple[str, str], Bars] = OrderedDict()
_lock = threading.Lock()


def shown(name: str, bars: Bars) -> str:
    """The digest the page names this chart by; kept until KEPT others are shown."""
    content = repr((name, bars.names, bars.counts, bars.xlabel)).encode()
    digest = hashlib.sha256(content).hexdigest()[:16]
    with _lock:
        _kept[name, digest] = bars
        _kept.move_to_end((name, digest))
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return digest


def kept(name: str, digest: str) -> Bars | None:
    with _lock:
        return _kept.get((name, digest))


@functools.lru_cache(maxsize=64)
def drawn(bars: Bars) -> bytes:
    """The chart's SVG, the same image as in the report."""
    return bars.draw().svg
