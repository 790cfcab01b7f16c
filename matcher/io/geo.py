"""The tables a location is looked up in: the organisation's postcode file, its districts and
places from the config, and the Dutch places shipped with matcher (matcher/data/places.csv).
"""

from __future__ import annotations

import functools
import pkgutil
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from matcher.config import Centre as ConfigCentre
from matcher.config import MatchConfig
from matcher.errors import ConfigError, Problem, problems_from_validation
from matcher.io.layout import normalise_header
from matcher.io.sources import open_table
from matcher.locations import Centre, Gazetteer, place_key
from matcher.models import Latitude, Longitude, normal_postcode
from matcher.plain_values import validator_of_type

POSTCODE_COLUMNS = ("postcode", "lat", "lon")
# Plain coordinates read off without building pydantic's validators (matcher.plain_values).
_LATITUDE = validator_of_type(Latitude)
_LONGITUDE = validator_of_type(Longitude)


def gazetteer_for(config: MatchConfig) -> Gazetteer:
    """Every table the config names, read once per file version; raises ConfigError."""
    geo = config.geo
    path = geo.postcodes_path
    postcodes: Mapping[str, Centre] = {}
    if path is not None:
        try:
            stat = path.stat()
        except OSError:
            raise ConfigError(
                [Problem(str(path), None, None, "no such file ([geo] postcodes)")]
            ) from None
        postcodes = _postcode_table(str(path), stat.st_mtime_ns, stat.st_size)
    places, names = shipped_places()
    own = {place_key(name): (centre.lat, centre.lon) for name, centre in geo.places.items()}
    return Gazetteer(
        postcodes=postcodes,
        postcode_file=geo.postcodes,
        districts=_centres(geo.districts),
        # The organisation's own places come first: a village it knows better than we do.
        places={**places, **own},
        place_names={**names, **{place_key(name): name for name in geo.places}},
    )


def _centres(table: Mapping[str, ConfigCentre]) -> dict[str, Centre]:
    return {place_key(name): (centre.lat, centre.lon) for name, centre in table.items()}


@functools.cache
def shipped_places() -> tuple[dict[str, Centre], dict[str, str]]:
    """The Dutch places matcher knows: place_key -> centre, and place_key -> name as written."""
    # pkgutil, not importlib.resources (which loads tempfile, shutil and zipfile): the
    # package's loader reads it, from a folder or a zip archive alike.
    data = pkgutil.get_data("matcher", "data/places.csv")
    assert data is not None, "shipped with the package"
    text = data.decode("utf-8")
    centres: dict[str, Centre] = {}
    names: dict[str, str] = {}
    for line in text.splitlines()[1:]:
        name, lat, lon = line.rsplit(",", 2)
        centres[place_key(name)] = (float(lat), float(lon))
        names[place_key(name)] = name
    return centres, names


@functools.lru_cache(maxsize=4)
def _postcode_table(source: str, _mtime_ns: int, _size: int) -> dict[str, Centre]:
    # Keyed by the file's version too: a table changed between two calls is read again.
    return read_postcode_table(source)


def read_postcode_table(path: str | Path) -> dict[str, Centre]:
    """A CSV of postcode, lat, lon (any delimiter, decimal comma or point); raises ConfigError
    listing every problem in it."""
    with open_table(path) as table:
        source = table.source
        problems = table.problems  # the reader adds a CSV row it cannot parse to it
        index = {normalise_header(header): i for i, header in enumerate(table.headers)}
        missing = [name for name in POSTCODE_COLUMNS if name not in index]
        if missing or not table.positional:
            message = (
                f"needs the columns postcode, lat, lon (missing: {', '.join(missing)})"
                if missing
                else "must be a CSV file with the columns postcode, lat, lon"
            )
            raise ConfigError([Problem(source, None, None, message)])
        found: dict[str, Centre] = {}
        first_row: dict[str, int] = {}
        for row, cells in _rows(table.rows, len(table.headers)):
            code, lat, lon = (cells[index[name]].strip() for name in POSTCODE_COLUMNS)
            postcode = normal_postcode(code)
            if postcode is None:
                message = "must be a Dutch postcode like '8011 AB' or '8011'"
                problems.append(Problem(source, row, "postcode", message, code))
                continue
            centre = _centre(source, row, lat, lon, problems)
            if postcode in first_row:
                message = f"postcode appears twice, first on row {first_row[postcode]}"
                problems.append(Problem(source, row, "postcode", message, code))
            elif centre is not None:
                found[postcode] = centre
            first_row.setdefault(postcode, row)
    if problems:
        raise ConfigError(problems)
    if not found:
        raise ConfigError([Problem(source, None, None, "holds no postcodes")])
    return found


def _rows(rows: Iterator[tuple[int, object]], width: int) -> Iterator[tuple[int, list[str]]]:
    for row, cells in rows:
        assert isinstance(cells, list)
        if "".join(cells).strip():
            yield row, cells + [""] * (width - len(cells))


def _centre(source: str, row: int, lat: str, lon: str, problems: list[Problem]) -> Centre | None:
    values = []
    for column, text, adapter in (("lat", lat, _LATITUDE), ("lon", lon, _LONGITUDE)):
        try:
            value = adapter(text or None)
        except ValidationError as error:
            problem = problems_from_validation(error, source=source, row=row)[0]
            problems.append(replace(problem, column=column, got=text))
            continue
        if value is None:
            problems.append(Problem(source, row, column, "is required"))
            continue
        values.append(value)
    return (values[0], values[1]) if len(values) == 2 else None
