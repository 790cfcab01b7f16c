"""Golden outputs: the demo round, three scenario rounds and a ledger round, byte for byte.

A refactor must leave what users see unchanged. These files were recorded from the CLI before
the engine refactor (issue 12) and the speed work (issue 16); a change to them must be on
purpose: rerun with MATCHER_UPDATE_GOLDEN=1 and say in the commit why the bytes changed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("MATCHER_UPDATE_GOLDEN") == "1"
DATE = "2026-11-23"
SCENARIOS = ("rural", "volunteer-shortage", "city-scale")
# What a run may change without changing its result: how long it took, and the versions.
VOLATILE_SUMMARY_KEYS = ("timings", "versions")


@pytest.fixture(autouse=True)
def _no_ambient_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MATCHER_CONFIG", raising=False)
    monkeypatch.delenv("MATCHER_DB", raising=False)
    yield


def run(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner(env=env).invoke(main, ["-q", *args], prog_name="matcher")
    assert result.exit_code == 0, result.output
    return result.stdout


def stable_summary(path: Path) -> str:
    summary = json.loads(path.read_text(encoding="utf-8"))
    for key in VOLATILE_SUMMARY_KEYS:
        summary.pop(key, None)
    return json.dumps(summary, indent=2, ensure_ascii=False) + "\n"


def check(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} missing: record it with MATCHER_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def check_match_outputs(prefix: str, out: Path, stdout: str) -> None:
    check(f"{prefix}/stdout.txt", stdout)
    check(f"{prefix}/matches.csv", (out / "matches.csv").read_text(encoding="utf-8"))
    check(f"{prefix}/unmatched.csv", (out / "unmatched.csv").read_text(encoding="utf-8"))
    check(f"{prefix}/summary.json", stable_summary(out / "summary.json"))


def test_the_demo_round_is_unchanged() -> None:
    out = Path("out")  # relative, so that the printed paths do not name the temporary folder
    clients, volunteers = ROOT / "examples" / "clients.csv", ROOT / "examples" / "volunteers.csv"
    stdout = run("match", str(clients), str(volunteers), "--out", str(out), "--date", DATE)
    check_match_outputs("demo", out, stdout)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario_rounds_are_unchanged(scenario: str) -> None:
    files, out = Path("files"), Path("out")
    run("scenario", "generate", scenario, "--out", str(files))
    stdout = run(
        "match",
        str(files / "clients.csv"),
        str(files / "volunteers.csv"),
        "--config",
        str(files / "matcher.toml"),
        "--out",
        str(out),
        "--date",
        DATE,
        "--limit",
        "20",
    )
    check_match_outputs(f"scenario-{scenario}", out, stdout)


def test_a_ledger_round_is_unchanged() -> None:
    env = {"MATCHER_DB": "matcher.db"}
    run("db", "init", env=env)
    run("import", "volunteers", str(ROOT / "examples" / "volunteers.csv"), env=env)
    run("import", "clients", str(ROOT / "examples" / "clients.csv"), "--date", DATE, env=env)
    # The English of the ledger's round, as recorded; the default is the config's [report]
    # lang (nl), pinned by round-1-show-nl.txt.
    en = ("--lang", "en")
    first = run("round", "propose", "--format", "json", "--date", DATE, *en, env=env)
    round_one = json.loads(first)
    declined = round_one["proposals"][0]
    run(
        "round",
        "decline",
        "1",
        "--client",
        declined["client_id"],
        "--by",
        "client",
        "--reason",
        "wants someone closer",
        "--date",
        DATE,
        env=env,
    )
    run("round", "accept", "1", "--date", DATE, env=env)
    second = run("round", "propose", "--date", "2026-11-30", *en, env=env)
    round_one.pop("timings")
    check("ledger/round-1.json", json.dumps(round_one, indent=2, ensure_ascii=False) + "\n")
    check("ledger/round-1-show.txt", run("round", "show", "1", *en, env=env))
    check("ledger/round-1-show-nl.txt", run("round", "show", "1", env=env))
    check("ledger/round-2.txt", second)
    check("ledger/status.txt", run("status", "--date", "2026-11-30", env=env))
