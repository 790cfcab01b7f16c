"""The scenario library works from an installed wheel, not only from a source checkout.

Builds a wheel offline (pip with the project's own setuptools, no build isolation) from a copy
of the sources, installs it without dependencies into a fresh virtual environment that borrows
the project environment's packages for numpy, pydantic and the rest, and runs `matcher` there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def source_packages() -> set[str]:
    return {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "matcher").rglob("__init__.py")
    }


def test_every_package_of_the_source_tree_is_listed_for_the_wheel() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    missing = sorted(source_packages() - set(setuptools["packages"]))
    assert not missing, f"add {missing} to [tool.setuptools] packages in pyproject.toml"


def _run(*command: str | Path, cwd: Path | None = None) -> str:
    # Without PYTHONPATH: the installed wheel must stand on its own.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    args = [str(part) for part in command]
    done = subprocess.run(args, capture_output=True, text=True, check=False, cwd=cwd, env=env)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A copy, so the build leaves no build/ or *.egg-info in the working tree.
    source = tmp_path_factory.mktemp("source")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("matcher", "scenarios"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    pip = (sys.executable, "-m", "pip")
    _run(*pip, "wheel", "--quiet", "--no-deps", "--no-index", "--no-build-isolation",
         "--wheel-dir", dist, source)  # fmt: skip
    (built,) = dist.glob("matcher-*.whl")
    return built


def test_the_wheel_holds_every_module_and_every_scenario(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "matcher").rglob("*.py"):
        assert path.relative_to(ROOT).as_posix() in names
    for path in (ROOT / "scenarios").glob("*.toml"):
        assert f"matcher/_scenario_files/{path.name}" in names
    assert "matcher/py.typed" in names
    for path in (ROOT / "matcher" / "report" / "templates").glob("*.j2"):
        assert f"matcher/report/templates/{path.name}" in names


def test_scenarios_run_from_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
         "--no-index", wheel)  # fmt: skip
    # Dependencies come from the project environment: a plain path line in a .pth file adds
    # its site-packages, but not the editable install of the checkout that lives there.
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(_run(python, "-c", purelib).strip())
    borrowed = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site / "project_dependencies.pth").write_text("\n".join(borrowed) + "\n", encoding="utf-8")

    imported_from = _run(python, "-c", "import matcher; print(matcher.__file__)", cwd=tmp_path)
    assert Path(imported_from.strip()).is_relative_to(venv)
    matcher = python.parent / "matcher"
    listed = _run(matcher, "scenario", "list", cwd=tmp_path)
    assert "zwolle-partnerverlies" in listed and "national-scale" in listed
    ran = _run(matcher, "scenario", "run", "region-scale", "--limit", "0", cwd=tmp_path)
    assert "10,000 clients, 4,000 volunteers" in ran
