"""The workbook of a round's proposals (`--xlsx`): proposals, waiting clients, summary.

One row per pair or waiting client, with the programme and the plain-language reason the match
table prints (matcher.wording, from the same facts), in the report's language. Solver weights
and criterion scores only on request (`--weights`): a coordinator decides on reasons, not
numbers.

The call list (`--call-list`) is the proposals sheet as a CSV for phoning: one row per pair,
the most vulnerable clients first, with her own columns (`--keep-columns`, such as a name and
a phone number) beside each id, and an empty column for her notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from matcher.io.kept import KeptColumns
from matcher.io.workbook_out import Cell, Sheet, format_xlsx
from matcher.population import Population
from matcher.result import MatchResult, Unmatched
from matcher.scoring import CRITERIA
from matcher.wording import REASON_LABELS, pair_why, render_pair_reasons, unmatched_detail

if TYPE_CHECKING:
    from matcher.rounds.propose import RoundProposal

WORDS: Final = {
    "en": {
        "proposals": "proposals", "waiting": "waiting", "summary": "summary",
        "client": "client", "volunteer": "volunteer", "programme": "programme",
        "risk": "risk", "distance_km": "distance (km)", "contact": "contact", "why": "why",
        "reason": "reason", "detail": "detail", "weight": "weight", "item": "item",
        "value": "value", "round_date": "round date", "policy": "policy",
        "status": "solver status", "clients": "clients", "matched": "proposed",
        "visit": "visit", "phone": "phone",
        "low": "low", "moderate": "moderate", "high": "high", "notes": "notes",
    },
    "nl": {
        "proposals": "voorstellen", "waiting": "wachtend", "summary": "samenvatting",
        "client": "cliënt", "volunteer": "vrijwilliger", "programme": "programma",
        "risk": "risico", "distance_km": "afstand (km)", "contact": "contact",
        "why": "waarom", "reason": "reden", "detail": "toelichting", "weight": "gewicht",
        "item": "onderdeel", "value": "waarde", "round_date": "datum ronde",
        "policy": "werkwijze", "status": "status van de solver", "clients": "cliënten",
        "matched": "voorgesteld", "visit": "bezoek", "phone": "telefonisch",
        "low": "laag", "moderate": "matig", "high": "hoog", "notes": "notities",
    },
}  # fmt: skip


@dataclass(frozen=True)
class BookPair:
    """One proposal as the workbook and the call list show it."""

    client_id: str
    volunteer_id: str
    programme: str
    risk_tier: str
    distance_km: float | None
    contact: str | None  # None for a pair pinned by the coordinator outside the engine
    why: str
    weight_units: int
    scores: Mapping[str, float]


@dataclass(frozen=True)
class Book:
    """A round's proposals and waiting clients, in one language, ready to write."""

    lang: str
    pairs: tuple[BookPair, ...]
    waiting: tuple[tuple[Unmatched, str], ...]  # each with the client's programme
    round_date: dt.date
    policy: str
    status: str
    n_clients: int


def book_of_match(result: MatchResult, pop: Population, lang: str = "nl") -> Book:
    """The book of an engine result (`matcher match`)."""
    programme = {c.client_id: c.programme for c in pop.clients}
    pairs = tuple(
        BookPair(
            m.client_id, m.volunteer_id, programme[m.client_id], m.risk_tier, m.distance_km,
            m.contact, render_pair_reasons(m.reasons, lang), m.weight_units, m.scores,
        )
        for m in result.matches
    )  # fmt: skip
    waiting = tuple((u, programme[u.client_id]) for u in result.unmatched)
    return Book(lang, pairs, waiting, result.round_date, result.policy, str(result.status),
                result.n_clients)  # fmt: skip


def book_of_round(proposal: RoundProposal, lang: str = "nl") -> Book:
    """The book of a round the ledger has just proposed (`matcher round propose`)."""
    assert proposal.result is not None and proposal.prepared is not None, "a fresh round"
    engine = book_of_match(proposal.result, proposal.prepared.population, lang)
    from_engine = {pair.client_id: pair for pair in engine.pairs}
    programme = {c.client_id: c.programme for c in proposal.clients}
    pairs = tuple(
        from_engine.get(p.client_id)
        or BookPair(
            p.client_id, p.volunteer_id, programme[p.client_id], p.risk_tier, None, None,
            pair_why(p.reasons, lang, pinned=True, stored=p.stored_reasons), p.weight_units,
            p.scores,
        )  # a pinned pair: the coordinator's choice, not the engine's
        for p in proposal.pairs
    )  # fmt: skip
    return Book(lang, pairs, engine.waiting, proposal.round_date, proposal.policy,
                proposal.status, proposal.n_waiting)  # fmt: skip


def proposals_workbook(
    book: Book, *, weights: bool = False, kept: KeptColumns | None = None
) -> bytes:
    """The round as .xlsx bytes; `kept` adds her own columns, such as a name, for the people
    of this run only (`--keep-columns`)."""
    words = WORDS[book.lang]
    kept = kept or KeptColumns()
    header, rows = _pair_table(book, kept)
    if weights:
        header += [words["weight"], *CRITERIA]
        for row, pair in zip(rows, book.pairs, strict=True):
            row += [pair.weight_units / 1_000_000, *(round(pair.scores[n], 4) for n in CRITERIA)]
    distance_column = 2 * len(kept.columns) + 4
    proposals = Sheet(words["proposals"], header, rows, {distance_column: "0.0"})

    labels = REASON_LABELS[book.lang]
    waiting_rows: list[list[Cell]] = []
    for u, programme in book.waiting:
        waiting_rows.append(
            [u.client_id, *kept.of_client(u.client_id), programme, words[u.risk_tier],
             labels.get(u.reason, u.reason), unmatched_detail(u, book.lang)]
        )  # fmt: skip
    waiting = Sheet(
        words["waiting"],
        [words["client"], *kept.columns, words["programme"], words["risk"], words["reason"],
         words["detail"]],
        waiting_rows,
    )  # fmt: skip
    summary = Sheet(
        words["summary"],
        [words["item"], words["value"]],
        [
            [words["round_date"], book.round_date.isoformat()],
            [words["policy"], book.policy],
            [words["status"], book.status],
            [words["clients"], book.n_clients],
            [words["matched"], len(book.pairs)],
            [words["waiting"], len(book.waiting)],
        ],
    )
    return format_xlsx([proposals, waiting, summary])


_RISK_FIRST: Final = {"high": 0, "moderate": 1, "low": 2}


def call_list(book: Book, kept: KeptColumns | None = None) -> tuple[list[str], list[list[Cell]]]:
    """The header and rows of the call list: the pairs, most vulnerable clients first."""
    kept = kept or KeptColumns()
    header, rows = _pair_table(book, kept)
    order = sorted(
        range(len(book.pairs)),
        key=lambda k: (_RISK_FIRST.get(book.pairs[k].risk_tier, 3), book.pairs[k].client_id),
    )
    return [*header, WORDS[book.lang]["notes"]], [[*rows[k], None] for k in order]


def _pair_table(book: Book, kept: KeptColumns) -> tuple[list[str], list[list[Cell]]]:
    words = WORDS[book.lang]
    header = [words["client"], *kept.columns, words["volunteer"],
              *(f"{words['volunteer']}: {column}" for column in kept.columns),
              words["programme"], words["risk"], words["distance_km"], words["contact"],
              words["why"]]  # fmt: skip
    rows: list[list[Cell]] = []
    for p in book.pairs:
        rows.append(
            [p.client_id, *kept.of_client(p.client_id), p.volunteer_id,
             *kept.of_volunteer(p.volunteer_id), p.programme, words[p.risk_tier],
             None if p.distance_km is None else round(p.distance_km, 1),
             None if p.contact is None else words[p.contact], p.why]
        )  # fmt: skip
    return header, rows
