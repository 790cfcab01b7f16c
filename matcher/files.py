"""Opening a file a user names as input: a regular file or a clear `file: cannot read: why`.

Every reader (tables, config, scenarios) opens its file here, so a folder, a pipe or a file
without read permission gets the same message everywhere, and nothing waits forever on a
named pipe that no program writes to.
"""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO, Final

from matcher.errors import InputError, Problem, os_reason

# Records are Python objects of about 0.6 kB each, and a round needs several times that again:
# a 1 GB CSV (some 4.5 million clients) would need far more memory than a coordinator's machine
# has, so such a file is refused up front, before a byte is parsed. 512 MB holds about two
# million clients as CSV.
MAX_INPUT_BYTES: Final = 512 * 2**20


def open_input(
    path: str | os.PathLike[str], *, source: str, error: type[InputError] = InputError
) -> BinaryIO:
    """The file opened for binary reading; raises `error` naming `source` when it cannot be."""
    # O_NONBLOCK: opening a named pipe would otherwise block until a writer appears, before
    # the check below could refuse it. It changes nothing for a regular file.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise error([Problem(source, None, None, "no such file")]) from None
    except OSError as failure:
        raise error([Problem(source, None, None, cannot_read(failure))]) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise error([Problem(source, None, None, "cannot read: is a folder, not a file")])
        if not stat.S_ISREG(mode):
            message = "cannot read: not a regular file (a pipe, socket or device)"
            raise error([Problem(source, None, None, message)])
        size = os.fstat(descriptor).st_size
        if size > MAX_INPUT_BYTES:
            message = (
                f"file is {_megabytes(size)}, more than the {_megabytes(MAX_INPUT_BYTES)} matcher"
                " reads at once; split it, by organisation or programme, into smaller files"
            )
            raise error([Problem(source, None, None, message)])
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def read_input(
    path: str | os.PathLike[str], *, source: str, error: type[InputError] = InputError
) -> bytes:
    """All bytes of a regular file; raises `error` naming `source` when it cannot be read."""
    with open_input(path, source=source, error=error) as handle:
        try:
            return handle.read()
        except OSError as failure:
            raise error([Problem(source, None, None, cannot_read(failure))]) from None


def cannot_read(failure: OSError) -> str:
    """`cannot read: permission denied`: the reason in lower case, without the file name."""
    if isinstance(failure, IsADirectoryError):
        return "cannot read: is a folder, not a file"
    return f"cannot read: {os_reason(failure)}"


def read_toml(
    path: str | os.PathLike[str], *, source: str, error: type[InputError] = InputError
) -> dict[str, Any]:
    """The tables of a TOML file in UTF-8; raises `error` naming `source` for any problem."""
    return parse_toml(read_toml_text(path, source=source, error=error), source=source, error=error)


def read_toml_text(
    path: str | os.PathLike[str], *, source: str, error: type[InputError] = InputError
) -> str:
    """A TOML file's text (UTF-8, a byte-order mark dropped), not yet parsed."""
    try:
        return read_input(path, source=source, error=error).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error([Problem(source, None, None, "not a UTF-8 text file")]) from None


def parse_toml(text: str, *, source: str, error: type[InputError] = InputError) -> dict[str, Any]:
    """TOML text as tables; what tomllib cannot parse becomes `error` naming `source`."""
    # Loaded with the first file to parse: a config of defaults alone is not parsed (config.py).
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as failure:
        message = f"not valid TOML: {failure}"
    except ValueError:
        # int() refuses more than 4300 digits; tomllib lets that through as a ValueError.
        message = "not valid TOML: a number has far too many digits"
    except RecursionError:
        message = "not valid TOML: arrays or tables are nested far too deeply"
    raise error([Problem(source, None, None, message)])


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while a file's rows become records: left on, it
    walks every record made so far again and again as more are made, a third of the time it
    takes to read a large file. Records hold no reference cycles, so nothing waits for it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
