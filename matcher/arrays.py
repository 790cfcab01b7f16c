"""The numpy array types the engine, the solvers and the simulator pass around."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class EdgeList:
    """Weighted pairs as arrays: client index, volunteer index and weight per edge, sorted by
    (client, volunteer). A round's assignment problem (matcher.policies.problem) and a
    sampled future of the reserve policy are both one."""

    n_clients: int
    edge_client: IntArray
    edge_volunteer: IntArray
    weight_units: IntArray

    def client_segments(self, clients: IntArray | None = None) -> tuple[IntArray, IntArray]:
        """Start and end of each client's run of edges: of every client, or of those given."""
        wanted = np.arange(self.n_clients) if clients is None else clients
        return (
            np.searchsorted(self.edge_client, wanted, side="left"),
            np.searchsorted(self.edge_client, wanted, side="right"),
        )

    def followed_by(self, other: EdgeList) -> EdgeList:
        """Both lists as one, the other's clients numbered after these (same volunteers)."""
        return EdgeList(
            self.n_clients + other.n_clients,
            np.r_[self.edge_client, self.n_clients + other.edge_client],
            np.r_[self.edge_volunteer, other.edge_volunteer],
            np.r_[self.weight_units, other.weight_units],
        )
