"""The one place where the command line turns errors into messages and exit code 1."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from matcher.errors import MatcherError, os_reason
from matcher.terminal import visible, visible_lines

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Bad input, a bad config or a failing file or ledger: its message and exit 1, no traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        # Messages quote ids, headers and paths from the input: control characters in them
        # are shown escaped (matcher.terminal), one problem still per line.
        except MatcherError as error:
            click.echo(visible_lines(str(error)), err=True)
        except _ledger_errors() as error:
            click.echo(visible(f"the ledger database failed: {error}"), err=True)
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            click.echo(visible(f"{where}{os_reason(error)}"), err=True)
        sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _ledger_errors() -> tuple[type[Exception], ...]:
    """sqlite3's errors, if a command loaded sqlite3 (else none can have been raised): a
    command without a ledger, such as `match`, need not load it (matcher.cli.lazy)."""
    sqlite3 = sys.modules.get("sqlite3")
    return (sqlite3.Error,) if sqlite3 is not None else ()
