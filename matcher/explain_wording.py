"""An explanation (matcher.explain.Explanation) in words, Dutch or English, from its facts.

`explain` from files, `explain --db`, `round explain` and the web app's Waarom? say the same
facts in either language: the English is `render_explanation`, as `explain` has always printed
it; the Dutch is said here with the Dutch of matcher.wording and matcher.hint_wording. Front
ends choose the language and render; nothing here recomputes the explanation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from matcher.bottleneck import sentence_of
from matcher.engine import Prepared
from matcher.explain import SHOWN_REMOVED, Explanation, render_explanation
from matcher.hint_wording import hint_text
from matcher.scoring import CRITERIA
from matcher.terminal import visible_join
from matcher.wording import (
    REASON_LABELS,
    REASON_REMEDIES,
    number,
    render_pair_reasons,
    unmatched_detail,
    weight_text,
)

NL: Final = "nl"

# The names an explanation gives criteria, risk tiers and decisions; the report and the web
# app name them the same way (matcher.report.texts and matcher.web.texts read them from here).
CRITERION_NAMES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "lived_experience": "Lived experience",
        "closeness": "Closeness",
        "availability": "Shared time",
        "needs": "Needs",
        "age": "Age",
        "training": "Training",
    },
    "nl": {
        "lived_experience": "Ervaringsdeskundig",
        "closeness": "Nabijheid",
        "availability": "Gedeelde tijd",
        "needs": "Hulpvragen",
        "age": "Leeftijd",
        "training": "Training",
    },
}
TIER_NAMES: Final[dict[str, dict[str, str]]] = {
    "en": {"low": "low", "moderate": "moderate", "high": "high"},
    "nl": {"low": "laag", "moderate": "matig", "high": "hoog"},
}
DECISION_NAMES: Final[dict[str, dict[str, str]]] = {
    "en": {"accepted": "accepted", "declined": "declined", "superseded": "superseded"},
    "nl": {"accepted": "geaccepteerd", "declined": "afgewezen", "superseded": "vervangen"},
}


def explanation_words(lang: str) -> dict[str, str]:
    """The words of an explanation in `lang`: criteria, risk tiers and decisions."""
    return CRITERION_NAMES[lang] | TIER_NAMES[lang] | DECISION_NAMES[lang]


_PLACE: Final = {"postcode": "de postcode", "district": "de wijk", "place": "de woonplaats"}


def reason_label_nl(code: str) -> str:
    return REASON_LABELS[NL].get(code, code)


def explanation_text(explanation: Explanation, prepared: Prepared, lang: str = "en") -> str:
    """`explain`'s explanation of a round from files, in `lang` (nl or en)."""
    if lang == NL:
        return visible_join(explanation_lines_nl(explanation, prepared))
    return render_explanation(explanation, prepared)


def explanation_lines_nl(
    ex: Explanation, prepared: Prepared | None, words: Mapping[str, str] | None = None
) -> list[str]:
    """The explanation in Dutch, line by line; `words`: the page's words (criteria, tiers)."""
    words = explanation_words(NL) if words is None else words
    tier = words.get(ex.risk_tier, ex.risk_tier).lower()
    note = ""
    if ex.computed_risk_tier is not None:
        given = words.get(ex.computed_risk_tier, ex.computed_risk_tier).lower()
        note = f" (bij de intake gezet; de factoren geven {given})"
    lines = [
        f"cliënt {ex.client_id}: risico {tier}{note}, wacht {number(ex.weeks_waited, NL)} weken"
    ]
    if ex.matched is not None:
        volunteer, units = ex.matched
        lines.append(f"uitkomst: gekoppeld aan {volunteer} (gewicht {weight_text(units, NL)})")
    elif ex.unmatched is not None:
        u = ex.unmatched
        detail = unmatched_detail(u, NL, weights=True)
        lines.append(f"uitkomst: wacht: {reason_label_nl(u.reason)}: {detail}")
    lines += _location(ex.client_id, prepared)
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
        lines.append(f"  {reason_label_nl(code)}: {len(vids)} vrijwilliger(s)")
        lines.extend(f"      {hint_text(hint, NL)}" for hint in ex.hints[code])
        if len(vids) > SHOWN_REMOVED:
            lines.append(f"      … en nog {len(vids) - SHOWN_REMOVED}")
    changes = list(ex.changes_in(NL))
    remedy = None if ex.unmatched is None else ex.unmatched.reason
    # The general remedy of the reason; "outcompeted" is said by the places above already.
    if remedy in REASON_REMEDIES[NL] and remedy != "outcompeted":
        changes.append("in het algemeen: " + REASON_REMEDIES[NL][remedy])
    if changes:
        lines += ["", "wat de uitkomst zou veranderen:", *(f"  - {c}" for c in changes)]
    return lines


def _location(client_id: str, prepared: Prepared | None) -> list[str]:
    if prepared is None:
        return []
    client = next(c for c in prepared.population.clients if c.client_id == client_id)
    if client.location_source == "coordinates":
        return []
    if client.location_source is None:
        return ["locatie: geen (alleen telefonisch contact)"]
    where = _PLACE.get(client.location_source, client.location_source)
    return [f"locatie: het midden van {where}, dus afstanden zijn bij benadering (≈)"]
