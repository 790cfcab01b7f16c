"""The clients as the evaluation reads them: programme, age, state and the start of waiting.

Validating every stored record with pydantic (as an import does) costs about 0.2 ms a client,
two seconds for a region of 10,000, while the evaluation reads only two fields of most
records. So SQLite reads those two fields out of the JSON (`json_extract`, in C), and a record
is validated in full only where that reading is not plainly what validation would give (not
JSON text, another id, a programme that is not a normalised word, an age that is not a whole
number from 0 to 120, or no age at all): such a record is read exactly as before, and a
damaged one stops the evaluation with the same message. The records of the waiting clients
whose risk tier is needed are read the same way: the factors and the coordinator's own tier
(all that triage reads) from the JSON where they are lists of known words and a known tier or
none, else from the record validated in full.

A record damaged only in fields the evaluation does not read no longer stops it (as for any
command, a stored value stops only the commands that need it); `matcher db check` lists it.
tests/test_evaluate_reading.py holds the figures equal to those of validating every record.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from matcher.models import Client
from matcher.rounds import stored
from matcher.rounds.db import Tx
from matcher.vocab import (
    HINDERING_FACTORS,
    PROTECTIVE_FACTORS,
    RISK_TIERS,
    is_kebab,
    normalise_word,
)

_OK: Final = "CASE WHEN ok THEN {} END"
_WAITING: Final = "CASE WHEN ok AND state = 'waiting' THEN {} END"
# The client_id, programme and age the record holds, with `plain` 1 when they are as a
# validated record stores them (else NULL or 0: the record needs full validation); and for a
# waiting client what triage reads, with `plain_triage` likewise.
_CLIENTS: Final = (
    "WITH r AS (SELECT client_id, state, waiting_since, record,"
    " typeof(record) = 'text' AND json_valid(record) AS ok FROM clients)"
    " SELECT client_id, state, waiting_since, "
    + ", ".join(
        [
            _OK.format(
                "json_type(record, '$.client_id') = 'text'"
                " AND json_extract(record, '$.client_id') = client_id"
                " AND json_type(record, '$.programme') = 'text'"
                " AND json_type(record, '$.age') IN ('integer', 'null')"
            ),
            _OK.format("json_extract(record, '$.programme')"),
            _OK.format("json_extract(record, '$.age')"),
            _WAITING.format(
                "json_type(record, '$.hindering_factors') = 'array'"
                " AND json_type(record, '$.protective_factors') = 'array'"
                " AND json_type(record, '$.risk_tier') IN ('text', 'null')"
            ),
            _WAITING.format("json_extract(record, '$.hindering_factors')"),
            _WAITING.format("json_extract(record, '$.protective_factors')"),
            _WAITING.format("json_extract(record, '$.risk_tier')"),
        ]
    )
    + " FROM r"
)
MAX_AGE: Final = 120  # matcher.field_types.Age


@dataclass(frozen=True)
class Triaged:
    """What triage reads of a client (matcher.triage.TriageFacts)."""

    hindering_factors: tuple[str, ...]
    protective_factors: tuple[str, ...]
    risk_tier: str | None


@dataclass(frozen=True)
class EvaluatedClient:
    programme: str
    age: int | None
    waiting: bool
    since: str
    # A waiting client's stored factors and tier, when they are JSON lists and a word or null.
    triage: tuple[object, object, object] | None


def evaluated_clients(tx: Tx, programme: str | None) -> dict[str, EvaluatedClient]:
    """Every client (of the programme), with what the evaluation reads of it."""
    out = {}
    for cid, state, since, plain, stored_programme, age, *triage in tx.all(_CLIENTS):
        if not (plain and _plain_programme(stored_programme) and _plain_age(age)):
            client = _validated(tx, cid)
            stored_programme, age = client.programme, client.age
        if programme is None or stored_programme == programme:
            stored_triage = (triage[1], triage[2], triage[3]) if triage[0] else None
            out[cid] = EvaluatedClient(
                stored_programme, age, state == "waiting", since, stored_triage
            )
    return out


def triage_facts(tx: Tx, clients: Iterable[tuple[str, EvaluatedClient]]) -> list[Triaged | Client]:
    """What triage reads of these waiting clients, in the order given: the factors and the
    tier as stored where they are as validation keeps them, else from the record validated
    in full (as when it was imported; a damaged record stops the evaluation)."""
    out: list[Triaged | Client] = []
    for cid, client in clients:
        facts = _plain_triage(*client.triage) if client.triage else None
        out.append(facts or _validated(tx, cid))
    return out


def _validated(tx: Tx, client_id: str) -> Client:
    row = tx.one("SELECT record FROM clients WHERE client_id = ?", (client_id,))
    return stored.record(tx, Client, "clients", client_id, row[0] if row else None)


@functools.lru_cache(maxsize=1024, typed=True)
def _plain_programme(word: object) -> bool:
    """Whether validation keeps this programme as it is (a normalised kebab-case word)."""
    return type(word) is str and is_kebab(word) and normalise_word(word) == word


def _plain_age(age: object) -> bool:
    return age is None or (type(age) is int and 0 <= age <= MAX_AGE)


def _plain_triage(hindering: object, protective: object, tier: object) -> Triaged | None:
    """The triage facts as stored, if validation would keep them as they are."""
    if tier is not None and (type(tier) is not str or tier not in RISK_TIERS):
        return None
    factors = (
        _plain_words(hindering, HINDERING_FACTORS),
        _plain_words(protective, PROTECTIVE_FACTORS),
    )
    if factors[0] is None or factors[1] is None:
        return None
    return Triaged(factors[0], factors[1], tier)


@functools.lru_cache(maxsize=4096, typed=True)
def _plain_words(text: object, choices: tuple[str, ...]) -> tuple[str, ...] | None:
    """A stored JSON list of known words as it is (triage reads which words are in it, so
    their order and repeats do not matter), or None for anything else."""
    if type(text) is not str:
        return None
    try:
        words = json.loads(text)
    except ValueError:
        return None
    if not isinstance(words, list) or not all(type(w) is str and w in choices for w in words):
        return None
    return tuple(words)
