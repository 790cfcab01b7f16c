"""The `matcher columns` command: how one file will be read, before anything is imported."""

from __future__ import annotations

import click

from matcher.cli_config import config_path_default
from matcher.cli_errors import INPUT_PATH, reports_errors
from matcher.cli_sheet import sheet_option, with_sheet


@click.command("columns")
@click.argument("file", type=INPUT_PATH)
@click.option(
    "--config",
    "config_path",
    type=INPUT_PATH,
    default=None,
    callback=config_path_default,
    help="TOML config with [columns.*] and [values.*]. Default as for `match`.",
)
@click.option(
    "--kind",
    type=click.Choice(["clients", "volunteers"]),
    default=None,
    help="Read FILE as clients or volunteers (default: from its id column).",
)
@sheet_option
@reports_errors
def columns(file: str, config_path: str | None, kind: str | None) -> None:
    """Show how each header of FILE is understood, each distinct value and what it becomes."""
    from matcher.columns_view import render_columns, view_columns
    from matcher.config import load_config

    config = with_sheet(load_config(config_path))
    view = view_columns(file, config, kind)  # type: ignore[arg-type]
    click.echo(render_columns(view))
