"""Ctrl-C in the ways Python hides it: wrapped in another error, dropped in a finaliser, twice.

tests/test_adversarial.py interrupts the command at random moments of its start-up; these pin
the cases that made it flaky under load (matcher/__main__.py explains each).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from matcher.__main__ import INTERRUPTED_EXIT_CODE, interrupted_by

ROOT = Path(__file__).resolve().parent.parent
POSIX = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")


def test_an_interrupt_wrapped_by_set_name_is_still_an_interrupt() -> None:
    class Interrupting:
        def __set_name__(self, owner: type, name: str) -> None:
            raise KeyboardInterrupt

    with pytest.raises(BaseException) as caught:
        type("Made", (), {"field": Interrupting()})
    # Python 3.11 wraps it in a RuntimeError (3.12 lets it through): either is the interrupt.
    assert interrupted_by(caught.value)
    assert not interrupted_by(RuntimeError("a real error"))
    loop = ValueError("its own context")
    loop.__context__ = loop
    assert not interrupted_by(loop)


def _python(program: str, *, interrupts: int = 0) -> subprocess.CompletedProcess[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", program],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout is not None
    if interrupts:
        assert process.stdout.readline() == "ready\n"
        for _ in range(interrupts):
            process.send_signal(signal.SIGINT)
            time.sleep(0.005)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@POSIX
def test_an_interrupt_dropped_in_a_finaliser_is_raised_again() -> None:
    # What the installed hooks do when a Ctrl-C lands in a __del__ (or a weakref callback):
    # Python would print "Exception ignored" and carry on as if nothing happened.
    program = """
import sys, time, signal
from matcher import __main__ as entry
signal.signal(signal.SIGINT, entry._first_interrupt)
sys.unraisablehook = entry._raise_dropped_interrupt_again(sys.unraisablehook)
class Finaliser:
    def __del__(self):
        entry._first_interrupt(signal.SIGINT, None)
try:
    Finaliser()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        pass
    print("dropped")
except KeyboardInterrupt:
    print("raised again")
"""
    done = _python(program)
    assert done.stdout == "raised again\n", done.stdout + done.stderr
    assert "Exception ignored" not in done.stderr


@POSIX
def test_a_second_ctrl_c_while_the_first_unwinds_stops_at_once_with_the_word() -> None:
    # The command's cleanup (here: a slow one) is where a second Ctrl-C lands.
    program = """
import sys, time
sys.argv = ["matcher", "--help"]
import matcher.cli
def slow_cleanup(*args, **kwargs):
    try:
        print("ready", flush=True)
        time.sleep(10)
    finally:
        time.sleep(10)
matcher.cli.main.main = slow_cleanup
from matcher.__main__ import run
run()
"""
    started = time.monotonic()
    done = _python(program, interrupts=2)
    assert time.monotonic() - started < 8, "the second Ctrl-C did not stop it"
    assert done.returncode == INTERRUPTED_EXIT_CODE, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == "interrupted"
