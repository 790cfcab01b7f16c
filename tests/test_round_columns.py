"""matches.csv and unmatched.csv written column by column from the engine's arrays
(matcher.round_columns) hold exactly the bytes the writer from the result objects gave
(`object_match_rows`, `object_unmatched_rows`: that writer as it was), on random rounds with
ids a spreadsheet would run as formulas, quotes, line ends and unicode; and a round written
by the command makes no result object per row."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher import outcome, round_columns, scenarios, vocab
from matcher.bottleneck import chosen_edges
from matcher.cli import main
from matcher.engine import prepare, solve
from matcher.file_round import read_round
from matcher.io import format_csv, format_csv_columns
from matcher.lazy_tuple import LazyTuple
from matcher.output import MATCH_COLUMNS, UNMATCHED_COLUMNS
from matcher.result import MatchResult
from matcher.round_columns import fixed_texts, match_columns, unmatched_columns, weight_texts
from matcher.scoring import CRITERIA, format_weight
from matcher.wording import unmatched_detail
from tests.strategies import rounds
from tests.test_hours import hours_rounds

ROUND_DATE = dt.date(2026, 11, 23)
Round = tuple[list[dict[str, Any]], list[dict[str, Any]]]


def object_match_rows(result: MatchResult) -> list[list[str]]:
    return [
        [
            m.client_id,
            m.volunteer_id,
            m.weight_text,
            m.risk_tier,
            *(f"{m.scores[name]:.4f}" for name in CRITERIA),
            f"{m.priority:.4f}",
            "" if m.distance_km is None else f"{m.distance_km:.2f}",
            m.contact,
        ]
        for m in result.matches
    ]


def object_unmatched_rows(result: MatchResult) -> list[list[str]]:
    return [
        [u.client_id, u.risk_tier, u.reason, unmatched_detail(u, weights=True)]
        for u in result.unmatched
    ]


def object_counts(result: MatchResult) -> tuple[Counter[str], Counter[str], Counter[str]]:
    return (
        Counter(m.risk_tier for m in result.matches),
        Counter(u.risk_tier for u in result.unmatched),
        Counter(u.reason for u in result.unmatched),
    )


# Ids (unique by their number) that start like formulas or hold quotes, line ends, tabs,
# unicode; ids never hold "|" or "," (matcher.field_types).
ID_TEXT = st.text(alphabet="=+-@'\"\t\n\r aé漢😀.3", max_size=4)


@st.composite
def odd_ids(draw: st.DrawFn, round_: Round) -> Round:
    clients, volunteers = round_
    texts = draw(st.lists(ID_TEXT, min_size=len(clients) + len(volunteers)))
    names = {v["volunteer_id"]: f"{texts[k]}v{k}" for k, v in enumerate(volunteers)}
    volunteers = [{**v, "volunteer_id": names[v["volunteer_id"]]} for v in volunteers]
    clients = [
        {
            **c,
            "client_id": f"{texts[len(volunteers) + k]}c{k}",
            "excluded_volunteers": [names[v] for v in c["excluded_volunteers"]],
        }
        for k, c in enumerate(clients)
    ]
    return clients, volunteers


@st.composite
def crowded(draw: st.DrawFn, round_: Round) -> Round:
    """The round with most hard rules out of the way and few places: many clients are
    outcompeted, often by several clients of one volunteer, or a place is left free."""
    clients, volunteers = round_
    open_to_all = {"contact": "phone", "languages": ["nl"], "availability": []}
    clients = [
        {**c, **open_to_all, "programme": "partnerverlies", "preferred_gender": None}
        if draw(st.integers(0, 5))
        else c
        for c in clients
    ]
    crowded_volunteers = []
    for v in volunteers:
        places = draw(st.integers(1, 3))
        hours = {} if v.get("hours_per_week") is None else {"hours_per_week": places}
        hours |= {"active_hours": 0} if hours else {}
        crowded = {"programmes": ["partnerverlies"], "capacity": places, "active_clients": 0}
        crowded_volunteers.append({**v, **open_to_all, **crowded, **hours})
    return clients, crowded_volunteers


def fresher(result: MatchResult) -> Callable[[], MatchResult]:
    """The result again, its proposals and waiting clients not made yet (from the arrays)."""
    matches = outcome.proposal_facts(result.matches)
    waiting = outcome.waiting_facts(result.unmatched)
    assert matches is not None and waiting is not None

    def fresh() -> MatchResult:
        return dataclasses.replace(
            result,
            matches=LazyTuple(len(result.matches), matches.make, matches),
            unmatched=LazyTuple(len(result.unmatched), waiting.make, waiting),
        )

    return fresh


class Made:
    """Counts the result objects the engine's arrays make (matcher.outcome)."""

    def __init__(self, patch: pytest.MonkeyPatch) -> None:
        self.matches = self.waiting = 0
        make_match, make_unmatched = outcome.make_match, outcome.make_unmatched

        def match(*fields: Any) -> Any:
            self.matches += 1
            return make_match(*fields)

        def unmatched(*fields: Any) -> Any:
            self.waiting += 1
            return make_unmatched(*fields)

        patch.setattr(outcome, "make_match", match)
        patch.setattr(outcome, "make_unmatched", unmatched)


def sentence_kinds(result: MatchResult, hours_mode: bool) -> int:
    """Out of options: the clients with the same reason, programme and options before it
    (a full programme with capacity in hours: each on its own); outcompeted: the number of
    clients its best volunteer went to."""
    kinds = set()
    for u in result.unmatched:
        if u.reason == "outcompeted":
            kinds.add((len(u.taken_by),))
        else:
            alone = hours_mode and u.reason == "no-capacity"
            kinds.add((u.reason, u.programme, u.options_before, alone and u.client_id))
    return len(kinds)


SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


CROWDED = st.one_of(rounds(14, 4), hours_rounds(14, 4)).flatmap(crowded)


@SETTINGS
@given(
    st.one_of(rounds(12, 6), hours_rounds(12, 6), CROWDED).flatmap(odd_ids),
    st.sampled_from(vocab.POLICY_NAMES),
)
def test_files_from_arrays_are_the_files_from_objects(round_: Round, policy: str) -> None:
    clients, volunteers = round_
    prepared = prepare(clients, volunteers, None, ROUND_DATE)
    solved = solve(prepared, policy)
    fresh = fresher(solved)
    lazy = fresh()
    with pytest.MonkeyPatch.context() as patch:
        made = Made(patch)
        matches_csv = format_csv_columns(MATCH_COLUMNS, match_columns(lazy))
        unmatched_csv = format_csv_columns(UNMATCHED_COLUMNS, unmatched_columns(lazy))
        summary, chosen = lazy.summary(), chosen_edges(prepared, lazy)
    assert made.matches == 0  # not one proposal made

    # The writer from the objects, on the same result with every object made.
    plain = dataclasses.replace(
        solved, matches=tuple(solved.matches), unmatched=tuple(solved.unmatched)
    )
    assert matches_csv == format_csv(MATCH_COLUMNS, object_match_rows(plain))
    assert unmatched_csv == format_csv(UNMATCHED_COLUMNS, object_unmatched_rows(plain))
    # From objects (a ledger's result, or one whose objects are all made), the same text.
    assert matches_csv == format_csv_columns(MATCH_COLUMNS, match_columns(plain))
    assert unmatched_csv == format_csv_columns(UNMATCHED_COLUMNS, unmatched_columns(plain))
    assert summary == plain.summary()
    matched_tiers, waiting_tiers, reasons = object_counts(plain)
    assert summary["matched_by_risk_tier"] == {t: matched_tiers[t] for t in vocab.RISK_TIERS}
    assert summary["risk_tiers"] == {
        t: matched_tiers[t] + waiting_tiers[t] for t in vocab.RISK_TIERS
    }
    assert summary["unmatched_by_reason"] == dict(sorted(reasons.items()))
    assert np.array_equal(chosen, chosen_edges(prepared, plain))
    # One waiting client made per kind of sentence, not one per client.
    assert made.waiting == sentence_kinds(plain, prepared.population.hours_mode)
    # A proposal made first is the same object as before, and the files the same.
    again = fresh()
    if len(again.matches) and len(again.unmatched):
        first, waiting = again.matches[0], again.unmatched[-1]
        assert format_csv_columns(MATCH_COLUMNS, match_columns(again)) == matches_csv
        assert format_csv_columns(UNMATCHED_COLUMNS, unmatched_columns(again)) == unmatched_csv
        assert again.matches[0] is first and again.unmatched[-1] is waiting


def test_a_sentence_the_marks_do_not_fit_is_said_for_each_client() -> None:
    """A city's waiting clients, many outcompeted by several clients: their sentences from
    the marked templates are the wording's own. Were the wording to say ids or weights
    otherwise than as given, the marked sentence would not hold each mark once: each
    outcompeted client's sentence is then its own."""
    clients, volunteers = scenarios.generate_rows(
        scenarios.load("city-scale").resized(clients=120, volunteers=30), 3
    )
    result = solve(prepare(clients, volunteers, None, ROUND_DATE))
    fresh = fresher(result)
    plain = dataclasses.replace(result, unmatched=tuple(result.unmatched))
    expected = format_csv(UNMATCHED_COLUMNS, object_unmatched_rows(plain))
    assert any(u.reason == "outcompeted" and len(u.taken_by) > 1 for u in plain.unmatched)
    assert format_csv_columns(UNMATCHED_COLUMNS, unmatched_columns(fresh())) == expected

    def unmarked(u: Any, **options: Any) -> str:
        # A wording that shows a volunteer's id in capitals: the mark is not found.
        text = unmatched_detail(u, **options)
        return text.replace("\0v\0", "\0V\0") if "\0" in text else text

    with pytest.MonkeyPatch.context() as patch:
        made = Made(patch)
        patch.setattr(round_columns, "unmatched_detail", unmarked)
        lazy = fresh()
        assert format_csv_columns(UNMATCHED_COLUMNS, unmatched_columns(lazy)) == expected
    outcompeted = sum(u.reason == "outcompeted" for u in plain.unmatched)
    assert made.waiting >= outcompeted  # made one by one


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-(10**19), 10**19) | st.integers(-(10**7), 10**8), max_size=40))
def test_weight_texts_are_format_weight(units: list[int]) -> None:
    units = [max(-(2**63) + 1, min(2**63 - 1, u)) for u in units]
    assert weight_texts(units) == [format_weight(u) for u in units]
    assert weight_texts(np.array(units, dtype=np.int64)) == [format_weight(u) for u in units]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, -0.0, 0.5, 1.0, 0.00005, 2.675, float("nan")]) | st.floats()),
    st.integers(0, 4),
)
def test_fixed_texts_are_fixed_point_formats(values: list[float], digits: int) -> None:
    # Often repeated (formatted once each) or nearly all distinct (formatted one by one).
    for column in (values, values * 5):
        assert fixed_texts(column, digits) == [f"{x:.{digits}f}" for x in column]


def test_the_command_makes_no_object_per_row(tmp_path: Path) -> None:
    """`matcher match` on a national-like round (two organisations of 1,000 clients): only the
    printed proposals and waiting clients become objects, and a few sentence templates."""
    national = scenarios.load("national-scale").resized(clients=2_000, volunteers=800)
    clients, volunteers, config = scenarios.write_round(
        scenarios.generate_round(national, 4), tmp_path / "round"
    )
    limit = 7
    out = tmp_path / "out"
    args = ["--quiet", "match", str(clients), str(volunteers), "--config", str(config),
            "--out", str(out), "--date", "2026-11-23", "--limit", str(limit)]  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        made = Made(patch)
        run = CliRunner().invoke(main, args, catch_exceptions=False)
    assert run.exit_code == 0, run.output
    matches = (out / "matches.csv").read_text().count("\n") - 1
    waiting = (out / "unmatched.csv").read_text().count("\n") - 1
    assert matches > 500 and waiting > 500
    assert made.matches == limit  # the printed table's
    kinds = sentence_kinds(solve(read_round(str(clients), str(volunteers), str(config),
                                            ROUND_DATE)[1]), hours_mode=False)  # fmt: skip
    assert made.waiting <= limit + kinds < waiting / 10
