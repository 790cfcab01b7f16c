"""Stable matching: client-proposing deferred acceptance (hospitals/residents with capacities).

A client ranks its allowed volunteers by how well they fit (fit, the client's view); a
volunteer ranks the clients who ask by the pair's weight, which carries the client's risk and
waiting time (the programme's view of who needs this volunteer most). Ties go by id. No
client and volunteer would both rather be matched to each other than to what they got, and
among all such matchings every client gets its best possible volunteer.

With capacity in mixed hours a stable matching need not exist (a hospital whose residents
take different amounts of room is a knapsack, not a quota). A volunteer then keeps the
longest run of its most preferred proposals whose hours fit, and rejects the rest: the
answer is still one where every client proposed down its own list, but a client rejected
for lack of hours may form a blocking pair later, so it is a heuristic, not a stable matching.
With places, or equal hours, it is the deferred acceptance above.
"""

from __future__ import annotations

import time

import numpy as np

from matcher.policies.greedy import _running_total_in_group
from matcher.policies.hours import capacity_units
from matcher.policies.problem import Assignment, AssignmentProblem, client_segments
from matcher.solvers.status import SolveStatus


def stable(problem: AssignmentProblem) -> Assignment:
    started = time.perf_counter()
    n_edges = len(problem.edge_client)
    chosen = np.zeros(n_edges, dtype=bool)
    if n_edges == 0:
        return Assignment(chosen, SolveStatus.FEASIBLE, 0.0)
    # Each client's edges in its order of preference, as one array grouped by client.
    by_preference = np.lexsort((problem.edge_volunteer, -problem.fit, problem.edge_client))
    # The volunteers' side: a rank per edge, lower is preferred.
    volunteer_view = np.lexsort((problem.edge_client, -problem.weight_units))
    volunteer_rank = np.empty(n_edges, dtype=np.int64)
    volunteer_rank[volunteer_view] = np.arange(n_edges)

    need, free = capacity_units(problem)
    edge_need = need[problem.edge_client]
    next_choice, ends = client_segments(problem)
    held = np.empty(0, dtype=np.int64)  # edges whose proposal a volunteer holds
    holding = np.zeros(problem.n_clients, dtype=bool)
    # Rounds: every free client proposes to its next choice at once; each volunteer keeps
    # the best proposals up to its free places (hours) and rejects the rest.
    while True:
        proposers = np.flatnonzero(~holding & (next_choice < ends))
        if len(proposers) == 0:
            break
        proposals = by_preference[next_choice[proposers]]
        next_choice[proposers] += 1
        pool = np.concatenate([held, proposals])
        pool = pool[np.lexsort((volunteer_rank[pool], problem.edge_volunteer[pool]))]
        volunteers = problem.edge_volunteer[pool]
        held = pool[_running_total_in_group(volunteers, edge_need[pool]) <= free[volunteers]]
        holding[:] = False
        holding[problem.edge_client[held]] = True
    chosen[held] = True
    # Stable, but not the largest total weight: a feasible answer to the weight problem.
    return Assignment(chosen, SolveStatus.FEASIBLE, time.perf_counter() - started)
