"""Dutch (and plain English) words for the vocabularies and column names of the input contract.

A coordinator's export says `Geslacht: vrouw` and `Beschikbaarheid: ma ochtend, wo-avond`; these
tables turn such words into the contract's own (`f`, `mon-am|wed-eve`) before validation. Words
are compared folded: lower case, without accents and dots, with spaces as hyphens.

A "did you mean" hint is a promise, so it is only given when it is close and safe: a Dutch word
is matched against the Dutch table first, then by a small edit distance, else nothing is said.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Mapping
from typing import Final

from matcher import vocab


# Cells repeat their words; the table lookups fold each distinct text once.
@functools.lru_cache(maxsize=1 << 14)
def fold(text: str) -> str:
    """`" Ma. Ochtend "` -> `ma-ochtend`: how table words and cell words are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = re.sub(r"['’`]", "", plain).replace(".", " ")
    return re.sub(r"[\s_]+", "-", plain.strip().lower()).strip("-")


def fold_header(text: str) -> str:
    """`"Cliëntnr."` -> `clientnr`: letters and digits only, for the header table."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


# Headers ---------------------------------------------------------------------------------------

# Folded header -> the fields it may mean, the first one the model has wins ("Programma" is a
# client's programme and a volunteer's programmes). Bare "naam" or "vrijwilliger" is never
# mapped: a name must never be read, and a client's assigned volunteer is not a volunteer id.
_HEADER_WORDS: Final[dict[tuple[str, ...], str]] = {
    ("client_id",): "clientnummer clientnr clientid clientcode dossiernummer dossiernr"
    " registratienummer deelnemernummer deelnemersnummer",
    ("volunteer_id",): "vrijwilligernummer vrijwilligersnummer vrijwilligernr vrijwilligerid"
    " vrijwilligerscode vrijwilligercode volunteerid",
    ("programme", "programmes"): "programma regeling traject project",
    ("programmes",): "programmas regelingen trajecten projecten",
    ("age",): "leeftijd leeftijdjaren",
    ("gender",): "geslacht sekse gender",
    ("postcode",): "postcode pc postcodecijfers",
    ("district",): "wijk stadsdeel buurt woonwijk",
    ("place",): "woonplaats plaats gemeente plaatsnaam",
    ("lat",): "breedtegraad latitude",
    ("lon",): "lengtegraad longitude",
    ("loss_type",): "soortverlies verlies typeverlies verliessoort overledene",
    ("loss_date",): "datumoverlijden overlijdensdatum datumverlies overledenop datumvanoverlijden",
    ("hindering_factors",): "belemmerendefactoren risicofactoren belemmerend",
    ("protective_factors",): "beschermendefactoren beschermend",
    ("needs",): "hulpvragen hulpvraag behoeften behoefte",
    ("availability",): "beschikbaarheid beschikbaar dagdelen",
    ("languages",): "talen taal spreekt spreektalen",
    ("preferred_gender",): "voorkeurgeslacht geslachtvoorkeur voorkeurgeslachtvrijwilliger"
    " voorkeurvrijwilliger",
    ("contact",): "contact contactvorm contactvoorkeur soortcontact contactwijze",
    ("waiting_since",): "wachtendsinds wachtsinds aangemeldop aanmelddatum datumaanmelding"
    " opwachtlijstsinds",
    ("excluded_volunteers",): "uitgeslotenvrijwilligers nietkoppelenaan uitgesloten",
    ("capacity",): "capaciteit maxclienten maximaalaantalclienten",
    ("active_clients",): "huidigeclienten actieveclienten lopendekoppelingen",
    ("hours_per_week",): "urenperweek urenpw uren tijdperweek",
    ("active_hours",): "urenbezet bezetteuren huidigeuren",
    ("max_travel_km",): "reisafstand reisafstandkm maxreisafstand maxafstand",
    ("lived_experience",): "ervaring ervaringsdeskundigheid eigenverlies",
    ("training",): "opleiding opleidingen training trainingen scholing",
    ("skills",): "vaardigheden kwaliteiten kan",
    ("risk_tier",): "risico risiconiveau risicoinschatting risicotier risicogroep",
}
HEADERS: Final[dict[str, tuple[str, ...]]] = {
    word: fields for fields, words in _HEADER_WORDS.items() for word in words.split()
}


def header_field(header: str, fields: Collection[str]) -> str | None:
    """The field a Dutch header names in a model with `fields`, or None."""
    for field in HEADERS.get(fold_header(header), ()):
        if field in fields:
            return field
    return None


# Cell values -----------------------------------------------------------------------------------

_DAYS: Final = {
    "mon": ("ma", "maandag", "monday"),
    "tue": ("di", "dinsdag", "tuesday"),
    "wed": ("wo", "woensdag", "wednesday"),
    "thu": ("do", "donderdag", "thursday"),
    "fri": ("vr", "vrij", "vrijdag", "friday"),
    "sat": ("za", "zat", "zaterdag", "saturday"),
    "sun": ("zo", "zon", "zondag", "sunday"),
}
_PARTS: Final = {
    "am": ("ochtend", "morgen", "morning", "o"),
    "pm": ("middag", "afternoon", "m"),
    "eve": ("avond", "evening", "a"),
}


def _slot_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for day, day_words in _DAYS.items():
        for word in (day, *day_words):
            # A day alone means the whole day: each of its three parts.
            if word != day:
                words[word] = "|".join(f"{day}-{part}" for part in vocab.DAY_PARTS)
            for part, part_words in _PARTS.items():
                for part_word in part_words:
                    if len(part_word) == 1 and len(word) > 3:
                        continue  # "ma-o" is an abbreviation; "maandag-o" is a typo
                    words[f"{word}-{part_word}"] = f"{day}-{part}"
                    if len(part_word) > 1:
                        words[f"{word}{part_word}"] = f"{day}-{part}"
    weekend = [f"{day}-{part}" for day in ("sat", "sun") for part in vocab.DAY_PARTS]
    words["weekend"] = "|".join(weekend)
    for part, part_words in _PARTS.items():
        for part_word in part_words[:2]:
            words[f"weekend-{part_word}"] = f"sat-{part}|sun-{part}"
            words[f"weekend{part_word}"] = f"sat-{part}|sun-{part}"
    week = [f"{day}-{part}" for day in ("mon", "tue", "wed", "thu", "fri") for part in ("am", "pm")]
    for word in ("doordeweeks", "werkdagen", "weekdagen", "overdag-doordeweeks"):
        words[word] = "|".join(week)
    for part, part_words in _PARTS.items():
        # "'s avonds" / "avonden": every evening (or morning, afternoon) of the week.
        every = "|".join(f"{day}-{part}" for day in vocab.DAYS)
        words[f"s-{part_words[0]}s"] = every
        words[f"{part_words[0]}en"] = every
    return words


def _table(words: dict[str, str]) -> dict[str, str]:
    """{"f": "vrouw v"} -> {"vrouw": "f", "v": "f"}: written by meaning, looked up by word."""
    return {word: meaning for meaning, spelled in words.items() for word in spelled.split()}


_GENDERS: Final = _table(
    {
        "f": "vrouw v vrouwelijk female woman",
        "m": "man mannelijk male",
        "x": "anders non-binair nonbinair other",
    }
)
_PREFERRED_GENDERS: Final = _table(
    {
        "f": "vrouw v vrouwelijk female woman",
        "m": "man mannelijk male",
        # No preference is no value: the rule then lets every volunteer through.
        "": "geen geen-voorkeur maakt-niet-uit nvt n-v-t none no-preference",
    }
)
_LOSS_TYPES: Final = _table(
    {
        "partner": "partner echtgenoot echtgenote levenspartner husband wife spouse",
        "child": "kind zoon dochter son daughter",
        "parent": "ouder vader moeder father mother",
        "sibling": "broer zus zuster broer-of-zus brother sister",
        "friend": "vriend vriendin vriend(in) vriend-in",
        "other": "anders overig ander",
        "none": "geen",
    }
)
_CONTACT_MODES: Final = _table(
    {
        "visit": "bezoek huisbezoek thuisbezoek op-bezoek aan-huis thuis",
        "phone": "telefonisch telefoon bellen per-telefoon",
        "either": "beide allebei maakt-niet-uit both geen-voorkeur",
    }
)
_TRAININGS: Final = _table(
    {
        "basic": "basis basistraining basiscursus",
        "grief": "rouw rouwverwerking rouwtraining rouwbegeleiding",
        "life-questions": "levensvragen",
        "life-story": "levensverhaal",
        "advanced": "gevorderd gevorderden verdieping",
    }
)
_NEEDS: Final = _table(
    {
        "emotional": "emotioneel emotionele-steun steun",
        "practical": "praktisch praktische-hulp praktische-steun",
        "work": "werk werk-en-inkomen",
        "life-story": "levensverhaal",
        "social": "sociaal sociale-contacten gezelschap",
        "life-questions": "levensvragen zingeving",
    }
)
_HINDERING: Final = _table(
    {
        "physical-health": "lichamelijke-gezondheid lichamelijke-klachten slechte-gezondheid"
        " ziekte",
        "social-contact-difficulty": "moeite-met-contact moeite-met-sociaal-contact",
        "little-social-support": "weinig-steun weinig-sociale-steun klein-netwerk",
        "sudden-death": "plotseling-overlijden plotseling-verlies onverwacht-overlijden plotseling",
        "caregiver-burden": "mantelzorg mantelzorgbelasting zorglast",
        "anxiety-or-depression": "angst-of-depressie angst depressie somberheid",
        "financial-worries": "financiele-zorgen geldzorgen schulden",
        "young-children": "jonge-kinderen thuiswonende-kinderen",
        "living-alone": "alleenwonend alleen-wonend woont-alleen",
        "low-education": "laag-opgeleid lage-opleiding laagopgeleid",
    }
)
_PROTECTIVE: Final = _table(
    {
        "strong-network": "sterk-netwerk steunend-netwerk goed-netwerk",
        "employed": "werkend betaald-werk heeft-werk",
        "good-health": "goede-gezondheid",
        "meaning-and-faith": "zingeving-en-geloof geloof",
        "coped-with-earlier-loss": "eerder-verlies-verwerkt",
    }
)
_RISK_TIERS: Final = _table(
    {"low": "laag", "moderate": "midden matig gemiddeld middel", "high": "hoog"}
)
# Language names (Dutch and English) -> ISO 639-1. Names without a two-letter code
# (Papiamento, Tamazight) are left out: they would need a code the contract cannot hold.
_LANGUAGES: Final = _table(
    {
        "nl": "nederlands dutch vlaams",
        "en": "engels english",
        "tr": "turks turkish",
        "ar": "arabisch arabic",
        "pl": "pools polish",
        "de": "duits german",
        "fr": "frans french",
        "es": "spaans spanish",
        "pt": "portugees portuguese",
        "it": "italiaans italian",
        "ru": "russisch russian",
        "uk": "oekraiens ukrainian",
        "ro": "roemeens romanian",
        "bg": "bulgaars bulgarian",
        "hu": "hongaars hungarian",
        "so": "somalisch somali",
        "ti": "tigrinya tigrinia",
        "fa": "perzisch farsi persian",
        "ku": "koerdisch kurdish",
        "zh": "chinees mandarijn chinese mandarin",
        "hi": "hindi",
        "ur": "urdu",
        "fy": "fries frisian",
        "el": "grieks greek",
        "he": "hebreeuws hebrew",
        "ja": "japans japanese",
        "vi": "vietnamees vietnamese",
        "id": "indonesisch indonesian",
        "sr": "servisch serbian",
        "hr": "kroatisch croatian",
        "bs": "bosnisch bosnian",
        "sq": "albanees albanian",
        "am": "amhaars amharic",
        "ps": "pasjtoe pashto",
        "ta": "tamil",
        "da": "deens danish",
        "sv": "zweeds swedish",
        "no": "noors norwegian",
        "fi": "fins finnish",
        "cs": "tsjechisch czech",
        "sk": "slowaaks slovak",
        "lt": "litouws lithuanian",
        "lv": "lets latvian",
        "et": "ests estonian",
        "sw": "swahili",
        "th": "thai",
        "ko": "koreaans korean",
    }
)

# The Dutch table of each vocabulary, by the kind of word models.py names in its messages.
WORDS: Final[dict[str, dict[str, str]]] = {
    "availability slot": _slot_words(),
    "gender": _GENDERS,
    "preferred gender": _PREFERRED_GENDERS,
    "loss type": _LOSS_TYPES,
    "contact mode": _CONTACT_MODES,
    "training": _TRAININGS,
    "need": _NEEDS,
    "skill": _NEEDS,
    "hindering factor": _HINDERING,
    "protective factor": _PROTECTIVE,
    "risk tier": _RISK_TIERS,
    "language": _LANGUAGES,
}

# Field -> (kind of word, whether a cell holds a list of them).
FIELD_WORDS: Final[dict[str, tuple[str, bool]]] = {
    "availability": ("availability slot", True),
    "gender": ("gender", False),
    "preferred_gender": ("preferred gender", False),
    "loss_type": ("loss type", False),
    "lived_experience": ("loss type", True),
    "contact": ("contact mode", False),
    "training": ("training", True),
    "needs": ("need", True),
    "skills": ("skill", True),
    "hindering_factors": ("hindering factor", True),
    "protective_factors": ("protective factor", True),
    "risk_tier": ("risk tier", False),
    "languages": ("language", True),
}


# The contract's own words of each kind; languages are any two-letter code instead.
CHOICES: Final[dict[str, tuple[str, ...]]] = {
    "availability slot": vocab.SLOTS,
    "gender": vocab.GENDERS,
    "preferred gender": vocab.PREFERRED_GENDERS,
    "loss type": vocab.LOSS_TYPES,
    "contact mode": vocab.CONTACT_MODES,
    "training": vocab.TRAININGS,
    "need": vocab.NEEDS,
    "skill": vocab.NEEDS,
    "hindering factor": vocab.HINDERING_FACTORS,
    "protective factor": vocab.PROTECTIVE_FACTORS,
    "risk tier": vocab.RISK_TIERS,
}


# "Did you mean" ----------------------------------------------------------------------------------


def edit_distance(a: str, b: str, *, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _allowed_edits(word: str) -> int:
    # One slip in a short word, two in a long one: "kind" is not a typo of "friend". Any
    # letter is one slip from "v" or "m", so a word of one or two letters gets no hint.
    if len(word) <= 2:
        return 0
    return 1 if len(word) < 8 else 2


def closest_safe(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    """The one choice within a small edit distance of `word`; None when none or a tie."""
    limit = _allowed_edits(word)
    scored = sorted((edit_distance(word, choice, limit=limit), choice) for choice in choices)
    close = [(distance, choice) for distance, choice in scored if distance <= limit]
    if not close or (len(close) > 1 and close[0][0] == close[1][0]):
        return None
    return close[0][1]


@functools.lru_cache(maxsize=4096)  # a bad word repeated down a column is judged once
def suggestion(kind: str, word: str, choices: tuple[str, ...]) -> str | None:
    """A safe hint for an unknown word: a near Dutch word first, then a near contract word."""
    folded = fold(word)
    dutch = WORDS.get(kind, {})
    if dutch.get(folded):  # a Dutch word where no table maps it, as in a library call
        return dutch[folded]
    near_dutch = closest_safe(folded, list(dutch))
    if near_dutch is not None:
        return near_dutch
    return closest_safe(folded, choices)


# Her own words ---------------------------------------------------------------------------------


def value_problems(field: str, table: Mapping[str, str]) -> list[str]:
    """What is wrong with a config's `[values.FIELD]` table, as `field: message` lines."""
    from matcher.models import Client, Volunteer

    known = tuple(dict.fromkeys([*Client.model_fields, *Volunteer.model_fields]))
    if field not in known:
        hint = vocab.closest(field, known)
        return [f"{field}: unknown column" + (f"; did you mean {hint!r}?" if hint else "")]
    kind = FIELD_WORDS.get(field, ("", False))[0]
    problems = []
    for key, target in table.items():
        for item in re.split(r"[|,]", target):
            if item.strip() and not _known_word(kind, item):
                choices = CHOICES.get(kind, ())
                why = (
                    vocab.unknown_word_message(kind, vocab.normalise_word(item), choices)
                    if choices
                    else "must be two-letter ISO 639-1 codes like 'nl' or 'en'"
                )
                problems.append(f"{field}: {key!r} = {target!r}: {why}")
    return problems


def _known_word(kind: str, word: str) -> bool:
    if not kind:
        return True  # a free word or text; the row's own validation judges it
    if kind == "language":
        return vocab.is_language_code(word.strip().lower()) or fold(word) in _LANGUAGES
    return vocab.normalise_word(word) in CHOICES[kind] or fold(word) in WORDS[kind]
