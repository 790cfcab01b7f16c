"""explain's facts in words: what blocks a pair (matcher.hints) and what would change a
client's outcome (Explanation.change_facts), one function per language.

The English is what `explain` and `round explain` have always printed; the Dutch says the same
facts for the web app's "Waarom?" and `round explain --lang nl`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from matcher.hints import BlockingHint
from matcher.wording import REASON_LABELS, language_name, number, slot_phrase


def _g(value: float, lang: str) -> str:
    """A number of hours or kilometres without trailing zeros: 1.5 / 1,5."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "nl" else text


def _hint_en(h: BlockingHint) -> str:
    vid = h.volunteer_id
    if h.rule == "no-programme":
        return f"{vid} serves {', '.join(h.programmes)}, not {h.client_programme}"
    if h.rule == "no-capacity" and h.hours is not None:
        free, given, needed = h.hours
        return f"{vid} has {free:g} of {given:g} hour(s) a week free; the client needs {needed:g}"
    if h.rule == "no-capacity":
        return f"{vid} has no free place ({h.active} of {h.capacity})"
    if h.rule == "contact-mismatch":
        return f"{vid} meets by {h.volunteer_contact} only, the client by {h.client_contact} only"
    if h.rule == "too-far":
        about = "≈" if h.approximate else ""
        where = "location unknown" if h.km is None else f"{about}{h.km:.1f} km away"
        return (
            f"{vid} is {where}, travels {h.max_travel_km:g} km"
            f" (contact: client {h.client_contact}, volunteer {h.volunteer_contact})"
        )
    if h.rule == "no-shared-time":
        return f"{vid} is free {', '.join(h.availability) or 'any time'}"
    if h.rule == "no-shared-language":
        return f"{vid} speaks {', '.join(h.languages)}"
    if h.rule == "gender-preference":
        return f"{vid} has gender {h.gender or 'unknown'}"
    if h.rule == "excluded":
        if h.declined_by is not None:
            return f"{vid} was declined for this client in an earlier round (by {h.declined_by})"
        return f"the client excluded {vid}"
    return f"{vid} is not trained in grief or advanced"


_CONTACT_NL: Final = {"visit": "bezoek", "phone": "telefoon", "either": "bezoek of telefoon"}
_GENDER_NL: Final = {"f": "vrouw", "m": "man", "x": "anders"}
DECIDED_BY_NL: Final = {
    "client": "cliënt",
    "volunteer": "vrijwilliger",
    "coordinator": "coördinator",
}


def _hint_nl(h: BlockingHint) -> str:
    vid = h.volunteer_id
    if h.rule == "no-programme":
        return f"{vid} werkt in {', '.join(h.programmes)}, niet in {h.client_programme}"
    if h.rule == "no-capacity" and h.hours is not None:
        free, given, needed = (_g(x, "nl") for x in h.hours)
        return f"{vid} heeft {free} van {given} uur per week vrij; de cliënt heeft {needed} nodig"
    if h.rule == "no-capacity":
        return f"{vid} heeft geen vrije plek ({h.active} van {h.capacity})"
    volunteer = _CONTACT_NL.get(h.volunteer_contact, h.volunteer_contact)
    client = _CONTACT_NL.get(h.client_contact, h.client_contact)
    if h.rule == "contact-mismatch":
        return f"{vid} heeft alleen contact via {volunteer}, de cliënt alleen via {client}"
    if h.rule == "too-far":
        about = "≈" if h.approximate else ""
        where = "locatie onbekend" if h.km is None else f"{about}{number(h.km, 'nl')} km weg"
        return (
            f"{vid}: {where}, reist tot {_g(h.max_travel_km, 'nl')} km"
            f" (contact: cliënt {client}, vrijwilliger {volunteer})"
        )
    if h.rule == "no-shared-time":
        slots = ", ".join(slot_phrase(slot, "nl") for slot in h.availability)
        return f"{vid} kan op {slots}" if slots else f"{vid} kan op elk moment"
    if h.rule == "no-shared-language":
        return f"{vid} spreekt {', '.join(language_name(code, 'nl') for code in h.languages)}"
    if h.rule == "gender-preference":
        return f"{vid} heeft geslacht {_GENDER_NL.get(h.gender or '', h.gender or 'onbekend')}"
    if h.rule == "excluded":
        if h.declined_by is not None:
            who = DECIDED_BY_NL.get(h.declined_by, h.declined_by)
            return f"{vid} is in een eerdere ronde afgewezen voor deze cliënt (door de {who})"
        return f"de cliënt sloot {vid} uit"
    return f"{vid} heeft geen training in rouw of gevorderde training"


_HINT: Final[dict[str, Callable[[BlockingHint], str]]] = {"en": _hint_en, "nl": _hint_nl}


def hint_text(hint: BlockingHint, lang: str = "en") -> str:
    """What stands between the client and the volunteer, in `lang` (nl or en)."""
    return _HINT[lang](hint)


def _change_en(kind: str, values: tuple[object, ...]) -> str:
    if kind == "extra-place":
        volunteer, taken_by, verified = values
        assert isinstance(taken_by, tuple)
        place = f"one more free place at {volunteer} (now given to {', '.join(taken_by)})"
        return place + (" would match this client" if verified else " may match this client")
    if kind == "extra-place-elsewhere":
        return (
            "one more free place at any of these options would go to another waiting client first"
        )
    if kind == "only-rule":
        code, _, hint = values
        assert isinstance(hint, BlockingHint)
        return f"{hint_text(hint, 'en')}: the only rule in the way ({code})"
    code, more = values
    return f"… and {more} more volunteer(s) blocked only by {code}"


def _label_nl(code: object) -> str:
    return REASON_LABELS["nl"].get(str(code), str(code))


def _change_nl(kind: str, values: tuple[object, ...]) -> str:
    if kind == "extra-place":
        volunteer, taken_by, verified = values
        assert isinstance(taken_by, tuple)
        place = f"één vrije plek meer bij {volunteer} (nu gegeven aan {', '.join(taken_by)})"
        return place + (" zou deze cliënt koppelen" if verified else " kan deze cliënt koppelen")
    if kind == "extra-place-elsewhere":
        return (
            "één vrije plek meer bij een van deze opties gaat eerst naar een andere wachtende"
            " cliënt"
        )
    if kind == "only-rule":
        code, _, hint = values
        assert isinstance(hint, BlockingHint)
        return f"{hint_text(hint, 'nl')}: alleen de regel '{_label_nl(code)}' staat in de weg"
    code, more = values
    return f"… en nog {more} vrijwilliger(s) bij wie alleen '{_label_nl(code)}' in de weg staat"


_CHANGE: Final[dict[str, Callable[[str, tuple[object, ...]], str]]] = {
    "en": _change_en,
    "nl": _change_nl,
}


def change_text(kind: str, values: tuple[object, ...], lang: str = "en") -> str:
    """One change that would alter a waiting client's outcome (explain's change facts):
    ("extra-place", (volunteer, taken_by, verified)), ("extra-place-elsewhere", ()),
    ("only-rule", (rule code, volunteer, BlockingHint)), ("more-only-rule", (code, count))."""
    return _CHANGE[lang](kind, values)
