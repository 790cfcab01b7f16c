"""`--report FILE.html`, `--lang` and `--pseudonymise`: shared by match, round propose, simulate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def report_options(*, pseudonymise: bool = True) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        options = [
            click.option(
                "--report",
                "report_path",
                type=click.Path(dir_okay=False),
                default=None,
                help="Also write a self-contained HTML report here (needs matcher[report]).",
            ),
            click.option(
                "--lang",
                type=click.Choice(["nl", "en"]),
                default=None,
                help="Language of the report (default: the config's [report] lang, nl).",
            ),
        ]
        if pseudonymise:
            options.append(
                click.option(
                    "--pseudonymise",
                    is_flag=True,
                    help="Replace ids in the report with stable pseudonyms, for sharing"
                    " outside the team.",
                )
            )
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def check_report_possible(
    report_path: str | None, *, lang: str | None = None, pseudonymise: bool = False
) -> None:
    """Before any work: the report's options make sense and its extra is installed."""
    if report_path is None:
        if pseudonymise or lang:
            option = "--pseudonymise" if pseudonymise else "--lang"
            raise click.UsageError(f"{option} is about the HTML report: add --report FILE.html")
        return
    from matcher.report import require_report_extra

    require_report_extra()
    if pseudonymise:
        from matcher.report.pseudonyms import load_key

        load_key()  # a missing or too short key stops the command before it writes anything
