"""The workbook of a round's proposals (`--xlsx`): proposals, waiting clients, summary.

One row per pair or waiting client, with the programme and the plain-language reason the match
table prints (matcher.wording, from the same facts), in the report's language. Solver weights
and criterion scores only on request (`--weights`): a coordinator decides on reasons, not
numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from matcher.explain import pair_reasons
from matcher.io.workbook_out import Cell, Sheet, format_xlsx
from matcher.population import Population
from matcher.result import MatchResult
from matcher.scoring import CRITERIA
from matcher.wording import REASON_LABELS, unmatched_detail

WORDS: Final = {
    "en": {
        "proposals": "proposals", "waiting": "waiting", "summary": "summary",
        "client": "client", "volunteer": "volunteer", "programme": "programme",
        "risk": "risk", "distance_km": "distance (km)", "contact": "contact", "why": "why",
        "reason": "reason", "detail": "detail", "weight": "weight", "item": "item",
        "value": "value", "round_date": "round date", "policy": "policy",
        "status": "solver status", "clients": "clients", "matched": "proposed",
        "visit": "visit", "phone": "phone",
        "low": "low", "moderate": "moderate", "high": "high",
    },
    "nl": {
        "proposals": "voorstellen", "waiting": "wachtend", "summary": "samenvatting",
        "client": "cliënt", "volunteer": "vrijwilliger", "programme": "programma",
        "risk": "risico", "distance_km": "afstand (km)", "contact": "contact",
        "why": "waarom", "reason": "reden", "detail": "toelichting", "weight": "gewicht",
        "item": "onderdeel", "value": "waarde", "round_date": "datum ronde",
        "policy": "werkwijze", "status": "status van de solver", "clients": "cliënten",
        "matched": "voorgesteld", "visit": "bezoek", "phone": "telefonisch",
        "low": "laag", "moderate": "matig", "high": "hoog",
    },
}  # fmt: skip


def proposals_workbook(
    result: MatchResult,
    pop: Population,
    *,
    lang: str = "nl",
    weights: bool = False,
    kept: Mapping[str, Mapping[str, str]] | None = None,
    kept_columns: Sequence[str] = (),
) -> bytes:
    """The round as .xlsx bytes; `kept` (id -> column -> text) adds her own columns, such as a
    name, for the people of this run only (`--keep-columns`)."""
    words = WORDS[lang]
    kept = kept or {}
    c_index = {c.client_id: i for i, c in enumerate(pop.clients)}
    v_index = {v.volunteer_id: i for i, v in enumerate(pop.volunteers)}
    programme = {c.client_id: c.programme for c in pop.clients}

    def own(person_id: str) -> list[Cell]:
        return [kept.get(person_id, {}).get(column) for column in kept_columns]

    header = [words["client"], *kept_columns, words["volunteer"],
              *(f"{words['volunteer']}: {column}" for column in kept_columns),
              words["programme"], words["risk"], words["distance_km"], words["contact"],
              words["why"]]  # fmt: skip
    if weights:
        header += [words["weight"], *CRITERIA]
    rows: list[list[Cell]] = []
    for m in result.matches:
        why = pair_reasons(pop, c_index[m.client_id], v_index[m.volunteer_id], m.scores, lang)
        row: list[Cell] = [
            m.client_id, *own(m.client_id), m.volunteer_id, *own(m.volunteer_id),
            programme[m.client_id], words[m.risk_tier],
            None if m.distance_km is None else round(m.distance_km, 1),
            words[m.contact], why,
        ]  # fmt: skip
        if weights:
            row += [m.weight_units / 1_000_000, *(round(m.scores[n], 4) for n in CRITERIA)]
        rows.append(row)
    distance_column = 2 * len(kept_columns) + 4
    proposals = Sheet(words["proposals"], header, rows, {distance_column: "0.0"})

    labels = REASON_LABELS[lang]
    waiting_rows: list[list[Cell]] = []
    for u in result.unmatched:
        detail = unmatched_detail(u, lang, programme=programme[u.client_id], policy=result.policy)
        waiting_rows.append(
            [u.client_id, *own(u.client_id), programme[u.client_id], words[u.risk_tier],
             labels.get(u.reason, u.reason), detail or u.detail]
        )  # fmt: skip
    waiting = Sheet(
        words["waiting"],
        [words["client"], *kept_columns, words["programme"], words["risk"], words["reason"],
         words["detail"]],
        waiting_rows,
    )  # fmt: skip
    summary = Sheet(
        words["summary"],
        [words["item"], words["value"]],
        [
            [words["round_date"], result.round_date.isoformat()],
            [words["policy"], result.policy],
            [words["status"], str(result.status)],
            [words["clients"], result.n_clients],
            [words["matched"], len(result.matches)],
            [words["waiting"], len(result.unmatched)],
        ],
    )
    return format_xlsx([proposals, waiting, summary])
