"""The report's optional extra (matplotlib, jinja2), checked before any work is done."""

from __future__ import annotations

import importlib.util

from matcher.errors import MatcherError

EXTRA_HINT = "the HTML report needs the 'report' extra: pip install 'matcher[report]'"


class ReportError(MatcherError):
    pass


def require_report_extra() -> None:
    """Fail before any work is done when the report cannot be drawn."""
    missing = [name for name in ("matplotlib", "jinja2") if importlib.util.find_spec(name) is None]
    if missing:
        raise ReportError(f"{EXTRA_HINT} (missing: {', '.join(missing)})")
