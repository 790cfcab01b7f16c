"""matcher: optimal, explained matching of clients who need support to volunteers who give it.

import matcher
result = matcher.match(matcher.read_clients("clients.csv"),
                       matcher.read_volunteers("volunteers.csv"))
"""

from importlib.metadata import PackageNotFoundError, version

from matcher.config import MatchConfig, load_config
from matcher.engine import match
from matcher.errors import ConfigError, InputError, MatcherError, Problem, SolverError
from matcher.models import Client, Volunteer
from matcher.result import REASON_CODES, Match, MatchResult, Unmatched
from matcher.solvers.status import SolveStatus

try:
    __version__ = version("matcher")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"


def read_clients(path: str, config: MatchConfig | None = None) -> list[Client]:
    """Clients from a CSV or JSON file; raises InputError listing every problem."""
    from matcher.io import read_clients as read

    return read(path, config)


def read_volunteers(path: str, config: MatchConfig | None = None) -> list[Volunteer]:
    """Volunteers from a CSV or JSON file; raises InputError listing every problem."""
    from matcher.io import read_volunteers as read

    return read(path, config)


__all__ = [
    "REASON_CODES",
    "Client",
    "ConfigError",
    "InputError",
    "Match",
    "MatchConfig",
    "MatchResult",
    "MatcherError",
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
