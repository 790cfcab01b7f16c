"""Speed of the bottleneck groups (matcher.bottleneck) beside the solve they explain.

On seeded rounds of the city-, region- and national-scale scenarios: the time of
`find_bottlenecks` (best of 3) after the `optimal` and `greedy` policies (whose answers may
leave a place within reach free, so the max-flow step runs) and after `coverage-first` (which
serves the most clients, so only the search runs), next to the time of the solve itself.
Checked, not only timed: the groups' shortage equals the clients with options minus the most
that any assignment serves (coverage-first's count), and every policy run leaves at least
each group's shortage waiting in it. Writes benchmarks/results/bottleneck.json.

    python benchmarks/bottleneck.py                  # city, region, national
    python benchmarks/bottleneck.py --sizes city,region
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from typing import Any

import numpy as np
from speed import RESULTS, ROUND_DATE, SIZES, generate_models, machine, versions

from matcher.bottleneck import find_bottlenecks
from matcher.engine import prepare, solve

POLICIES = ("optimal", "greedy", "coverage-first")


def best_of(runs: int, call: Any) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(runs):
        started = time.perf_counter()
        value = call()
        times.append(time.perf_counter() - started)
    return min(times), value


def measure(name: str, seed: int, runs: int) -> dict[str, Any]:
    size = SIZES[name]
    clients, volunteers = generate_models(size, seed)
    prepared = prepare(clients, volunteers, round_date=ROUND_DATE)
    with_options = int(np.count_nonzero(np.bincount(prepared.edges.edge_client) > 0))
    record: dict[str, Any] = {
        "size": name,
        "clients": size.n_clients,
        "volunteers": size.n_volunteers,
        "allowed_pairs": len(prepared.edges.edge_client),
        "clients_with_options": with_options,
    }
    served_most = None
    for policy in POLICIES:
        solve_s, result = best_of(1, lambda policy=policy: solve(prepared, policy))
        found_s, found = best_of(runs, lambda result=result: find_bottlenecks(prepared, result))
        waiting = {u.client_id for u in result.unmatched}
        for group in found.groups:
            assert len(waiting & set(group.clients)) >= group.must_wait, "Hall's bound"
        if policy == "coverage-first":
            served_most = len(result.matches)
        record[policy] = {
            "solve_s": round(solve_s, 3),
            "bottlenecks_s": round(found_s, 3),
            "bottlenecks_over_solve": round(found_s / solve_s, 3),
            "matched": len(result.matches),
            "groups": len(found.groups),
            "largest_group_clients": max((len(g.clients) for g in found.groups), default=0),
            "must_wait": found.must_wait,
        }
        print(f"[{name}] {policy}: {record[policy]}", file=sys.stderr, flush=True)
    assert served_most is not None
    for policy in POLICIES:
        # Quality: the shortage is exactly what the best possible round cannot serve.
        assert record[policy]["must_wait"] == with_options - served_most, record
    record["track_shortage_is_exact"] = True
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="city,region,national")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    records = [measure(name, args.seed, args.runs) for name in args.sizes.split(",")]
    out = {
        "benchmark": "bottleneck",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "versions": versions(),
        "machine": machine(),
        "seed": args.seed,
        "results": records,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bottleneck.json").write_text(json.dumps(out, indent=2) + "\n")
    print(
        "| size | allowed pairs | policy | solve | bottleneck groups | groups | largest"
        " | must wait |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in records:
        for policy in POLICIES:
            p = r[policy]
            print(
                f"| {r['size']} | {r['allowed_pairs']:,} | {policy} | {p['solve_s']:.2f} s |"
                f" {p['bottlenecks_s']:.3f} s | {p['groups']} | {p['largest_group_clients']:,} |"
                f" {p['must_wait']:,} |"
            )


if __name__ == "__main__":
    main()
