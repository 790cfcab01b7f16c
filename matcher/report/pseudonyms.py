"""Stable pseudonyms for sharing a report outside the team.

A pseudonym is a keyed hash (HMAC-SHA-256) of the id: the same person gets the same pseudonym in
every report made with the same key, so a funder can follow "C-7KQ2M4XAPD" from week to week,
while nobody without the key can turn it back into an id (a plain hash of "C0042" could be
reversed by trying every id). The key is a random secret kept in the user's config directory,
created on first use readable by its owner only; MATCHER_PSEUDONYM_KEY overrides it, so a team
can share one key and get the same pseudonyms.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_ENV = "MATCHER_PSEUDONYM_KEY"


def key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "matcher" / "pseudonym.key"


def load_key() -> bytes:
    """The team's key if set, else this user's own, created once."""
    shared = os.environ.get(KEY_ENV)
    if shared:
        return shared.encode()
    path = key_path()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    # O_EXCL: two reports made at once agree on whichever key was written first.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


class Pseudonyms:
    """Maps client and volunteer ids to pseudonyms; the identity when not pseudonymising."""

    def __init__(self, key: bytes | None) -> None:
        self._key = key

    @property
    def active(self) -> bool:
        return self._key is not None

    def client(self, client_id: str) -> str:
        return self._pseudonym("C", client_id)

    def volunteer(self, volunteer_id: str) -> str:
        return self._pseudonym("V", volunteer_id)

    def _pseudonym(self, kind: str, identifier: str) -> str:
        if self._key is None:
            return identifier
        digest = hmac.new(self._key, f"{kind}:{identifier}".encode(), hashlib.sha256).digest()
        # 50 bits: collisions stay below one in a million for a national register.
        code = base64.b32encode(digest[:7]).decode()[:10]
        return f"{kind}-{code}"
