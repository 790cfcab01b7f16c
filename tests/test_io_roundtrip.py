"""Any valid client, written as a spreadsheet or JSON would hold it, reads back unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from matcher import vocab
from matcher.io import (
    format_csv,
    format_json,
    format_records,
    neutralise_cell,
    read_clients,
    unquote_cell,
)
from matcher.models import Client

# Ids as a CRM makes them: letters, digits and a few marks; never the list separators | and ,.
IDS = (
    st.text(
        alphabet=st.characters(codec="utf-8", categories=["L", "N"], include_characters="-_./# "),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)

# Free text with everything CSV must quote: delimiters, quotes, line breaks, non-ASCII.
# Left out: text that starts with ' and then a formula character (`'=1`). Our readers take
# that ' off, as our writers put it on (matcher.io.cells); a spreadsheet writes such a text
# raw, so it is the one cell that does not read back from a hand-made file.
DISTRICTS = (
    st.text(
        alphabet=st.characters(
            codec="utf-8", categories=["L", "N", "P", "S", "Zs"], include_characters=";,\"'\n\t"
        ),
        max_size=20,
    )
    .map(str.strip)
    .filter(lambda text: bool(text) and unquote_cell(text) == text)
)

# Text a spreadsheet would run as a formula, behind any number of quotes, or a number.
FORMULA_TEXT = st.builds(
    lambda quotes, start, rest: ("'" * quotes + start + rest).strip(),
    st.integers(0, 2),
    st.sampled_from(["=", "+", "-", "@", "\t=", "\r+"]),
    st.text(alphabet="=+-@'\"();&A1.5e click", max_size=12),
).filter(lambda text: bool(text) and "," not in text)

KEBAB = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
DATES = st.dates(min_value=dt.date(1900, 1, 1))


def _some(words: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(words), unique=True, max_size=4)


@st.composite
def clients(draw: st.DrawFn) -> list[Client]:
    ids = draw(st.lists(IDS, unique=True, max_size=6))
    found = []
    for client_id in ids:
        contact = draw(st.sampled_from(vocab.CONTACT_MODES))
        located = contact != "phone" or draw(st.booleans())
        data: dict[str, Any] = {
            "client_id": client_id,
            "programme": draw(KEBAB),
            "age": draw(st.none() | st.integers(0, 120)),
            "gender": draw(st.none() | st.sampled_from(vocab.GENDERS)),
            "lat": draw(st.floats(-90, 90)) if located else None,
            "lon": draw(st.floats(-180, 180)) if located else None,
            "district": draw(st.none() | DISTRICTS),
            "loss_type": draw(st.none() | st.sampled_from(vocab.LOSS_TYPES)),
            "loss_date": draw(st.none() | DATES),
            "hindering_factors": draw(_some(vocab.HINDERING_FACTORS)),
            "protective_factors": draw(_some(vocab.PROTECTIVE_FACTORS)),
            "needs": draw(_some(vocab.NEEDS)),
            "availability": draw(_some(vocab.SLOTS)),
            "languages": draw(st.lists(st.sampled_from(["nl", "en", "tr", "ar"]), unique=True)),
            "preferred_gender": draw(st.none() | st.sampled_from(vocab.PREFERRED_GENDERS)),
            "contact": contact,
            "waiting_since": draw(st.none() | DATES),
            "excluded_volunteers": draw(st.lists(IDS, unique=True, max_size=3)),
        }
        found.append(Client.model_validate(data))
    return found


def _dutch_cell(value: Any) -> str:
    """A cell as Dutch Excel writes it: decimal comma, day-month-year dates."""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, dt.date):
        return f"{value.day:02d}-{value.month:02d}-{value.year}"
    if isinstance(value, tuple):
        return "|".join(value)
    return "" if value is None else str(value)


def _sheets_cell(value: Any) -> Any:
    # Lists typed as "a, b", the other list separator; the csv writer quotes them.
    return ", ".join(value) if isinstance(value, tuple) else value


def _as_excel_nl(items: list[Client]) -> bytes:
    header = ["Naam", *(name.replace("_", " ").title() for name in Client.model_fields)]
    rows = [["Anna", *(_dutch_cell(v) for v in item.model_dump().values())] for item in items]
    # Records end in CRLF; a line break inside a quoted cell stays a bare LF, as in Excel.
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows([header, *rows])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def _as_sheets(items: list[Client]) -> bytes:
    header = list(Client.model_fields)
    rows = [[_sheets_cell(v) for v in item.model_dump().values()] for item in items]
    return format_csv(header, rows).encode("utf-8")


def _as_json(items: list[Client]) -> bytes:
    return format_json([item.model_dump(mode="json") for item in items]).encode("utf-8")


def _reads_back(items: list[Client], write: Callable[[list[Client]], bytes], name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(write(items))
        found = read_clients(path)
    assert found == items
    assert list(found.rows) == [item.client_id for item in items]


@settings(max_examples=60, deadline=None)
@given(clients())
def test_dutch_excel_round_trip(items: list[Client]) -> None:
    _reads_back(items, _as_excel_nl, "clients.csv")


@settings(max_examples=60, deadline=None)
@given(clients())
def test_google_sheets_round_trip(items: list[Client]) -> None:
    _reads_back(items, _as_sheets, "clients.csv")


@settings(max_examples=60, deadline=None)
@given(clients())
def test_json_round_trip(items: list[Client]) -> None:
    _reads_back(items, _as_json, "clients.json")


@settings(max_examples=100, deadline=None)
@given(st.lists(FORMULA_TEXT, min_size=1, max_size=5, unique=True), FORMULA_TEXT)
def test_formula_text_is_neutralised_and_reads_back(ids: list[str], district: str) -> None:
    items = [
        Client.model_validate(
            {"client_id": i, "programme": "p", "contact": "phone", "district": district,
             "excluded_volunteers": ids[:1]}
        )
        for i in ids
    ]  # fmt: skip
    text = format_records(items, Client)
    # A cell may start with a formula character only when it is a number (left as written).
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert all(cell[:1] not in "=+-@\t\r" or neutralise_cell(cell) == cell for cell in cells)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "clients.csv"
        path.write_text(text, encoding="utf-8")
        found = read_clients(path)
    assert [(c.client_id, c.district, c.excluded_volunteers) for c in found] == [
        (i, district, tuple(ids[:1])) for i in ids
    ]
