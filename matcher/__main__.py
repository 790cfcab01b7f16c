"""`python -m matcher` and the `matcher` command: the CLI, with Ctrl-C as a word, not a traceback.

Nothing is imported before `run` starts (matcher/__init__.py loads its names lazily), so an
interrupt while pydantic, numpy and OR-Tools load is caught here too.

A Ctrl-C reaches Python code as a KeyboardInterrupt, but not always as one: raised inside a
descriptor's `__set_name__` while a class is made (an import in progress) Python 3.11 wraps it
in a RuntimeError, and click turns it into `Abort`. Any error whose chain holds the interrupt
is therefore the interrupt. Raised inside a weakref callback or a `__del__`, Python prints it
as "Exception ignored" and drops it: it is raised again at the main thread's next step. The
first Ctrl-C unwinds the command, so temporary files and open transactions clean up on the
way; a second one while that runs stops the process at once; after the end, one is ignored
(the interpreter's own shutdown would otherwise die of it).
"""

from __future__ import annotations

import _thread
import gc
import os
import signal
import sys
import time
from collections.abc import Callable

INTERRUPTED_EXIT_CODE = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C
INTERRUPTED = "interrupted\n"
# A round at national size makes millions of objects that live until the process ends; with
# the default threshold (700) the cycle collector walks them again and again for nothing
# (about 1.5 of 16 CPU seconds of `matcher match` at 100,000 × 40,000). Collecting less
# often keeps cycles collectable, for `matcher serve` too.
GC_THRESHOLDS = (50_000, 50, 1000)
# pydantic looks for plugins among every installed distribution's entry points (reading each
# one's metadata) when it builds its first validator; the command uses none. Set here, in the
# command's own process before pydantic loads, never by `import matcher`: a program using the
# library keeps its plugins. setdefault: whoever wants plugins in the command sets the
# variable themselves (empty: all of them).
PLUGINS_VARIABLE = "PYDANTIC_DISABLE_PLUGINS"
# OpenBLAS starts a thread per core when numpy loads, and its threads spin between products:
# the command's only products have an inner dimension of 3 (distances on a block of pairs),
# which one thread does as fast, while the spinning takes the other core from the command's
# own threads. The same rule as above: set in the command's process only, and not over a
# value the user chose.
BLAS_THREADS_VARIABLE = "OPENBLAS_NUM_THREADS"


def run() -> None:
    try:
        # First inside the try: an interrupt already pending raises here and is caught below.
        signal.signal(signal.SIGINT, _first_interrupt)
        gc.set_threshold(*GC_THRESHOLDS)
        sys.unraisablehook = _raise_dropped_interrupt_again(sys.unraisablehook)
        os.environ.setdefault(PLUGINS_VARIABLE, "__all__")
        os.environ.setdefault(BLAS_THREADS_VARIABLE, "1")
        code = _command()
        # Done and written: a Ctrl-C while the interpreter shuts down has nothing to stop.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _skip_final_collections()
    except BaseException as error:
        if not interrupted_by(error):
            raise
        # Ignored from here on: one more would only cut the word short or kill the shutdown.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sys.stderr.write(INTERRUPTED)
        sys.stderr.flush()
        sys.exit(INTERRUPTED_EXIT_CODE)
    sys.exit(code)


def _skip_final_collections() -> None:
    """The interpreter's shutdown walks every object left (modules, records, results) with
    the cycle collector, which took a plain city round 0.1-0.2 s, a third of the whole run.
    Frozen, they are left to be freed by their reference counts. Nothing is lost: every file
    is written and closed (write_atomic), stdout is flushed at exit and atexit handlers run
    as before; only a finaliser of an object in a reference cycle may not run, which Python
    never promises at exit anyway."""
    gc.freeze()


def _command() -> int:
    # Inside run's try: a Ctrl-C while click and the command load is caught there.
    import click

    from matcher.cli import lazy, main

    lazy.freeze_imports = True  # the command's own process: see lazy._import

    try:
        # Not standalone: click would turn Ctrl-C into "Aborted!" and exit code 1.
        code = main.main(prog_name="matcher", standalone_mode=False)
    except click.Abort as abort:
        if interrupted_by(abort):
            raise
        click.echo("Aborted!", err=True)
        return 1
    except click.ClickException as error:
        error.show()
        return error.exit_code
    return code if isinstance(code, int) else 0


def interrupted_by(error: BaseException) -> bool:
    """Whether `error` is a Ctrl-C, or was raised because of one (its cause or context)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _first_interrupt(signum: int, frame: object) -> None:
    signal.signal(signal.SIGINT, _second_interrupt)
    raise KeyboardInterrupt


def _raise_dropped_interrupt_again(
    previous: Callable[[sys.UnraisableHookArgs], object],
) -> Callable[[sys.UnraisableHookArgs], None]:
    def hook(unraisable: sys.UnraisableHookArgs) -> None:
        if not isinstance(unraisable.exc_value, KeyboardInterrupt):
            previous(unraisable)
            return
        signal.signal(signal.SIGINT, _first_interrupt)
        # From another thread, once this hook has returned: raised in here, it would be
        # dropped again.
        if not sys.is_finalizing():  # shutting down, nothing is left to stop
            _thread.start_new_thread(_interrupt_main_soon, ())

    return hook


def _interrupt_main_soon() -> None:
    time.sleep(0.001)
    _thread.interrupt_main(signal.SIGINT)


def _second_interrupt(signum: int, frame: object) -> None:
    # Not through sys.stderr: the interrupted code may be in the middle of writing to it.
    os.write(2, INTERRUPTED.encode())
    os._exit(INTERRUPTED_EXIT_CODE)


if __name__ == "__main__":
    run()
