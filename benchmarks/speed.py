"""Speed and memory of a matching round at city, region, national and million size.

Measures, on seeded rounds of the benchmark scenarios (scenarios/: city-, region-, national-
and million-scale, and the dense city):
  (a) `matcher match` end to end as a subprocess, process start to files written, with the
      peak memory of the process and its workers; drawing and writing the CSV files is timed
      apart (generate_csv);
  (b) the library call `matcher.match(clients, volunteers)` in a fresh process, with its peak
      RSS (the models are built before the clock starts; not at million size, where the worker
      only prepares the allowed pairs for (c));
  (c) the raw monolithic min-cost-flow solve on the same allowed pairs (one OR-Tools network,
      as a user of OR-Tools would build it), and the engine's own solve of the same pairs,
      which splits the round into the parts that share no pair (matcher.solvers.components);
  (d) networkx `max_weight_matching` on the same pairs, the baseline a Python user would
      reach for, with its objective checked against ours.
Goals are ratios measured in the same run: national and million `matcher match` end to end in
less time than (c)'s raw solve, with peak memory under 2 GB and 10 GB; the dense city at most
2 × the raw solve; library match() at national size under 5 s. `growth` compares end-to-end
time with the allowed pairs from region (10k clients) to national (100k) to million (1M).
Writes benchmarks/results/speed.json (versions, machine, load average, seed, every figure) and
prints Markdown tables. The machine may be shared: the load average is recorded with each
size, and a run whose processes hold more than --max-rss-gb is stopped and recorded as such.

    python benchmarks/speed.py                       # city, region, national
    python benchmarks/speed.py --sizes city,region,national,dense,million
    python benchmarks/speed.py --quick               # a small smoke run
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from matcher import scenarios
from matcher.models import Client, Volunteer
from matcher.scenarios.geography import organisation_count

HERE: Final = Path(__file__).resolve().parent
RESULTS: Final = HERE / "results"


@dataclass(frozen=True)
class Size:
    name: str
    n_clients: int
    n_volunteers: int
    cli_runs: int  # end-to-end runs of the command line (0: not measured)
    cli_target_s: float | None
    library_target_s: float | None
    library_target_rss_mb: float | None
    networkx: bool  # the baseline is cubic in the number of nodes: small sizes only
    # Goal for `matcher match` end to end divided by the raw monolithic solve (None: no goal).
    cli_vs_solve_target: float | None = None
    cli_target_rss_mb: float | None = None
    # Time matcher.match() in the library worker (at the largest size only the allowed pairs
    # are prepared there, for the raw solve: the models and a second round would not fit).
    library_match: bool = True


# Every size is a scenario of the library; "tiny" is city scale shrunk for a smoke run.
SCENARIOS: Final = {
    "tiny": ("city-scale", (200, 80)),
    "city": ("city-scale", None),
    "region": ("region-scale", None),
    "national": ("national-scale", None),
    "dense": ("dense-city", None),
    "million": ("million-scale", None),
}
SIZES: Final = {
    "tiny": Size("tiny", 200, 80, 3, None, None, None, True),
    "city": Size("city", 1_000, 400, 3, 1.5, None, None, True),
    "region": Size("region", 10_000, 4_000, 3, 5.0, None, None, False),
    "national": Size("national", 100_000, 40_000, 1, None, 5.0, None, False, 1.0, 2_000.0),
    # One big city where most people accept phone contact: ~2.4 M pairs, goal ≤ 2 × the solve.
    "dense": Size("dense", 10_000, 4_000, 3, None, None, None, False, 2.0),
    # A thousand organisations, ~65 M pairs: end to end under the raw solve, under 10 GB.
    "million": Size(
        "million",
        1_000_000,
        400_000,
        1,
        None,
        None,
        None,
        False,
        cli_vs_solve_target=1.0,
        cli_target_rss_mb=10_000.0,
        library_match=False,
    ),
}
# Sizes whose time is compared with their pairs (issue 16: 10k → 100k → 1M clients).
GROWTH: Final = ("region", "national", "million")
# A run whose processes together hold more than this is stopped (the machine is shared).
DEFAULT_MAX_RSS_GB: Final = 12.0
ROUND_DATE: Final = scenarios.load("city-scale").round_date


def size_scenario(size: Size) -> scenarios.Scenario:
    name, counts = SCENARIOS[size.name]
    scenario = scenarios.load(name)
    if counts is not None:
        scenario = scenario.resized(clients=counts[0], volunteers=counts[1])
    assert (scenario.clients.count, scenario.volunteers.count) == (
        size.n_clients,
        size.n_volunteers,
    )
    return scenario


def generate_models(size: Size, seed: int) -> tuple[list[Client], list[Volunteer]]:
    return scenarios.generate(size_scenario(size), seed, round_date=ROUND_DATE)


PACKAGES: Final = (
    "matcher",
    "ortools",
    "numpy",
    "scipy",
    "networkx",
    "pydantic",
    "matplotlib",
    "jinja2",
)


# ------------------------------------------------------------------------------ environment


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_usable": usable,
        "ram_gb": round(ram_gb, 1),
        "os": platform.platform(),
    }


def peak_rss_mb(usage: resource.struct_rusage) -> float:
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    divisor = 2**20 if sys.platform == "darwin" else 2**10
    return round(usage.ru_maxrss / divisor, 1)


def tree_memory_mb(pid: int) -> tuple[float, float]:
    """Memory of a process and all its descendants (worker processes included): the sum of
    their resident sets, and the sum of their proportional sets (PSS).

    A forked worker shares its parent's pages until one of them writes to a page, and the
    resident sets count each shared page once per process; PSS splits a shared page between
    the processes that map it, so the PSS sum is the physical memory the tree holds."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    pages, pss_kb = 0, 0
    for member in tree:
        try:
            pages += int(Path(f"/proc/{member}/statm").read_text().split()[1])
            rollup = Path(f"/proc/{member}/smaps_rollup").read_text()
            pss_kb += next(int(line.split()[1]) for line in rollup.splitlines()
                           if line.startswith("Pss:"))  # fmt: skip
        except (OSError, IndexError, ValueError, StopIteration):
            continue
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20, pss_kb / 2**10


def watch(process: subprocess.Popen[bytes], max_rss_mb: float) -> tuple[int, Any, float, float]:
    """Wait for the process, sampling its tree's memory; stop it past `max_rss_mb`.

    Returns (exit code, its resource usage, the largest tree RSS and PSS seen in MB)."""
    peak, peak_pss, sampled = 0.0, 0.0, 0.0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return process.returncode, usage, round(peak, 1), round(peak_pss, 1)
        # Memory twice a second (a scan of /proc costs a few ms), the exit every 10 ms: the
        # wall time is taken when this loop sees the exit.
        if sys.platform == "linux" and time.perf_counter() - sampled >= 0.5:
            sampled = time.perf_counter()
            rss, pss = tree_memory_mb(process.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            if peak_pss > max_rss_mb:
                os.killpg(process.pid, 9)
                _, status, usage = os.wait4(process.pid, 0)
                raise MemoryLimit(f"stopped at {peak_pss:,.0f} MB (limit {max_rss_mb:,.0f} MB)")
        time.sleep(0.01)


class MemoryLimit(Exception):
    pass


# ------------------------------------------------------------------------ (a) the command line


def matcher_command() -> list[str]:
    script = Path(sys.executable).with_name("matcher")
    if script.exists():
        return [str(script)]
    found = shutil.which("matcher")
    if found is None:
        raise SystemExit("no `matcher` command; run `pip install -e .` first")
    return [found]


def time_cli(data_dir: Path, runs: int, max_rss_mb: float) -> dict[str, Any]:
    """Wall clock from process start until it has exited with its files written."""
    out_dir = data_dir / "out"
    command = [
        *matcher_command(),
        "--quiet",
        "match",
        str(data_dir / "clients.csv"),
        str(data_dir / "volunteers.csv"),
        "--out",
        str(out_dir),
        "--date",
        ROUND_DATE.isoformat(),
    ]
    seconds, rss, tree_rss, tree_pss = [], [], [], []
    for _ in range(runs):
        shutil.rmtree(out_dir, ignore_errors=True)
        with tempfile.TemporaryFile() as stderr:
            started = time.perf_counter()
            process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True
            )
            # wait4 gives this child's own resource usage, not a running maximum over children.
            returncode, usage, tree_peak, pss_peak = watch(process, max_rss_mb)
            seconds.append(time.perf_counter() - started)
            tree_rss.append(tree_peak)
            tree_pss.append(pss_peak)
            if returncode != 0:
                stderr.seek(0)
                message = stderr.read().decode(errors="replace")[-2000:]
                raise SystemExit(f"{' '.join(command)} failed:\n{message}")
        rss.append(peak_rss_mb(usage))
        missing = [n for n in ("matches.csv", "unmatched.csv") if not (out_dir / n).exists()]
        if missing:
            raise SystemExit(f"`matcher match` exited 0 but wrote no {', '.join(missing)}")
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    return {
        "runs": runs,
        "seconds": [round(s, 3) for s in seconds],
        "best_s": round(min(seconds), 3),
        "median_s": round(statistics.median(seconds), 3),
        "peak_rss_mb": max(rss),
        # Sampled twice a second over the process and its workers together: resident sets
        # (shared pages counted once per process) and proportional sets (the memory held).
        "peak_tree_rss_mb": max(tree_rss),
        "peak_tree_pss_mb": max(tree_pss),
        "summary_timings": summary.get("timings"),
        "candidate_pairs": summary.get("candidate_pairs"),
    }


# ------------------------------------------------------------ (b) + (c) library, fresh process


def library_worker(size: Size, seed: int, runs: int) -> dict[str, Any]:
    """Runs inside a fresh process: time matcher.match, then the raw flow solve."""
    # Import the solver before the clock starts: a process pays for it once, like numpy.
    import numpy as np
    from ortools.graph.python import min_cost_flow  # noqa: F401

    import matcher
    from matcher.engine import prepare
    from matcher.solvers.flow import solve_max_weight

    started = time.perf_counter()
    clients, volunteers = generate_models(size, seed)
    models_s = time.perf_counter() - started
    rss_before = peak_rss_mb(resource.getrusage(resource.RUSAGE_SELF))

    record: dict[str, Any] = {"models_s": round(models_s, 3)}
    result = None
    if size.library_match:
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            result = matcher.match(clients, volunteers, round_date=ROUND_DATE)
            seconds.append(time.perf_counter() - started)
        assert result is not None
        # Read the peak before (c) builds a second network.
        record["match"] = {
            "runs": runs,
            "seconds": [round(s, 3) for s in seconds],
            "first_s": round(seconds[0], 3),
            "best_s": round(min(seconds), 3),
            "rss_before_mb": rss_before,
            "peak_rss_mb": peak_rss_mb(resource.getrusage(resource.RUSAGE_SELF)),
            "timings": {k: round(v, 3) for k, v in result.timings.items()},
            "status": str(result.status),
            "n_matched": len(result.matches),
            "objective_units": result.objective_units,
            "objective": result.objective,
        }

    started = time.perf_counter()
    prepared = prepare(clients, volunteers, None, ROUND_DATE)
    prepare_s = time.perf_counter() - started
    edges = prepared.edges
    pairs = (
        len(clients),
        len(volunteers),
        edges.edge_client,
        edges.edge_volunteer,
        edges.weight_units,
        prepared.free_places,
    )
    record["n_edges"] = len(edges.edge_client)
    record["free_places"] = int(prepared.free_places.sum())
    if not size.library_match:
        record["prepare"] = {
            "seconds": round(prepare_s, 3),
            "timings": {k: round(v, 3) for k, v in prepared.timings.items()},
            "rss_before_mb": rss_before,
            "peak_rss_mb": peak_rss_mb(resource.getrusage(resource.RUSAGE_SELF)),
        }
        # Only the edge arrays are needed from here on: let the models go before the solves.
        del clients, volunteers, prepared
        gc.collect()
    flow_seconds, parts_seconds = [], []
    for _ in range(runs):
        started = time.perf_counter()
        solution = solve_max_weight(*pairs, decompose=False)
        flow_seconds.append(time.perf_counter() - started)
        flow_rss = peak_rss_mb(resource.getrusage(resource.RUSAGE_SELF))
        started = time.perf_counter()
        parts = solve_max_weight(*pairs)
        parts_seconds.append(time.perf_counter() - started)
    checks = [("parts", parts.objective_units)]
    if result is not None:
        checks.append(("match()", result.objective_units))
    for name, units in checks:
        if solution.objective_units != units:
            raise SystemExit(f"raw solve objective {solution.objective_units} != {name} {units}")
    ties = int(np.sum(solution.chosen != parts.chosen))
    record["flow_solve"] = {
        "runs": runs,
        "seconds": [round(s, 3) for s in flow_seconds],
        # The goal's baseline. Warm: the process has built networks this size before (the
        # match() runs, the runs before), while `matcher match` solves once in a fresh
        # process and pays the kernel for fresh memory (about 0.4 s of system time on the
        # dense city's network on this virtual machine).
        "best_s": round(min(flow_seconds), 3),
        "first_s": round(flow_seconds[0], 3),
        "objective_units": solution.objective_units,
        # The worker's peak so far (models and pairs included), after the first raw solve.
        "peak_rss_mb": flow_rss,
    }
    record["parts_solve"] = {
        "runs": runs,
        "seconds": [round(s, 3) for s in parts_seconds],
        "best_s": round(min(parts_seconds), 3),
        "objective_units": parts.objective_units,
        # Pairs chosen differently from the raw solve at the same objective (ties).
        "pairs_differing_from_raw": ties,
    }
    return record


def time_library(size: Size, seed: int, runs: int, max_rss_mb: float) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        size.name,
        "--seed",
        str(seed),
        "--runs",
        str(runs),
    ]
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, start_new_session=True)
        returncode, _, tree_peak, pss_peak = watch(process, max_rss_mb)
        stdout.seek(0)
        stderr.seek(0)
        if returncode != 0:
            message = stderr.read().decode(errors="replace")[-3000:]
            raise SystemExit(f"library worker for {size.name} failed:\n{message}")
        record: dict[str, Any] = json.loads(stdout.read().decode().strip().splitlines()[-1])
    record["worker_peak_tree_rss_mb"] = tree_peak
    record["worker_peak_tree_pss_mb"] = pss_peak
    return record


# -------------------------------------------------------------------- (d) networkx baseline


def networkx_baseline(size: Size, seed: int, flow_objective_units: int) -> dict[str, Any]:
    """networkx.max_weight_matching on the same pairs, one node per free place."""
    import networkx as nx

    from matcher.engine import prepare

    clients, volunteers = generate_models(size, seed)
    prepared = prepare(clients, volunteers, None, ROUND_DATE)
    edges = prepared.edges
    free = prepared.free_places.tolist()
    graph = nx.Graph()
    for client, volunteer, weight in zip(
        edges.edge_client.tolist(),
        edges.edge_volunteer.tolist(),
        edges.weight_units.tolist(),
        strict=True,
    ):
        for place in range(free[volunteer]):
            graph.add_edge(("c", client), ("v", volunteer, place), weight=weight)

    started = time.perf_counter()
    matching = nx.max_weight_matching(graph, maxcardinality=False)
    seconds = time.perf_counter() - started
    objective = sum(graph.edges[a, b]["weight"] for a, b in matching)
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "seconds": round(seconds, 3),
        "n_matched": len(matching),
        "objective_units": objective,
        "same_objective": objective == flow_objective_units,
    }


# ------------------------------------------------------------------------------------- report


def measure(
    size: Size, seed: int, runs: int, *, cli: bool, baseline: bool, max_rss_mb: float
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "size": size.name,
        "n_clients": size.n_clients,
        "n_volunteers": size.n_volunteers,
        "scenario": SCENARIOS[size.name][0],
        "n_towns": organisation_count(size_scenario(size)),
        "targets": {
            "cli_s": size.cli_target_s,
            "library_s": size.library_target_s,
            "library_rss_mb": size.library_target_rss_mb,
            "cli_vs_solve": size.cli_vs_solve_target,
            "cli_rss_mb": size.cli_target_rss_mb,
        },
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"[{size.name}] library in a fresh process …", file=sys.stderr, flush=True)
    # A part stopped at the memory limit is recorded as such; the other is still measured.
    try:
        record.update(time_library(size, seed, min(runs, size.cli_runs), max_rss_mb))
    except MemoryLimit as stopped:
        print(f"[{size.name}] library worker {stopped}", file=sys.stderr, flush=True)
        record["library_stopped"] = str(stopped)
    if cli and size.cli_runs:
        with tempfile.TemporaryDirectory(prefix=f"matcher-bench-{size.name}-") as tmp:
            # Timed apart from the round: drawing people and writing the files.
            print(f"[{size.name}] drawing the CSV files …", file=sys.stderr, flush=True)
            started = time.perf_counter()
            drawn = scenarios.generate_round(size_scenario(size), seed, round_date=ROUND_DATE)
            drawn_s = time.perf_counter() - started
            paths = scenarios.write_round(drawn, tmp)
            record["generate_csv_s"] = round(time.perf_counter() - started, 3)
            record["generate_csv"] = {
                "draw_s": round(drawn_s, 3),
                "write_s": round(record["generate_csv_s"] - drawn_s, 3),
                "mb": round(sum(Path(path).stat().st_size for path in paths) / 2**20, 1),
            }
            del drawn
            print(f"[{size.name}] command line ×{size.cli_runs} …", file=sys.stderr, flush=True)
            try:
                record["cli"] = time_cli(Path(tmp), min(runs, size.cli_runs), max_rss_mb)
                record.setdefault("n_edges", record["cli"]["candidate_pairs"])
            except MemoryLimit as stopped:
                print(f"[{size.name}] command line {stopped}", file=sys.stderr, flush=True)
                record["cli_stopped"] = str(stopped)
    if baseline and size.networkx and "flow_solve" in record:
        print(f"[{size.name}] networkx baseline …", file=sys.stderr, flush=True)
        record["networkx"] = networkx_baseline(size, seed, record["flow_solve"]["objective_units"])
    if "cli" in record and "flow_solve" in record:
        record["cli_vs_solve"] = round(
            record["cli"]["median_s"] / record["flow_solve"]["best_s"], 2
        )
    record["load_average"] = [round(x, 2) for x in os.getloadavg()]
    record["met"] = targets_met(record)
    return record


def cli_memory_mb(cli: dict[str, Any]) -> float:
    """The command's memory against its goal: its own peak, or its tree's (the process and
    its solver workers) as physical memory held, whichever is larger."""
    return float(max(cli["peak_rss_mb"], cli.get("peak_tree_pss_mb", 0.0)))


def targets_met(record: dict[str, Any]) -> dict[str, bool]:
    targets, met = record["targets"], {}
    if targets["cli_s"] is not None and "cli" in record:
        met["cli"] = record["cli"]["median_s"] < targets["cli_s"]
    if targets["library_s"] is not None and "match" in record:
        met["library"] = record["match"]["first_s"] < targets["library_s"]
    if targets["library_rss_mb"] is not None and "match" in record:
        met["library_rss"] = record["match"]["peak_rss_mb"] < targets["library_rss_mb"]
    if targets["cli_vs_solve"] is not None and "cli_vs_solve" in record:
        met["cli_vs_solve"] = record["cli_vs_solve"] < targets["cli_vs_solve"]
    if targets["cli_rss_mb"] is not None and "cli" in record:
        cli = record["cli"]
        met["cli_rss"] = cli_memory_mb(cli) < targets["cli_rss_mb"]
    return met


def growth(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """How end-to-end time grows with the allowed pairs, size to size (GROWTH order)."""
    by_size = {r["size"]: r for r in records if r["size"] in GROWTH and "cli" in r}
    raw = {name: r["flow_solve"]["best_s"] for name, r in by_size.items() if "flow_solve" in r}
    rows: list[dict[str, Any]] = []
    for name in GROWTH:
        if name not in by_size:
            continue
        r = by_size[name]
        row = {
            "size": name,
            "n_clients": r["n_clients"],
            "n_edges": r["n_edges"],
            "cli_s": r["cli"]["median_s"],
            "raw_solve_s": raw.get(name),
            "cli_s_per_million_pairs": round(r["cli"]["median_s"] / r["n_edges"] * 1e6, 3),
        }
        if rows:
            before = rows[-1]
            row["pairs_grew"] = round(row["n_edges"] / before["n_edges"], 2)
            row["cli_grew"] = round(row["cli_s"] / before["cli_s"], 2)
            if row["raw_solve_s"] and before["raw_solve_s"]:
                row["raw_solve_grew"] = round(row["raw_solve_s"] / before["raw_solve_s"], 2)
        rows.append(row)
    return rows


def growth_markdown(rows: Sequence[dict[str, Any]]) -> str:
    lines = [
        "| size | clients | allowed pairs | CLI end to end | per million pairs "
        "| pairs grew | CLI grew | raw solve | raw solve grew |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        grew = [
            f"{row[k]:g}×" if k in row else "—"
            for k in ("pairs_grew", "cli_grew", "raw_solve_grew")
        ]
        lines.append(
            f"| {row['size']} | {row['n_clients']:,} | {row['n_edges']:,} | {row['cli_s']:.1f} s "
            f"| {row['cli_s_per_million_pairs']:.2f} s | {grew[0]} | {grew[1]} "
            f"| {_seconds(row['raw_solve_s'])} | {grew[2]} |"
        )
    return "\n".join(lines)


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def _target(value: float | None, target: float | None, unit: str = "s") -> str:
    if value is None:
        return "—"
    text = f"{value:.2f} {unit}" if unit == "s" else f"{value:,.0f} {unit}"
    if target is None:
        return text
    return f"{text} ({'✓' if value < target else '✗'} < {target:g})"


def markdown(records: Sequence[dict[str, Any]]) -> str:
    lines = [
        "| size | clients × volunteers | towns | allowed pairs | CLI best / median | "
        "CLI ÷ raw solve | CLI peak RSS | library match() | library peak RSS "
        "| raw min-cost flow solve | solve by parts | networkx | matched |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in records:
        cli = r.get("cli")
        edges_text = f"{r['n_edges']:,}" if "n_edges" in r else "—"
        cli_text = (
            f"{cli['best_s']:.2f} / {_target(cli['median_s'], r['targets']['cli_s'])}"
            if cli
            else r.get("cli_stopped", "—")
        )
        nx_record = r.get("networkx")
        nx_text = "—"
        if nx_record:
            agree = "same" if nx_record["same_objective"] else "DIFFERENT"
            nx_text = f"{nx_record['seconds']:.1f} s ({agree} objective)"
        ratio = r.get("cli_vs_solve")
        ratio_text = "—" if ratio is None else f"{ratio:.2f}×"
        if ratio is not None and r["targets"]["cli_vs_solve"] is not None:
            mark = "✓" if ratio < r["targets"]["cli_vs_solve"] else "✗"
            ratio_text += f" ({mark} < {r['targets']['cli_vs_solve']:g})"
        cli_rss = _target(cli_memory_mb(cli), r["targets"]["cli_rss_mb"], "MB") if cli else "—"
        library = r.get("match")
        library_text = _target(library["first_s"], r["targets"]["library_s"]) if library else "—"
        library_rss = (
            _target(library["peak_rss_mb"], r["targets"]["library_rss_mb"], "MB")
            if library
            else "—"
        )
        matched = f"{library['n_matched']:,}" if library else "—"
        lines.append(
            f"| {r['size']} | {r['n_clients']:,} × {r['n_volunteers']:,} | {r['n_towns']} "
            f"| {edges_text} | {cli_text} | {ratio_text} | {cli_rss} "
            f"| {library_text} | {library_rss} "
            f"| {_seconds(r.get('flow_solve', {}).get('best_s'))} "
            f"| {_seconds(r.get('parts_solve', {}).get('best_s'))} "
            f"| {nx_text} "
            f"| {matched} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="city,region,national",
                        help=f"comma-separated, from {', '.join(SIZES)}")  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="a smoke run: tiny size, one run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3, help="repeats of timed parts (best/median)")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line runs")
    parser.add_argument("--no-networkx", action="store_true", help="skip the networkx baseline")
    parser.add_argument("--out", type=Path, default=None, help="JSON file for the results")
    parser.add_argument("--max-rss-gb", type=float, default=DEFAULT_MAX_RSS_GB,
                        help="stop a run whose processes hold more memory than this")  # fmt: skip
    parser.add_argument("--worker", choices=tuple(SIZES), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(library_worker(SIZES[args.worker], args.seed, args.runs)))
        return 0

    names = ["tiny"] if args.quick else [s.strip() for s in args.sizes.split(",")]
    unknown = [name for name in names if name not in SIZES]
    if unknown:
        parser.error(f"--sizes: unknown {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    runs = 1 if args.quick else args.runs
    out = args.out or RESULTS / ("speed-quick.json" if args.quick else "speed.json")

    measured = [
        measure(
            SIZES[name],
            args.seed,
            runs,
            cli=not args.no_cli,
            baseline=not args.no_networkx,
            max_rss_mb=args.max_rss_gb * 1024,
        )
        for name in names
    ]
    report = {
        "benchmark": "speed",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seed": args.seed,
        "round_date": ROUND_DATE.isoformat(),
        "versions": versions(),
        "machine": machine(),
        "sizes": measured,
        "growth": growth(measured),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(measured))
    if report["growth"]:
        print("\n" + growth_markdown(report["growth"]))
    print(f"\nwrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
