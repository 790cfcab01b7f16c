"""Making reports in tests, and reading what is inside one (the charts are base64 SVG)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from click.testing import CliRunner, Result

from matcher.cli import main
from tests.ledger_checks import ROOT

CLIENTS = str(ROOT / "examples" / "clients.csv")
VOLUNTEERS = str(ROOT / "examples" / "volunteers.csv")
DATE = ["--date", "2026-11-23"]
# At least 32 bytes: a shorter key is refused.
KEY = {"MATCHER_PSEUDONYM_KEY": "a key shared by the test team, 32+ bytes long"}


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner(env=env or KEY).invoke(main, ["-q", *args], prog_name="matcher")


def match_report(tmp_path: Path, *options: str, name: str = "report.html") -> Path:
    """A report of the example round (15 volunteers, 30 clients, 5 left waiting)."""
    report = tmp_path / name
    result = run(
        "match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path / "out"), *DATE,
        "--report", str(report), *options,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return report


def simulation_report(tmp_path: Path, *options: str) -> Path:
    report = tmp_path / "simulation.html"
    result = run(
        "simulate", "zwolle-partnerverlies", "--weeks", "8", "--runs", "2",
        "--policy", "optimal", "--policy", "fifo-greedy", "--out", str(tmp_path / "sim"),
        "--report", str(report), *options,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return report


def everything_in(html: str) -> str:
    """The page with every embedded chart decoded: text a reader could get out of the file."""
    charts = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    return html + "".join(base64.b64decode(chart).decode() for chart in charts)
