"""A round as the flow solvers take it: the allowed pairs, their weights and the places."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from matcher.arrays import IntArray


def compact_ids(ids: IntArray, n: int) -> tuple[IntArray, IntArray]:
    """The distinct ids in order, and each id's position among them (linear time)."""
    present = np.zeros(n, dtype=bool)
    present[ids] = True
    position = np.cumsum(present) - 1
    return np.flatnonzero(present), position[ids]


@dataclass(frozen=True)
class FlowRound:
    """The allowed pairs, their weights and the places, and how the objective is shaped.

    most_clients_first: first as many clients as possible, then the largest weight among
    those (no bypass arc; OR-Tools' max-flow-with-min-cost).
    load_penalty_units: the k-th new client of a volunteer who already carries `load`
    costs penalty · (load + k), a convex cost that spreads clients over volunteers.
    """

    n_clients: int
    n_volunteers: int
    edge_client: IntArray
    edge_volunteer: IntArray
    weight_units: IntArray
    free_places: IntArray
    most_clients_first: bool = False
    load_penalty_units: int = 0
    current_load: IntArray | None = None

    def part(self, edges: IntArray | None) -> FlowRound:
        """The same round over the given edges only (None: all of them)."""
        if edges is None:
            return self
        return replace(
            self,
            edge_client=self.edge_client[edges],
            edge_volunteer=self.edge_volunteer[edges],
            weight_units=self.weight_units[edges],
        )

    def compact(self) -> FlowRound:
        """The same round numbered over the clients and volunteers that have a pair."""
        clients, edge_client = compact_ids(self.edge_client, self.n_clients)
        volunteers, edge_volunteer = compact_ids(self.edge_volunteer, self.n_volunteers)
        load = None if self.current_load is None else self.current_load[volunteers]
        return replace(
            self,
            n_clients=len(clients),
            n_volunteers=len(volunteers),
            edge_client=edge_client,
            edge_volunteer=edge_volunteer,
            free_places=self.free_places[volunteers],
            current_load=load,
        )
