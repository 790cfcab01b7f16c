"""Input given as an open file object (text or binary) instead of a path.

A caller that has a clients sheet in memory (an upload, a CRM export) hands it over as it is.
The bytes are copied to a private temporary file (0600, removed at once after reading) with
the suffix of the object's name, or of what the content looks like, so every reader, check
and message is the same as for a file on disk; problems name the object's name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

Source = str | os.PathLike[str] | IO[str] | IO[bytes]


def is_stream(source: object) -> bool:
    return hasattr(source, "read") and not isinstance(source, (str, os.PathLike))


def _content(stream: IO[Any]) -> bytes:
    data = stream.read()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def _suffix(name: str, data: bytes) -> str:
    suffix = Path(name).suffix.lower()
    if suffix:
        return suffix
    if data.startswith(b"PK\x03\x04"):
        return ".xlsx"
    return ".json" if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{") else ".csv"


@contextlib.contextmanager
def as_path(source: Source, default_name: str) -> Iterator[tuple[str | os.PathLike[str], str]]:
    """(a path to read, the name to report problems under) for a path or a file object."""
    if not is_stream(source):
        yield source, str(source)  # type: ignore[misc]
        return
    stream: IO[Any] = source  # type: ignore[assignment]
    name = getattr(stream, "name", None)
    shown = os.path.basename(name) if isinstance(name, str) else default_name
    data = _content(stream)
    with tempfile.TemporaryDirectory(prefix="matcher-") as folder:
        path = Path(folder) / f"input{_suffix(shown, data)}"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        yield path, shown
