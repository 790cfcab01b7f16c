"""`matcher validate`, `columns` and `config`: checking files and settings before a round.

Kept apart from the round commands so that checking a file loads neither the engine nor
OR-Tools: `matcher validate` answers in a fraction of a second.
"""

from __future__ import annotations

import click

from matcher.cli.errors import reports_errors
from matcher.cli.options import INPUT_PATH, config_option, sheet_option, with_sheet
from matcher.columns_view import render_columns, view_columns
from matcher.config import DEFAULT_TOML, load_config, load_config_or_defaults
from matcher.errors import MAX_PROBLEMS_SHOWN, InputError
from matcher.io.validate import validate_files


@click.command()
@click.argument("files", nargs=-1, required=True, type=INPUT_PATH)
@config_option("TOML config (column mapping); it is validated too. Default as for `match`.")
@sheet_option
@click.option("--all", "show_all", is_flag=True, help="List every problem, not the first 20.")
@reports_errors
def validate(files: tuple[str, ...], config_path: str | None, show_all: bool) -> None:
    """Check FILES (clients or volunteers: CSV, JSON or a workbook) and list every problem."""
    config, problems = load_config_or_defaults(config_path)
    found = validate_files(files, with_sheet(config))
    for read in found.read:
        click.echo(f"{read.path}: {read.rows} {read.kind}, no problems")
    problems.extend(found.problems)
    if problems:
        raise InputError(problems, shown=None if show_all else MAX_PROBLEMS_SHOWN)


@click.command("columns")
@click.argument("file", type=INPUT_PATH)
@config_option("TOML config with [columns.*] and [values.*]. Default as for `match`.")
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
    config = with_sheet(load_config(config_path))
    view = view_columns(file, config, kind)  # type: ignore[arg-type]
    click.echo(render_columns(view))


@click.command("config")
def print_config() -> None:
    """Print the default configuration as a commented TOML file."""
    click.echo(DEFAULT_TOML, nl=False)


@click.command("schema")
@click.argument("kind", type=click.Choice(["clients", "volunteers", "config"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of a client or volunteer record, or of the config.

    For integrators: every closed vocabulary is an enum. A JSON input file is a list of such
    records; the config is the TOML file's content."""
    import json

    from matcher.io.schema import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))
