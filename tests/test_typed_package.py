"""The package is typed, and mypy run from another project sees its types.

A setuptools editable install of a flat layout with a mapped package used to go through an
import hook (`__editable___matcher_finder`), which Python follows and mypy does not: from
another project mypy said "Cannot find implementation or library stub for module 'matcher'".
pyproject.toml now keeps the layout simple (`package-dir = {"" = "."}`, and the scenario
library reaches the package through the `matcher/_scenario_files` link), so the editable
install is a plain path in a .pth file that mypy reads like Python does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CALLER = """\
from matcher import match

result = match(clients=3, volunteers=[])
reveal_type(result.matches)
"""


def test_mypy_from_another_project_sees_the_package_types(tmp_path: Path) -> None:
    project = tmp_path / "caller"
    project.mkdir()
    (project / "caller.py").write_text(CALLER)
    # The caller's own config, so none of this repository's settings reach the check.
    (project / "mypy.ini").write_text("[mypy]\nstrict = True\n")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "MYPYPATH")}
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), "caller.py"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    output = done.stdout + done.stderr
    assert "import-not-found" not in output and "import-untyped" not in output, output
    assert 'Argument "clients" to "match" has incompatible type "int"' in output, output
    # A LazyTuple (made on access), typed as the Sequence it is.
    assert 'Revealed type is "typing.Sequence[matcher.result.Match]"' in output, output
    assert done.returncode == 1, output


def test_the_editable_install_is_a_plain_path_not_an_import_hook() -> None:
    import matcher

    assert Path(matcher.__file__).resolve().is_relative_to(ROOT), "not the checkout's matcher"
    assert (ROOT / "matcher" / "py.typed").is_file()
    modules = [str(getattr(entry, "__module__", "")) for entry in sys.meta_path]
    hooks = [module for module in modules if "__editable__" in module]
    assert not hooks, f"an editable import hook that mypy cannot follow: {hooks}"
