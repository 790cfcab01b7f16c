"""The options several commands share, defined once and applied as decorators.

`--config` falls back to MATCHER_CONFIG, then to `matcher.toml` in the current folder; a config
found that way is named on stderr, so a run never uses settings she did not see. `--sheet` is
kept in the click context rather than passed as a parameter, so a command adds it with one
decorator and applies it with `with_sheet(config)` where the config is loaded.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import click

if TYPE_CHECKING:
    from matcher.config import MatchConfig

F = TypeVar("F", bound=Callable[..., Any])

CONFIG_ENV: Final = "MATCHER_CONFIG"
CONFIG_FILE: Final = "matcher.toml"
# Round dates as ISO and as Dutch files and people write them (23-11-2026).
DATE_FORMATS: Final = ["%Y-%m-%d", "%d-%m-%Y"]
DATE_HELP: Final = "YYYY-MM-DD or DD-MM-YYYY"
CONFIG_HELP: Final = (
    "TOML config; `matcher config` prints the defaults. Default: $MATCHER_CONFIG, else"
    " ./matcher.toml if there."
)
SHEET_HELP: Final = (
    "The sheet of a workbook (.xlsx, .xlsm, .xls, .ods) to read; default: the first one,"
    " or the config's [columns] clients_sheet / volunteers_sheet."
)
_SHEET_KEY: Final = "matcher.sheet"

# A file a command reads. click checks nothing (click.Path(dir_okay=False) would make a folder
# a usage error, exit 2): the readers say what is wrong with it, as bad input (exit 1).
INPUT_PATH = click.Path(readable=False)

logger = logging.getLogger("matcher")


class RoundDate(click.DateTime):
    """click's DateTime of DATE_FORMATS, with the usual `2026-11-23` read without strptime,
    whose first call loads _strptime and calendar (a few ms of a city round); any other text
    goes to strptime as before, so what is accepted and every message stay click's."""

    def _try_to_convert_date(self, value: Any, format: str) -> dt.datetime | None:
        if format == "%Y-%m-%d" and isinstance(value, str) and _ISO_DATE(value):
            try:
                return dt.datetime(int(value[:4]), int(value[5:7]), int(value[8:10]))
            except ValueError:  # such as 2026-02-30, which strptime refuses too
                return None
        return super()._try_to_convert_date(value, format)


_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch


def date_type() -> click.DateTime:
    return RoundDate(formats=DATE_FORMATS)


def day(value: dt.datetime | None) -> dt.date:
    """The date of a --date option, today when it was not given."""
    return value.date() if value else dt.date.today()


def config_path_default(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> str | None:
    """The --config callback: the option, else MATCHER_CONFIG, else ./matcher.toml if there."""
    if value is not None:
        return value
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        logger.info("using config %s (from %s)", from_env, CONFIG_ENV)
        return from_env
    if Path(CONFIG_FILE).is_file():
        logger.info("using config %s (found in the current folder)", CONFIG_FILE)
        return CONFIG_FILE
    return None


def config_option(help_text: str = CONFIG_HELP) -> Callable[[F], F]:
    return click.option(
        "--config",
        "config_path",
        type=INPUT_PATH,
        default=None,
        callback=config_path_default,
        help=help_text,
    )


def date_option(help_text: str, *, dest: str = "on") -> Callable[[F], F]:
    """`--date`, as ISO or Dutch; `help_text` says what the date fixes."""
    help_text = f"{help_text} ({DATE_HELP}); default today."
    return click.option("--date", dest, type=date_type(), default=None, help=help_text)


def db_option(*, optional_help: str | None = None) -> Callable[[F], F]:
    """`--db`: the ledger (default matcher.db or $MATCHER_DB), or with `optional_help` an
    optional ledger that replaces the command's input files."""
    if optional_help is not None:
        return click.option(
            "--db", "db_path", type=click.Path(dir_okay=False), default=None, help=optional_help
        )
    return click.option(
        "--db",
        "db_path",
        envvar="MATCHER_DB",
        default="matcher.db",
        show_default=True,
        # Not dir_okay=False: a folder is refused by the ledger with one line and exit 1.
        type=click.Path(),
        help="The ledger file (or set MATCHER_DB).",
    )


class PolicyChoice(click.Choice[str]):
    """Shows the registered policies (help, completion) but passes any name on: an unknown
    name is left for the library to refuse, with the closest name and exit code 1, as for a
    policy named in the config."""

    name = "policy"

    def __init__(self) -> None:
        super().__init__(())

    # Read from the registry when help is shown, not when a command module is imported: the
    # registry imports every policy and OR-Tools, too slow for `matcher validate`.
    @property
    def choices(self) -> tuple[str, ...]:
        from matcher.policies import POLICY_NAMES

        return POLICY_NAMES

    @choices.setter
    def choices(self, value: object) -> None:
        pass  # click.Choice sets its choices; ours are the registry's

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value


def policy_option(
    help_text: str = "How pairs are chosen (default: the config's); see `matcher policies`.",
    *,
    multiple: bool = False,
) -> Callable[[F], F]:
    """`--policy NAME`, or with `multiple` a repeatable `--policy` into `policies`."""
    return click.option(
        "--policy",
        "policies" if multiple else "policy",
        type=PolicyChoice(),
        multiple=multiple,
        default=None,
        help=help_text,
    )


def format_option(help_text: str = "A table, or JSON for programs.") -> Callable[[F], F]:
    """`--format text|json`: what the command prints on stdout."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help_text,
    )


def lang_option(help_text: str, default: str | None = None) -> Callable[[F], F]:
    """`--lang nl|en`; without a default the command takes the config's (or the round's)."""
    return click.option(
        "--lang",
        type=click.Choice(["nl", "en"]),
        default=default,
        show_default=default is not None,
        help=help_text,
    )


def report_options(*, pseudonymise: bool = True) -> Callable[[F], F]:
    """`--report FILE.html`, `--lang` and `--pseudonymise`."""

    def decorate(func: F) -> F:
        options = [
            click.option(
                "--report",
                "report_path",
                type=click.Path(dir_okay=False),
                default=None,
                help="Also write a self-contained HTML report here (needs matcher[report]).",
            ),
            lang_option("Language of the report (default: the config's [report] lang, nl)."),
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


def simulation_options(func: F) -> F:
    """`--weeks`, `--runs`, `--seed` and `--discount`: the simulated weeks of `simulate` and
    `plan`, where results depend on nothing else (not on --workers)."""
    options = [
        click.option("--weeks", type=click.IntRange(1, 520), default=52, show_default=True),
        click.option("--runs", type=click.IntRange(1, 1000), default=20, show_default=True),
        click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True),
        click.option(
            "--discount",
            type=click.FloatRange(0, 1, min_open=True),
            default=0.97,
            show_default=True,
            help="Worth of a match made one week later, relative.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def force_option(func: F) -> F:
    return click.option(
        "--force",
        is_flag=True,
        help="Keep a --date before the round's (or the latest round's) date; the audit"
        " trail says so.",
    )(func)


def _remember_sheet(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta[_SHEET_KEY] = value


def sheet_option(func: F) -> F:
    """`--sheet NAME`: overrides the config's `[columns] clients_sheet` / `volunteers_sheet`."""
    option = click.option(
        "--sheet", metavar="NAME", expose_value=False, callback=_remember_sheet, help=SHEET_HELP
    )
    return option(func)


def chosen_sheet() -> str | None:
    """The --sheet of the running command, if one was given."""
    context = click.get_current_context(silent=True)
    return None if context is None else context.meta.get(_SHEET_KEY)


def with_sheet(config: MatchConfig) -> MatchConfig:
    """The config with the --sheet of the running command, if one was given."""
    return config.with_sheet(chosen_sheet())


def round_inputs(*, files_required: bool = True) -> Callable[[F], F]:
    """CLIENTS VOLUNTEERS, --config, --date and --sheet: what every command that reads a round
    from files takes (the files optional when it can read a ledger instead)."""

    def decorate(func: F) -> F:
        options = [
            click.argument("clients", type=INPUT_PATH, required=files_required),
            click.argument("volunteers", type=INPUT_PATH, required=files_required),
            config_option(),
            date_option("Round date that fixes weeks waited", dest="round_date"),
        ]
        for option in reversed(options):
            func = option(func)
        return sheet_option(func)

    return decorate
