"""Waarom? and `round explain --lang nl`: why a client waits in a ledger round and what would
change it, said in Dutch from the explanation's facts (matcher.rounds.explain_round).

English is `render_ledger_explanation` as `round explain --lang en` prints it; this says the
same facts in Dutch: the engine's explanation (matcher.explain_wording) and the ledger's own
facts. The CLI and the web app both render with it; it needs neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from matcher.explain_wording import NL, explanation_lines_nl, explanation_words, reason_label_nl
from matcher.rounds.explain_round import (
    LedgerExplanation,
    StoredOutcome,
    ledger_lines,
    render_ledger_explanation,
)
from matcher.terminal import visible_join

_STATE: Final = {"waiting": "wachtend", "matched": "gekoppeld", "closed": "afgesloten"}


def ledger_explanation_text(
    found: LedgerExplanation, lang: str | None = None, words: Mapping[str, str] | None = None
) -> str:
    """The explanation in `lang` (default: the round's config [report] lang): Dutch from the
    facts, English as `round explain` has always printed it."""
    language = lang or (found.config.report.lang if found.config is not None else "en")
    if language == NL:
        return explanation_nl(found, words)
    return render_ledger_explanation(found)


def explanation_nl(found: LedgerExplanation, words: Mapping[str, str] | None = None) -> str:
    """The explanation in Dutch; `words`: the page's words (criteria, tiers, decisions)."""
    words = explanation_words(NL) if words is None else words
    lines = [_heading(found)]
    if found.stored is not None:
        lines.append(f"opgeslagen in ronde {found.round_id}: {_stored(found.stored, words)}")
    lines.append("")
    cid = found.client_id
    if found.explanation is not None:
        lines += explanation_lines_nl(found.explanation, found.prepared, words)
    elif found.pinned_to is not None:
        lines.append(
            f"cliënt {cid}: door de coördinator vastgezet aan {found.pinned_to}; de ronde stelt"
            " dit paar voor als besloten, de berekening kiest niet voor deze cliënt"
        )
    elif found.active_match is not None:
        volunteer, since = found.active_match
        lines.append(
            f"cliënt {cid}: wacht niet: actieve koppeling met {volunteer} sinds {since}; een"
            " ronde laat deze cliënt buiten beschouwing"
        )
    else:
        state = _STATE.get(found.state, found.state)
        lines.append(f"cliënt {cid}: wacht niet ({state}); een ronde laat deze cliënt buiten"
                     " beschouwing")  # fmt: skip
    lines += ["", "in het grootboek:", *(f"  {line}" for line in ledger_lines(found, NL))]
    return visible_join(lines)


def _heading(found: LedgerExplanation) -> str:
    if found.round_id is None:
        return (
            f"een ronde op {found.round_date} zoals het grootboek die nu zou voorstellen"
            " (niet opgeslagen)"
        )
    head = f"ronde {found.round_id} op {found.round_date}, opnieuw opgebouwd uit het grootboek"
    if found.same_inputs:
        return head + ": dezelfde gegevens als bij het voorstel"
    return (
        head + "; het grootboek veranderde sindsdien op manieren waarvan het geen geschiedenis"
        " bijhoudt (opnieuw geïmporteerd, pauzes, beëindigde koppelingen): de gegevens"
        " verschillen van die van de ronde, dus dit is mogelijk niet wat de ronde zag"
    )


def _stored(stored: StoredOutcome, words: Mapping[str, str]) -> str:
    if stored.volunteer_id is None:
        return f"bleef wachten ({reason_label_nl(stored.reason or '')})"
    pinned = " (vastgezet)" if stored.pinned else ""
    decided = (
        f", sindsdien {words.get(stored.decision, stored.decision)}"
        if stored.decision
        else ", nog niet besloten"
    )
    return f"voorgesteld: {stored.volunteer_id}{pinned}{decided}"
