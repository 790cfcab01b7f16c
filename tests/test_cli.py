"""The `matcher` command, through click's runner and once as a real process."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher.cli import main
from matcher.config import MatchConfig

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = str(ROOT / "examples" / "clients.csv")
VOLUNTEERS = str(ROOT / "examples" / "volunteers.csv")
DATE = ["--date", "2026-11-23"]
EN = ["--lang", "en"]  # explain says what it always said in English


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_match_writes_three_files_that_agree(tmp_path: Path) -> None:
    code, out, err = run("match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path), *DATE)
    assert code == 0, err
    assert "clients matched, objective" in out
    assert "ignored columns: naam, notities" in err
    summary = json.loads((tmp_path / "summary.json").read_text())
    with (tmp_path / "matches.csv").open(newline="") as handle:
        matches = list(csv.DictReader(handle))
    with (tmp_path / "unmatched.csv").open(newline="") as handle:
        unmatched = list(csv.DictReader(handle))
    assert summary["status"] == "optimal"
    assert summary["matched"] == len(matches) > 0
    assert summary["unmatched"] == len(unmatched) > 0
    assert summary["round_date"] == "2026-11-23"
    # The printed weights add up to the objective exactly.
    assert sum(Decimal(m["weight"]) for m in matches) == Decimal(str(summary["objective"]))
    assert list(matches[0]) == [
        "client_id", "volunteer_id", "weight", "risk_tier", "lived_experience", "closeness",
        "availability", "needs", "age", "training", "priority", "distance_km", "contact",
    ]  # fmt: skip
    assert list(unmatched[0]) == ["client_id", "risk_tier", "reason", "detail"]


def test_same_input_gives_byte_identical_files(tmp_path: Path) -> None:
    for name in ("a", "b"):
        code, _, err = run("match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path / name), *DATE)
        assert code == 0, err
    for name in ("matches.csv", "unmatched.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    first, second = (json.loads((tmp_path / n / "summary.json").read_text()) for n in "ab")
    first.pop("timings"), second.pop("timings")
    assert first == second


def test_json_format_prints_everything(tmp_path: Path) -> None:
    code, out, _ = run("match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path), "--format", "json",
                       *DATE)  # fmt: skip
    assert code == 0
    payload = json.loads(out)
    assert payload["matched"] == len(payload["matches"])
    assert all(m["why"] for m in payload["matches"])


def test_bad_input_lists_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    clients = tmp_path / "clients.csv"
    clients.write_text(
        "client_id;programme;loss_type;lat;lon\nC1;p;partnr;52,5;6,1\nC1;p;partner;95;6,1\n",
        encoding="utf-8",
    )
    volunteers = tmp_path / "volunteers.csv"
    volunteers.write_text("volunteer_id,programmes,capacity\nV1,p,-1\nV2,p,1\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run("match", str(clients), str(volunteers), "--out", str(out), *DATE)
    assert code == 1
    assert "Traceback" not in err
    assert err.splitlines() == [
        f"{clients}:2: loss_type: unknown loss type 'partnr'; did you mean 'partner'?"
        " (got 'partnr')",
        f"{clients}:3: lat: must be ≤ 90 (got '95')",
        f"{clients}:3: client_id: duplicate id, first seen on row 2 (got 'C1')",
        f"{volunteers}:2: capacity: must be ≥ 0 (got '-1')",
        f"{volunteers}:3: lat/lon: location is required unless contact is 'phone'"
        " (got contact 'either')",
    ]
    assert not out.exists()


def test_unknown_excluded_volunteer_is_an_input_error(tmp_path: Path) -> None:
    clients = tmp_path / "c.csv"
    clients.write_text(
        "client_id,programme,contact,excluded_volunteers,risk_tier\nC1,p,phone,V9,low\n"
    )
    volunteers = tmp_path / "v.csv"
    volunteers.write_text("volunteer_id,programmes,contact\nV1,p,phone\n")
    code, _, err = run("match", str(clients), str(volunteers), "--out", str(tmp_path / "o"))
    assert code == 1
    assert err.strip() == f"{clients}:2: excluded_volunteers: unknown volunteer id (got 'V9')"


def test_unknown_config_key_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "matcher.toml"
    config.write_text("[weights]\nlived_experiance = 2\n")
    code, _, err = run("match", CLIENTS, VOLUNTEERS, "--config", str(config), "--out",
                       str(tmp_path / "o"))  # fmt: skip
    assert code == 1
    # The files are read as well, to report every problem in one run; these have none.
    assert err.strip().splitlines()[-1] == (
        f"{config}: weights.lived_experiance: unknown key; did you mean 'lived_experience'?"
    )


def test_config_prints_the_defaults() -> None:
    code, out, _ = run("config")
    assert code == 0
    assert MatchConfig.model_validate(tomllib.loads(out)) == MatchConfig()


def test_candidates_lists_allowed_pairs(tmp_path: Path) -> None:
    edges = tmp_path / "edges.csv"
    code, out, _ = run("candidates", CLIENTS, VOLUNTEERS, "--out", str(edges), *DATE)
    assert code == 0
    with edges.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["client_id", "volunteer_id", "weight"]
    assert f"Wrote {len(rows)} allowed pairs" in out
    # Every proposal is among the allowed pairs, with the same weight.
    run("match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path / "m"), *DATE)
    with (tmp_path / "m" / "matches.csv").open(newline="") as handle:
        matches = list(csv.DictReader(handle))
    allowed = {(r["client_id"], r["volunteer_id"]): r["weight"] for r in rows}
    assert all(allowed[(m["client_id"], m["volunteer_id"])] == m["weight"] for m in matches)


def test_explain_matched_and_unmatched_clients(tmp_path: Path) -> None:
    run("match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path), *DATE)
    with (tmp_path / "unmatched.csv").open(newline="") as handle:
        unmatched = next(csv.DictReader(handle))
    with (tmp_path / "matches.csv").open(newline="") as handle:
        matched = next(csv.DictReader(handle))
    code, out, _ = run("explain", CLIENTS, VOLUNTEERS, "--client", matched["client_id"], *DATE, *EN)
    assert code == 0
    assert f"outcome: matched to {matched['volunteer_id']}" in out
    assert "lived_experience" in out
    code, out, _ = run(
        "explain", CLIENTS, VOLUNTEERS, "--client", unmatched["client_id"], *DATE, *EN
    )
    assert code == 0
    assert f"outcome: unmatched: {unmatched['reason']}" in out
    assert "removed by hard rules:" in out


def test_explain_unknown_client_suggests_one() -> None:
    code, _, err = run("-q", "explain", CLIENTS, VOLUNTEERS, "--client", "K0001")
    assert code == 1
    assert (
        err.strip() == f"{CLIENTS}: client_id: no such client; did you mean 'K001'? (got 'K0001')"
    )


def test_validate_exit_codes(tmp_path: Path) -> None:
    code, out, _ = run("validate", CLIENTS, VOLUNTEERS)
    assert code == 0
    assert "no problems" in out
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, _, err = run("validate", str(empty), str(binary))
    assert code == 1
    assert err.splitlines() == [
        f"{empty}: file is empty",
        f"{binary}: not a text file (expected CSV in UTF-8 or Windows-1252)",
    ]


def test_usage_error_exits_with_2() -> None:
    code, _, _ = run("match", CLIENTS)
    assert code == 2


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_real_process(tmp_path: Path, output_format: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "matcher", "match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path),
         "--format", output_format, *DATE],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "summary.json").exists()
    bad = subprocess.run(
        [sys.executable, "-m", "matcher", "validate", str(tmp_path / "missing.csv")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert bad.returncode == 1
    assert bad.stderr.strip() == f"{tmp_path / 'missing.csv'}: no such file"
