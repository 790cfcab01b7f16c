"""What every reader starts from: a file's header and its rows, numbered as a person sees them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO, Any, Final

from matcher.errors import Problem

# More columns than any export of clients or volunteers has; a million would take minutes.
MAX_COLUMNS: Final = 1000


@dataclass
class RawTable:
    """A header and its rows, with the row number a person sees for each.

    A CSV row is a list of text cells under `headers`. A JSON row is the object itself, and
    `headers` is every key seen, in order: objects need not all use the same keys.
    """

    source: str
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]] | Iterator[tuple[int, dict[str, Any]]]
    positional: bool = True
    # Filled while the rows are read (a CSV record that cannot be parsed, a JSON item that is
    # not an object); a reader adds its own problems to this list to keep them in file order.
    problems: list[Problem] = field(default_factory=list)
    handle: IO[str] | None = None

    def __enter__(self) -> RawTable:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.handle is not None:
            self.handle.close()
