"""One result: the engine's facts, recomputed here from the records by hand, and a stored
round shown from its facts in English (as before) and in Dutch, old ledgers included."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import matcher
from matcher.cli import main
from matcher.config import MatchConfig
from matcher.facts import fast_maker
from matcher.models import Client, Volunteer
from matcher.result import REASON_CODES, ReasonCode
from matcher.rounds import Ledger, legacy
from matcher.scenarios import generate, load
from matcher.vocab import RISK_TIERS, SLOTS
from matcher.wording import render_pair_reasons, unmatched_detail
from tests.ledger_checks import ROOT

ROUND_DATE = dt.date(2026, 11, 23)
DATA = ROOT / "tests" / "data"
DEPTH = {"basic": 1, "life-questions": 1, "life-story": 1, "grief": 2, "advanced": 3}


def _rounds() -> list[tuple[list[Client], list[Volunteer], MatchConfig]]:
    demo = (
        matcher.read_clients(str(ROOT / "examples" / "clients.csv")),
        matcher.read_volunteers(str(ROOT / "examples" / "volunteers.csv")),
        MatchConfig(),
    )
    rural = load("rural")
    clients, volunteers = generate(rural, 0, round_date=ROUND_DATE)
    return [demo, (clients, volunteers, rural.config)]


ROUNDS = _rounds()


def _km(c: Client, v: Volunteer) -> float | None:
    if c.lat is None or v.lat is None or c.lon is None or v.lon is None:
        return None
    p1, p2 = math.radians(c.lat), math.radians(v.lat)
    dp, dl = p2 - p1, math.radians(v.lon - c.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@pytest.mark.parametrize("people", ROUNDS, ids=["demo", "rural"])
def test_facts_and_scores_equal_a_recomputation_from_the_records(
    people: tuple[list[Client], list[Volunteer], MatchConfig],
) -> None:
    clients, volunteers, config = people
    result = matcher.match(clients, volunteers, config, round_date=ROUND_DATE)
    by_id = {c.client_id: c for c in clients}
    vol = {v.volunteer_id: v for v in volunteers}
    assert result.matches
    for m in result.matches:
        c, v, f = by_id[m.client_id], vol[m.volunteer_id], m.facts
        km = _km(c, v)
        if km is None:
            assert f.distance_km is None and not f.within_travel
        else:
            assert f.distance_km == pytest.approx(km, abs=0.05)  # earth radius conventions
            assert f.within_travel == (f.distance_km <= v.max_travel_km)
        visits = f.within_travel and "phone" not in (c.contact, v.contact)
        assert f.contact == ("visit" if visits else "phone")
        assert f.approximate == (f.distance_basis is not None)
        centres = [
            x
            for x in ("place", "district", "postcode")
            if x in (c.location_source, v.location_source)
        ]
        assert f.distance_basis == (centres[0] if centres else None)
        both_named = [s for s in SLOTS if s in c.availability and s in v.availability]
        assert f.shared_slots == tuple(both_named)
        assert (f.needs_covered, f.needs_total) == (len(set(c.needs) & set(v.skills)), len(c.needs))
        lived = {x for x in v.lived_experience if x != "none"}
        loss = None if c.loss_type in (None, "none") else c.loss_type
        expected = "same-loss" if loss in lived else "knows-loss" if lived else "none"
        assert f.lived_experience == expected
        depth = max((DEPTH[t] for t in v.training), default=0)
        tier = RISK_TIERS.index(m.risk_tier)
        assert f.trained_for_tier == (tier > 0 and depth >= tier + 1)

        # The scores, by the formulas of the README.
        s = m.scores
        assert s["lived_experience"] == (
            0.5 if loss is None else 1.0 if loss in lived else 0.5 if lived else 0.0
        )
        closeness = (
            max(0.0, 1 - f.distance_km / v.max_travel_km)
            if visits and f.distance_km is not None and v.max_travel_km > 0
            else (1.0 if visits else 0.0)
        )
        assert s["closeness"] == pytest.approx(closeness, abs=1e-9)
        c_slots = set(c.availability) or set(SLOTS)
        v_slots = set(v.availability) or set(SLOTS)
        assert s["availability"] == pytest.approx(min(len(c_slots & v_slots), 3) / 3)
        needs = len(set(c.needs) & set(v.skills)) / len(c.needs) if c.needs else 0.5
        assert s["needs"] == pytest.approx(needs)
        assert s["training"] == pytest.approx(min(depth / (tier + 1), 1.0))
        weights = config.weights.model_dump()
        fit = sum(weights[k] * s[k] for k in s) / sum(weights[k] for k in s)
        bonus = getattr(config.priority.tier_bonus, m.risk_tier)
        cap = config.priority.waiting_cap_weeks
        assert m.priority >= bonus and m.priority <= bonus + config.priority.waiting_bonus * (
            1 + 1e-9
        )
        assert m.weight == pytest.approx(config.priority.match_value + m.priority + fit, abs=1e-6)
        assert cap > 0


@pytest.mark.parametrize("people", ROUNDS, ids=["demo", "rural"])
def test_waiting_facts_name_the_rule_and_who_took_the_best_option(
    people: tuple[list[Client], list[Volunteer], MatchConfig],
) -> None:
    clients, volunteers, config = people
    result = matcher.match(clients, volunteers, config, round_date=ROUND_DATE)
    given_to: dict[str, list[str]] = {}
    for m in result.matches:
        given_to.setdefault(m.volunteer_id, []).append(m.client_id)
    programme = {c.client_id: c.programme for c in clients}
    assert result.unmatched
    for u in result.unmatched:
        counts = [n for _, n in u.options_left]
        assert counts == sorted(counts, reverse=True)  # a rule only removes options
        assert u.programme == programme[u.client_id] and u.policy == result.policy
        if u.reason == "outcompeted":
            assert counts[-1] > 0 and u.best_volunteer is not None
            assert list(u.taken_by) == given_to.get(u.best_volunteer, [])
            assert len(u.taken_weight_units) == len(u.taken_by)
        else:
            codes = [code for code, _ in u.options_left]
            stage = codes.index(u.reason)
            assert counts[stage] == 0
            assert u.options_before == (counts[stage - 1] if stage else len(volunteers))


def test_reason_codes_are_the_rules_and_the_literal() -> None:
    from typing import get_args

    assert get_args(ReasonCode) == REASON_CODES
    assert set(REASON_CODES) == {r.code for r in matcher.candidates.RULES} | {
        "volunteers-paused",
        "outcompeted",
    }


@pytest.mark.parametrize("people", ROUNDS, ids=["demo", "rural"])
def test_english_text_reads_back_into_the_same_facts(
    people: tuple[list[Client], list[Volunteer], MatchConfig],
) -> None:
    """What an older ledger stored (English only) reads back into facts that say the same."""
    result = matcher.match(*people, round_date=ROUND_DATE)
    for m in result.matches:
        english = render_pair_reasons(m.reasons)
        read_back = legacy.pair_reasons(english)
        assert read_back is not None, english
        assert render_pair_reasons(read_back) == english
        assert render_pair_reasons(read_back, "nl") == render_pair_reasons(m.reasons, "nl")
    for u in result.unmatched:
        english = unmatched_detail(u, weights=True)
        facts = legacy.unmatched_facts(u.reason, english)
        assert facts is not None, english
        if "options_before" in facts:
            assert facts["options_before"] == u.options_before
        if "best_volunteer" in facts:
            assert (facts["best_volunteer"], facts["taken_by"]) == (
                u.best_volunteer,
                list(u.taken_by),
            )
    assert legacy.pair_reasons("both lost a partner; something else") is None
    assert legacy.unmatched_facts("too-far", "a sentence of someone else") is None


def _show(db: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["round", "show", "1", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_stored_round_shows_in_english_as_proposed_and_in_dutch(tmp_path: Path) -> None:
    from matcher.rounds.render import proposal_text

    db = tmp_path / "matcher.db"
    with Ledger.create(db) as ledger:
        ledger.import_volunteers(
            matcher.read_volunteers(str(ROOT / "examples" / "volunteers.csv")), on=ROUND_DATE
        )
        ledger.import_clients(
            matcher.read_clients(str(ROOT / "examples" / "clients.csv")), on=ROUND_DATE
        )
        ledger.pin("K002", "V06", on=ROUND_DATE)
        fresh = ledger.propose(round_date=ROUND_DATE)
    english = _show(db, "--lang", "en")
    assert english == proposal_text(fresh) + "\n"
    assert _show(db) == proposal_text(fresh, lang="nl") + "\n"  # the round's config: nl
    dutch = _show(db, "--lang", "nl")
    assert dutch != english
    assert "vastgezet door de coördinator" in dutch and "km uit elkaar" in dutch
    assert "pinned by" not in dutch and " km apart" not in dutch

    # the clients, volunteers, weights and decisions are the same rows (Dutch: a decimal comma)
    def strip(text: str) -> list[list[str]]:
        cells = [line.split() for line in text.splitlines() if line.startswith("  K")]
        rows = [row[:3] for row in cells if row[1].startswith("V")]  # the proposals
        return [[client, volunteer, weight.replace(",", ".")] for client, volunteer, weight in rows]

    assert strip(dutch) == strip(english)


def test_an_old_ledger_upgrades_and_shows_its_round_in_both_languages(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    conn = sqlite3.connect(db)
    conn.executescript((DATA / "ledger_v1.sql").read_text(encoding="utf-8"))
    conn.execute(
        "UPDATE proposals SET pinned = 1,"
        " reasons = 'pinned by the coordinator; both lost a partner;"
        " ≈1.2 km apart (postcode centres); both free Tue evening, Wed morning (+3)'"
        " WHERE client_id = 'K002'"
    )
    conn.execute("UPDATE proposals SET reasons = 'a text by hand' WHERE client_id = 'K003'")
    conn.commit()
    conn.close()
    with Ledger(db) as ledger:
        assert ledger.upgraded_from == 1
    english = _show(db, "--lang", "en")
    assert "K001    V01        3.000000  low   accepted  both lost a partner" in english
    approximate = "≈1.2 km apart (postcode centres); both free Tue evening, Wed morning (+3)"
    assert f"pinned by the coordinator; both lost a partner; {approximate}" in english
    assert "a text by hand" in english
    dutch = _show(db, "--lang", "nl")
    assert "beiden verloren een partner" in dutch
    assert (
        "≈1,2 km uit elkaar (postcodecentra); beiden vrij op dinsdagavond, woensdagochtend (+3)"
        in dutch
    )
    assert "a text by hand" in dutch  # not ours to translate: shown as it was


def test_result_objects_made_fast_are_the_ones_init_makes() -> None:
    """The engine makes its result objects with matcher.facts.fast_maker: each one equals
    (and hashes, prints and stays frozen like) the object the class's own __init__ makes from
    the same fields; the maker refuses a class whose __init__ does more than set fields."""
    clients, volunteers, config = _rounds()[1]
    result = matcher.match(clients, volunteers, config, round_date=ROUND_DATE)
    assert result.matches and result.unmatched
    made = [*result.matches, *(m.facts for m in result.matches), *result.unmatched]
    for fast in made:
        again = type(fast)(**{f.name: getattr(fast, f.name) for f in dataclasses.fields(fast)})
        assert fast == again and repr(fast) == repr(again)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(fast, dataclasses.fields(fast)[0].name, None)
    assert {hash(u) for u in result.unmatched} == {
        hash(dataclasses.replace(u)) for u in result.unmatched
    }

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        n: int

        def __post_init__(self) -> None:
            assert self.n >= 0

    @dataclasses.dataclass(slots=True)
    class Mutable:
        n: int

    for cls in (Checked, Mutable):
        with pytest.raises(TypeError):
            fast_maker(cls)
