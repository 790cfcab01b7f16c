"""Waarom? and `round explain --lang nl`: why a client waits and what would change it, said
in Dutch from the explanation's facts (matcher.rounds.explain_round) with the Dutch of
matcher.wording and matcher.hint_wording.

English is `render_ledger_explanation` as `round explain` prints it; this says the same facts
in Dutch: the outcome, the best options with their reasons, what blocks the volunteers each rule
removed, what would change the outcome, the bottleneck group, and the ledger's own facts. It
needs no web extra: the CLI imports it too.
"""

from __future__ import annotations

from collections.abc import Mapping

from matcher.bottleneck import sentence_of
from matcher.explain import SHOWN_REMOVED, Explanation
from matcher.hint_wording import hint_text
from matcher.report.texts import texts as report_texts
from matcher.rounds.explain_round import (
    LedgerExplanation,
    StoredOutcome,
    ledger_lines,
    render_ledger_explanation,
)
from matcher.scoring import CRITERIA
from matcher.terminal import visible_join
from matcher.vocab import RISK_TIERS
from matcher.web.texts import WORDS
from matcher.wording import (
    REASON_LABELS,
    REASON_REMEDIES,
    number,
    render_pair_reasons,
    unmatched_detail,
    weight_text,
)

NL = "nl"
_PLACE = {"postcode": "de postcode", "district": "de wijk", "place": "de woonplaats"}
_STATE = {"waiting": "wachtend", "matched": "gekoppeld", "closed": "afgesloten"}


def _label(code: str) -> str:
    return REASON_LABELS[NL].get(code, code)


def ledger_explanation_text(
    found: LedgerExplanation, lang: str | None = None, words: Mapping[str, str] | None = None
) -> str:
    """The explanation in `lang` (default: the round's config [report] lang): Dutch from the
    facts, English as `round explain` has always printed it."""
    language = lang or (found.config.report.lang if found.config is not None else "en")
    if language == NL:
        return explanation_nl(found, words)
    return render_ledger_explanation(found)


def explanation_words(lang: str) -> dict[str, str]:
    """The words of an explanation: criteria and tiers as the report names them, decisions."""
    report = report_texts(lang)
    found = {name: report[name] for name in (*CRITERIA, *RISK_TIERS)}
    found.update({d: WORDS[lang][d] for d in ("accepted", "declined", "superseded")})
    return found


def explanation_nl(found: LedgerExplanation, words: Mapping[str, str] | None = None) -> str:
    """The explanation in Dutch; `words`: the page's words (criteria, tiers, decisions)."""
    words = explanation_words(NL) if words is None else words
    lines = [_heading(found)]
    if found.stored is not None:
        lines.append(f"opgeslagen in ronde {found.round_id}: {_stored(found.stored, words)}")
    lines.append("")
    cid = found.client_id
    if found.explanation is not None:
        lines += _engine_lines(found, found.explanation, words)
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
        return f"bleef wachten ({_label(stored.reason or '')})"
    pinned = " (vastgezet)" if stored.pinned else ""
    decided = (
        f", sindsdien {words.get(stored.decision, stored.decision)}"
        if stored.decision
        else ", nog niet besloten"
    )
    return f"voorgesteld: {stored.volunteer_id}{pinned}{decided}"


def _engine_lines(found: LedgerExplanation, ex: Explanation, words: Mapping[str, str]) -> list[str]:
    tier = words.get(ex.risk_tier, ex.risk_tier).lower()
    note = ""
    if ex.computed_risk_tier is not None:
        given = words.get(ex.computed_risk_tier, ex.computed_risk_tier).lower()
        note = f" (bij de intake gezet; de factoren geven {given})"
    lines = [
        f"cliënt {ex.client_id}: risico {tier}{note}, wacht {number(ex.weeks_waited, NL)} weken"
    ]
    if found.matched is not None:
        volunteer, units = found.matched
        lines.append(f"uitkomst: gekoppeld aan {volunteer} (gewicht {weight_text(units, NL)})")
    elif found.unmatched is not None:
        u = found.unmatched
        detail = unmatched_detail(u, NL, weights=True)
        lines.append(f"uitkomst: wacht: {_label(u.reason)}: {detail}")
    lines += _location(found)
    if ex.bottleneck is not None:
        lines.append(f"te weinig plaatsen: {sentence_of(ex.bottleneck, NL, client=ex.client_id)}")
    lines += ["", "beste opties:" if ex.options else "geen toegestane vrijwilliger."]
    for option in ex.options:
        taken = f"  [gegeven aan {', '.join(option.taken_by)}]" if option.taken_by else ""
        scores = "  ".join(
            f"{words.get(name, name).lower()} {number(option.scores[name], NL, 2)}"
            for name in CRITERIA
        )
        lines.append(f"  {option.volunteer_id}  gewicht {weight_text(option.weight_units, NL)}"
                     f"{taken}")  # fmt: skip
        lines.append(f"      {render_pair_reasons(option.facts.reasons(), NL)}")
        lines.append(f"      {scores}")
    removed = [(code, vids) for code, vids in ex.removed.items() if vids]
    if removed:
        lines += ["", "weggevallen door harde regels:"]
    for code, vids in removed:
        lines.append(f"  {_label(code)}: {len(vids)} vrijwilliger(s)")
        lines.extend(f"      {hint_text(hint, NL)}" for hint in ex.hints[code])
        if len(vids) > SHOWN_REMOVED:
            lines.append(f"      … en nog {len(vids) - SHOWN_REMOVED}")
    changes = list(ex.changes_in(NL))
    remedy = None if found.unmatched is None else found.unmatched.reason
    # The general remedy of the reason; "outcompeted" is said by the places above already.
    if remedy in REASON_REMEDIES[NL] and remedy != "outcompeted":
        changes.append("in het algemeen: " + REASON_REMEDIES[NL][remedy])
    if changes:
        lines += ["", "wat de uitkomst zou veranderen:", *(f"  - {c}" for c in changes)]
    return lines


def _location(found: LedgerExplanation) -> list[str]:
    prepared = found.prepared
    if prepared is None:
        return []
    client = next(c for c in prepared.population.clients if c.client_id == found.client_id)
    if client.location_source == "coordinates":
        return []
    if client.location_source is None:
        return ["locatie: geen (alleen telefonisch contact)"]
    where = _PLACE.get(client.location_source, client.location_source)
    return [f"locatie: het midden van {where}, dus afstanden zijn bij benadering (≈)"]
