"""`--sheet NAME`: which sheet of a workbook to read, for every command that reads input files.

The option overrides the config's `[columns] clients_sheet` / `volunteers_sheet`. It is kept in
the click context rather than passed as a parameter, so a command adds it with one decorator
and applies it with `with_sheet(config)` where the config is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, TypeVar

import click

from matcher.config import MatchConfig

F = TypeVar("F", bound=Callable[..., Any])
_KEY: Final = "matcher.sheet"
SHEET_HELP: Final = (
    "The sheet of a workbook (.xlsx, .xlsm, .xls, .ods) to read; default: the first one,"
    " or the config's [columns] clients_sheet / volunteers_sheet."
)


def _remember(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta[_KEY] = value


def sheet_option(func: F) -> F:
    option = click.option(
        "--sheet", metavar="NAME", expose_value=False, callback=_remember, help=SHEET_HELP
    )
    return option(func)


def with_sheet(config: MatchConfig) -> MatchConfig:
    """The config with the --sheet of the running command, if one was given."""
    context = click.get_current_context(silent=True)
    sheet = None if context is None else context.meta.get(_KEY)
    if sheet is None:
        return config
    columns = config.columns.model_copy(update={"clients_sheet": sheet, "volunteers_sheet": sheet})
    return config.model_copy(update={"columns": columns})
