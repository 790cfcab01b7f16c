"""A round's result as the files and tables people read: matches.csv, unmatched.csv, summary."""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from matcher.config import MatchConfig
from matcher.engine import Prepared
from matcher.installed import versions_of
from matcher.result import MatchResult
from matcher.scoring import CRITERIA, format_weight
from matcher.terminal import visible
from matcher.wording import render_pair_reasons, unmatched_detail

MATCH_COLUMNS = (
    "client_id",
    "volunteer_id",
    "weight",
    "risk_tier",
    *CRITERIA,
    "priority",
    "distance_km",
    "contact",
)
UNMATCHED_COLUMNS = ("client_id", "risk_tier", "reason", "detail")
CANDIDATE_COLUMNS = ("client_id", "volunteer_id", "weight")


def candidate_rows(prepared: Prepared) -> Iterable[list[str]]:
    pop, edges = prepared.population, prepared.edges
    client_ids, volunteer_ids = pop.client_ids, pop.volunteer_ids  # no record made per row
    for ci, vi, units in zip(
        edges.edge_client.tolist(),
        edges.edge_volunteer.tolist(),
        edges.weight_units.tolist(),
        strict=True,
    ):
        yield [client_ids[ci], volunteer_ids[vi], format_weight(units)]


def input_hash(paths: Iterable[str | Path], config: MatchConfig, round_date: str) -> str:
    """One hash of the input files' bytes, the effective config and the round date."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
        digest.update(b"\0")
    digest.update(config.round_json().encode())
    digest.update(round_date.encode())
    return "sha256:" + digest.hexdigest()


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    packages = ("matcher", "ortools", "numpy", "scipy", "pydantic")
    for package, version in versions_of(packages).items():
        found[package] = version or "unknown"
    return found


def summary(
    result: MatchResult, *, input_sha: str | None = None, timings: dict[str, float] | None = None
) -> dict[str, Any]:
    """Everything but `timings` is the same for the same input, byte for byte."""
    return {
        **result.summary(),
        "input_hash": input_sha,
        "versions": versions(),
        "timings": {key: round(value, 4) for key, value in (timings or result.timings).items()},
    }


def summary_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def result_json(result: MatchResult, summary_data: dict[str, Any]) -> dict[str, Any]:
    """`matcher match --format json`: summary.json, then every match and waiting client with
    their facts (numbers as numbers) and their reasons in words."""
    data = result.to_dict()
    for item, m in zip(data["matches"], result.matches, strict=True):
        item["why"] = render_pair_reasons(m.reasons)
    for item, u in zip(data["waiting"], result.unmatched, strict=True):
        item["detail"] = unmatched_detail(u, weights=True)
    return {**summary_data, "matches": data["matches"], "waiting": data["waiting"]}


def render_table(result: MatchResult, *, limit: int | None = None) -> str:
    """The proposals and the clients left waiting, as a fixed-width table for a terminal."""
    lines = [
        f"Round {result.round_date.isoformat()}: {len(result.matches)} of {result.n_clients}"
        f" clients matched, objective {result.objective_text} ({result.status}"
        + (f", gap ≤ {result.gap:.2%}" if result.gap else "")
        + ")",
        "",
    ]
    shown = result.matches if limit is None else result.matches[:limit]
    if shown:
        # Ids and reasons come from the input files: shown with their control characters
        # escaped (matcher.terminal), and padded as shown.
        clients = [visible(m.client_id) for m in shown]
        volunteers = [visible(m.volunteer_id) for m in shown]
        width_c = max(len("client"), *map(len, clients))
        width_v = max(len("volunteer"), *map(len, volunteers))
        lines.append(f"{'client':<{width_c}}  {'volunteer':<{width_v}}  weight     risk      why")
        for m, client, volunteer in zip(shown, clients, volunteers, strict=True):
            lines.append(
                f"{client:<{width_c}}  {volunteer:<{width_v}}  {m.weight:<9.4f}  "
                f"{m.risk_tier:<8}  {visible(render_pair_reasons(m.reasons))}"
            )
        if len(shown) < len(result.matches):
            lines.append(f"… and {len(result.matches) - len(shown)} more (see matches.csv)")
    waiting = result.unmatched if limit is None else result.unmatched[:limit]
    if waiting:
        lines += ["", "Not matched:"]
        clients = [visible(u.client_id) for u in waiting]
        width_c = max(map(len, clients))
        for u, client in zip(waiting, clients, strict=True):
            detail = visible(unmatched_detail(u, weights=True))
            lines.append(f"{client:<{width_c}}  {u.risk_tier:<8}  {u.reason}: {detail}")
        if len(waiting) < len(result.unmatched):
            lines.append(f"… and {len(result.unmatched) - len(waiting)} more (see unmatched.csv)")
    return "\n".join(lines)
