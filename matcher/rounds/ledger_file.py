"""An open ledger file: opening, creating and upgrading it, and the lock and transactions that
every command of Ledger (matcher.rounds.ledger) runs in."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar

from matcher.rounds.db import (
    DEFAULT_BUSY_TIMEOUT_S,
    LedgerError,
    Tx,
    connect,
    create_file,
    not_a_ledger,
    os_user,
    transaction,
    utc_now,
)
from matcher.rounds.schema import (
    SCHEMA_VERSION,
    migrate,
    require_empty,
    require_ledger_tables,
    user_version,
)

T = TypeVar("T")


class LedgerFile:
    """A ledger's SQLite file, open; Ledger adds the commands."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
        user: str | None = None,
    ) -> None:
        """Open an existing ledger, upgrading an older schema in one transaction."""
        self.path = Path(path)
        self.user = user or os_user()
        self._lock = threading.RLock()
        self._conn = connect(self.path, busy_timeout_s=busy_timeout_s)
        try:
            self.upgraded_from = self._upgrade(allow_empty=False)
        except BaseException:
            self._conn.close()
            raise

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
        user: str | None = None,
    ) -> Self:
        """Create a ledger readable by its owner only (0600), or open and upgrade one."""
        path = Path(path)
        created = create_file(path)
        try:
            ledger = cls.__new__(cls)
            ledger.path, ledger.user = path, user or os_user()
            ledger._lock = threading.RLock()
            ledger._conn = connect(path, busy_timeout_s=busy_timeout_s)
        except BaseException:
            if created:
                path.unlink(missing_ok=True)
            raise
        try:
            ledger.upgraded_from = ledger._upgrade(allow_empty=True)
        except BaseException:
            ledger._conn.close()
            if created:
                path.unlink(missing_ok=True)
            raise
        if ledger.upgraded_from == 0:
            # A ledger made in an empty file someone else created: owner-only all the same.
            path.chmod(0o600)
        return ledger

    def _upgrade(self, *, allow_empty: bool) -> int | None:
        """Migrate to SCHEMA_VERSION if needed; returns the old version, None when current."""
        try:
            version = user_version(self._conn)
            # Refused here, before any statement that needs our tables fails.
            if version != 0:
                require_ledger_tables(self._conn, str(self.path))
            elif not allow_empty:
                require_empty(self._conn, str(self.path))
        except sqlite3.DatabaseError as error:
            raise not_a_ledger(self.path, error) from None
        if version == SCHEMA_VERSION:
            return None
        if version == 0 and not allow_empty:
            raise LedgerError(
                f"{self.path}: not an initialised ledger; run `matcher db init --db {self.path}`"
            )
        with self._write("migrate") as tx:
            # Checked again under the lock: another process may have upgraded meanwhile.
            old, new = migrate(tx.conn, str(self.path))
            if old != new:
                what = "created with" if old == 0 else f"upgraded from schema v{old} to"
                tx.event("migrate", f"ledger {what} schema v{new}")
        return old if old != new else None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # One Ledger may be shared by threads: each command holds the lock for its transaction, so
    # the commands of two threads run one after the other, as two processes' commands do.
    @contextlib.contextmanager
    def _write(self, command: str) -> Iterator[Tx]:
        with self._lock, transaction(self._conn, self.path, command, write=True) as conn:
            yield Tx(conn, command, self.user, utc_now(), str(self.path))

    def _read(self, work: Callable[[Tx], T]) -> T:
        with self._lock, transaction(self._conn, self.path, "read", write=False) as conn:
            return work(Tx(conn, "read", self.user, utc_now(), str(self.path)))

    @property
    def schema_version(self) -> int:
        with self._lock:
            return user_version(self._conn)
