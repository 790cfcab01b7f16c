"""The round report of a round that counts capacity in hours: the free hours and the load
chart in hours, from the people's own hours and the round's proposals."""

from __future__ import annotations

import html
import re

import pytest

from matcher.config import MatchConfig
from matcher.engine import match
from matcher.io import read_clients, read_volunteers
from matcher.models import Client, Volunteer
from matcher.report.round_input import RoundInput
from tests.ledger_checks import ROOT

pytest.importorskip("matplotlib")

from matcher.report import round_report


def people(*, hours: bool) -> tuple[list[Client], list[Volunteer]]:
    clients = read_clients(ROOT / "examples" / "clients.csv")
    volunteers = read_volunteers(ROOT / "examples" / "volunteers.csv")
    if not hours:
        return clients, volunteers
    # One need for everyone: the round reduces to places (quick), and is still in hours.
    clients = [c.model_copy(update={"hours_per_week": 1.5}) for c in clients]
    volunteers = [
        v.model_copy(update={"hours_per_week": 3.5, "active_hours": 0.5 * (k % 3)})
        for k, v in enumerate(volunteers)
    ]
    return clients, volunteers


def facts(page: str) -> dict[str, str]:
    found = re.findall(r"<div><dt>([^<]*)</dt><dd>([^<]*)</dd></div>", page)
    return {html.unescape(label): html.unescape(value) for label, value in found}


def alt_of(page: str, chart_id: str) -> str:
    figure = page[page.index(f'id="{chart_id}"') :]
    return html.unescape(re.search(r'alt="([^"]*)"', figure).group(1))  # type: ignore[union-attr]


def report(clients: list[Client], volunteers: list[Volunteer], lang: str) -> tuple[str, int]:
    config = MatchConfig()
    result = match(clients, volunteers, config)
    page = round_report(RoundInput.of_match(result, clients, volunteers, config), lang=lang)
    return page, len(result.matches)


def expected_hours(clients: list[Client], volunteers: list[Volunteer]) -> tuple[float, float]:
    """(hours proposed, hours left) as the engine's result states them."""
    result = match(clients, volunteers, MatchConfig())
    need = {c.client_id: c.hours_needed for c in clients}
    proposed = sum(need[m.client_id] for m in result.matches)
    given = sum(v.hours_given - v.hours_taken for v in volunteers)
    return proposed, given - proposed


def test_a_round_in_hours_shows_free_hours_and_loads_in_hours() -> None:
    clients, volunteers = people(hours=True)
    proposed, left = expected_hours(clients, volunteers)
    assert proposed > 0 and left > 0
    page, _ = report(clients, volunteers, "en")
    shown = facts(page)
    assert shown["Free hours a week left"] == f"{left:g}"
    assert "Free places left" not in shown
    alt = alt_of(page, "loads-chart")
    assert alt == (
        f"{len(volunteers)} volunteers: {proposed:g} proposed now, {left:g} free (hours a week)"
    )
    dutch, _ = report(clients, volunteers, "nl")
    assert facts(dutch)["Vrije uren per week over"] == f"{left:g}".replace(".", ",")


def test_a_round_in_places_is_as_it_was() -> None:
    clients, volunteers = people(hours=False)
    page, matched = report(clients, volunteers, "en")
    free = sum(v.capacity - v.active_clients for v in volunteers) - matched
    assert facts(page)["Free places left"] == str(free)
    assert "hours" not in alt_of(page, "loads-chart")


def test_a_large_pool_in_hours_is_a_histogram_of_whole_hours() -> None:
    clients, volunteers = people(hours=True)
    many = volunteers + [
        v.model_copy(update={"volunteer_id": f"{v.volunteer_id}-{n}"})
        for n in range(1, 5)
        for v in volunteers
    ]
    assert len(many) > 40
    _, left = expected_hours(clients, many)
    page, _ = report(clients, many, "en")
    assert facts(page)["Free hours a week left"] == f"{left:g}"
    # "n × k": n volunteers with k whole hours left; every volunteer is counted once.
    counted = [
        tuple(map(int, part.split(" × "))) for part in alt_of(page, "loads-chart").split(", ")
    ]
    assert sum(n for n, _ in counted) == len(many)
    assert max(k for _, k in counted) <= 3
