"""What one running web app knows: its ledger, its token, whether accounts are required."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from matcher.config import MatchConfig
from matcher.rounds.db import os_user

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8765
# Spreadsheets of a programme are a few MB; an upload bigger than this is refused as it arrives.
DEFAULT_MAX_UPLOAD_BYTES: Final = 20 * 1024 * 1024
# A workbook is a zip archive: its members unpacked may take at most this much, in total.
DEFAULT_MAX_UNZIPPED_BYTES: Final = 200 * 1024 * 1024
# A web request waits this long for another writer (the CLI, another tab), then answers 409.
DEFAULT_BUSY_TIMEOUT_S: Final = 2.0
# Waiting clients per page of the overview.
PAGE_SIZE: Final = 50
SESSION_IDLE_S: Final = 8 * 3600


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class WebSettings:
    db_path: Path
    # The one-time login token (also the API's Bearer token); random unless a test sets it.
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    # On a network (any bind but loopback) people log in with `matcher user add` accounts.
    require_accounts: bool = False
    config: MatchConfig = field(default_factory=MatchConfig)
    lang: str = "nl"
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES
    busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S
    page_size: int = PAGE_SIZE
    # Who the token (login link or Bearer) acts as in the audit trail: who started the server.
    token_user: str = field(default_factory=os_user)
