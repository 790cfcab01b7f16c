"""matcher: optimal, explained matching of clients who need support to volunteers who give it.

import matcher
result = matcher.match(matcher.read_clients("clients.csv"),
                       matcher.read_volunteers("volunteers.csv"))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matcher.config import MatchConfig, load_config
    from matcher.engine import match
    from matcher.errors import ConfigError, InputError, MatcherError, Problem, SolverError
    from matcher.facts import PairFacts
    from matcher.io.streams import Source
    from matcher.models import Client, Volunteer
    from matcher.policies import MatchPolicy, PolicyContext
    from matcher.result import REASON_CODES, Match, MatchResult, Unmatched
    from matcher.solvers.status import SolveStatus

# Imported on first use (PEP 562): `import matcher` stays instant, so the command's entry
# point (matcher.__main__.run) is already running, and can catch Ctrl-C, while pydantic,
# numpy and OR-Tools load.
_LAZY = {
    "MatchConfig": "matcher.config",
    "load_config": "matcher.config",
    "match": "matcher.engine",
    "PairFacts": "matcher.facts",
    "ConfigError": "matcher.errors",
    "InputError": "matcher.errors",
    "MatcherError": "matcher.errors",
    "Problem": "matcher.errors",
    "SolverError": "matcher.errors",
    "Client": "matcher.models",
    "Volunteer": "matcher.models",
    "MatchPolicy": "matcher.policies",
    "PolicyContext": "matcher.policies",
    "REASON_CODES": "matcher.result",
    "Match": "matcher.result",
    "MatchResult": "matcher.result",
    "Unmatched": "matcher.result",
    "SolveStatus": "matcher.solvers.status",
}

__version__: str


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _version()
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module 'matcher' has no attribute {name!r}")
    globals()[name] = value
    return value


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("matcher")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"


def read_clients(path: Source, config: MatchConfig | None = None) -> list[Client]:
    """Clients from a CSV, JSON or workbook file (a path, or an open text or binary file
    object); raises InputError listing every problem."""
    from matcher.io import read_clients as read

    return read(path, config)


def read_volunteers(path: Source, config: MatchConfig | None = None) -> list[Volunteer]:
    """Volunteers from a CSV, JSON or workbook file (a path, or an open text or binary file
    object); raises InputError listing every problem."""
    from matcher.io import read_volunteers as read

    return read(path, config)


__all__ = [
    "REASON_CODES",
    "Client",
    "ConfigError",
    "InputError",
    "Match",
    "MatchConfig",
    "MatchPolicy",
    "MatchResult",
    "MatcherError",
    "PairFacts",
    "PolicyContext",
    "Problem",
    "SolveStatus",
    "SolverError",
    "Unmatched",
    "Volunteer",
    "__version__",
    "load_config",
    "match",
    "read_clients",
    "read_volunteers",
]
