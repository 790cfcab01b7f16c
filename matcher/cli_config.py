"""Defaults a coordinator need not repeat: the config file and the date as she writes it.

`--config` falls back to MATCHER_CONFIG, then to `matcher.toml` in the current folder; a config
found that way is named on stderr, so a run never uses settings she did not see.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Final

import click

CONFIG_ENV: Final = "MATCHER_CONFIG"
CONFIG_FILE: Final = "matcher.toml"
# Round dates as ISO and as Dutch files and people write them (23-11-2026).
DATE_FORMATS: Final = ["%Y-%m-%d", "%d-%m-%Y"]
DATE_HELP: Final = "YYYY-MM-DD or DD-MM-YYYY"

logger = logging.getLogger("matcher")


def date_type() -> click.DateTime:
    return click.DateTime(formats=DATE_FORMATS)


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
