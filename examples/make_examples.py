"""Write the demo round: examples/clients.csv and examples/volunteers.csv.

A small matching round of the Zwolle partner-loss pilot and the seniorencoach programme, as a
coordinator's Dutch Excel would export it: `;`-separated, decimal comma, dates as DD-MM-YYYY,
UTF-8 with a byte order mark, lists typed as `mon-am, wed-pm`, and two columns of their own
(`naam`, `notities`) that the matcher ignores. All names are made up.

Some clients are there to show the reasons a client can be left without a proposal: one speaks
only Somali, which no volunteer speaks; one is in the life-story programme, whose only
volunteer is full. Run from the repository root (the output is the same every time):

    python examples/make_examples.py
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Final

SEED: Final = 2026
ROUND_DATE: Final = dt.date(2026, 11, 23)
HERE: Final = Path(__file__).resolve().parent

PARTNER_LOSS: Final = "zwolle-partnerverlies"
SENIOR_COACH: Final = "zwolle-seniorencoach"
LIFE_STORY: Final = "zwolle-levensboek"

# Districts (wijken) of Zwolle with their approximate centres.
DISTRICTS: Final = (
    ("Binnenstad", 52.5125, 6.0940),
    ("Assendorp", 52.5035, 6.1000),
    ("Diezerpoort", 52.5180, 6.1070),
    ("Kamperpoort", 52.5160, 6.0820),
    ("Holtenbroek", 52.5300, 6.0880),
    ("Aa-landen", 52.5340, 6.1140),
    ("Westenholte", 52.5200, 6.0530),
    ("Stadshagen", 52.5340, 6.0480),
    ("Berkum", 52.5190, 6.1370),
    ("Ittersum", 52.4990, 6.1300),
    ("Zwolle-Zuid", 52.4890, 6.1030),
    ("Schelle", 52.4950, 6.0790),
    ("Oosterenk", 52.5050, 6.1200),
)

FIRST_NAMES_F: Final = ("Anja", "Gerda", "Joke", "Truus", "Ria", "Marian", "Els", "Wil", "Corrie")
FIRST_NAMES_M: Final = ("Henk", "Kees", "Jan", "Gerrit", "Wim", "Bert", "Klaas", "Harm", "Piet")
# Surnames that no real person is likely to carry: Voorbeeld = example, Verzonnen = made up.
SURNAMES: Final = (
    "Voorbeeld",
    "Proef",
    "Fictief",
    "Verzonnen",
    "Testpersoon",
    "Denkbeeld",
    "Bedacht",
    "Nepper",
    "Schijnvast",
    "Demo",
)
PREFIXES: Final = ("", "", "", "de ", "van der ", "van ")

CLIENT_COLUMNS: Final = (
    "client_id",
    "naam",
    "programme",
    "age",
    "gender",
    "district",
    "lat",
    "lon",
    "loss_type",
    "loss_date",
    "hindering_factors",
    "protective_factors",
    "needs",
    "availability",
    "languages",
    "preferred_gender",
    "contact",
    "waiting_since",
    "excluded_volunteers",
    "notities",
)
VOLUNTEER_COLUMNS: Final = (
    "volunteer_id",
    "naam",
    "programmes",
    "age",
    "gender",
    "district",
    "lat",
    "lon",
    "max_travel_km",
    "lived_experience",
    "training",
    "capacity",
    "active_clients",
    "availability",
    "languages",
    "skills",
    "contact",
    "notities",
)

DAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_SLOTS: Final = tuple(f"{d}-{p}" for d in DAYS[:5] for p in ("am", "pm"))
EVENING_SLOTS: Final = tuple(f"{d}-eve" for d in DAYS[:5])
HINDERING: Final = (
    ("physical-health", 0.35),
    ("social-contact-difficulty", 0.15),
    ("little-social-support", 0.20),
    ("sudden-death", 0.22),
    ("caregiver-burden", 0.30),
    ("anxiety-or-depression", 0.14),
    ("financial-worries", 0.15),
    ("living-alone", 0.50),
    ("low-education", 0.25),
)
PROTECTIVE: Final = (
    ("strong-network", 0.45),
    ("good-health", 0.50),
    ("meaning-and-faith", 0.30),
    ("coped-with-earlier-loss", 0.30),
)

Row = dict[str, str]


# --------------------------------------------------------------------------------- formatting


def dutch_number(value: float, decimals: int = 5) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def dutch_date(date: dt.date) -> str:
    return date.strftime("%d-%m-%Y")


def listed(words: Sequence[str]) -> str:
    # Typed by hand into one cell; the matcher accepts `,` as well as `|` between words.
    return ", ".join(words)


# ------------------------------------------------------------------------------------ drawing


class Drawer:
    """Seeded helpers that draw people the way they occur in the two programmes."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used_names: set[str] = set()

    def name(self, gender: str) -> str:
        firsts = FIRST_NAMES_F if gender == "f" else FIRST_NAMES_M
        while True:
            name = (
                f"{self.rng.choice(firsts)} {self.rng.choice(PREFIXES)}{self.rng.choice(SURNAMES)}"
            )
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def home(self, district: str | None = None) -> tuple[str, str, str]:
        """A district and an address near its centre, as (district, lat, lon) cells."""
        found = next((d for d in DISTRICTS if d[0] == district), None)
        name, lat, lon = found or self.rng.choice(DISTRICTS)
        # Within about 700 m of the district centre.
        lat += self.rng.gauss(0, 0.7) / 111.2
        lon += self.rng.gauss(0, 0.7) / (111.2 * math.cos(math.radians(lat)))
        return name, dutch_number(lat), dutch_number(lon)

    def slots(self, n: int, evenings: bool) -> list[str]:
        pool = WEEKDAY_SLOTS + (EVENING_SLOTS if evenings else ())
        chosen = set(self.rng.sample(pool, n))
        return [slot for slot in (f"{d}-{p}" for d in DAYS for p in ("am", "pm", "eve"))
                if slot in chosen]  # fmt: skip

    def factors(self, table: Sequence[tuple[str, float]]) -> list[str]:
        return [name for name, share in table if self.rng.random() < share]

    def days_ago(self, low: int, high: int) -> dt.date:
        return ROUND_DATE - dt.timedelta(days=self.rng.randint(low, high))


# ------------------------------------------------------------------------------------ clients


PARTNER_NOTES: Final = (
    "partner overleden na kort ziekbed",
    "wil graag praten met iemand die het zelf heeft meegemaakt",
    "papierwerk (pensioen, toeslagen) loopt vast",
    "werkt weer halve dagen, avonden lastig",
    "na drie belpogingen bereikt",
    "kinderen nog thuis",
    "",
    "",
)
SENIOR_NOTES: Final = (
    "komt weinig buiten sinds de val",
    "dochter woont in Groningen",
    "doet mee met de gespreksgroep op woensdag",
    "slechthorend: liever op bezoek",
    "aangemeld via de huisarts",
    "buurvrouw doet boodschappen",
    "",
    "",
)


def partner_loss_client(draw: Drawer, number: int) -> Row:
    gender = draw.rng.choice("ffffmmm")
    district, lat, lon = draw.home()
    # The municipality writes after the death; the welfare organisation phones ~3 months later.
    loss_date = draw.days_ago(80, 330)
    return {
        "client_id": f"K{number:03d}",
        "naam": draw.name(gender),
        "programme": PARTNER_LOSS,
        "age": str(draw.rng.randint(38, 66)),
        "gender": gender,
        "district": district,
        "lat": lat,
        "lon": lon,
        "loss_type": "partner",
        "loss_date": dutch_date(loss_date),
        "hindering_factors": listed(draw.factors(HINDERING)),
        "protective_factors": listed(draw.factors((*PROTECTIVE, ("employed", 0.6)))),
        "needs": listed(
            draw.rng.sample(("emotional", "practical", "work"), draw.rng.randint(1, 3))
        ),
        "availability": listed(draw.slots(draw.rng.randint(3, 6), evenings=True)),
        "languages": "nl",
        "preferred_gender": "",
        "contact": draw.rng.choice(("visit", "visit", "either")),
        "waiting_since": dutch_date(draw.days_ago(7, 120)),
        "excluded_volunteers": "",
        "notities": draw.rng.choice(PARTNER_NOTES),
    }


def senior_client(draw: Drawer, number: int) -> Row:
    gender = draw.rng.choice("fffffmm")
    district, lat, lon = draw.home()
    widowed = draw.rng.random() < 0.4
    return {
        "client_id": f"K{number:03d}",
        "naam": draw.name(gender),
        "programme": SENIOR_COACH,
        "age": str(min(95, round(draw.rng.gauss(81, 5)))),
        "gender": gender,
        "district": district,
        "lat": lat,
        "lon": lon,
        "loss_type": "partner" if widowed else "none",
        "loss_date": dutch_date(draw.days_ago(200, 2000)) if widowed else "",
        "hindering_factors": listed(draw.factors(HINDERING)),
        "protective_factors": listed(draw.factors(PROTECTIVE)),
        "needs": listed(
            draw.rng.sample(("social", "life-questions", "emotional"), draw.rng.randint(1, 2))
        ),
        "availability": listed(draw.slots(draw.rng.randint(3, 7), evenings=False)),
        "languages": "nl",
        "preferred_gender": "f" if gender == "f" and draw.rng.random() < 0.2 else "",
        "contact": draw.rng.choice(("visit", "visit", "visit", "either")),
        "waiting_since": dutch_date(draw.days_ago(7, 200)),
        "excluded_volunteers": "",
        "notities": draw.rng.choice(SENIOR_NOTES),
    }


def phone_only(row: Row, note: str) -> Row:
    return row | {"contact": "phone", "district": "", "lat": "", "lon": "", "notities": note}


def clients(draw: Drawer) -> list[Row]:
    rows = [partner_loss_client(draw, k) for k in range(1, 15)]
    rows += [senior_client(draw, k) for k in range(15, 30)]
    rows[4] = phone_only(rows[4], "wil alleen telefonisch contact")
    rows[11] = phone_only(rows[11], "woont tijdelijk bij zoon in Kampen; bellen")
    rows[19] = phone_only(rows[19], "belt liever dan dat er iemand langskomt")
    rows[25] = phone_only(rows[25], "adres niet bekend, alleen telefoonnummer")
    # Reasons the demo should show.
    rows[2] |= {
        "excluded_volunteers": "V02",
        "notities": "kennismaking met V02 klikte niet; graag iemand anders",
    }
    rows[8] |= {
        "languages": "so",
        "notities": "spreekt alleen Somalisch; tolk geregeld via het wijkteam?",
    }
    rows[16] |= {
        "hindering_factors": listed(
            ["physical-health", "little-social-support", "anxiety-or-depression", "living-alone"]
        ),
        "protective_factors": "",
        "notities": "somber, eet slecht; huisarts en POH-GGZ betrokken",
    }
    life_story = senior_client(draw, 30) | {
        "programme": LIFE_STORY,
        "needs": "life-story",
        "notities": "wil haar levensverhaal opschrijven voor de kleinkinderen",
    }
    return [*rows, life_story]


# --------------------------------------------------------------------------------- volunteers


def volunteer(
    draw: Drawer,
    number: int,
    programmes: Sequence[str],
    *,
    gender: str,
    lived: Sequence[str],
    training: Sequence[str],
    capacity: int,
    active: int,
    note: str = "",
    languages: str = "nl",
    contact: str = "either",
) -> Row:
    district, lat, lon = draw.home()
    partner_loss = PARTNER_LOSS in programmes
    skills = ("emotional", "practical", "work") if partner_loss else ("social", "life-questions")
    return {
        "volunteer_id": f"V{number:02d}",
        "naam": draw.name(gender),
        "programmes": listed(programmes),
        "age": str(draw.rng.randint(45, 66) if partner_loss else draw.rng.randint(58, 76)),
        "gender": gender,
        "district": district,
        "lat": lat,
        "lon": lon,
        "max_travel_km": dutch_number(draw.rng.choice((5.0, 7.5, 10.0, 10.0, 12.5)), 1),
        "lived_experience": listed(lived),
        "training": listed(training),
        "capacity": str(capacity),
        "active_clients": str(active),
        "availability": listed(draw.slots(draw.rng.randint(4, 8), evenings=partner_loss)),
        "languages": languages,
        "skills": listed(draw.rng.sample(skills, draw.rng.randint(1, len(skills)))),
        "contact": contact,
        "notities": note,
    }


def volunteers(draw: Drawer) -> list[Row]:
    grief, basic = ("basic", "grief"), ("basic",)
    rows = [
        volunteer(draw, 1, [PARTNER_LOSS], gender="f", lived=["partner"], training=grief,
                  capacity=2, active=0, note="weduwe sinds 2019"),
        volunteer(draw, 2, [PARTNER_LOSS], gender="m", lived=["partner"], training=grief,
                  capacity=2, active=1),
        volunteer(draw, 3, [PARTNER_LOSS], gender="f", lived=["partner", "parent"],
                  training=basic, capacity=2, active=0, languages="nl, en"),
        volunteer(draw, 4, [PARTNER_LOSS], gender="f", lived=[], training=grief, capacity=2,
                  active=0, note="maatschappelijk werker met pensioen"),
        volunteer(draw, 5, [PARTNER_LOSS], gender="m", lived=["partner"],
                  training=("basic", "grief", "advanced"), capacity=2, active=2,
                  note="vol tot maart"),
        volunteer(draw, 6, [PARTNER_LOSS], gender="f", lived=["child"], training=basic,
                  capacity=2, active=0, contact="phone", note="alleen telefonisch"),
        volunteer(draw, 7, [SENIOR_COACH], gender="f", lived=[],
                  training=("basic", "life-questions"),
                  capacity=3, active=1),
        volunteer(draw, 8, [SENIOR_COACH], gender="f", lived=["partner"], training=basic,
                  capacity=3, active=0),
        volunteer(draw, 9, [SENIOR_COACH], gender="m", lived=[], training=basic, capacity=2,
                  active=0, languages="nl, tr", note="spreekt ook Turks"),
        volunteer(draw, 10, [SENIOR_COACH], gender="f", lived=["partner"],
                  training=("basic", "grief", "life-questions"), capacity=3, active=2,
                  note="intervisie gevolgd in oktober"),
        volunteer(draw, 11, [SENIOR_COACH], gender="m", lived=[], training=basic, capacity=1,
                  active=1, note="vol; vraagt in januari opnieuw"),
        volunteer(draw, 12, [SENIOR_COACH], gender="f", lived=["sibling"], training=basic,
                  capacity=3, active=0, contact="visit"),
        volunteer(draw, 13, [PARTNER_LOSS, SENIOR_COACH], gender="f", lived=["partner"],
                  training=("basic", "grief", "advanced"), capacity=3, active=0,
                  note="coördineert ook de gespreksgroep"),
        volunteer(draw, 14, [LIFE_STORY], gender="f", lived=[], training=("basic", "life-story"),
                  capacity=1, active=1, note="schrijft tot juni aan het boek van mevr. Proef"),
        volunteer(draw, 15, [SENIOR_COACH], gender="m", lived=["partner"], training=basic,
                  capacity=2, active=0, note="nieuw, basistraining in oktober afgerond"),
    ]  # fmt: skip
    # The phone-only volunteer gives no address.
    rows[5] |= {"district": "", "lat": "", "lon": ""}
    return rows


# ------------------------------------------------------------------------------------ writing


def write(path: Path, columns: Sequence[str], rows: Sequence[Row]) -> None:
    # Excel's "CSV UTF-8 (semicolon-separated)" export: BOM, `;`, CRLF line ends.
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns, delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    draw = Drawer(SEED)
    volunteer_rows = volunteers(draw)
    client_rows = clients(draw)
    write(HERE / "clients.csv", CLIENT_COLUMNS, client_rows)
    write(HERE / "volunteers.csv", VOLUNTEER_COLUMNS, volunteer_rows)
    print(f"wrote {len(client_rows)} clients and {len(volunteer_rows)} volunteers to {HERE}")


if __name__ == "__main__":
    main()
