"""The numpy array types the engine, the solvers and the simulator pass around."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def positions_in(members: IntArray, ids: IntArray) -> IntArray:
    """Where each id stands among `members` (-1: not among them), by binary search."""
    if len(members) == 0:
        return np.full(len(ids), -1, dtype=np.int64)
    order = np.argsort(members, kind="stable")
    at = np.minimum(np.searchsorted(members[order], ids), len(members) - 1)
    found: IntArray = np.where(members[order[at]] == ids, order[at], -1)
    return found


@dataclass(frozen=True)
class PairList:
    """Client–volunteer pairs as arrays: client index and volunteer index per pair, sorted by
    (client, volunteer). The allowed pairs of a round (matcher.candidates.Candidates) are one
    before they are weighed; an EdgeList is one with a weight per pair."""

    n_clients: int
    edge_client: IntArray
    edge_volunteer: IntArray

    def client_segments(self, clients: IntArray | None = None) -> tuple[IntArray, IntArray]:
        """Start and end of each client's run of edges: of every client, or of those given."""
        wanted = np.arange(self.n_clients) if clients is None else clients
        return (
            np.searchsorted(self.edge_client, wanted, side="left"),
            np.searchsorted(self.edge_client, wanted, side="right"),
        )

    def weighed(self, weight_units: IntArray) -> EdgeList:
        """These pairs with a weight each (in the solver's units)."""
        return EdgeList(self.n_clients, self.edge_client, self.edge_volunteer, weight_units)


@dataclass(frozen=True)
class EdgeList(PairList):
    """Weighted pairs: a round's allowed pairs with their weights (matcher.engine's
    Prepared.edges), its assignment problem (matcher.policies.problem) and a sampled future
    of the reserve policy are all one."""

    weight_units: IntArray

    def followed_by(self, other: EdgeList) -> EdgeList:
        """Both lists as one, the other's clients numbered after these (same volunteers)."""
        return EdgeList(
            self.n_clients + other.n_clients,
            np.r_[self.edge_client, self.n_clients + other.edge_client],
            np.r_[self.edge_volunteer, other.edge_volunteer],
            np.r_[self.weight_units, other.weight_units],
        )
