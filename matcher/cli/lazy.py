"""A click group that imports a command's module only when that command runs.

`matcher --help` lists every command from the short help strings stored here, so listing them
imports none of them; `matcher validate` imports only the module of `validate`, not the engine,
OR-Tools or the simulator that other commands need.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Mapping
from typing import NamedTuple

import click

# Set by the command's own process (matcher/__main__.py), never by a program using the library:
# whether a command's module is imported without the cycle collector (see _import).
freeze_imports = False


class LazyCommand(NamedTuple):
    target: str  # "package.module:attribute"
    short_help: str  # what `matcher --help` shows; a test keeps it equal to the command's own


class LazyGroup(click.Group):
    """Commands loaded on first use; `matcher match end …` is the `end-match` command."""

    def __init__(
        self,
        *args: object,
        lazy_commands: Mapping[str, LazyCommand],
        aliases: Mapping[tuple[str, str], str],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy_commands: dict[str, LazyCommand] = dict(lazy_commands)
        # Two words typed → the command they mean: ("match", "end") → "end-match".
        self.aliases: dict[tuple[str, str], str] = dict(aliases)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        lazy = self.lazy_commands.get(cmd_name)
        if lazy is None:
            return super().get_command(ctx, cmd_name)
        module_name, _, attribute = lazy.target.partition(":")
        command = getattr(_import(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{lazy.target} is not a click command")
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if len(args) >= 2 and (args[0], args[1]) in self.aliases:
            command = self.get_command(ctx, self.aliases[args[0], args[1]])
            if command is not None:
                # Named as typed, so usage and errors read "matcher match end".
                return f"{args[0]} {args[1]}", command, args[2:]
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # As click.Group does it, from the stored strings instead of the imported commands.
        limit = formatter.width - 6 - max(map(len, self.list_commands(ctx)), default=0)
        rows: list[tuple[str, str]] = []
        for name in self.list_commands(ctx):
            lazy = self.lazy_commands.get(name)
            if lazy is not None:
                # Shortened as click shortens a command's own help, through a stand-in command.
                stand_in = click.Command(name, help=lazy.short_help)
                rows.append((name, stand_in.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _import(module_name: str) -> object:
    """The module. A command's module brings numpy, pydantic, OR-Tools and matcher's own:
    some 200 modules whose objects live until the process ends. The cycle collector would
    walk them for nothing (one collection of 50,000 young objects took 15-20 ms of a city
    round's 0.3 s of CPU); imported without it and frozen, no later collection looks at them
    again. Cycles made while importing are not collected, as at exit (matcher/__main__.py)."""
    if not freeze_imports or not gc.isenabled():
        return importlib.import_module(module_name)
    gc.disable()
    try:
        return importlib.import_module(module_name)
    finally:
        gc.freeze()
        gc.enable()
