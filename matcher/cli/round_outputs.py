"""The files a round writes beside its own, for `match` and `round propose` alike.

`--report`, `--lang`, `--pseudonymise`, `--xlsx`, `--weights`, `--call-list`, `--keep-columns`
(with `--names` for a ledger round) and `--excel-nl` reach the command as one `outputs`
parameter, checked, named and written the same way by both.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from matcher.cli.names import book_files, book_options, check_book_options
from matcher.cli.options import report_options
from matcher.cli.outputs import check_report_possible
from matcher.config import MatchConfig

if TYPE_CHECKING:
    from matcher.io.kept import KeptColumns
    from matcher.proposals_book import Book

F = TypeVar("F", bound=Callable[..., Any])


@dataclasses.dataclass(frozen=True)
class RoundOutputs:
    report_path: str | None
    lang: str | None
    pseudonymise: bool
    xlsx_path: str | None
    weights: bool
    call_list_path: str | None
    keep_columns: str | None
    excel_nl: bool
    # A ledger round's sheets to take --keep-columns from; None for a round from files.
    names_paths: tuple[str, ...] | None = None

    @property
    def books(self) -> bool:
        """Whether the workbook or the call list is asked for."""
        return bool(self.xlsx_path or self.call_list_path)

    @property
    def paths(self) -> dict[str, str | None]:
        """The files by the option that names them (for check_distinct_outputs)."""
        return {"--report": self.report_path, "--xlsx": self.xlsx_path,
                "--call-list": self.call_list_path}  # fmt: skip

    def check(self) -> tuple[str, ...]:
        """Before any work: the options make sense together; returns the kept column names."""
        # --lang also picks the workbook's language.
        lang = None if self.books else self.lang
        check_report_possible(self.report_path, lang=lang, pseudonymise=self.pseudonymise)
        return check_book_options(
            xlsx_path=self.xlsx_path, weights=self.weights, call_list_path=self.call_list_path,
            keep_columns=self.keep_columns, names_paths=self.names_paths,
        )  # fmt: skip

    def language(self, config: MatchConfig) -> str:
        return self.lang or config.report.lang

    def book_files(self, book: Book, kept: KeptColumns | None) -> dict[Path, str | bytes]:
        return book_files(
            book, xlsx_path=self.xlsx_path, weights=self.weights,
            call_list_path=self.call_list_path, kept=kept, excel_nl=self.excel_nl,
        )  # fmt: skip


_FIELDS = tuple(field.name for field in dataclasses.fields(RoundOutputs))


def round_output_options(*, ledger: bool, excel_nl_help: str) -> Callable[[F], F]:
    """The options of RoundOutputs, passed to the command as `outputs`."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def command(**kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in _FIELDS if name in kwargs}
            return func(**kwargs, outputs=RoundOutputs(**given))

        options = [
            report_options(),
            book_options(names=ledger),
            click.option("--excel-nl", is_flag=True, help=excel_nl_help),
        ]
        decorated: Callable[..., Any] = command
        for option in reversed(options):
            decorated = option(decorated)
        return cast(F, decorated)

    return decorate
