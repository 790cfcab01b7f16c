"""Accounts of the web app (`matcher user add`, `matcher serve` on a network), kept in the ledger.

A password is stored as an scrypt hash (the standard library's hashlib) with its own random
salt and its cost, so the cost can be raised later without breaking old hashes. Checking a
wrong password costs as much as a right one, and an unknown name costs the same too, so the
time taken does not tell which names exist.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from matcher.rounds.db import LedgerError, Tx

if TYPE_CHECKING:
    from matcher.rounds.ledger import Ledger

ROLES: Final = ("coordinator", "viewer")
MIN_PASSWORD_CHARS: Final = 10
# scrypt cost: 2**15 × 8 × 128 bytes = 32 MiB and about 0.1 s a check. OWASP suggests 2**17
# (128 MiB); the setting is a coordinator's laptop serving a few colleagues, where a login must
# stay affordable, and the cost is stored with each hash so it can be raised later.
_N: Final = 2**15
_R: Final = 8
_P: Final = 1
_MAXMEM: Final = 64 * 1024 * 1024
_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    created_at: str


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, maxmem=_MAXMEM)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        expected = bytes.fromhex(digest)
        found = hashlib.scrypt(
            password.encode(),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=_MAXMEM,
            dklen=len(expected),
        )
    except ValueError:  # a damaged hash never lets anyone in
        return False
    return kind == "scrypt" and hmac.compare_digest(found, expected)


# A hash to check against when the name is unknown: the answer takes as long as for a real one.
_DUMMY: Final = f"scrypt${_N}${_R}${_P}${'00' * 16}${'00' * 32}"


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise LedgerError(
            f"user {name!r}: a name is 1 to 64 letters, digits, '.', '_' or '-',"
            " starting with a letter or digit"
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise LedgerError(f"password: at least {MIN_PASSWORD_CHARS} characters, please")
    return password


def add_account(ledger: Ledger, name: str, password: str, *, role: str) -> bool:
    """Add an account, or set a new password and role for an existing one; True when new."""
    check_name(name)
    check_password(password)
    if role not in ROLES:
        raise LedgerError(f"--role {role!r}: must be one of {', '.join(ROLES)}")
    hashed = hash_password(password)
    with ledger._write("user") as tx:
        existed = tx.one("SELECT 1 FROM web_users WHERE name = ?", (name,)) is not None
        tx.conn.execute(
            "INSERT INTO web_users (name, role, password_hash, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET role = excluded.role,"
            " password_hash = excluded.password_hash, updated_at = excluded.updated_at",
            (name, role, hashed, tx.at, tx.at),
        )
        what = "password and role changed" if existed else "added"
        tx.event("user", f"web account {name} {what} (role {role})")
    return not existed


def remove_account(ledger: Ledger, name: str) -> None:
    with ledger._write("user") as tx:
        if tx.conn.execute("DELETE FROM web_users WHERE name = ?", (name,)).rowcount == 0:
            raise LedgerError(f"user {name!r}: no such account")
        tx.event("user", f"web account {name} removed")


def accounts(ledger: Ledger) -> list[Account]:
    return ledger._read(
        lambda tx: [
            Account(row["name"], row["role"], row["created_at"])
            for row in tx.all("SELECT name, role, created_at FROM web_users ORDER BY name")
        ]
    )


def has_accounts(ledger: Ledger) -> bool:
    return ledger._read(lambda tx: _count(tx) > 0)


def _count(tx: Tx) -> int:
    row = tx.one("SELECT count(*) FROM web_users")
    return int(row[0]) if row else 0


def verify_login(ledger: Ledger, name: str, password: str) -> Account | None:
    """The account when name and password match; None otherwise (in the same time)."""
    row = ledger._read(
        lambda tx: tx.one(
            "SELECT name, role, password_hash, created_at FROM web_users WHERE name = ?", (name,)
        )
    )
    matches = password_matches(password, row["password_hash"] if row else _DUMMY)
    if row is None or not matches:
        return None
    return Account(row["name"], row["role"], row["created_at"])
