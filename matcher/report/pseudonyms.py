"""Stable pseudonyms for sharing a report outside the team.

A pseudonym is a keyed hash (HMAC-SHA-256) of the id: the same person gets the same pseudonym in
every report made with the same key, so a funder can follow "C-7KQ2M4XAPD" from week to week,
while nobody without the key can turn it back into an id (a plain hash of "C0042" could be
reversed by trying every id). The key is a random secret kept in the user's config directory,
created on first use readable by its owner only; MATCHER_PSEUDONYM_KEY overrides it, so a team
can share one key and get the same pseudonyms.

A short key is refused: with an empty or guessable key anyone can recompute every pseudonym
from the ids, which is no better than printing the ids.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from matcher.report.extra import ReportError

KEY_ENV = "MATCHER_PSEUDONYM_KEY"
# RFC 2104 discourages HMAC keys shorter than the hash's output: 32 bytes for SHA-256.
MIN_KEY_BYTES = 32
MAKE_KEY = 'python -c "import secrets; print(secrets.token_hex(32))"'


def key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "matcher" / "pseudonym.key"


def load_key() -> bytes:
    """The team's key if set, else this user's own, created once; refused when too short."""
    shared = os.environ.get(KEY_ENV)
    if shared:  # set but empty means not set, as shells treat it
        return _checked(shared.encode(), KEY_ENV, f"export {KEY_ENV}=$({MAKE_KEY})")
    path = key_path()
    fix = f"{MAKE_KEY} > {path}"
    try:
        return _checked(path.read_bytes(), str(path), fix)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise ReportError(f"{path}: cannot read the pseudonym key: {error.strerror}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(MIN_KEY_BYTES).encode()  # 64 characters holding 32 random bytes
    # O_EXCL: two reports made at once agree on whichever key was written first.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _checked(path.read_bytes(), str(path), fix)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def _checked(raw: bytes, source: str, fix: str) -> bytes:
    # Surrounding whitespace is the editor's or the shell's (a final newline), not the key's:
    # the same key in a file and in the variable gives the same pseudonyms.
    key = raw.strip()
    if len(key) < MIN_KEY_BYTES:
        # Never the key itself in the message: only where it came from and its length.
        raise ReportError(
            f"{source}: the pseudonym key is {len(key)} bytes; at least {MIN_KEY_BYTES} are"
            " needed, or anyone can recompute the pseudonyms from the ids. Make a random one"
            f" with: {fix}"
        )
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
