"""`--xlsx`, `--call-list`, `--keep-columns` and `--names`: the files she acts on, with names.

`match` and `round propose` share these options. Her own columns (`--keep-columns naam,telefoon`)
are read apart from the engine's input (matcher.io.kept) and go only into the workbook and
the call list of this run: never into the ledger, the summary, the HTML report or a message.
A ledger keeps no names, so `round propose` reads them from her current sheet (`--names`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from matcher.cli.options import INPUT_PATH
from matcher.config import MatchConfig
from matcher.io import format_csv, read_table_kinds

if TYPE_CHECKING:  # the workbook and the call list load their modules only when written
    from matcher.io.kept import KeptColumns
    from matcher.proposals_book import Book

F = TypeVar("F", bound=Callable[..., Any])


def book_options(*, names: bool = False) -> Callable[[F], F]:
    """The options of the workbook and call list; `names` adds --names (ledger rounds)."""

    def decorate(func: F) -> F:
        options = [
            click.option(
                "--xlsx",
                "xlsx_path",
                type=click.Path(dir_okay=False),
                default=None,
                help="Also write the proposals as a workbook: proposals, waiting, summary"
                " (in --lang).",
            ),
            click.option(
                "--weights", is_flag=True, help="Put solver weights and scores in the --xlsx."
            ),
            click.option(
                "--call-list",
                "call_list_path",
                type=click.Path(dir_okay=False),
                default=None,
                help="Also write a CSV of the proposals to phone, most vulnerable first, with"
                " the --keep-columns beside each id and a column for notes.",
            ),
            click.option(
                "--keep-columns",
                "keep_columns",
                metavar="A,B",
                default=None,
                help="Columns of your own files (e.g. naam,telefoon) to show in the --xlsx and"
                " --call-list of this run only; never stored, logged or reported.",
            ),
        ]
        if names:
            options.append(
                click.option(
                    "--names",
                    "names_paths",
                    type=INPUT_PATH,
                    multiple=True,
                    help="Your current clients and/or volunteers sheet to take the"
                    " --keep-columns from (the ledger keeps no names); repeat for two files.",
                )
            )
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def check_book_options(
    *,
    xlsx_path: str | None,
    weights: bool,
    call_list_path: str | None,
    keep_columns: str | None,
    names_paths: Sequence[str] | None = None,
) -> tuple[str, ...]:
    """Before any work: the options make sense together; returns the kept column names."""
    columns: tuple[str, ...] = ()
    if keep_columns:
        # Her own columns load their reader only when she names some.
        from matcher.io.kept import parse_column_list

        columns = parse_column_list(keep_columns)
    if weights and not xlsx_path:
        raise click.UsageError("--weights goes with --xlsx")
    if keep_columns is not None and not columns:
        raise click.UsageError("--keep-columns needs column names, e.g. --keep-columns naam")
    if columns and not (xlsx_path or call_list_path):
        raise click.UsageError("--keep-columns goes with --xlsx or --call-list")
    if names_paths is not None:
        if columns and not names_paths:
            raise click.UsageError(
                "the ledger keeps no names: give the sheet to take --keep-columns from"
                " with --names FILE"
            )
        if names_paths and not columns:
            raise click.UsageError("--names goes with --keep-columns")
    return columns


def read_names(
    files: Sequence[tuple[str, str]], columns: Sequence[str], config: MatchConfig
) -> KeptColumns | None:
    """Her columns from (path, "clients" | "volunteers") files; None when none are asked."""
    if not columns:
        return None
    from matcher.io.kept import read_kept_columns  # only when she names columns (above)

    return read_kept_columns(files, columns, config)


def names_files(paths: Sequence[str], config: MatchConfig) -> list[tuple[str, str]]:
    """Each --names file with what it holds (a workbook may hold both kinds on two sheets)."""
    return [(path, kind) for path in paths for kind in read_table_kinds(path, config)]


def book_files(
    book: Book,
    *,
    xlsx_path: str | None,
    weights: bool,
    call_list_path: str | None,
    kept: KeptColumns | None,
    excel_nl: bool = False,
) -> dict[Path, str | bytes]:
    """The workbook and the call list to write, by path."""
    # Imported only when a workbook or call list is written (it loads the ledger's modules).
    from matcher.io.workbook_out import format_csv_excel_nl
    from matcher.proposals_book import call_list, proposals_workbook

    files: dict[Path, str | bytes] = {}
    if xlsx_path:
        files[Path(xlsx_path)] = proposals_workbook(book, weights=weights, kept=kept)
    if call_list_path:
        header, rows = call_list(book, kept)
        files[Path(call_list_path)] = (format_csv_excel_nl if excel_nl else format_csv)(
            header, rows
        )
    return files
