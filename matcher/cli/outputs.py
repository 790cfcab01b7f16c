"""Before any work: every file a command writes has a path of its own, and a report can be drawn.

`match --report out/matches.csv` would write the CSV and then the HTML over it, and
`candidates --out clients.csv` would replace its own input. Both are mistakes of typing, so
the command refuses them as usage errors (exit 2) and nothing is written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import click

PathLike = str | os.PathLike[str]


def check_distinct_outputs(
    outputs: Mapping[str, PathLike | None], *, inputs: Mapping[str, PathLike | None] | None = None
) -> None:
    """Refuse two outputs, or an output and an input, that are one file.

    Keys name the option as the user typed it (`--report`, `matches.csv in --out`); a None
    path is an option not given. Paths are compared after resolving their folders, and files
    that already exist also by identity, so a symbolic or hard link to another output counts
    as that output.
    """
    seen: list[tuple[str, Path]] = []
    for role, path in (inputs or {}).items():
        if path is not None:
            seen.append((role, Path(path)))
    first_output = len(seen)
    for role, given in outputs.items():
        if given is None:
            continue
        path = Path(given)
        for index, (other_role, other) in enumerate(seen):
            if _same_file(path, other):
                kind = "another output" if index >= first_output else "an input"
                raise click.UsageError(
                    f"{role} {str(path)!r} is the same file as {other_role} {str(other)!r}"
                    f" ({kind}); give each output a path of its own"
                )
        seen.append((role, path))


def _same_file(a: Path, b: Path) -> bool:
    if _entry(a) == _entry(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False  # one of them does not exist yet: only the names could collide


def _entry(path: Path) -> Path:
    # The folder entry the path names: its folder resolved, its last part kept as given.
    return path.absolute().parent.resolve() / path.name


def check_report_possible(
    report_path: str | None, *, lang: str | None = None, pseudonymise: bool = False
) -> None:
    """Before any work: the report's options make sense and its extra is installed."""
    if report_path is None:
        if pseudonymise or lang:
            option = "--pseudonymise" if pseudonymise else "--lang"
            raise click.UsageError(f"{option} is about the HTML report: add --report FILE.html")
        return
    # Imported only when a report is asked for: matcher.report loads the ledger's modules.
    from matcher.report.extra import require_report_extra
    from matcher.report.pseudonyms import load_key

    require_report_extra()
    if pseudonymise:
        load_key()  # a missing or too short key stops the command before it writes anything
