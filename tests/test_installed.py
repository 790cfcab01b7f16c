"""matcher.installed finds the versions importlib.metadata finds, without its machinery."""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from matcher import installed
from matcher.installed import versions_of
from matcher.output import versions


def _importlib_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def test_every_installed_distribution_has_importlib_metadatas_version() -> None:
    names = sorted({dist.metadata["Name"] for dist in metadata.distributions()})
    assert len(names) > 20
    # Spelled as people and pip spell them, too.
    names += ["no-such-package-here", "Pydantic", "python_dateutil", "typing-extensions"]
    found = versions_of(names)
    assert found == {name: _importlib_version(name) for name in names}


def test_the_summarys_versions_are_read_without_importlib_metadata(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(name: str) -> str | None:
        raise AssertionError(f"importlib.metadata asked for {name}")

    monkeypatch.setattr(installed, "_from_importlib", refuse)
    found = versions()
    for package in ("matcher", "ortools", "numpy", "scipy", "pydantic"):
        assert found[package] == metadata.version(package)


def test_a_zip_file_on_the_path_is_left_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "zipped.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("zipped_pkg-1.2.3.dist-info/METADATA", "Name: zipped-pkg\nVersion: 1.2.3\n")
    monkeypatch.setattr(sys, "path", [str(archive), *sys.path])
    assert versions_of(["zipped-pkg", "numpy"]) == {
        "zipped-pkg": "1.2.3",
        "numpy": metadata.version("numpy"),
    }


def test_the_first_folder_on_the_path_wins_and_a_missing_header_asks_importlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for root, version in ((first, "2.0"), (second, "1.0")):
        info = root / f"demo_pkg-{version}.dist-info"
        info.mkdir(parents=True)
        header = f"Metadata-Version: 2.1\nName: demo-pkg\nVersion: {version}\n"
        (info / "METADATA").write_text(header, encoding="utf-8")
    odd = second / "odd_pkg-0.1.dist-info"
    odd.mkdir()
    (odd / "METADATA").write_text("Name: odd-pkg\n\nVersion: 9.9\n", encoding="utf-8")  # body
    monkeypatch.setattr(sys, "path", [str(first), str(second)])
    found = versions_of(["demo.pkg", "odd-pkg"])
    assert found == {"demo.pkg": "2.0", "odd-pkg": _importlib_version("odd-pkg")}
    assert found["demo.pkg"] == metadata.version("demo.pkg")
