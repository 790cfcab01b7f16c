"""Installed packages' versions, as `importlib.metadata.version` gives them, found cheaply.

Every `summary.json` records the versions it was made with. `importlib.metadata` costs a
plain `matcher match` about 0.04 s (it imports zipfile, bz2, lzma and the email package,
then parses each METADATA file as an email); the version is one header line of one file. So
this module does the same search itself: the entries of `sys.path` in order, in each the
`NAME-*.dist-info` or `NAME-*.egg-info` folders with NAME normalised as importlib.metadata
does, the first found wins, and its `Version:` header is the answer. Whatever it cannot
vouch for (a zip file on the path, a `.egg` folder, another finder of distributions, a
metadata file without that header) goes to importlib.metadata itself.
`tests/test_installed.py` compares the two on every installed distribution.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from importlib.machinery import PathFinder
from pathlib import Path

_SEPARATORS = re.compile(r"[-_.]+")


def _normalise(name: str) -> str:
    # importlib.metadata.Prepared.normalize: PEP 503, then dashes as underscores.
    return _SEPARATORS.sub("-", name).lower().replace("-", "_")


def versions_of(names: Iterable[str]) -> dict[str, str | None]:
    """Each distribution's version, None where none is installed."""
    asked = {name: _normalise(name) for name in names}
    folders = _metadata_folders(set(asked.values()))
    found: dict[str, str | None] = {}
    for name, key in asked.items():
        if key not in folders:
            found[name] = None  # not installed
            continue
        folder = folders[key]
        version = None if folder is None else _version_header(folder)
        # What this module cannot vouch for, importlib.metadata decides.
        found[name] = _from_importlib(name) if version is None else version
    return found


def _metadata_folders(wanted: set[str]) -> dict[str, str | None]:
    """The first metadata folder (or file) of each wanted name along sys.path; None for the
    names whose search this module leaves to importlib.metadata."""
    others = [
        finder
        for finder in sys.meta_path
        if hasattr(finder, "find_distributions") and finder is not PathFinder
    ]
    if others:
        return dict.fromkeys(wanted)
    found: dict[str, str | None] = {}
    for root in sys.path:
        try:
            children = os.listdir(root or ".")
        except OSError:
            if os.path.isfile(root):  # a zip file: importlib.metadata looks inside
                return {**dict.fromkeys(wanted), **found}
            continue
        if os.path.basename(root).lower().endswith(".egg"):
            return {**dict.fromkeys(wanted), **found}
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")):
                key = _normalise(low.rpartition(".")[0].partition("-")[0])
                if key in wanted and key not in found:
                    found[key] = os.path.join(root or ".", child)
        if len(found) == len(wanted):
            break
    return found


def _version_header(path: str) -> str | None:
    """The `Version:` header of a metadata folder's METADATA or PKG-INFO (or the file)."""
    candidates = [Path(path)]
    if os.path.isdir(path):
        candidates = [Path(path, "METADATA"), Path(path, "PKG-INFO")]
    for candidate in candidates:
        try:
            with candidate.open(encoding="utf-8") as lines:
                for line in lines:
                    if not line.strip():
                        break  # the headers end at the first blank line
                    if line[:8].lower() == "version:":
                        # As the email parser takes a header's value.
                        return line[8:].lstrip(" \t").rstrip("\r\n") or None
        except (OSError, UnicodeDecodeError):
            continue
        return None  # the file read, without a Version header
    return None


def _from_importlib(name: str) -> str | None:
    # Imported here: its 0.04 s are what this module saves in the usual case.
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
