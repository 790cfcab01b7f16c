"""The ledger file: created readable by its owner only, opened with one transaction per command.

Every command runs inside exactly one SQLite transaction. Writers start with BEGIN IMMEDIATE,
so two coordinators never interleave: the second waits up to the busy timeout for the first
to finish and then runs, or stops with LedgerBusyError and changes nothing. The rollback
journal (not WAL) keeps the ledger one file that works on any file system, and with
secure_delete an erased client's bytes do not linger in free pages of that file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import math
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from matcher.errors import MatcherError

DEFAULT_PATH: Final = "matcher.db"
ENV_PATH: Final = "MATCHER_DB"
DEFAULT_BUSY_TIMEOUT_S: Final = 5.0
# SQLite takes the timeout in whole milliseconds as a C int: a longer one overflows into no
# wait at all. A day is longer than any command holds the ledger.
MAX_BUSY_TIMEOUT_S: Final = 86400.0
ENV_BUSY_TIMEOUT: Final = "MATCHER_BUSY_TIMEOUT_S"
# Test hook: "COMMAND:exit|sleep|raise" stops a command inside its transaction, just before it
# would commit, so a test can prove that a killed command leaves nothing half-done behind.
ENV_FAULT: Final = "MATCHER_FAULT"
FAULT_EXIT_CODE: Final = 70
# A fault-injected run uses a tiny page cache, so a large transaction spills its changed pages
# into the database file before the commit: the kill then leaves a hot journal to recover from.
FAULT_CACHE_PAGES: Final = 8
BUSY_MESSAGE: Final = "the ledger is busy: another matcher command is writing; try again"


class LedgerError(MatcherError):
    """A ledger command that cannot be done: the message says why and what to do instead."""


class LedgerNotFoundError(LedgerError):
    """A client, volunteer or round the ledger does not have (the web app answers 404)."""


class LedgerBusyError(LedgerError):
    """Another matcher command held the ledger for longer than the busy timeout."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(f"{path}: {BUSY_MESSAGE}")


def default_path() -> Path:
    return Path(os.environ.get(ENV_PATH) or DEFAULT_PATH)


def busy_timeout_from_env() -> float:
    text = os.environ.get(ENV_BUSY_TIMEOUT)
    if not text:
        return DEFAULT_BUSY_TIMEOUT_S
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    return check_busy_timeout(seconds, ENV_BUSY_TIMEOUT, text)


def check_busy_timeout(seconds: float, name: str = "busy_timeout_s", got: object = None) -> float:
    """The wait for another writer, in seconds: 0 (do not wait) up to MAX_BUSY_TIMEOUT_S."""
    if not 0 <= seconds <= MAX_BUSY_TIMEOUT_S:  # also refuses nan and inf
        shown = seconds if got is None else got
        raise LedgerError(
            f"{name}: must be a number of seconds from 0 to {MAX_BUSY_TIMEOUT_S:.0f}"
            f" (got {shown!r})"
        )
    return seconds


def os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment and no passwd entry
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def create_file(path: Path) -> bool:
    """Create an empty file readable by its owner only; False when it already exists.

    The file exists before SQLite opens it, so SQLite never creates it with the umask's
    looser mode; SQLite gives its journal the database file's mode.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(descriptor)
    return True


def connect(path: Path, *, busy_timeout_s: float) -> sqlite3.Connection:
    """Open an existing ledger file; never creates one (a typo must not make a new ledger)."""
    if not path.exists():
        raise LedgerError(
            f"{path}: no ledger here; create one with `matcher db init --db {path}`"
            f" (or set {ENV_PATH})"
        )
    if path.is_dir():
        raise LedgerError(f"{path}: is a folder, not a ledger file")
    check_busy_timeout(busy_timeout_s)
    uri = f"file:{quote(str(path.resolve()))}?mode=rw"
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per command.
        # check_same_thread=False: a Ledger may be opened in one thread and used from another
        # (asyncio.to_thread, a web server's workers); Ledger serialises its own use with a
        # lock, so the connection is never used by two threads at once.
        conn = sqlite3.connect(
            uri, uri=True, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as error:
        raise LedgerError(f"{path}: cannot open the ledger ({error})") from None
    conn.row_factory = sqlite3.Row
    conn.text_factory = _decode
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA synchronous = FULL")
        if os.environ.get(ENV_FAULT):
            conn.execute(f"PRAGMA cache_size = {FAULT_CACHE_PAGES}")
    except sqlite3.DatabaseError as error:
        conn.close()
        raise not_a_ledger(path, error) from None
    return conn


class UndecodableText(str):
    """Stored text that is not valid UTF-8 (a damaged or hand-edited ledger).

    Decoded with replacement characters so that the rest of its row still reads; code that
    parses a stored value refuses it (see stored.py). SQLite's own error would quote it.
    """


def _decode(data: bytes) -> str:
    try:
        return data.decode()
    except UnicodeDecodeError:
        return UndecodableText(data.decode(errors="replace"))


def not_a_ledger(path: Path, error: sqlite3.Error) -> LedgerError:
    if is_busy(error):
        return LedgerBusyError(path)
    return LedgerError(f"{path}: not a matcher ledger ({error})")


def is_busy(error: BaseException) -> bool:
    return isinstance(error, sqlite3.OperationalError) and (
        "locked" in str(error) or "busy" in str(error)
    )


@contextlib.contextmanager
def transaction(
    conn: sqlite3.Connection, path: Path, command: str, *, write: bool
) -> Iterator[sqlite3.Connection]:
    """One command, one transaction: all of its changes are committed, or none are."""
    try:
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    except sqlite3.DatabaseError as error:
        raise not_a_ledger(path, error) from None
    try:
        yield conn
        if write:
            fault_point(command)
        conn.execute("COMMIT")
    except BaseException as error:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        if is_busy(error):
            raise LedgerBusyError(path) from None
        raise


def fault_point(command: str) -> None:
    """Stop here when MATCHER_FAULT names this command; tests kill a command mid-transaction."""
    armed = os.environ.get(ENV_FAULT, "")
    name, _, action = armed.partition(":")
    if not armed or name != command:
        return
    if action == "exit":
        os._exit(FAULT_EXIT_CODE)
    if action == "sleep":
        print(f"matcher: fault point {command} reached", file=sys.stderr, flush=True)
        time.sleep(3600)
    raise RuntimeError(f"fault injected in {command} ({ENV_FAULT}={armed})")


# An audit row: (kind, round, client, volunteer, detail).
EventRow = tuple[str, int | None, str | None, str | None, str]


@dataclass(frozen=True)
class Tx:
    """The open transaction of one command, with who runs it and when, for the audit trail."""

    conn: sqlite3.Connection
    command: str
    user: str
    at: str  # one UTC time stamp for everything the command records
    source: str = "ledger"  # the ledger's file name, for messages

    def one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def mapping(self, sql: str, params: Sequence[Any] = ()) -> dict[Any, Any]:
        """The first column of each row mapped to the second."""
        return {row[0]: row[1] for row in self.conn.execute(sql, params)}

    def event(
        self,
        kind: str,
        detail: str = "",
        *,
        round_id: int | None = None,
        client_id: str | None = None,
        volunteer_id: str | None = None,
    ) -> None:
        self.events([(kind, round_id, client_id, volunteer_id, detail)])

    def events(self, rows: Iterable[EventRow]) -> None:
        """Audit rows (kind, round, client, volunteer, detail): ids and plain facts only."""
        self.conn.executemany(
            "INSERT INTO events (at, os_user, kind, round_id, client_id, volunteer_id, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((self.at, self.user, *row) for row in rows),
        )
