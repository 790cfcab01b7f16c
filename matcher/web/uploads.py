"""Uploaded spreadsheets: kept in a private temporary folder only until they are imported.

The body is already size-limited as it arrives (security.Guard). A workbook is a zip archive
whose members can unpack to far more than the upload (a "zip bomb"): each member is unpacked
here as a stream, counting, before the workbook reader ever sees the file, and the file is
refused as soon as the count passes the limit. Nothing is ever written outside the folder.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from matcher.errors import InputError, Problem
from matcher.io.sources import CSV_SUFFIXES, JSON_SUFFIXES

ZIP_SUFFIXES: Final = (".xlsx", ".xlsm", ".ods")
ACCEPTED_SUFFIXES: Final = (*CSV_SUFFIXES, *JSON_SUFFIXES, *ZIP_SUFFIXES, ".xls")
MAX_ZIP_MEMBERS: Final = 10_000
_CHUNK: Final = 1024 * 1024
_SAFE: Final = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Upload:
    upload_id: str
    kind: str  # clients or volunteers
    name: str  # the file's name as she chose it, made safe: messages say `name:row: …`
    path: Path
    owner: str  # the session that uploaded it


def safe_name(filename: str, kind: str) -> str:
    """The upload's own name without folders or odd characters; its suffix picks the reader."""
    base = _SAFE.sub("_", Path(filename.replace("\\", "/")).name).strip("._") or kind
    suffix = Path(base).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        known = ", ".join(ACCEPTED_SUFFIXES)
        raise InputError([Problem(base, None, None, f"not a file the readers know ({known})")])
    return base[:100]


def check_zip(path: Path, source: str, max_unzipped_bytes: int) -> None:
    """Refuse an archive that unpacks to more than the limit, before anything else opens it."""
    if not zipfile.is_zipfile(path):
        return  # the workbook reader says what is wrong with it
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise _too_big(source, f"it holds {len(members)} parts")
            declared = sum(member.file_size for member in members)
            if declared > max_unzipped_bytes:
                raise _too_big(source, f"it unpacks to {declared} bytes")
            unpacked = 0
            for member in members:
                # What the archive says may lie: count what unpacking actually gives.
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > max_unzipped_bytes:
                            raise _too_big(source, f"it unpacks to more than {unpacked} bytes")
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError):
        raise InputError([Problem(source, None, None, "the workbook is damaged")]) from None


def _too_big(source: str, what: str) -> InputError:
    return InputError(
        [Problem(source, None, None, f"refused: {what}, more than a workbook of people needs")]
    )


class Uploads:
    """Pending uploads between preview and import, each in its own private folder."""

    def __init__(self) -> None:
        self._root: Path | None = None  # made at the first upload, removed when the app stops
        self._pending: dict[str, Upload] = {}
        self._lock = threading.Lock()

    def save(
        self,
        stream: BinaryIO,
        *,
        filename: str,
        kind: str,
        owner: str,
        max_unzipped_bytes: int,
    ) -> Upload:
        name = safe_name(filename, kind)
        upload_id = secrets.token_urlsafe(16)
        folder = self.root / upload_id
        folder.mkdir(mode=0o700)
        path = folder / name
        try:
            with path.open("xb") as out:
                path.chmod(0o600)
                shutil.copyfileobj(stream, out, _CHUNK)
            if path.suffix.lower() in ZIP_SUFFIXES:
                check_zip(path, name, max_unzipped_bytes)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        upload = Upload(upload_id, kind, name, path, owner)
        with self._lock:
            # One pending upload per person: a new one replaces the last.
            for old in [u for u in self._pending.values() if u.owner == owner]:
                self._discard(old.upload_id)
            self._pending[upload_id] = upload
        return upload

    def get(self, upload_id: str, owner: str) -> Upload | None:
        with self._lock:
            found = self._pending.get(upload_id)
        return found if found is not None and found.owner == owner else None

    def remove(self, upload_id: str) -> None:
        with self._lock:
            self._discard(upload_id)

    def _discard(self, upload_id: str) -> None:
        upload = self._pending.pop(upload_id, None)
        if upload is not None:
            shutil.rmtree(upload.path.parent, ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            self._pending.clear()
            if self._root is not None:
                shutil.rmtree(self._root, ignore_errors=True)
                self._root = None

    @property
    def root(self) -> Path:
        with self._lock:
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="matcher-uploads-"))
            return self._root
