"""matches.csv and unmatched.csv cell by cell, a column at a time, from the engine's arrays.

A national round has 100,000 rows in its two files. Made from the result objects, each row
costs an object (a proposal with its facts, a waiting client with the facts of why) and a
formatted cell at a time. Here the cells come from the arrays the objects would be made of
(matcher.outcome: `proposal_facts`, `waiting_facts`), a column at a time; a result whose
objects are all made, or that another front end put together (a ledger's), is read from its
objects, with the same text. The sentence of why a client waits is made once per kind of
client and then filled in (`waiting_details`); matcher.wording still says every sentence.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, Final, cast

import numpy as np

from matcher.arrays import IntArray
from matcher.files import without_cycle_collection
from matcher.lazy_tuple import item_column
from matcher.outcome import WaitingFacts, waiting_facts
from matcher.result import Match, MatchResult, Unmatched
from matcher.scoring import CRITERIA, format_weight
from matcher.units import WEIGHT_DECIMALS, WEIGHT_SCALE
from matcher.wording import unmatched_detail


def match_columns(result: MatchResult) -> list[Sequence[str]]:
    """matches.csv's cells (matcher.output.MATCH_COLUMNS), column by column."""
    matches = result.matches

    def column(name: str, of_match: Callable[[Match], Any]) -> Sequence[Any]:
        return item_column(matches, name, of_match)

    def scores(name: str) -> list[str]:
        return fixed_texts(column(f"scores.{name}", lambda m: m.scores[name]), 4)

    distances = column("distance_km", attrgetter("distance_km"))
    return [
        column("client_id", attrgetter("client_id")),
        column("volunteer_id", attrgetter("volunteer_id")),
        weight_texts(column("weight_units", attrgetter("weight_units"))),
        column("risk_tier", attrgetter("risk_tier")),
        *(scores(name) for name in CRITERIA),
        fixed_texts(column("priority", attrgetter("priority")), 4),
        ["" if km is None else f"{km:.2f}" for km in distances],
        column("contact", attrgetter("contact")),
    ]


def unmatched_columns(result: MatchResult) -> list[Sequence[str]]:
    """unmatched.csv's cells (matcher.output.UNMATCHED_COLUMNS), column by column."""
    waiting = result.unmatched
    return [
        item_column(waiting, "client_id", attrgetter("client_id")),
        item_column(waiting, "risk_tier", attrgetter("risk_tier")),
        item_column(waiting, "reason", attrgetter("reason")),
        waiting_details(waiting),
    ]


def waiting_details(waiting: Sequence[Unmatched]) -> list[str]:
    """`unmatched_detail(u, weights=True)` of every waiting client.

    From the engine's arrays a sentence is said once per kind of client, not per client. A
    client out of options has the sentence of every client with the same reason, programme
    and options before the rule (with capacity in hours, its own: its hours are in it). An
    outcompeted client's sentence is said once per number of clients its best volunteer
    went to, with marks for the ids and weights, which are then put in (`_Template`)."""
    facts = waiting_facts(waiting)
    if facts is None:
        return [unmatched_detail(u, weights=True) for u in waiting]
    # A few objects, none in a reference cycle, as the engine's (matcher.lazy_tuple).
    with without_cycle_collection():
        details = [""] * len(facts.waiting)
        outcompeted = (facts.stage < 0) & (facts.best_volunteer >= 0)
        _out_of_options(facts, np.flatnonzero(~outcompeted), details)
        _outcompeted(facts, np.flatnonzero(outcompeted), details)
    return details


def _out_of_options(facts: WaitingFacts, rows: IntArray, details: list[str]) -> None:
    if not len(rows):
        return
    in_hours = facts.pop.hours_mode and "no-capacity" in facts.codes
    by_hours = facts.codes.index("no-capacity") if in_hours else -2
    alone = np.where(facts.stage[rows] == by_hours, rows, -1)
    programme = facts.pop.c_programme[facts.waiting[rows]]
    keys = np.stack([facts.stage[rows], facts.before[rows], programme, alone])
    _, first, group = np.unique(keys, axis=1, return_index=True, return_inverse=True)
    said = [unmatched_detail(u, weights=True) for u in facts.make(rows[first])]
    for row, g in zip(rows.tolist(), group.reshape(-1).tolist(), strict=True):
        details[row] = said[g]


def _outcompeted(facts: WaitingFacts, rows: IntArray, details: list[str]) -> None:
    if not len(rows):
        return
    _, taker_c, taker_units = facts.takers  # by volunteer, each one's in client order
    starts = facts.taker_starts
    taken = np.diff(starts)
    best, group = np.unique(facts.best_volunteer[rows], return_inverse=True)
    group = group.reshape(-1)
    counts = taken[best]
    # One sentence with marks per number of takers, said of a client with that many.
    templates: dict[int, _Template | None] = {}
    kinds, first = np.unique(counts[group], return_index=True)
    for count, made in zip(kinds.tolist(), facts.make(rows[first]), strict=True):
        templates[count] = _Template.of(made, count)
    client_ids, volunteer_ids = facts.pop.client_ids, facts.pop.volunteer_ids
    taker_ids = list(map(client_ids.__getitem__, taker_c.tolist()))
    taker_weights = weight_texts(taker_units)
    around: list[tuple[str, str] | None] = []
    for v, count in zip(best.tolist(), counts.tolist(), strict=True):
        template = templates[count]
        at = slice(int(starts[v]), int(starts[v + 1]))
        around.append(
            None
            if template is None
            else template.around(volunteer_ids[v], taker_ids[at], taker_weights[at])
        )
    odd = []
    weights = weight_texts(facts.best_units[rows])
    for row, g, weight in zip(rows.tolist(), group.tolist(), weights, strict=True):
        parts = around[g]
        if parts is None:
            odd.append(row)
        else:
            details[row] = parts[0] + weight + parts[1]
    for row, u in zip(odd, facts.make(np.array(odd, dtype=np.int64)), strict=True):
        details[row] = unmatched_detail(u, weights=True)


# Weights no pair has (below any the scale allows): their texts mark where a weight goes.
_MARK_UNITS: Final = -987_654_321 * WEIGHT_SCALE


@dataclasses.dataclass(frozen=True)
class _Template:
    """An outcompeted client's sentence with marks for the best volunteer, the clients it
    went to and the weights: pieces of text, and between them which value goes there."""

    pieces: list[str]
    slots: list[tuple[str, int]]  # ("volunteer", 0), ("client", k), ("weight", k), ("best", 0)

    @classmethod
    def of(cls, made: Unmatched, count: int) -> _Template | None:
        """From one client whose best volunteer went to `count` clients; None when the
        sentence does not hold every mark once (then each sentence is said on its own)."""
        marks = {"\0v\0": ("volunteer", 0), format_weight(_MARK_UNITS): ("best", 0)}
        marks |= {f"\0c{k}\0": ("client", k) for k in range(count)}
        marks |= {format_weight(_MARK_UNITS - 1 - k): ("weight", k) for k in range(count)}
        marked = dataclasses.replace(
            made,
            best_volunteer="\0v\0",
            best_weight_units=_MARK_UNITS,
            taken_by=tuple(f"\0c{k}\0" for k in range(count)),
            taken_weight_units=tuple(_MARK_UNITS - 1 - k for k in range(count)),
        )
        text = unmatched_detail(marked, weights=True)
        split = re.split("(" + "|".join(map(re.escape, marks)) + ")", text)
        found = split[1::2]
        if sorted(found) != sorted(marks):
            return None
        return cls(split[::2], [marks[mark] for mark in found])

    def around(
        self, volunteer: str, clients: Sequence[str], weights: Sequence[str]
    ) -> tuple[str, str]:
        """The sentence of a client whose best volunteer is `volunteer`, before and after
        the client's own weight."""
        values = {"volunteer": [volunteer], "client": clients, "weight": weights}
        before: list[str] = [self.pieces[0]]
        after: list[str] = []
        text = before
        for (kind, k), piece in zip(self.slots, self.pieces[1:], strict=True):
            if kind == "best":
                text = after
            else:
                text.append(values[kind][k])
            text.append(piece)
        return "".join(before), "".join(after)


def fixed_texts(values: Sequence[float], digits: int) -> list[str]:
    """`[f"{x:.{digits}f}" for x in values]`, each distinct value formatted once where values
    repeat (a criterion takes 3 values over a national round's 36,000 proposals)."""
    spec = f"{{:.{digits}f}}"
    array = np.asarray(values, dtype=np.float64)
    # Told apart by their bits: -0.0 and 0.0 are equal, but their texts are not.
    _, first, inverse = np.unique(array.view(np.int64), return_index=True, return_inverse=True)
    if len(first) * 4 > len(array):
        return list(map(spec.format, values))
    texts = np.array(list(map(spec.format, array[first].tolist())), dtype=object)
    return cast(list[str], texts[inverse.reshape(-1)].tolist())


def weight_texts(units: Sequence[int] | IntArray) -> list[str]:
    """`[format_weight(u) for u in units]`, digit by digit on arrays: one array pass per digit
    for the weights with the same sign and number of whole digits, not a Python step each."""
    units = np.asarray(units, dtype=np.int64)
    if len(units) and max(-int(units.min()), int(units.max())) >= 10**18:
        return [format_weight(u) for u in units.tolist()]  # beyond any weight the scale allows
    texts = np.empty(len(units), dtype=object)
    whole, fraction = np.divmod(np.abs(units), WEIGHT_SCALE)
    # Digits of the whole part (0 has one): the count of powers of ten it reaches.
    powers = 10 ** np.arange(1, 19, dtype=np.int64)
    n_digits = 1 + (whole[:, None] >= powers).sum(axis=1) if len(units) else whole
    negative = units < 0
    for sign, digits in sorted(set(zip(negative.tolist(), n_digits.tolist(), strict=True))):
        at = np.flatnonzero((negative == sign) & (n_digits == digits))
        width = sign + digits + 1 + WEIGHT_DECIMALS
        chars = np.empty((len(at), width), dtype=np.uint8)
        chars[:, 0] = ord("-")
        for k in range(digits):
            chars[:, sign + k] = ord("0") + whole[at] // 10 ** (digits - 1 - k) % 10
        chars[:, sign + digits] = ord(".")
        for k in range(WEIGHT_DECIMALS):
            place = 10 ** (WEIGHT_DECIMALS - 1 - k)
            chars[:, sign + digits + 1 + k] = ord("0") + fraction[at] // place % 10
        texts[at] = chars.view(f"S{width}").ravel().astype(f"U{width}").tolist()
    return cast(list[str], texts.tolist())
