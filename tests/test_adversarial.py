"""Whatever bytes a file holds, reading it ends in records or an InputError, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matcher
from matcher.errors import InputError

HEADER = "client_id;programme;lat;lon;contact;availability;languages;age\n"
CELLS = st.sampled_from(
    ["", "C1", "p", "52,5", "6.1", "phone", "visit", "mon-am|tue-pm", "nl, en", "abc", '"',
     "999", "-1", "1e400", "nan", "\x00", "é", "😀", ";", "\r", "\n", "x" * 300, "NaN", "inf"]
)  # fmt: skip
SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _read(path: Path) -> None:
    try:
        matcher.read_clients(str(path))
    except InputError as error:
        assert error.problems
        for problem in error.problems:
            assert str(problem).startswith(str(path))


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes(data)
    _read(path)


@SETTINGS
@given(st.lists(st.lists(CELLS, max_size=10), max_size=6))
def test_spreadsheet_like_garbage(tmp_path: Path, rows: list[list[str]]) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(HEADER + "\n".join(";".join(row) for row in rows), encoding="utf-8")
    _read(path)


@SETTINGS
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=12,
    )
)
def test_json_of_any_shape(tmp_path: Path, value: object) -> None:
    import json

    path = tmp_path / "clients.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    _read(path)


@pytest.mark.parametrize(
    "rows",
    [
        [{"client_id": "C1", "programme": "p", "contact": "phone", "age": float("nan")}],
        [{"client_id": ["C1"], "programme": "p", "contact": "phone"}],
        [{"client_id": "C1", "programme": {"a": 1}, "contact": "phone"}],
        ["not a mapping"],
    ],
)
def test_library_rejects_odd_objects_with_input_error(rows: list[object]) -> None:
    with pytest.raises(InputError):
        matcher.match(rows, [])  # type: ignore[arg-type]


# The command line: a bad input file is exit 1 with `file: what`, never a usage error ------


ROOT = Path(__file__).resolve().parent.parent
CLIENTS = str(ROOT / "examples" / "clients.csv")
VOLUNTEERS = str(ROOT / "examples" / "volunteers.csv")


def run_cli(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from matcher.cli import main

    result = CliRunner().invoke(main, ["-q", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stderr


def test_a_folder_as_input_is_bad_input_not_a_usage_error(tmp_path: Path) -> None:
    folder = tmp_path / "clients.csv"
    folder.mkdir()
    code, err = run_cli("match", str(folder), VOLUNTEERS, "--out", str(tmp_path / "out"))
    assert (code, err) == (1, f"{folder}: cannot read: is a folder, not a file\n")
    code, err = run_cli("validate", str(folder), "--config", str(tmp_path))
    assert code == 1
    assert err.splitlines() == [
        f"{tmp_path}: cannot read: is a folder, not a file",
        f"{folder}: cannot read: is a folder, not a file",
    ]


@pytest.mark.parametrize(
    "command",
    [
        ("import", "clients", "{folder}"),
        ("status", "--config", "{folder}"),
        ("scenario", "show", "--file", "{folder}"),
        ("simulate", "--file", "{folder}"),
        ("validate", "{folder}"),
    ],
)
def test_every_command_treats_a_folder_as_bad_input(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    folder = tmp_path / "input.toml"
    folder.mkdir()
    args = [part.format(folder=folder) for part in command]
    code, err = run_cli(
        *args, *(["--db", str(tmp_path / "m.db")] if args[0] in ("import", "status") else [])
    )
    assert (code, err) == (1, f"{folder}: cannot read: is a folder, not a file\n")


def test_match_reports_config_and_file_problems_together(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[triage]\nhigh_from = nan\n")
    clients = tmp_path / "clients.csv"
    clients.write_text("client_id,programme,lat,lon\nC1,p,95,6\n")
    code, err = run_cli("match", str(clients), VOLUNTEERS, "--config", str(config),
                        "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 1
    assert err.splitlines() == [
        f"{config}: triage.high_from: must be a finite number (got 'nan')",
        f"{clients}:2: lat: must be ≤ 90 (got '95')",
    ]
    assert not (tmp_path / "out" / "matches.csv").exists()


def test_disk_full_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    from matcher.io import writers

    def full_disk(path: Path, data: bytes) -> str:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(writers, "_write_temporary", full_disk)
    out = tmp_path / "out"
    code, err = run_cli("match", CLIENTS, VOLUNTEERS, "--out", str(out), "--date", "2026-11-23")
    assert (code, err) == (1, f"{out / 'matches.csv'}: no space left on device\n")


def _interrupted_after(seconds: float, *args: str) -> tuple[int | None, str]:
    import signal
    import subprocess
    import sys
    import time

    # The entry point, started the way the console script starts it: "ready" comes once
    # `run` is imported (matcher/__init__.py and __main__.py import nothing heavy), so the
    # interrupt lands where run can catch it, never in the interpreter's own start-up or the
    # console script's import (no code of ours runs there), however slow the machine. All that
    # is heavy (click, pydantic, numpy, the command and its files) runs inside run. Ctrl-C is
    # ignored in the few steps of this program between "ready" and run, which installs its
    # own handler first: an interrupt that lands there is lost and the command finishes.
    program = (
        f"import signal, sys; sys.argv = ['matcher', *{list(args)!r}]; "
        "from matcher.__main__ import run; signal.signal(signal.SIGINT, signal.SIG_IGN); "
        "sys.stderr.write('ready\\n'); sys.stderr.flush(); run()"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", program],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # A shell may start tests with Ctrl-C ignored; the command gets it as a terminal would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stderr is not None
    assert process.stderr.readline() == "ready\n"
    time.sleep(seconds)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    return process.returncode, err


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGKILL"), reason="POSIX signals")
@pytest.mark.parametrize("seconds", [0.05, 0.15, 0.3])
def test_ctrl_c_during_start_up_is_a_word_and_exit_130(seconds: float) -> None:
    # 0.05 to 0.3 s after start: while pydantic, numpy and the CLI are imported, or the files read.
    code, err = _interrupted_after(seconds, "validate", CLIENTS, VOLUNTEERS)
    if code == 0:
        pytest.skip("the command finished before the interrupt arrived")
    assert "Traceback" not in err
    # Notes on the files read before the interrupt may come first.
    assert (code, err.strip().splitlines()[-1]) == (130, "interrupted")
