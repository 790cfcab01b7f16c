"""Where people live: the coordinates a row gives, else the centre of its postcode, district
or place (woonplaats), looked up once when the records are read.

Precedence, most precise first: `lat`/`lon`; a Dutch postcode in the organisation's postcode
table (a PC6 postcode falls back to its PC4 area when the table holds only that); the
district's centre from `[geo.districts]`; the place's centre from the organisation's
`[geo.places]` or the Dutch places matcher ships. Each person keeps the source used
(`location_source`), so a distance between two centres can be called approximate.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, TypeVar

from matcher import vocab
from matcher.errors import InputError, Problem
from matcher.models import Client, Volunteer

Centre = tuple[float, float]  # (lat, lon) in WGS84 degrees
P = TypeVar("P", Client, Volunteer)

# Location sources from most to least precise; "none" (location_source None) is a person
# with phone contact only and no location.
LOCATION_SOURCES: Final = ("coordinates", "postcode", "district", "place", "none")
APPROXIMATE_SOURCES: Final = frozenset({"postcode", "district", "place"})
# The columns a location can be looked up from, in order of precedence.
LOOKUP_COLUMNS: Final = ("postcode", "district", "place")

_SEPARATORS = re.compile(r"[\s\-_.']+")


def place_key(name: str) -> str:
    """`'s-Hertogenbosch`, `S HERTOGENBOSCH` and `’s-Hertogenbosch` all give `s hertogenbosch`."""
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SEPARATORS.sub(" ", plain.lower()).strip()


def least_precise(*sources: str | None) -> str | None:
    """The least precise of some location sources (None and "none" are skipped)."""
    known = [source for source in sources if source in APPROXIMATE_SOURCES]
    return max(known, key=LOCATION_SOURCES.index) if known else None


class Unplaced(Exception):
    """A person needs a location (contact is not phone) and none of the lookups found one."""

    def __init__(self, column: str, message: str, got: str, *, for_want_of_table: bool) -> None:
        super().__init__(message)
        self.column = column
        self.message = message
        self.got = got
        # Only the postcode could have placed this person, and there is no postcode table:
        # said once for the whole file instead of once per row.
        self.for_want_of_table = for_want_of_table


@dataclass(frozen=True)
class Gazetteer:
    """The centres a location can be looked up in; built by matcher.io.geo from the config."""

    postcodes: Mapping[str, Centre] = field(default_factory=dict)  # "8011AB" or "8011"
    postcode_file: str | None = None  # as the config names it, for messages
    districts: Mapping[str, Centre] = field(default_factory=dict)  # place_key -> centre
    places: Mapping[str, Centre] = field(default_factory=dict)  # place_key -> centre
    place_names: Mapping[str, str] = field(default_factory=dict)  # place_key -> as written

    @staticmethod
    def left_as_is(lat: float | None, contact: str, lookup: Sequence[str | None]) -> bool:
        """Whether locate returns a person unchanged without looking anything up: by phone,
        with no coordinates and nothing to look a place up by (`lookup`: the values of
        LOOKUP_COLUMNS). A reader need not make a record of such a row to place it."""
        return lat is None and contact == "phone" and not any(lookup)

    def locate(self, person: P) -> P:
        """`person` with lat/lon and location_source filled in; raises Unplaced."""
        if person.lat is not None:
            if person.location_source is not None:
                return person
            return person.model_copy(update={"location_source": "coordinates"})
        tried: list[str] = []
        first: tuple[str, str] | None = None
        for column in LOOKUP_COLUMNS:
            value = getattr(person, column)
            if value is None:
                continue
            centre, failure = self._lookup(column, value)
            if centre is not None:
                update = {"lat": centre[0], "lon": centre[1], "location_source": column}
                return person.model_copy(update=update)
            tried.append(failure)
            first = first or (column, value)
        if person.contact == "phone":
            return person  # no place needed: calls reach anyone
        assert first is not None, "the model refuses a visit without anything to look up"
        kind = "client" if isinstance(person, Client) else "volunteer"
        message = (
            f"no location found for this {kind}: {'; '.join(tried)}; give lat/lon or a known"
            " postcode, district or place, or set contact to 'phone'"
        )
        given = [column for column in LOOKUP_COLUMNS if getattr(person, column) is not None]
        for_want_of_table = not self.postcodes and given == ["postcode"]
        raise Unplaced(first[0], message, first[1], for_want_of_table=for_want_of_table)

    def _lookup(self, column: str, value: str) -> tuple[Centre | None, str]:
        if column == "postcode":
            if not self.postcodes:
                return None, "no postcode table in the config ([geo] postcodes)"
            centre = self.postcodes.get(value)
            if centre is None and len(value) == 6:
                centre = self.postcodes.get(value[:4])
                area = f" (nor its area {value[:4]})"
            else:
                area = ""
            return centre, f"postcode {value} is not in {self.postcode_file}{area}"
        key = place_key(value)
        if column == "district":
            return self.districts.get(key), f"district {value!r} is not in [geo.districts]"
        centre = self.places.get(key)
        hint = vocab.closest(key, tuple(self.place_names))
        did_you_mean = f" (did you mean {self.place_names[hint]!r}?)" if hint else ""
        return centre, f"place {value!r} is not a Dutch place matcher knows{did_you_mean}"

    def for_file(self, source: str, column_names: Mapping[str, str]) -> FileLocator:
        return FileLocator(self, source, column_names)


class FileLocator:
    """Locates the rows of one file, turning failures into that file's problems."""

    def __init__(self, gazetteer: Gazetteer, source: str, column_names: Mapping[str, str]):
        self.gazetteer = gazetteer
        self.source = source
        self.column_names = column_names
        self.rows_wanting_table = 0

    def __call__(self, person: P, row: int) -> tuple[P, Problem | None]:
        try:
            return self.gazetteer.locate(person), None
        except Unplaced as error:
            if error.for_want_of_table:
                self.rows_wanting_table += 1
                return person, None  # the problem is in file_problems()
            column = self.column_names.get(error.column, error.column)
            return person, Problem(self.source, row, column, error.message, error.got)

    def file_problems(self) -> list[Problem]:
        if not self.rows_wanting_table:
            return []
        column = self.column_names.get("postcode", "postcode")
        message = (
            f"{self.rows_wanting_table} row(s) can only be placed by their postcode, and the"
            ' config names no postcode table: add [geo] postcodes = "pc4.csv" (columns'
            ' postcode, lat, lon; README "Where people live"), or give lat/lon'
        )
        return [Problem(self.source, None, column, message)]


def locate_all(people: Sequence[P], gazetteer: Gazetteer, source: str) -> list[P]:
    """Every person located, for library callers; raises InputError naming each one left out.

    Rows are positions in `people` (1-based), as for other problems of objects."""
    locator = gazetteer.for_file(source, {})
    located, problems = [], []
    for row, person in enumerate(people, start=1):
        if person.location_source is not None:
            located.append(person)  # read from a file or the ledger: located already
            continue
        placed, problem = locator(person, row)
        located.append(placed)
        if problem is not None:
            problems.append(problem)
    problems.extend(locator.file_problems())
    if problems:
        raise InputError(problems)
    return located
