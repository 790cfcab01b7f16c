"""`matcher plan --from-ledger`: the flows a ledger has seen, and what stays the scenario's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher import scenarios
from matcher.cli import main
from matcher.plan.from_ledger import parameters, with_ledger
from matcher.rounds.ledger import create_ledger, open_ledger

START = dt.date(2026, 1, 5)
WEEK = dt.timedelta(weeks=1)


@pytest.fixture(scope="module")
def ledger_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 clients in two intakes, 16 volunteers; a round accepted; three matches ended."""
    path = tmp_path_factory.mktemp("ledger") / "matcher.db"
    scenario = scenarios.load("zwolle-partnerverlies").resized(clients=12, volunteers=16)
    clients, volunteers = scenarios.generate(scenario, 1)
    with create_ledger(str(path)) as ledger:
        ledger.import_volunteers(volunteers, on=START)
        first = [c.model_copy(update={"waiting_since": START}) for c in clients[:8]]
        later = [c.model_copy(update={"waiting_since": START + 10 * WEEK}) for c in clients[8:]]
        ledger.import_clients(first, on=START)
        proposal = ledger.propose(round_date=START)
        ledger.accept(proposal.round_id, on=START)
        ledger.import_clients(later, on=START + 10 * WEEK)
        matched = [pair.client_id for pair in proposal.pairs]
        ledger.end_match(matched[0], reason="completed", on=START + 20 * WEEK)
        ledger.end_match(matched[1], reason="completed", on=START + 20 * WEEK)
        ledger.end_match(matched[2], reason="client-stopped", on=START + 6 * WEEK)
    return path


def test_flows_are_estimated_from_the_ledger_and_the_rest_stays(ledger_path: Path) -> None:
    with open_ledger(str(ledger_path)) as ledger:
        flows = ledger.flows(on=START + 26 * WEEK)
    scenario = scenarios.load("zwolle-partnerverlies")
    found = {p.key: p for p in parameters(flows, scenario)}
    running = flows.running_matches
    assert flows.ended_matches == 3 and running >= 1
    assert found["clients.weekly_arrivals"].value == round(12 / 26, 3)
    assert found["volunteers.count"].value == 16
    # Ended matches ran 20, 20 and 6 weeks; the running ones 26 weeks so far (censored).
    assert found["dynamics.match_weeks"].value == round((46 + 26 * running) / 3, 1)
    assert found["dynamics.ends_early"].value == round(1 / 3, 3)
    assert found["dynamics.introductions_declined"].value == 0.0
    churn = found["dynamics.volunteer_churn_per_year"]
    assert (churn.from_data, churn.value) == (False, scenario.dynamics.volunteer_churn_per_year)
    data = scenarios.scenario_data("zwolle-partnerverlies")[1]
    built = scenarios.scenario_from_dict(with_ledger(data, scenario, list(found.values())))
    assert built.weekly_arrivals == round(12 / 26, 3)  # the funnel gave way to the data
    assert built.dynamics.match_weeks == found["dynamics.match_weeks"].value
    assert built.clients.count == flows.waiting


def test_plan_from_ledger_says_which_parameters_came_from_data(ledger_path: Path) -> None:
    result = CliRunner().invoke(main, [
        "plan", "zwolle-partnerverlies", "--from-ledger", "--db", str(ledger_path),
        "--vary", "volunteers.count=16,20", "--runs", "2", "--weeks", "4",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        lines[0]
        == f"Flows from the ledger {ledger_path}; people drawn as in zwolle-partnerverlies:"
    )
    assert lines[1].startswith("  from data: clients.count = ")
    assert any(line.startswith("  defaults:  dynamics.volunteer_churn_per_year = 0.15 (the ledger")
               for line in lines)  # fmt: skip


def test_plan_from_a_missing_ledger_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [
        "plan", "zwolle-partnerverlies", "--from-ledger", "--db", str(tmp_path / "none.db"),
        "--vary", "volunteers.count=16",
    ])  # fmt: skip
    assert result.exit_code == 1
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
