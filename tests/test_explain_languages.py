"""`explain` from files and `explain --db` in Dutch or English: `--lang` wins, else the config's
[report] lang; the Dutch is said from the explanation's facts and leaves no English behind."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from matcher.engine import prepare, solve
from matcher.explain import explain_client, render_explanation
from matcher.explain_wording import explanation_text
from matcher.file_round import read_round
from tests.test_engine import ONE_PAIR, ROUND_DATE, RULE_CASES
from tests.test_rounds_cli import CLIENTS, DATE, VOLUNTEERS, db, invoke

__all__ = ["db"]  # the ledger fixture of tests/test_rounds_cli.py

# Words of the English explanation (and of the ledger's English) that Dutch never uses; ids,
# programme names and numbers are the only words the two languages share.
ENGLISH = (
    "client clients volunteer volunteers weight waited weeks week outcome matched unmatched"
    " best options option removed hard rules rule would change free place places away travels"
    " serves speaks only the and not with given more none any unknown pinned declined ledger"
    " round rounds both lost apart covers needs trained level risk phone visit time shared"
    " language gender excluded earlier stored proposed waiting left full paused since active"
    " centre location approximate few least whatever"
)
_ENGLISH_WORD = re.compile(r"\b(" + ENGLISH.replace(" ", "|") + r")\b")


def english_words(text: str) -> list[str]:
    # Ids such as V01 and programme names (zwolle-partnerverlies) are data, not words.
    return sorted(set(_ENGLISH_WORD.findall(text)))


def test_the_english_word_list_catches_english() -> None:
    assert english_words("V1 is 4.0 km away, travels 2 km") == ["away", "travels"]
    assert english_words("V1: 4,0 km weg, reist tot 2 km (cliënt zwolle-partnerverlies)") == []


def test_every_client_of_the_example_round_is_explained_in_dutch_only() -> None:
    _, prepared = read_round(CLIENTS, VOLUNTEERS, None, ROUND_DATE)
    result = solve(prepared)
    assert result.unmatched, "the example round leaves clients waiting"
    for client_id in prepared.population.client_ids:
        explanation = explain_client(prepared, result, client_id)
        dutch = explanation_text(explanation, prepared, "nl")
        assert english_words(dutch) == [], (client_id, dutch)
        assert explanation_text(explanation, prepared, "en") == render_explanation(
            explanation, prepared
        )


@pytest.mark.parametrize(("client", "volunteer", "rule"), RULE_CASES)
def test_each_rule_is_explained_in_dutch_only(
    client: dict[str, Any], volunteer: dict[str, Any], rule: str
) -> None:
    prepared = prepare([ONE_PAIR[0] | client], [ONE_PAIR[1] | volunteer], None, ROUND_DATE)
    explanation = explain_client(prepared, solve(prepared), "C1")
    assert explanation.unmatched is not None and explanation.matched is None
    dutch = explanation_text(explanation, prepared, "nl")
    assert english_words(dutch) == [], dutch
    assert "uitkomst: wacht: " in dutch


def test_the_outcome_is_facts_the_dutch_says() -> None:
    prepared = prepare(list(ONE_PAIR[:1]), list(ONE_PAIR[1:]), None, ROUND_DATE)
    explanation = explain_client(prepared, solve(prepared), "C1")
    assert explanation.matched is not None and explanation.unmatched is None
    volunteer, _ = explanation.matched
    assert f"uitkomst: gekoppeld aan {volunteer} (gewicht " in explanation_text(
        explanation, prepared, "nl"
    )
    assert explanation.outcome.startswith(f"matched to {volunteer} (weight ")


def _explain(db_path: Path, *args: str) -> str:
    found = invoke(db_path, "explain", *args)
    assert found.exit_code == 0, found.output
    return found.stdout


def test_explain_from_files_follows_lang_then_the_config(db: Path, tmp_path: Path) -> None:
    files = (CLIENTS, VOLUNTEERS, "--client", "K030", *DATE)
    dutch = _explain(db, *files)  # no config: [report] lang is nl
    assert dutch.startswith("cliënt K030: risico matig")
    assert english_words(dutch) == []
    assert _explain(db, *files, "--lang", "nl") == dutch
    english = _explain(db, *files, "--lang", "en")
    assert english.startswith("client K030: risk moderate")
    config = tmp_path / "english.toml"
    config.write_text('[report]\nlang = "en"\n', encoding="utf-8")
    assert _explain(db, *files, "--config", str(config)) == english
    assert _explain(db, *files, "--config", str(config), "--lang", "nl") == dutch


def test_explain_db_follows_lang_then_the_config(db: Path, tmp_path: Path) -> None:
    assert invoke(db, "round", "propose", *DATE).exit_code == 0
    accepted = invoke(db, "round", "accept", "1", "--only", "K001", *DATE)
    assert accepted.exit_code == 0, accepted.output
    for client_id in ("K030", "K005", "K001"):  # waiting, waiting, in an active match
        args = ("--db", str(db), "--client", client_id, "--date", "2026-11-30")
        dutch = _explain(db, *args)
        assert dutch.startswith("een ronde op 2026-11-30 zoals het grootboek"), dutch
        assert english_words(dutch) == [], dutch
        english = _explain(db, *args, "--lang", "en")
        assert english.startswith("a round on 2026-11-30 as the ledger would propose it")
        config = tmp_path / "english.toml"
        config.write_text('[report]\nlang = "en"\n', encoding="utf-8")
        assert _explain(db, *args, "--config", str(config)) == english
    assert "actieve koppeling met V04 sinds 2026-11-23" in dutch


def test_explain_refuses_an_unknown_language(db: Path) -> None:
    wrong = invoke(db, "explain", CLIENTS, VOLUNTEERS, "--client", "K030", "--lang", "de")
    assert wrong.exit_code == 2
    assert "'de' is not one of 'nl', 'en'" in wrong.stderr
    assert "Traceback" not in wrong.output
