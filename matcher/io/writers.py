"""Deterministic text for output files, and a write that never leaves half a file behind."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import itertools
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, TypeVar, overload

from pydantic import BaseModel

from matcher.io.cells import MAYBE_RISKY, neutralise_cell

PathLike = str | os.PathLike[str]
P = TypeVar("P", bound=PathLike)


def format_cell(value: Any) -> str:
    """A value as a cell our readers read back: lists as `a|b`, dates ISO, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, set | frozenset):
        # A set has no order of its own (and str hashes vary per process): sort it.
        return "|".join(sorted(format_cell(item) for item in value))
    if isinstance(value, tuple | list):
        return "|".join(format_cell(item) for item in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    # int, and float in its shortest form that reads back as the same number
    return str(value)


def format_csv(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ","
) -> str:
    """A CSV document with `\\n` line endings; the same rows always give the same text.

    Every CSV the tool writes comes through here, so every cell is neutralised: one that a
    spreadsheet would run as a formula starts with `'` (see matcher.io.cells).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    # Python's csv quotes a cell holding the line terminator ("\n") but not a bare "\r", which
    # every reader takes for a line end: such a row is written with every cell quoted.
    quoted = csv.writer(buffer, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
    _write_plain(writer, quoted, [header])
    width = len(header)
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, CSV_CHUNK_ROWS)):
        columns = _checked_columns(chunk, width)
        if columns is None:
            _write_plain(writer, quoted, chunk)
        else:
            writer.writerows(zip(*columns, strict=True))
    return buffer.getvalue()


# Rows are checked a chunk at a time, column by column: a chunk of formatted cells is all a
# document of any length holds at once beside its text.
CSV_CHUNK_ROWS: Final = 4096
# A cell neutralise_cell may change starts with one of these (matcher.io.cells): in a
# column's cells joined by "\n", such a cell starts a line.
_MAYBE_CHANGED: Final = re.compile("^[" + re.escape("".join(sorted(MAYBE_RISKY))) + "]", re.M)


def _write_plain(writer: Any, quoted: Any, rows: Iterable[Sequence[Any]]) -> None:
    """Each cell formatted and neutralised, a row with a "\r" quoted throughout."""
    for row in rows:
        cells = [neutralise_cell(format_cell(value)) for value in row]
        (quoted if "\r" in "".join(cells) else writer).writerow(cells)


def _checked_columns(chunk: list[Sequence[Any]], width: int) -> list[Sequence[str]] | None:
    """The chunk's cells as `_write_plain` writes them, column by column, without a Python
    step per cell where a column needs none: a column of text is formatted already, and one
    whose cells joined by "\n" have no line starting with a character neutralise_cell looks
    at is neutral already (a cell holding a "\n" may raise a false alarm: the column is then
    neutralised cell by cell). None: the chunk is written row by row (rows of another width
    than the header's, or a cell holding a "\r")."""
    if width == 0 or set(map(len, chunk)) != {width}:
        return None
    columns: list[Sequence[str]] = []
    for column in zip(*chunk, strict=True):
        cells: Sequence[str] = column
        if set(map(type, column)) != {str}:
            cells = list(map(format_cell, column))
        text = "\n".join(cells)
        if "\r" in text:
            return None
        if _MAYBE_CHANGED.search(text):
            cells = list(map(neutralise_cell, cells))
        columns.append(cells)
    return columns


def format_csv_columns(
    header: Sequence[str], columns: Sequence[Sequence[str]], *, delimiter: str = ","
) -> str:
    """`format_csv(header, zip(*columns))` from columns of text, in a few passes per column
    rather than steps per cell (a national round's files: 100,000 rows).

    Each column is neutralised as `_checked_columns` does it, and a cell is quoted as the csv
    module's QUOTE_MINIMAL quotes it (a cell holding the delimiter, a quote or a line end, its
    quotes doubled). Anything else (a "\r", no columns, a delimiter csv would treat otherwise)
    goes through format_csv itself."""
    rows = len(columns[0]) if columns else 0
    if (
        rows == 0
        or len(columns) != len(header)
        or len(columns) < 2  # a row of one empty cell is written '""'
        or any(len(column) != rows for column in columns)
        or len(delimiter) != 1
        or delimiter in '"\r\n'
    ):
        return format_csv(header, zip(*columns, strict=True), delimiter=delimiter)
    special = re.compile("[" + re.escape(delimiter) + '"\n]')
    cells: list[Sequence[str]] = []
    for column in columns:
        text = "\n".join(column)
        if "\r" in text or set(map(type, column)) != {str}:
            return format_csv(header, zip(*columns, strict=True), delimiter=delimiter)
        if _MAYBE_CHANGED.search(text):
            column = list(map(neutralise_cell, column))
        text = "".join(column)
        if '"' in text or "\n" in text:
            column = [_quoted(cell) if special.search(cell) else cell for cell in column]
        elif delimiter in text:  # quoted, with no quote inside to double
            column = ['"' + cell + '"' if delimiter in cell else cell for cell in column]
        cells.append(column)
    lines = map(delimiter.join, zip(*cells, strict=True))
    return format_csv(header, (), delimiter=delimiter) + "\n".join(lines) + "\n"


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def format_records(records: Iterable[BaseModel], model: type[BaseModel]) -> str:
    """Clients or volunteers as CSV with every column of `model`, readable by our readers."""
    header = list(model.model_fields)
    return format_csv(header, ([getattr(record, name) for name in header] for record in records))


def format_json(value: Any) -> str:
    """Indented JSON with a final newline; keys keep their order, non-ASCII stays readable."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=_json_default) + "\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


@overload
def write_atomic(path: PathLike, text: str | bytes, /, *, encoding: str = ...) -> None: ...


@overload
def write_atomic(files: Mapping[P, str | bytes], /, *, encoding: str = ...) -> None: ...


def write_atomic(
    target: PathLike | Mapping[P, str | bytes],
    text: str | bytes | None = None,
    /,
    *,
    encoding: str = "utf-8",
) -> None:
    """Replace a file, or several, with new text: readers see the old file or the new, never half.

    `write_atomic(path, text)` or `write_atomic({path: text, ...})`. Each text goes to a
    temporary file in its target's folder (so the rename stays on one file system) and is
    flushed to disk; only when every file is written are they renamed over their targets. A
    failure before that leaves all old files as they were and no temporary file behind.

    Every file written is readable by its owner only (0600), whatever the file it replaces
    allowed: our outputs carry personal data. A symbolic link at `path` is replaced by the
    new file, so the file it pointed to is never written (nor its permissions taken over).
    """
    if isinstance(target, Mapping):
        if text is not None:
            raise TypeError("write_atomic({path: text}) takes no second argument")
        files = [(Path(path), content) for path, content in target.items()]
    elif text is None:
        raise TypeError("write_atomic(path, text) needs the text")
    else:
        files = [(Path(target), text)]
    _check_distinct(path for path, _ in files)
    # Encoded first: text an encoding cannot hold fails before any file is touched.
    # Bytes (a workbook) are written as they are.
    encoded = [
        (path, content if isinstance(content, bytes) else content.encode(encoding))
        for path, content in files
    ]
    written: list[tuple[str, Path]] = []
    try:
        for path, data in encoded:
            try:
                written.append((_write_temporary(path, data), path))
            except OSError as failure:
                raise _named(failure, path) from None
        for temporary, path in written:
            try:
                os.replace(temporary, path)
            except OSError as failure:
                raise _named(failure, path) from None
    except BaseException:
        for temporary, _ in written:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        raise
    for folder in dict.fromkeys(path.parent for path, _ in encoded):
        _sync_folder(folder)


def _named(failure: OSError, path: Path) -> OSError:
    # By the file the user asked for: the name of a temporary file would mean nothing to them,
    # and a failed write() (a full disk) carries no name at all.
    if failure.errno is not None:  # str() of an OSError without one ignores its file name
        failure.filename, failure.filename2 = str(path), None
    return failure


def _check_distinct(paths: Iterable[Path]) -> None:
    # Two names for one file would leave only the last text; the CLI refuses this earlier,
    # with the options' names (matcher.cli.outputs). The last part is not resolved: a link
    # there is replaced, not written through.
    seen: dict[Path, Path] = {}
    for path in paths:
        first = seen.setdefault(path.parent.resolve() / path.name, path)
        if first is not path:
            raise ValueError(f"write_atomic: {first} and {path} are the same file")


def _write_temporary(path: Path, data: bytes) -> str:
    # mkstemp creates the file 0600, and it keeps that mode when renamed over the target.
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with open(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return temporary


def _sync_folder(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; folders cannot be opened this way on Windows.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
