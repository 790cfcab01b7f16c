"""Bottleneck groups (matcher.bottleneck) against Hall's theorem, brute force and networkx."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import networkx as nx
import numpy as np
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.bottleneck import bottleneck_labels, chosen_edges, find_bottlenecks
from matcher.cli import main
from matcher.engine import prepare, solve
from matcher.io import read_clients, read_volunteers
from matcher.policies import POLICY_NAMES
from tests.report_support import CLIENTS, VOLUNTEERS, match_report, run
from tests.report_support import DATE as REPORT_DATE

ROOT = Path(__file__).resolve().parent.parent
DATE = dt.date(2026, 11, 23)


@st.composite
def rounds(draw: st.DrawFn) -> tuple[int, int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A small round and a feasible assignment: maximal-cardinality or not, as it falls."""
    n_c = draw(st.integers(1, 8))
    n_v = draw(st.integers(1, 5))
    pairs = sorted(
        draw(st.sets(st.tuples(st.integers(0, n_c - 1), st.integers(0, n_v - 1)), max_size=20))
    )
    edge_c = np.array([c for c, _ in pairs], dtype=np.int64)
    edge_v = np.array([v for _, v in pairs], dtype=np.int64)
    free = np.array(draw(st.lists(st.integers(0, 3), min_size=n_v, max_size=n_v)), np.int64)
    # Greedy in a drawn order: feasible, and often not serving the most clients possible.
    order = draw(st.permutations(range(len(pairs))))
    skip = draw(st.sets(st.integers(0, max(len(pairs) - 1, 0))))
    chosen = np.zeros(len(pairs), dtype=bool)
    load = np.zeros(n_v, dtype=np.int64)
    served: set[int] = set()
    for k in order:
        c, v = pairs[k]
        if k not in skip and c not in served and load[v] < free[v]:
            chosen[k] = True
            served.add(c)
            load[v] += 1
    return n_c, n_v, edge_c, edge_v, free, chosen


def most_served(n_c: int, edge_c: np.ndarray, edge_v: np.ndarray, free: np.ndarray) -> int:
    """networkx's maximum matching with each volunteer expanded into one node per place."""
    graph = nx.Graph()
    clients = [("c", c) for c in range(n_c)]
    graph.add_nodes_from(clients)
    for c, v in zip(edge_c.tolist(), edge_v.tolist(), strict=True):
        graph.add_edges_from((("c", c), ("v", v, place)) for place in range(int(free[v])))
    matching = nx.bipartite.hopcroft_karp_matching(graph, top_nodes=clients)
    return len(matching) // 2


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_groups_are_halls_sets_and_agree_with_brute_force_and_networkx(
    case: tuple[int, int, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    n_c, n_v, edge_c, edge_v, free, chosen = case
    client_group, volunteer_group = bottleneck_labels(n_c, n_v, edge_c, edge_v, free, chosen)
    neighbours = [set(edge_v[edge_c == c].tolist()) for c in range(n_c)]
    served = set(edge_c[chosen].tolist())
    shortage = 0
    for g in range(int(client_group.max(initial=-1)) + 1):
        clients = set(np.flatnonzero(client_group == g).tolist())
        volunteers = set(np.flatnonzero(volunteer_group == g).tolist())
        assert clients and volunteers
        # Only these volunteers can serve these clients, and each of them serves one.
        assert set().union(*(neighbours[c] for c in clients)) == volunteers
        must_wait = len(clients) - int(free[list(volunteers)].sum())
        assert must_wait >= 1
        # Hall's bound holds for the assignment given, however poor.
        assert len(clients - served) >= must_wait
        shortage += must_wait
    # The total shortage is what no matching can serve: networkx as the oracle.
    reachable = [c for c in range(n_c) if neighbours[c]]
    assert shortage == len(reachable) - most_served(n_c, edge_c, edge_v, free)
    # Brute force: the groups' union is the smallest set of clients with the largest shortage.
    deficiency = {
        subset: len(subset)
        - sum(int(free[v]) for v in set().union(*(neighbours[c] for c in subset)))
        for size in range(len(reachable) + 1)
        for subset in itertools.combinations(reachable, size)
    }
    largest = max(deficiency.values())
    assert largest == shortage
    smallest = set.intersection(*(set(s) for s, d in deficiency.items() if d == largest))
    assert smallest == set(np.flatnonzero(client_group >= 0).tolist())


def test_every_policy_sees_the_same_groups_and_leaves_at_least_their_shortage_waiting() -> None:
    clients = read_clients(ROOT / "examples" / "clients.csv")
    volunteers = read_volunteers(ROOT / "examples" / "volunteers.csv")
    prepared = prepare(clients, volunteers, round_date=DATE)
    seen = set()
    for policy in POLICY_NAMES:
        result = solve(prepared, policy)
        assert chosen_edges(prepared, result).sum() == len(result.matches)
        found = find_bottlenecks(prepared, result)
        waiting = {u.client_id for u in result.unmatched}
        for group in found.groups:
            assert len(waiting & set(group.clients)) >= group.must_wait
            assert set(group.waiting) == waiting & set(group.clients)
        seen.add(tuple((g.clients, g.volunteers, g.free_places) for g in found.groups))
    assert len(seen) == 1  # which clients compete does not depend on the policy
    (groups,) = seen
    assert groups, "the demo round has a bottleneck"


def test_no_group_when_every_client_with_options_can_be_served() -> None:
    edge_c = np.array([0, 1, 2], dtype=np.int64)
    edge_v = np.array([0, 0, 1], dtype=np.int64)
    client_group, volunteer_group = bottleneck_labels(
        4, 2, edge_c, edge_v, np.array([2, 1]), np.zeros(3, dtype=bool)
    )
    assert (client_group == -1).all() and (volunteer_group == -1).all()  # client 3: no options


def test_explain_and_match_say_who_competes_for_too_few_places(tmp_path: Path) -> None:
    args = [str(ROOT / "examples" / "clients.csv"), str(ROOT / "examples" / "volunteers.csv")]
    date = ["--date", DATE.isoformat()]
    explained = CliRunner().invoke(
        main, ["-q", "explain", *args, "--client", "K005", *date, "--lang", "en"]
    )
    assert explained.exit_code == 0, explained.output
    assert (
        "too few places: K005 is one of 16 clients who can only be served by V01, V02, V03, V04,"
        " V06 and 2 more, who have 13 free places between them: at least 3 of them wait"
    ) in explained.stdout
    # K009 waits for a rule (no shared language), not for places: no group is named.
    explained = CliRunner().invoke(
        main, ["-q", "explain", *args, "--client", "K009", *date, "--lang", "en"]
    )
    assert "too few places" not in explained.stdout
    matched = CliRunner().invoke(main, ["-q", "match", *args, "--out", str(tmp_path), *date])
    assert "Bottlenecks:\n1 group of clients with too few places: at least 3 wait" in matched.stdout


def test_the_report_shows_the_groups_in_both_languages_and_pseudonymised(tmp_path: Path) -> None:
    english = match_report(tmp_path, "--lang", "en", name="en.html").read_text()
    section = english.split('<section id="bottlenecks">', 1)[1].split("</section>", 1)[0]
    assert "<h2>Too few places</h2>" in section
    assert "These 16 clients can only be served by V01, V02" in section
    dutch = match_report(tmp_path, name="nl.html").read_text()
    assert "Deze 16 cliënten kunnen alleen terecht bij V01, V02" in dutch
    shared = match_report(tmp_path, "--pseudonymise", "--lang", "en", name="s.html").read_text()
    section = shared.split('<section id="bottlenecks">', 1)[1].split("</section>", 1)[0]
    assert "These 16 clients can only be served by" in section and "V01" not in section


def test_a_ledger_round_report_shows_the_groups(tmp_path: Path) -> None:
    db = tmp_path / "matcher.db"
    env = {"MATCHER_DB": str(db)}
    for args in (("db", "init"), ("import", "volunteers", VOLUNTEERS),
                 ("import", "clients", CLIENTS, *REPORT_DATE)):  # fmt: skip
        assert run(*args, env=env).exit_code == 0
    report = tmp_path / "round.html"
    result = run("round", "propose", "--report", str(report), "--lang", "en", *REPORT_DATE, env=env)
    assert result.exit_code == 0, result.output
    assert "These 16 clients can only be served by V01" in report.read_text()


def test_the_sentences_in_both_languages_and_one_volunteer() -> None:
    from matcher.wording import bottleneck_sentence

    assert bottleneck_sentence(9, ["V03", "V07", "V11"], 4, 5, "en") == (
        "these 9 clients can only be served by V03, V07 and V11, who have 4 free places between"
        " them: at least 5 of them wait whatever the round does"
    )
    assert bottleneck_sentence(3, ["V03"], 1, 2, "nl", client="K1") == (
        "K1 is een van 3 cliënten die alleen terecht kunnen bij V03, die 1 vrije plaats heeft:"
        " minstens 2 van hen wachten, wat de ronde ook doet"
    )
    many = bottleneck_sentence(40, [f"V{i:02}" for i in range(12)], 10, 30, "en", shown=2)
    assert "served by V00, V01 and 10 more, who have 10 free places" in many


def test_capacity_in_hours_counts_places_as_the_policies_do() -> None:
    """Every client 2 hours, volunteers 5 and 4 hours: 2 places each, not 20 and 16."""
    clients = [
        {"client_id": f"C{i}", "programme": "p", "contact": "phone", "hours_per_week": 2}
        for i in range(7)
    ]
    volunteers = [
        {"volunteer_id": f"V{i}", "programmes": "p", "contact": "phone", "hours_per_week": h}
        for i, h in enumerate((5, 4))
    ]
    prepared = prepare(clients, volunteers, round_date=DATE)
    found = find_bottlenecks(prepared, solve(prepared))
    (group,) = found.groups
    assert (len(group.clients), group.volunteers, group.free_places) == (7, ("V0", "V1"), 4)
    assert group.must_wait == 3
