"""Every command that words a round for people follows one rule: `--lang` wins, else the
config's [report] lang (for a stored round: the config it was proposed with)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.test_explain_languages import english_words
from tests.test_rounds_cli import DATE, db, invoke

__all__ = ["db"]  # the ledger fixture of tests/test_rounds_cli.py

ENGLISH_CONFIG = '[report]\nlang = "en"\n'


def _said(text: str) -> str:
    # Commands and options to type (`matcher round accept 1`, --only), the policy's name and
    # the options' values (client|volunteer|coordinator) are the same in either language.
    text = re.sub(r"`[^`]*`|--[a-z-]+", "", text)
    return text.replace("beleid optimal", "beleid")


def _out(db_path: Path, *args: str) -> str:
    done = invoke(db_path, *args)
    assert done.exit_code == 0, done.output
    return done.stdout


def test_round_propose_and_show_speak_the_rounds_language(db: Path) -> None:
    proposed = _out(db, "round", "propose", *DATE)
    assert proposed.startswith("Ronde 1 voor 2026-11-23 (beleid optimal, solver optimaal): 25")
    assert "\nBlijven wachten:\n  cliënt  risico  waarom\n" in proposed
    assert "  K030    matig   Alle vrijwilligers vol: alle 1 vrijwilliger(s) van" in proposed
    assert english_words(_said(proposed)) == [], proposed
    shown = _out(db, "round", "show", "1")
    assert shown == proposed  # the same round, read back from the ledger
    english = _out(db, "round", "show", "1", "--lang", "en")
    assert english.startswith("Round 1 for 2026-11-23 (policy optimal, solver optimal): 25")
    assert "\nLeft waiting:\n  client  risk      why\n" in english
    assert "  K030    moderate  no-capacity: all 1 volunteer(s) of" in english
    assert _out(db, "round", "show", "1", "--lang", "nl") == shown


def test_a_stored_round_keeps_the_language_of_its_config(db: Path, tmp_path: Path) -> None:
    config = tmp_path / "english.toml"
    config.write_text(ENGLISH_CONFIG, encoding="utf-8")
    proposed = _out(db, "round", "propose", "--config", str(config), *DATE)
    assert proposed.startswith("Round 1 for 2026-11-23")
    # No --config now: the round's own config says en.
    assert _out(db, "round", "show", "1").startswith("Round 1 for 2026-11-23")
    assert _out(db, "round", "show", "1", "--lang", "nl").startswith("Ronde 1 voor 2026-11-23")
    assert _out(db, "round", "explain", "1", "--client", "K030").startswith("round 1 on ")


def test_the_json_words_follow_the_same_rule(db: Path) -> None:
    dutch: dict[str, Any] = json.loads(_out(db, "round", "propose", "--format", "json", *DATE))
    (k030,) = [u for u in dutch["left_waiting"] if u["client_id"] == "K030"]
    assert k030["reason"] == "no-capacity"  # codes stay codes
    assert k030["detail"].startswith("alle 1 vrijwilliger(s) van")
    english = json.loads(_out(db, "round", "show", "1", "--format", "json", "--lang", "en"))
    assert english["proposals"][0]["why"] == (
        "2.4 km apart; both free Mon morning, Tue afternoon; trained for this risk level"
    )
    assert [p["facts"] for p in english["proposals"]] == [p["facts"] for p in dutch["proposals"]]


def test_round_propose_takes_lang_without_a_report(db: Path) -> None:
    proposed = _out(db, "round", "propose", "--lang", "en", *DATE)
    assert proposed.startswith("Round 1 for 2026-11-23")


def test_the_lang_option_refuses_another_language(db: Path) -> None:
    for args in (("round", "show", "1"), ("round", "propose", *DATE)):
        wrong = invoke(db, *args, "--lang", "de")
        assert wrong.exit_code == 2 and "'de' is not one of 'nl', 'en'" in wrong.stderr


@pytest.mark.parametrize(
    ("config", "args", "expected"),
    [(None, (), "nl"), (ENGLISH_CONFIG, (), "en"), (ENGLISH_CONFIG, ("--lang", "nl"), "nl")],
)
def test_serve_pages_default_to_the_configs_language(
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    config: str | None,
    args: tuple[str, ...],
    expected: str,
) -> None:
    pytest.importorskip("uvicorn")
    import uvicorn

    import matcher.web

    served: list[Any] = []
    monkeypatch.setattr(matcher.web, "create_app", lambda settings: served.append(settings))
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    given = ()
    if config is not None:
        (tmp_path / "english.toml").write_text(config, encoding="utf-8")
        given = ("--config", str(tmp_path / "english.toml"))
    _out(db, "serve", "--db", str(db), *given, *args)
    assert [settings.lang for settings in served] == [expected]
