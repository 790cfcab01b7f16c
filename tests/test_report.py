"""The HTML reports: content, languages, pseudonyms, escaping, determinism, and failures."""

from __future__ import annotations

import csv
import importlib.util
import re
import stat
from pathlib import Path

import pytest

from matcher import vocab
from matcher.engine import match
from matcher.io import read_clients, read_volunteers
from matcher.report.texts import TEXTS
from matcher.result import REASON_CODES
from matcher.wording import LOSS_OBJECT, REASON_LABELS, REASON_REMEDIES, unmatched_detail
from tests.ledger_checks import ROOT
from tests.report_support import (
    CLIENTS,
    DATE,
    KEY,
    VOLUNTEERS,
    everything_in,
    match_report,
    run,
    simulation_report,
)


def ids_in(path: str, column: str) -> list[str]:
    with open(path, encoding="utf-8-sig") as handle:
        return [row[column] for row in csv.DictReader(handle, delimiter=";")]


def test_round_report_is_one_self_contained_file(tmp_path: Path) -> None:
    html = match_report(tmp_path).read_text()
    # Nothing is fetched: every image is embedded, no script, no stylesheet link, no web font.
    assert re.findall(r'<img src="([^"]{0,30})', html) and all(
        src.startswith("data:image/svg+xml;base64,")
        for src in re.findall(r'<img src="([^"]+)"', html)
    )
    assert "<script" not in html
    assert "<link" not in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "@import" not in html and "url(" not in html
    for section in ("summary", "proposals", "waiting", "recruits", "map", "loads"):
        assert f'<section id="{section}">' in html


def test_round_report_holds_every_proposal_and_every_waiting_client(tmp_path: Path) -> None:
    html = match_report(tmp_path, "--lang", "en").read_text()
    with open(tmp_path / "out" / "matches.csv") as handle:
        matches = list(csv.DictReader(handle))
    with open(tmp_path / "out" / "unmatched.csv") as handle:
        unmatched = list(csv.DictReader(handle))
    assert html.count('<tr class="pair">') == len(matches) == 25
    for row in matches:
        assert f"{row['client_id']} – {row['volunteer_id']}" in html
    for row in unmatched:
        assert f'<td class="ids" data-label="Client">{row["client_id"]}</td>' in html
        assert f'id="reason-{row["reason"]}"' in html
    assert "Proposed</dt><dd>25 of 30</dd>" in html


def test_pair_reasons_are_in_plain_words(tmp_path: Path) -> None:
    english = match_report(tmp_path, "--lang", "en", name="en.html").read_text()
    dutch = match_report(tmp_path, "--lang", "nl", name="nl.html").read_text()
    assert "both lost a partner" in english and "km apart" in english
    assert "beiden verloren een partner" in dutch and "km uit elkaar" in dutch
    # Dutch writes a decimal comma.
    assert re.search(r"\d,\d km uit elkaar", dutch)
    assert "Voorstellen" in dutch and "Proposals" not in dutch
    assert '<html lang="nl">' in dutch and '<html lang="en">' in english


def test_language_defaults_to_the_config(tmp_path: Path) -> None:
    assert '<html lang="nl">' in match_report(tmp_path, name="default.html").read_text()
    config = tmp_path / "matcher.toml"
    config.write_text('[report]\nlang = "en"\n')
    html = match_report(tmp_path, "--config", str(config), name="config.html").read_text()
    assert '<html lang="en">' in html
    bad = tmp_path / "bad.toml"
    bad.write_text('[report]\nlang = "de"\n')
    result = run("match", CLIENTS, VOLUNTEERS, "--config", str(bad), "--report", "x.html")
    assert result.exit_code == 1
    assert "report.lang" in result.stderr


def test_report_keeps_no_names_or_notes(tmp_path: Path) -> None:
    text = everything_in(match_report(tmp_path).read_text())
    with open(CLIENTS, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    for row in rows:
        assert row["naam"] not in text
        if row["notities"]:
            assert row["notities"] not in text


def test_pseudonymised_report_names_nobody_and_is_stable(tmp_path: Path) -> None:
    first = match_report(tmp_path, "--pseudonymise", name="a.html").read_text()
    again = match_report(tmp_path, "--pseudonymise", name="b.html").read_text()
    assert first == again
    text = everything_in(first)
    for identifier in ids_in(CLIENTS, "client_id") + ids_in(VOLUNTEERS, "volunteer_id"):
        assert not re.search(rf"\b{re.escape(identifier)}\b", text), identifier
    assert re.search(r"C-[A-Z2-7]{10} – V-[A-Z2-7]{10}", first)
    assert 'id="pseudonymised"' in first
    # Another key, other pseudonyms: without the key nobody can link them.
    other = run(
        "match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path / "o2"), *DATE, "--pseudonymise",
        "--report", str(tmp_path / "c.html"),
        env={"MATCHER_PSEUDONYM_KEY": "another key, also of at least 32 bytes"},
    )  # fmt: skip
    assert other.exit_code == 0
    first_pair = re.search(r"C-[A-Z2-7]{10}", first)
    assert first_pair and first_pair.group() not in (tmp_path / "c.html").read_text()


def test_pseudonym_key_is_made_once_and_private(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "MATCHER_PSEUDONYM_KEY": ""}
    for name in ("a.html", "b.html"):
        result = run(
            "match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path / "out"), *DATE,
            "--pseudonymise", "--report", str(tmp_path / name), env=env,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    key = tmp_path / "config" / "matcher" / "pseudonym.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_same_input_gives_a_byte_identical_report(tmp_path: Path) -> None:
    a = match_report(tmp_path, name="a.html").read_bytes()
    b = match_report(tmp_path, name="b.html").read_bytes()
    assert a == b


def test_values_from_spreadsheets_are_never_markup(tmp_path: Path) -> None:
    clients = tmp_path / "clients.csv"
    attack = "<script>alert(1)</script>"
    clients.write_text(
        "client_id,programme,lat,lon,district,languages\n"
        f'c1,p,52.5,6.1,"{attack}",ar\n'
        f'c2,p,52.5,6.1,"{attack}",nl\n'
    )
    volunteers = tmp_path / "volunteers.csv"
    volunteers.write_text("volunteer_id,programmes,lat,lon,capacity\nv1,p,52.5,6.1,1\n")
    report = tmp_path / "r.html"
    result = run(
        "match", str(clients), str(volunteers), "--out", str(tmp_path / "out"), "--report",
        str(report), "--lang", "en",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html = report.read_text()
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_recruit_suggestions_hold_when_the_volunteer_is_recruited(tmp_path: Path) -> None:
    """The suggestion names a profile; adding a volunteer like it matches those clients."""
    clients = tmp_path / "clients.csv"
    clients.write_text(
        "client_id,programme,lat,lon,district,languages,loss_type,availability\n"
        "c1,p,52.50,6.10,Zuid,ar,child,mon-am\n"
        "c2,p,52.51,6.11,Zuid,ar,child,mon-am|tue-pm\n"
        "c3,p,52.60,6.30,Noord,nl,partner,wed-eve\n"
    )
    volunteers = tmp_path / "volunteers.csv"
    volunteers.write_text(
        "volunteer_id,programmes,lat,lon,capacity,availability\nv1,p,52.6,6.3,1,wed-eve\n"
    )
    report = tmp_path / "r.html"
    args = ["--out", str(tmp_path / "out"), "--report", str(report), "--lang", "en", *DATE]
    assert run("match", str(clients), str(volunteers), *args).exit_code == 0
    html = report.read_text()
    suggestion = re.search(r"<li>(A volunteer in Zuid[^<]*)</li>", html)
    assert suggestion, html[html.find('id="recruits"') :][:800]
    sentence = suggestion.group(1)
    assert "speaking Arabic" in sentence and "losing a child" in sentence
    assert "2 waiting client(s): c1, c2." in sentence
    # Recruit such a volunteer (with two places): both clients are then matched.
    recruited = tmp_path / "recruited.csv"
    recruited.write_text(
        "volunteer_id,programmes,lat,lon,capacity,availability,languages,lived_experience\n"
        "v1,p,52.6,6.3,1,wed-eve,nl,\n"
        "v2,p,52.505,6.105,2,mon-am,ar|nl,child\n"
    )
    result = match(read_clients(clients), read_volunteers(recruited))
    assert {m.client_id for m in result.matches} == {"c1", "c2", "c3"}


def test_report_without_the_extra_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "matplotlib" else real(name, *a),
    )
    out = tmp_path / "out"
    result = run(
        "match", CLIENTS, VOLUNTEERS, "--out", str(out), "--report", str(tmp_path / "r.html")
    )
    assert result.exit_code == 1
    assert "pip install 'matcher[report]'" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() and not (tmp_path / "r.html").exists()


def test_a_report_that_cannot_be_written_leaves_no_round_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(
        "match", CLIENTS, VOLUNTEERS, "--out", str(out), "--report",
        str(tmp_path / "missing-dir" / "r.html"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not (out / "matches.csv").exists()


def test_round_propose_report_and_a_failed_report_stores_no_round(tmp_path: Path) -> None:
    env = {**KEY, "MATCHER_DB": str(tmp_path / "m.db")}
    for args in (
        ("db", "init"),
        ("import", "volunteers", VOLUNTEERS),
        ("import", "clients", CLIENTS, *DATE),
        ("pin", "K001", "V04"),
    ):
        assert run(*args, env=env).exit_code == 0
    failed = run("round", "propose", *DATE, "--report", str(tmp_path / "no" / "r.html"), env=env)
    assert failed.exit_code == 1
    assert run("round", "show", "1", env=env).exit_code == 1  # nothing was stored
    report = tmp_path / "round.html"
    result = run("round", "propose", *DATE, "--report", str(report), "--lang", "en", env=env)
    assert result.exit_code == 0, result.output
    html = report.read_text()
    assert "Matching round 1, 2026-11-23" in html
    assert 'K001 – V04 <span class="pinned">(pinned)</span>' in html
    assert "pinned by the coordinator" in html


def test_simulation_report_compares_the_policies(tmp_path: Path) -> None:
    html = simulation_report(tmp_path, "--lang", "en").read_text()
    for chart in ("wait-chart", "waiting-chart", "matched-chart", "hindsight-chart",
                  "balance-chart"):  # fmt: skip
        assert f'id="{chart}"' in html
    assert html.count('<tr class="policy">') == 2
    with open(tmp_path / "sim" / "traces.csv") as handle:
        header = next(csv.reader(handle))
    assert {"waiting_high", "wait_weeks_high"} <= set(header)
    # Same seed, same report, but for the measured compute time per round.
    again = simulation_report(tmp_path, "--lang", "en").read_text()

    def untimed(page: str) -> str:
        return re.sub(r'data-label="ms / round">[^<]*<', "", page)

    assert untimed(html) == untimed(again)


def test_the_two_languages_say_the_same_things() -> None:
    assert TEXTS["en"].keys() == TEXTS["nl"].keys()
    for table in (REASON_LABELS, REASON_REMEDIES):
        assert table["en"].keys() == table["nl"].keys() == set(REASON_CODES)
    losses = set(vocab.LOSS_TYPES) - {"none"}
    assert LOSS_OBJECT["en"].keys() == LOSS_OBJECT["nl"].keys() == losses


def test_waiting_details_are_said_in_both_languages_from_the_facts() -> None:
    clients = read_clients(ROOT / "examples" / "clients.csv")
    volunteers = read_volunteers(ROOT / "examples" / "volunteers.csv")
    result = match(clients, volunteers)
    assert result.unmatched
    for item in result.unmatched:
        english, dutch = unmatched_detail(item, "en"), unmatched_detail(item, "nl")
        assert english and dutch and english != dutch
        assert unmatched_detail(item, "en", weights=True).startswith(english.split(" ")[0])


def test_report_options_without_a_report_are_a_usage_error(tmp_path: Path) -> None:
    for option in ("--pseudonymise", "--lang=en"):
        result = run("match", CLIENTS, VOLUNTEERS, "--out", str(tmp_path / "out"), option)
        assert result.exit_code == 2
        assert "add --report FILE.html" in result.output
        assert not (tmp_path / "out").exists()


def test_library_report_of_a_match_as_the_readme_shows() -> None:
    from matcher.config import MatchConfig
    from matcher.report import round_report
    from matcher.report.round import RoundInput

    clients = read_clients(ROOT / "examples" / "clients.csv")
    volunteers = read_volunteers(ROOT / "examples" / "volunteers.csv")
    config = MatchConfig()
    result = match(clients, volunteers, config)
    html = round_report(RoundInput.of_match(result, clients, volunteers, config), lang="en")
    assert html.count('<tr class="pair">') == len(result.matches)
