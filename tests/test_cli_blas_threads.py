"""The command runs OpenBLAS on one thread (its products are tiny), unless the user says
otherwise; a program using the library keeps its own setting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VARIABLE = "OPENBLAS_NUM_THREADS"


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("2", "2")])
def test_the_command_sets_blas_threads_before_numpy_loads(
    tmp_path: Path, given: str | None, expected: str
) -> None:
    argv = ["matcher", "--quiet", "match", str(ROOT / "examples" / "clients.csv"),
            str(ROOT / "examples" / "volunteers.csv"), "--out", str(tmp_path / "out"),
            "--date", "2026-11-23"]  # fmt: skip
    program = (
        "import json, os, sys\n"
        "import matcher\n"
        "from matcher.__main__ import run\n"
        f"library = os.environ.get({VARIABLE!r})\n"
        "numpy_before = 'numpy' in sys.modules\n"
        f"sys.argv = {argv!r}\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "sys.__stderr__.write('\\n' + json.dumps({'library': library,\n"
        f"    'numpy_before': numpy_before, 'command': os.environ.get({VARIABLE!r})}}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != VARIABLE}
    if given is not None:
        env[VARIABLE] = given
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env)
    facts = json.loads(done.stderr.splitlines()[-1])
    assert facts == {"library": given, "numpy_before": False, "command": expected}
    assert (tmp_path / "out" / "matches.csv").exists()
