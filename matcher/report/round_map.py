"""The round report's map: clients and volunteers in km from their middle, pairs drawn.

The coordinator's own report puts everyone where they live. A shared (pseudonymised) one puts
them at the middle of a place of about 1 km or more holding at least k people, and leaves out
whoever lives in a place with fewer (matcher.report.privacy).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from matcher.models import Client, Volunteer
from matcher.report import charts
from matcher.report.privacy import count_text, places
from matcher.report.round_input import RoundInput

KM_PER_DEGREE = 111.2


def round_map(
    data: RoundInput, phone_pairs: set[str], t: Mapping[str, str], k: int | None
) -> tuple[charts.Chart, str]:
    people: list[Client | Volunteer] = [*data.clients, *data.volunteers]
    homes = [(p.lat, p.lon) for p in people if p.lat is not None and p.lon is not None]
    # Shared: everyone at the middle of a place of at least k people, or not drawn.
    grid = None if k is None else places(homes, k)

    def position(person: Client | Volunteer) -> tuple[float, float] | None:
        if person.lat is None or person.lon is None:
            return None
        return (person.lat, person.lon) if grid is None else grid.place(person.lat, person.lon)

    clients = {c.client_id: position(c) for c in data.clients}
    volunteers = {v.volunteer_id: position(v) for v in data.volunteers}
    located = [p for p in (*clients.values(), *volunteers.values()) if p is not None]
    centre = np.mean(np.array(located), axis=0) if located else np.zeros(2)
    scale = np.array([KM_PER_DEGREE, KM_PER_DEGREE * np.cos(np.radians(centre[0]))])

    def km(points: Sequence[tuple[float, float]]) -> np.ndarray:
        if not points:
            return np.zeros((0, 2))
        # (lat, lon) -> (east, north) km from the centre: flat enough for a city or a region.
        return ((np.array(points) - centre) * scale)[:, ::-1]

    matched = {p.client_id: p.volunteer_id for p in data.pairs}
    Ends = tuple[tuple[float, float], tuple[float, float]]
    visit: list[Ends] = []
    phone: list[Ends] = []
    for client_id, volunteer_id in sorted(matched.items()):
        a, b = clients.get(client_id), volunteers.get(volunteer_id)
        if a is not None and b is not None:
            (phone if client_id in phone_pairs else visit).append((a, b))

    def marks(points: list[tuple[float, float]]) -> np.ndarray:
        # Shared: one mark per place, so the picture does not count who shares it.
        return km(points if grid is None else sorted(set(points)))

    def segments(pairs: list[Ends]) -> np.ndarray:
        if grid is not None:
            pairs = sorted(set(pairs))
        if not pairs:
            return np.zeros((0, 2, 2))
        ends = km([end for pair in pairs for end in pair])
        return ends.reshape(len(pairs), 2, 2)

    picture = charts.MapData(
        volunteers=marks([p for p in volunteers.values() if p is not None]),
        matched_clients=marks([p for c, p in clients.items() if p is not None and c in matched]),
        waiting_clients=marks(
            [p for c, p in clients.items() if p is not None and c not in matched]
        ),
        pairs=segments(visit),
        phone_pairs=segments(phone),
    )
    unplaced = sum(c.lat is None or c.lon is None for c in data.clients)
    note = t["map_note"].format(phone=count_text(unplaced, k))
    if grid is None:
        return charts.map_plot(picture, t), note
    note += t["map_note_places"].format(km=grid.step, k=k)
    if grid.hidden:
        note += " " + t["map_note_hidden"].format(n=count_text(grid.hidden, k), k=k)
    return charts.map_plot(picture, t, alt=note), note
