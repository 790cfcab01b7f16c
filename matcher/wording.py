"""Plain words for coordinators, in English and Dutch.

The engine and the explanations produce structured facts (a pair's shared loss, distance, shared
slots; the rule that left a client without options); this module turns them into the sentences
the terminal, the ledger and the HTML report show, so both languages say the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Final

from matcher import vocab
from matcher.candidates import HOURS_NONE_LEFT, RULES
from matcher.facts import Reason
from matcher.result import Unmatched
from matcher.scoring import format_weight

LANGUAGES: Final = ("nl", "en")

_DAYS: Final = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
}
_PARTS: Final = {
    "en": {"am": "morning", "pm": "afternoon", "eve": "evening"},
    "nl": {"am": "ochtend", "pm": "middag", "eve": "avond"},
}
# "both lost ...": the loss, as an object of the verb.
LOSS_OBJECT: Final = {
    "en": {
        "partner": "a partner",
        "child": "a child",
        "parent": "a parent",
        "sibling": "a brother or sister",
        "friend": "a friend",
        "other": "someone close",
    },
    "nl": {
        "partner": "een partner",
        "child": "een kind",
        "parent": "een ouder",
        "sibling": "een broer of zus",
        "friend": "een vriend(in)",
        "other": "een naaste",
    },
}
# Languages clients in Dutch programmes most often speak; other codes are shown as they are.
LANGUAGE_NAMES: Final = {
    "en": {"nl": "Dutch", "en": "English", "de": "German", "fr": "French", "ar": "Arabic",
           "tr": "Turkish", "pl": "Polish", "uk": "Ukrainian", "ru": "Russian", "so": "Somali",
           "ti": "Tigrinya", "fa": "Persian", "es": "Spanish", "pt": "Portuguese",
           "fy": "Frisian", "zh": "Chinese"},
    "nl": {"nl": "Nederlands", "en": "Engels", "de": "Duits", "fr": "Frans", "ar": "Arabisch",
           "tr": "Turks", "pl": "Pools", "uk": "Oekraïens", "ru": "Russisch", "so": "Somalisch",
           "ti": "Tigrinya", "fa": "Perzisch", "es": "Spaans", "pt": "Portugees",
           "fy": "Fries", "zh": "Chinees"},
}  # fmt: skip

REASON_LABELS: Final = {
    "en": {
        "no-programme": "No volunteer in the programme",
        "volunteers-paused": "Volunteers of the programme paused",
        "no-capacity": "All volunteers full",
        "contact-mismatch": "No shared way of contact",
        "too-far": "Too far away",
        "no-shared-time": "No shared time",
        "no-shared-language": "No shared language",
        "gender-preference": "Preferred gender not available",
        "excluded": "Excluded all remaining volunteers",
        "training-required": "Needs a grief-trained volunteer",
        "outcompeted": "Options went to others",
    },
    "nl": {
        "no-programme": "Geen vrijwilliger in het programma",
        "volunteers-paused": "Vrijwilligers van het programma gepauzeerd",
        "no-capacity": "Alle vrijwilligers vol",
        "contact-mismatch": "Geen gedeelde manier van contact",
        "too-far": "Te ver weg",
        "no-shared-time": "Geen gedeeld moment",
        "no-shared-language": "Geen gedeelde taal",
        "gender-preference": "Gewenst geslacht niet beschikbaar",
        "excluded": "Alle overgebleven vrijwilligers uitgesloten",
        "training-required": "Heeft een in rouw getrainde vrijwilliger nodig",
        "outcompeted": "Opties gingen naar anderen",
    },
}

# What would change the outcome for a whole group of clients left out for one reason.
REASON_REMEDIES: Final = {
    "en": {
        "no-programme": "Recruit volunteers for this programme, or let a volunteer serve it too.",
        "volunteers-paused": "The end of a pause, a paused volunteer taking this client anyway,"
        " or a new volunteer for this programme.",
        "no-capacity": "A free place: a match that ends, or a volunteer taking one more client.",
        "contact-mismatch": "A volunteer who meets the client's way (visits or phone), or asking"
        " whether the other way would do.",
        "too-far": "A volunteer nearby, a larger travel radius, or phone contact on both sides.",
        "no-shared-time": "A volunteer free at the client's times, or more flexible times.",
        "no-shared-language": "A volunteer who speaks the client's language.",
        "gender-preference": "A volunteer of the preferred gender, or asking whether it matters.",
        "excluded": "A new volunteer, or talking over an exclusion with the client.",
        "training-required": "Grief or advanced training for a volunteer who fits otherwise.",
        "outcompeted": "One more place with a volunteer who fits: see the suggestions below.",
    },
    "nl": {
        "no-programme": "Werf vrijwilligers voor dit programma, of laat een vrijwilliger ook"
        " dit programma doen.",
        "volunteers-paused": "Het einde van een pauze, een gepauzeerde vrijwilliger die deze"
        " cliënt toch neemt, of een nieuwe vrijwilliger voor dit programma.",
        "no-capacity": "Een vrije plek: een koppeling die eindigt, of een vrijwilliger die een"
        " cliënt extra neemt.",
        "contact-mismatch": "Een vrijwilliger die contact heeft zoals de cliënt wil (bezoek of"
        " telefoon), of navragen of de andere manier ook kan.",
        "too-far": "Een vrijwilliger dichterbij, een grotere reisafstand, of aan beide kanten"
        " telefonisch contact.",
        "no-shared-time": "Een vrijwilliger die kan op de momenten van de cliënt, of ruimere"
        " tijden.",
        "no-shared-language": "Een vrijwilliger die de taal van de cliënt spreekt.",
        "gender-preference": "Een vrijwilliger van het gewenste geslacht, of navragen of het"
        " uitmaakt.",
        "excluded": "Een nieuwe vrijwilliger, of een uitsluiting bespreken met de cliënt.",
        "training-required": "Rouw- of gevorderde training voor een vrijwilliger die verder past.",
        "outcompeted": "Eén plek meer bij een passende vrijwilliger: zie de suggesties hieronder.",
    },
}

# Why a client was left out, per rule: {n} volunteers were left before the rule.
_REASON_DETAIL_EN: Final = {rule.code: rule.none_left for rule in RULES}
_REASON_DETAIL_NL: Final = {
    "no-programme": "geen vrijwilliger werkt in programma {programme}",
    "no-capacity": "alle {n} vrijwilliger(s) van {programme} zitten vol",
    "contact-mismatch": "{n} vrijwilliger(s) hebben plaats; niemand wil contact op de manier"
    " van de cliënt",
    "too-far": "{n} vrijwilliger(s) hebben plaats; niemand woont binnen reisafstand voor een"
    " bezoek, en niet beiden willen telefonisch contact",
    "no-shared-time": "{n} vrijwilliger(s) bleven over; niemand kan op dezelfde momenten",
    "no-shared-language": "{n} vrijwilliger(s) bleven over; niemand spreekt een taal van de cliënt",
    "gender-preference": "{n} vrijwilliger(s) bleven over; niemand heeft het gewenste geslacht",
    "excluded": "{n} vrijwilliger(s) bleven over; de cliënt sloot ze allemaal uit",
    "training-required": "{n} vrijwilliger(s) bleven over; niemand is getraind in rouw of"
    " gevorderd, wat een cliënt met hoog risico nodig heeft",
}


def paused_detail(
    programme: str,
    paused: Sequence[tuple[str, dt.date]],
    lang: str,
    volunteer_name: Callable[[str], str] = str,
) -> str:
    """'the only volunteer for levensboek, V03, is paused until 2027-01-15'."""
    nl = lang == "nl"
    if len(paused) == 1:
        ((volunteer, until),) = paused
        if nl:
            return (
                f"de enige vrijwilliger voor {programme}, {volunteer_name(volunteer)}, is"
                f" gepauzeerd tot {until.isoformat()}"
            )
        return (
            f"the only volunteer for {programme}, {volunteer_name(volunteer)}, is paused until"
            f" {until.isoformat()}"
        )
    word = " tot " if nl else " until "
    listed = ", ".join(f"{volunteer_name(v)}{word}{until.isoformat()}" for v, until in paused)
    if nl:
        return f"alle {len(paused)} vrijwilligers voor {programme} zijn gepauzeerd: {listed}"
    return f"all {len(paused)} volunteers for {programme} are paused: {listed}"


def hours_suffix(hours: float, lang: str) -> str:
    """What "full" means when capacity is in hours: ' for the client's 1.5 hours a week'."""
    if lang == "nl":
        return f" voor de {hours:g} uur per week van de cliënt".replace(".", ",")
    return HOURS_NONE_LEFT.format(hours=hours)


def number(value: float, lang: str, digits: int = 1) -> str:
    """A decimal as the reader writes it: 3.2 in English, 3,2 in Dutch."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def slot_phrase(slot: str, lang: str = "en") -> str:
    """'Tue morning' / 'dinsdagochtend'."""
    day, part = slot.split("-")
    day_name = _DAYS[lang][vocab.DAYS.index(day)]
    return f"{day_name}{_PARTS[lang][part]}" if lang == "nl" else f"{day_name} {_PARTS[lang][part]}"


def language_name(code: str, lang: str) -> str:
    return LANGUAGE_NAMES[lang].get(code, code)


# A distance from the least precise of the two locations (matcher.locations).
APPROXIMATE_BASIS: Final = {
    "en": {"postcode": "postcode centres", "district": "district centres", "place": "town centres"},
    "nl": {"postcode": "postcodecentra", "district": "wijkcentra", "place": "plaatscentra"},
}

# A pair's reasons as facts: (kind, values). Rendered by render_pair_reasons.
Fact = Reason


def render_pair_reasons(facts: Sequence[Fact], lang: str = "en") -> str:
    return "; ".join(_render_fact(kind, values, lang) for kind, values in facts)


def _render_fact(kind: str, values: tuple[object, ...], lang: str) -> str:
    nl = lang == "nl"
    if kind == "pinned":
        return "vastgezet door de coördinator" if nl else "pinned by the coordinator"
    if kind == "same-loss":
        loss = LOSS_OBJECT[lang][str(values[0])]
        return f"beiden verloren {loss}" if nl else f"both lost {loss}"
    if kind == "knows-loss":
        return (
            "vrijwilliger kent verlies uit eigen ervaring"
            if nl
            else "volunteer knows loss first-hand"
        )
    if kind == "km":
        km = number(float(values[0]), lang)  # type: ignore[arg-type]
        if len(values) > 1:  # measured between centres, not between the given coordinates
            basis = APPROXIMATE_BASIS[lang][str(values[1])]
            return f"≈{km} km uit elkaar ({basis})" if nl else f"≈{km} km apart ({basis})"
        return f"{km} km uit elkaar" if nl else f"{km} km apart"
    if kind == "phone":
        return "telefonisch" if nl else "by phone"
    if kind == "free":
        slots, more = values
        shown = ", ".join(slot_phrase(str(s), lang) for s in slots)  # type: ignore[attr-defined]
        extra = f" (+{more})" if more else ""
        return f"beiden vrij op {shown}{extra}" if nl else f"both free {shown}{extra}"
    if kind == "needs":
        covered, total = values
        return (
            f"dekt {covered} van {total} hulpvragen" if nl else f"covers {covered} of {total} needs"
        )
    if kind == "trained":
        return "getraind voor dit risiconiveau" if nl else "trained for this risk level"
    raise ValueError(f"unknown fact {kind!r}")


def unmatched_detail(
    unmatched: Unmatched,
    lang: str = "en",
    *,
    weights: bool = False,
    client_name: Callable[[str], str] = str,
    volunteer_name: Callable[[str], str] = str,
) -> str:
    """Why one client was left out, from the facts, in either language and with pseudonyms.

    `weights` adds each pair's weight to "options went to others", as unmatched.csv and the
    ledger tables show it; the report leaves them out."""
    nl = lang == "nl"
    if unmatched.stored_detail is not None:
        return unmatched.stored_detail
    programme = unmatched.programme
    if unmatched.reason == "outcompeted" and unmatched.best_volunteer is not None:
        best = volunteer_name(unmatched.best_volunteer)
        if weights and unmatched.best_weight_units is not None:
            word = "gewicht" if nl else "weight"
            best += f" ({word} {weight_text(unmatched.best_weight_units, lang)})"
        shown = unmatched.taken_weight_units if weights else ()
        takers = ", ".join(
            client_name(c) + (f" ({weight_text(shown[k], lang)})" if k < len(shown) else "")
            for k, c in enumerate(unmatched.taken_by)
        )
        policy = unmatched.policy
        if nl:
            if takers:
                return f"beste optie {best} ging naar {takers}"
            if weights:
                return (
                    f"beste optie {best} ging naar niemand: de werkwijze {policy} liet de plek vrij"
                )
            return f"beste optie {best} bleef vrij onder de werkwijze {policy}"
        if takers:
            return f"best option {best} went to {takers}"
        if weights:
            return f"best option {best} went to nobody: the {policy} policy left the place free"
        return f"best option {best} was left free by the {policy} policy"
    if unmatched.reason == "volunteers-paused" and unmatched.paused:
        return paused_detail(programme, unmatched.paused, lang, volunteer_name)
    template = _REASON_DETAIL_NL if nl else _REASON_DETAIL_EN
    detail = template[unmatched.reason].format(n=unmatched.options_before, programme=programme)
    if unmatched.hours_needed is not None:
        detail += hours_suffix(unmatched.hours_needed, lang)
    return detail


def weight_text(units: int, lang: str) -> str:
    """An edge weight as the reader writes it: 0.834000 / 0,834000."""
    text = format_weight(units)
    return text.replace(".", ",") if lang == "nl" else text


def pair_why(
    reasons: Sequence[Fact], lang: str = "en", *, pinned: bool = False, stored: str | None = None
) -> str:
    """A proposal's reasons in words; `stored`: an old ledger's English text that could not be
    read back as facts, shown as it is."""
    if stored is not None:
        return stored
    return render_pair_reasons(([("pinned", ())] if pinned else []) + list(reasons), lang)


def bottleneck_sentence(
    n_clients: int,
    volunteers: Sequence[str],
    free_places: int,
    must_wait: int,
    lang: str,
    *,
    client: str | None = None,
    count: Callable[[int], str] = str,
    shown: int = 5,
) -> str:
    """A bottleneck group in words (matcher.bottleneck): "these 9 clients can only be served
    by V03, V07 and V11, who have 4 free places between them: at least 5 of them wait whatever
    the round does". With `client`, said of one of them; `count` may hide small numbers."""
    nl = lang == "nl"
    listed = list(volunteers[:shown])
    more = len(volunteers) - len(listed)
    if more:
        listed.append(f"{more} meer" if nl else f"{more} more")
    joined = (
        listed[0]
        if len(listed) == 1
        else f"{', '.join(listed[:-1])} {'en' if nl else 'and'} {listed[-1]}"
    )
    places, wait = count(free_places), count(must_wait)
    if nl:
        plaatsen = "vrije plaats" if free_places == 1 else "vrije plaatsen"
        who = (
            f"die {places} {plaatsen} heeft"
            if len(volunteers) == 1
            else f"die samen {places} {plaatsen} hebben"
        )
        group = (
            f"{client} is een van {count(n_clients)} cliënten die alleen terecht kunnen bij"
            if client
            else f"deze {count(n_clients)} cliënten kunnen alleen terecht bij"
        )
        return f"{group} {joined}, {who}: minstens {wait} van hen wachten, wat de ronde ook doet"
    noun = "free place" if free_places == 1 else "free places"
    who = (
        f"who has {places} {noun}"
        if len(volunteers) == 1
        else f"who have {places} {noun} between them"
    )
    group = (
        f"{client} is one of {count(n_clients)} clients who can only be served by"
        if client
        else f"these {count(n_clients)} clients can only be served by"
    )
    return f"{group} {joined}, {who}: at least {wait} of them wait whatever the round does"


def bottleneck_summary(n_groups: int, must_wait: int, lang: str) -> str:
    """One line over all groups: how many wait in every round on these inputs."""
    if lang == "nl":
        groepen = "groep" if n_groups == 1 else "groepen"
        return (
            f"{n_groups} {groepen} cliënten met te weinig plaatsen: minstens {must_wait}"
            " wachten, wat de ronde ook doet"
        )
    groups = "group" if n_groups == 1 else "groups"
    return (
        f"{n_groups} {groups} of clients with too few places: at least {must_wait} wait"
        " whatever the round does"
    )
