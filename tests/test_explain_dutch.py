"""explain's hints as facts, said in Dutch and English from the same facts: per rule, in the
CLI's `round explain --lang` and on the web app's Waarom? page (tests/test_web_pages.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from matcher.engine import prepare, solve
from matcher.explain import explain_client, render_explanation
from matcher.hint_wording import hint_text
from matcher.hints import BlockingHint
from tests.test_engine import ONE_PAIR, ROUND_DATE, RULE_CASES
from tests.test_rounds_cli import DATE, db, invoke

__all__ = ["db"]  # the ledger fixture of tests/test_rounds_cli.py

# What blocks V1 for C1 under each rule of tests/test_engine.RULE_CASES: English, Dutch.
SAID = {
    "no-programme": ("V1 serves p, not q", "V1 werkt in p, niet in q"),
    "no-capacity": ("V1 has no free place (1 of 1)", "V1 heeft geen vrije plek (1 van 1)"),
    "contact-mismatch": (
        "V1 meets by phone only, the client by visit only",
        "V1 heeft alleen contact via telefoon, de cliënt alleen via bezoek",
    ),
    "too-far": (
        "V1 is 111.2 km away, travels 10 km (contact: client visit, volunteer visit)",
        "V1: 111,2 km weg, reist tot 10 km (contact: cliënt bezoek, vrijwilliger bezoek)",
    ),
    "no-shared-time": ("V1 is free sun-eve", "V1 kan op zondagavond"),
    "no-shared-language": ("V1 speaks nl", "V1 spreekt Nederlands"),
    "gender-preference": ("V1 has gender m", "V1 heeft geslacht man"),
    "excluded": ("the client excluded V1", "de cliënt sloot V1 uit"),
    "training-required": (
        "V1 is not trained in grief or advanced",
        "V1 heeft geen training in rouw of gevorderde training",
    ),
}


@pytest.mark.parametrize(("client", "volunteer", "rule"), RULE_CASES)
def test_each_rules_hint_is_facts_said_in_both_languages(
    client: dict[str, Any], volunteer: dict[str, Any], rule: str
) -> None:
    prepared = prepare([ONE_PAIR[0] | client], [ONE_PAIR[1] | volunteer], None, ROUND_DATE)
    explanation = explain_client(prepared, solve(prepared), "C1")
    (hint,) = explanation.hints[rule]
    assert (hint.rule, hint.volunteer_id) == (rule, "V1")
    english, dutch = SAID[rule]
    assert (hint_text(hint, "en"), hint_text(hint, "nl")) == (english, dutch)
    # The one volunteer fails this rule alone: the change to make, in either language.
    assert explanation.changes == (f"{english}: the only rule in the way ({rule})",)
    (change,) = explanation.changes_in("nl")
    assert change.startswith(f"{dutch}: alleen de regel '")
    assert f"\n      {english}\n" in render_explanation(explanation, prepared)


def test_the_facts_carry_the_numbers() -> None:
    too_far = RULE_CASES[3]
    prepared = prepare([ONE_PAIR[0] | too_far[0]], [ONE_PAIR[1] | too_far[1]], None, ROUND_DATE)
    (hint,) = explain_client(prepared, solve(prepared), "C1").hints["too-far"]
    assert hint.km == pytest.approx(111.19, abs=0.01)
    assert (hint.max_travel_km, hint.approximate) == (10.0, False)
    assert (hint.client_contact, hint.volunteer_contact) == ("visit", "visit")


@pytest.mark.parametrize(
    ("hint", "english", "dutch"),
    [
        (
            BlockingHint("no-capacity", "V0", hours=(0.5, 4.0, 1.5)),
            "V0 has 0.5 of 4 hour(s) a week free; the client needs 1.5",
            "V0 heeft 0,5 van 4 uur per week vrij; de cliënt heeft 1,5 nodig",
        ),
        (
            BlockingHint(
                "too-far",
                "V2",
                km=12.34,
                approximate=True,
                max_travel_km=7.5,
                client_contact="either",
                volunteer_contact="visit",
            ),
            "V2 is ≈12.3 km away, travels 7.5 km (contact: client either, volunteer visit)",
            "V2: ≈12,3 km weg, reist tot 7,5 km (contact: cliënt bezoek of telefoon,"
            " vrijwilliger bezoek)",
        ),
        (
            BlockingHint(
                "too-far", "V3", max_travel_km=10, client_contact="visit", volunteer_contact="visit"
            ),
            "V3 is location unknown, travels 10 km (contact: client visit, volunteer visit)",
            "V3: locatie onbekend, reist tot 10 km (contact: cliënt bezoek, vrijwilliger bezoek)",
        ),
        (
            BlockingHint("no-shared-time", "V4", availability=("tue-am", "sat-eve")),
            "V4 is free tue-am, sat-eve",
            "V4 kan op dinsdagochtend, zaterdagavond",
        ),
        (BlockingHint("no-shared-time", "V4"), "V4 is free any time", "V4 kan op elk moment"),
        (
            BlockingHint("no-shared-language", "V5", languages=("ar", "xx")),
            "V5 speaks ar, xx",
            "V5 spreekt Arabisch, xx",
        ),
        (
            BlockingHint("gender-preference", "V6"),
            "V6 has gender unknown",
            "V6 heeft geslacht onbekend",
        ),
        (
            BlockingHint("excluded", "V7", declined_by="coordinator"),
            "V7 was declined for this client in an earlier round (by coordinator)",
            "V7 is in een eerdere ronde afgewezen voor deze cliënt (door de coördinator)",
        ),
    ],
)
def test_hints_from_given_facts(hint: BlockingHint, english: str, dutch: str) -> None:
    assert (hint_text(hint, "en"), hint_text(hint, "nl")) == (english, dutch)


# K030 waits in the example round: its one volunteer is full, the others serve elsewhere.
K030_NL = """\
ronde 1 op 2026-11-23, opnieuw opgebouwd uit het grootboek: dezelfde gegevens als bij het voorstel
opgeslagen in ronde 1: bleef wachten (Alle vrijwilligers vol)

cliënt K030: risico matig, wacht 1,0 weken
uitkomst: wacht: Alle vrijwilligers vol: alle 1 vrijwilliger(s) van zwolle-levensboek zitten vol

geen toegestane vrijwilliger.

weggevallen door harde regels:
  Geen vrijwilliger in het programma: 14 vrijwilliger(s)
      V01 werkt in zwolle-partnerverlies, niet in zwolle-levensboek
      V02 werkt in zwolle-partnerverlies, niet in zwolle-levensboek
      V03 werkt in zwolle-partnerverlies, niet in zwolle-levensboek
      V04 werkt in zwolle-partnerverlies, niet in zwolle-levensboek
      V05 werkt in zwolle-partnerverlies, niet in zwolle-levensboek
      … en nog 9
  Alle vrijwilligers vol: 1 vrijwilliger(s)
      V14 heeft geen vrije plek (1 van 1)

wat de uitkomst zou veranderen:
  - V14 heeft geen vrije plek (1 van 1): alleen de regel 'Alle vrijwilligers vol' staat in de weg
"""


def test_round_explain_speaks_the_rounds_language_or_the_one_asked(db: Path) -> None:
    assert invoke(db, "round", "propose", *DATE).exit_code == 0
    dutch = invoke(db, "round", "explain", "1", "--client", "K030", "--lang", "nl")
    assert dutch.exit_code == 0, dutch.output
    assert dutch.stdout.startswith(K030_NL)
    assert "in het grootboek:\n  geen pauze, afwijzing" in dutch.stdout
    # The round's config says nl ([report] lang, the default): so does round explain.
    assert invoke(db, "round", "explain", "1", "--client", "K030").stdout == dutch.stdout
    english = invoke(db, "round", "explain", "1", "--client", "K030", "--lang", "en").stdout
    assert "      V14 has no free place (1 of 1)\n" in english
    assert "V14 has no free place (1 of 1): the only rule in the way (no-capacity)" in english
    assert "cliënt" not in english
    wrong = invoke(db, "round", "explain", "1", "--client", "K030", "--lang", "de")
    assert wrong.exit_code == 2 and "'de' is not one of 'nl', 'en'" in wrong.stderr
