"""The scenario library: the real programmes as reproducible rounds of clients and volunteers.

    from matcher import scenarios
    scenario = scenarios.load("zwolle-partnerverlies")     # or a path to your own .toml
    clients, volunteers = scenarios.generate(scenario, seed=1)
    result = matcher.match(clients, volunteers, scenario.config, round_date=scenario.round_date)

`generate_rows` gives the same round as CSV-ready rows, `write_round(generate_round(...), dir)`
as clients.csv, volunteers.csv and matcher.toml. Same scenario, seed and round date give the
same people, byte for byte; another seed gives other people with the same statistics.
"""

from matcher.scenarios.calibration import (
    expected_risk_tiers,
    observed_shares,
    scenario_free_places,
    scenario_risk_tiers,
)
from matcher.scenarios.generate import (
    GeneratedRound,
    generate,
    generate_round,
    generate_rows,
    write_round,
)
from matcher.scenarios.library import load, scenario_data, scenario_from_dict, scenario_names
from matcher.scenarios.spec import Scenario

__all__ = [
    "GeneratedRound",
    "Scenario",
    "expected_risk_tiers",
    "generate",
    "generate_round",
    "generate_rows",
    "load",
    "observed_shares",
    "scenario_data",
    "scenario_free_places",
    "scenario_from_dict",
    "scenario_names",
    "scenario_risk_tiers",
    "write_round",
]
