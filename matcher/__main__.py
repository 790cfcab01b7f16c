"""`python -m matcher` and the `matcher` command: the CLI, with Ctrl-C as a word, not a traceback.

Nothing is imported before `run` starts (matcher/__init__.py loads its names lazily), so an
interrupt while pydantic, numpy and OR-Tools load is caught here too.
"""

from __future__ import annotations

import signal
import sys

INTERRUPTED_EXIT_CODE = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C


def run() -> None:
    try:
        import click

        from matcher.cli import main

        try:
            # Not standalone: click would turn Ctrl-C into "Aborted!" and exit code 1.
            code = main.main(prog_name="matcher", standalone_mode=False)
        except click.Abort as abort:
            if isinstance(abort.__context__, KeyboardInterrupt):
                raise KeyboardInterrupt from None
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        # Done and written: a Ctrl-C while the interpreter shuts down has nothing to stop.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(INTERRUPTED_EXIT_CODE)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    run()
