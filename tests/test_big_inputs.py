"""A 1 GB input is refused, not streamed: before a byte is read, at the real limit.

The file is sparse (a size and no data on disk), so the test costs nothing. Its bytes are all
NUL: had any been read, the message would name NUL bytes instead of the size.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher import files
from matcher.cli import main

ROOT = Path(__file__).resolve().parent.parent
VOLUNTEERS = str(ROOT / "examples" / "volunteers.csv")


def sparse_file(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def test_the_limit_is_512_mb() -> None:
    assert files.MAX_INPUT_BYTES == 512 * 2**20


@pytest.mark.parametrize("command", ["match", "validate"])
def test_a_1_gb_csv_is_refused_by_its_size_and_nothing_is_written(
    command: str, tmp_path: Path
) -> None:
    clients = sparse_file(tmp_path / "clients.csv", 2**30)
    out = tmp_path / "out"
    args = [command, str(clients), VOLUNTEERS]
    if command == "match":
        args += ["--out", str(out), "--date", "2026-11-23"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert (
        f"{clients}: file is 1,024 MB, more than the 512 MB matcher reads at once; split it, by"
        " organisation or programme, into smaller files"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    """The limit is the size itself: a file of exactly 512 MB is opened and read."""
    clients = sparse_file(tmp_path / "clients.csv", files.MAX_INPUT_BYTES)
    with files.open_input(clients, source="clients.csv") as handle:
        assert handle.read(4) == b"\0\0\0\0"
