"""Visit pairs of a large programme from a spatial index: the pairs within a volunteer's
travel radius, found without forming the client × volunteer grid."""

from __future__ import annotations

from typing import Final

import numpy as np

from matcher.arrays import IntArray
from matcher.population import EARTH_RADIUS_KM, Population, can_visit

# Volunteers queried together in the spatial index, by similar travel radius.
RADIUS_GROUPS: Final = 16


def visit_pairs_in_range(
    pop: Population, clients: IntArray, volunteers: IntArray
) -> tuple[IntArray, IntArray]:
    """Visit pairs within travel range from a spatial index, in no particular order."""
    from scipy.spatial import cKDTree  # imported here: a slow import only large rounds need

    clients = clients[pop.c_visit[clients] & ~np.isnan(pop.c_xyz[clients, 0])]
    volunteers = volunteers[pop.v_visit[volunteers] & ~np.isnan(pop.v_xyz[volunteers, 0])]
    found_c, found_v = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    if len(clients) == 0 or len(volunteers) == 0:
        return found_c[0], found_v[0]
    tree = cKDTree(pop.c_xyz[clients])
    # Volunteers in a few groups of similar radius, each queried at its largest (with a hair
    # to spare), so no hit list is walked in Python; can_visit then decides every pair found.
    by_radius = volunteers[np.argsort(pop.v_radius_km[volunteers], kind="stable")]
    for group in np.array_split(by_radius, min(RADIUS_GROUPS, len(by_radius))):
        half_angle = min(float(pop.v_radius_km[group].max()) / (2 * EARTH_RADIUS_KM), np.pi / 2)
        hits = tree.sparse_distance_matrix(
            cKDTree(pop.v_xyz[group]),
            2 * np.sin(half_angle) * (1 + 1e-9) + 1e-12,
            output_type="ndarray",
        )
        ci, vi = clients[hits["i"]], group[hits["j"]]
        keep = can_visit(pop, ci, vi)
        found_c.append(ci[keep])
        found_v.append(vi[keep])
    return np.concatenate(found_c), np.concatenate(found_v)
