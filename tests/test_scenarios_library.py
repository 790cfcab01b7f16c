"""The scenario library: every scenario loads, says what the seeds say, and bad files are named."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from matcher import scenarios
from matcher.errors import InputError
from matcher.scenarios.library import PACKAGE
from matcher.scenarios.toml import render_toml

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = {
    "zwolle-partnerverlies",
    "draad-weer-oppakken",
    "seniorencoach",
    "levensboek",
    "welzijn-op-recept",
    "volunteer-shortage",
    "rural",
    "city-scale",
    "region-scale",
    "national-scale",
}


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_the_required_scenarios_are_built_in() -> None:
    assert set(scenarios.scenario_names()) >= REQUIRED


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_each_file_is_named_after_its_scenario_and_cites_its_sources(name: str) -> None:
    scenario = scenarios.load(name)
    assert scenario.name == name
    assert scenario.sources and len(scenario.description) > 200


def test_a_scenario_loads_by_path_as_well_as_by_name() -> None:
    path = ROOT / "scenarios" / "seniorencoach.toml"
    assert scenarios.load(path) == scenarios.load("seniorencoach")
    assert scenarios.load(str(path)) == scenarios.load("seniorencoach")


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_stated_risk_tiers_are_what_the_factor_prevalences_give(name: str) -> None:
    # Exact over all 2^15 factor combinations, so the tolerance is only the rounding of the
    # stated shares to whole per cent and the mix of programmes.
    scenario = scenarios.load(name)
    expected = scenarios.scenario_risk_tiers(scenario)
    for programme in scenario.resolved():
        stated = programme.clients.expected_risk_tiers
        for tier, share in expected.items():
            assert abs(share - stated[tier]) < 0.01, (name, tier, share, stated)


@pytest.mark.parametrize("name", sorted(REQUIRED - {"volunteer-shortage", "welzijn-op-recept"}))
def test_bereavement_programmes_keep_the_population_split(name: str) -> None:
    # 58/35/6 % (a Dutch population study); only the stress case and the GP referrals differ.
    tiers = scenarios.scenario_risk_tiers(scenarios.load(name))
    assert abs(tiers["low"] - 0.58) < 0.02
    assert abs(tiers["moderate"] - 0.36) < 0.03
    assert abs(tiers["high"] - 0.06) < 0.015


def test_zwolle_pilot_figures() -> None:
    pilot = scenarios.load("zwolle-partnerverlies")
    funnel = pilot.funnel
    assert funnel.approached_per_week == pytest.approx(73 / 78, abs=0.001)
    assert funnel.reached == pytest.approx(45 / 73, abs=0.001)
    assert funnel.intake == pytest.approx(20 / 45, abs=0.001)
    assert funnel.wants_volunteer == pytest.approx(10 / 20)
    # 10 coupled over the ~78 weeks of the pilot.
    assert pilot.weekly_arrivals is not None
    assert pilot.weekly_arrivals * 78 == pytest.approx(10, abs=0.1)
    assert pilot.clients.count == 10
    assert pilot.clients.age.max < 67  # under pension age
    lived = pilot.volunteers.lived_experience["partner"] * pilot.volunteers.count
    assert lived == pytest.approx(14)


def test_seed_programme_figures() -> None:
    coach = scenarios.load("seniorencoach")
    assert coach.volunteers.count == 15 and coach.clients.age.mean == 81
    book = scenarios.load("levensboek")
    assert book.volunteers.count == 15 and book.dynamics.match_weeks == 52
    referral = scenarios.load("welzijn-op-recept")
    assert len(referral.region.districts) == 3 and referral.volunteers.count == 20
    assert referral.weekly_arrivals == pytest.approx(3 * 5 * 12 / 52, abs=0.01)
    thread = scenarios.load("draad-weer-oppakken")
    assert thread.clients.age.min == 70 and thread.funnel.intake == pytest.approx(1 / 3, 0.01)
    assert {"phone", "visit"} <= set(thread.clients.contact)


def test_volunteer_shortage_asks_three_times_the_free_places() -> None:
    shortage = scenarios.load("volunteer-shortage")
    assert shortage.clients.count / scenarios.scenario_free_places(shortage) == pytest.approx(3)
    assert scenarios.scenario_risk_tiers(shortage)["high"] > 0.12


def test_benchmark_sizes_and_one_organisation_per_thousand_clients() -> None:
    sizes = {"city-scale": (1_000, 400), "region-scale": (10_000, 4_000)}
    sizes["national-scale"] = (100_000, 40_000)
    for name, (n_clients, n_volunteers) in sizes.items():
        scenario = scenarios.load(name)
        assert (scenario.clients.count, scenario.volunteers.count) == (n_clients, n_volunteers)
        assert scenario.region.clients_per_organisation == 1_000
    # region and national scale extend city scale: only size and words differ.
    city, national = scenarios.load("city-scale"), scenarios.load("national-scale")
    assert national.programmes == city.programmes and national.region == city.region


# ------------------------------------------------------------------------------------ errors


def problems(text: str) -> list[str]:
    Path("mine.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        scenarios.load("mine.toml")
    return [str(problem) for problem in caught.value.problems]


MINIMAL = """
name = "mine"
title = "My programme"
description = "A programme of my own."
[region]
name = "deventer"
centre = { lat = 52.255, lon = 6.163 }
districts = [{ name = "Centrum", lat = 52.255, lon = 6.163 }]
[clients]
count = 10
[volunteers]
count = 5
[[programmes]]
name = "maatjes"
"""


def test_a_minimal_file_takes_the_documented_defaults() -> None:
    Path("mine.toml").write_text(MINIMAL, encoding="utf-8")
    mine = scenarios.load("mine.toml")
    assert mine.seed == 0 and mine.clients.loss_type == {"partner": 1.0}
    clients, volunteers = scenarios.generate(mine)
    assert {c.programme for c in clients} == {"deventer-maatjes"}
    assert len(clients) == 10 and len(volunteers) == 5


def test_every_problem_at_once_with_did_you_mean() -> None:
    text = MINIMAL.replace("count = 10", "count = -1\nagee = 3\nloss_type = { partnr = 1.0 }")
    text = text.replace("count = 5", 'count = "many"\ncapacity = { "1" = 0.5, "2" = 0.4 }')
    text += "[programmes.clients]\ncount = 3\ncontact = { visit = 0.5, phone = 0.6 }\n"
    assert problems(text) == [
        "mine.toml: clients.loss_type: unknown loss type 'partnr'; did you mean 'partner'?",
        "mine.toml: clients.count: must be ≥ 0 (got '-1')",
        "mine.toml: clients.agee: unknown key; did you mean 'age'? (got '3')",
        "mine.toml: volunteers.capacity: shares must add up to 1 (got 0.9)",
        "mine.toml: volunteers.count: must be a whole number (got 'many')",
        "mine.toml: programmes[1].clients.contact: shares must add up to 1 (got 1.1)",
        "mine.toml: programmes[1].clients.count: unknown key here: count belongs in [clients]; "
        "programmes share it (got '3')",
    ]


def test_cross_field_and_section_problems() -> None:
    text = MINIMAL.replace(
        'districts = [{ name = "Centrum", lat = 52.255, lon = 6.163 }]',
        'districts = [{ name = "Centrum", lat = 6.163, lon = 52.255 }]',
    ).replace("count = 10", "count = 10\nage = { mean = 90, sd = 5, min = 60, max = 80 }")
    assert problems(text + "[fundel]\n") == [
        "mine.toml: region.districts: 'Centrum' lies 6803 km from the centre; are lat and lon "
        "swapped?",
        "mine.toml: clients.age.mean: must lie between min and max (got 90)",
        "mine.toml: fundel: unknown key; did you mean 'funnel'?",
    ]
    # Checks across sections run once every section is valid.
    text = MINIMAL.replace('name = "maatjes"', 'name = "maatjes"\nshare = 0.5')
    assert problems(text) == ["mine.toml: programmes: shares must add up to 1 (got 0.5)"]
    assert problems("programmes = []\n" + MINIMAL.split("[[programmes]]")[0]) == [
        "mine.toml: programmes: give at least 1"
    ]


def test_matcher_toml_settings_are_checked_like_a_config_file() -> None:
    text = MINIMAL + "[config.weights]\nlived_experiance = 2.0\n"
    assert problems(text) == [
        "mine.toml: config.weights.lived_experiance: unknown key; did you mean "
        "'lived_experience'? (got '2.0')"
    ]


def test_file_level_problems() -> None:
    assert problems("name = [")[0].startswith("mine.toml: not valid TOML: ")
    with pytest.raises(InputError, match=r"^nothere.toml: no such file$"):
        scenarios.load("nothere.toml")
    with pytest.raises(InputError, match=r"zwole-partnerverlies: no such scenario; did you mean"):
        scenarios.load("zwole-partnerverlies")


def test_extends_merges_tables_over_a_built_in_scenario() -> None:
    Path("mine.toml").write_text(
        'extends = "seniorencoach"\nname = "mine"\n[volunteers]\ncount = 30\n', encoding="utf-8"
    )
    mine, base = scenarios.load("mine.toml"), scenarios.load("seniorencoach")
    assert mine.volunteers.count == 30 and mine.volunteers.capacity == base.volunteers.capacity
    assert mine.clients == base.clients
    Path("bad.toml").write_text('extends = "seniorcoach"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.toml: extends: no such scenario; did you mean"):
        scenarios.load("bad.toml")


def test_scenario_files_are_package_data() -> None:
    from importlib import resources

    shipped = {p.name for p in resources.files(PACKAGE).iterdir() if p.name.endswith(".toml")}
    assert shipped == {p.name for p in (ROOT / "scenarios").glob("*.toml")}


def test_rendered_toml_reads_back() -> None:
    data = {
        "policy": "optimal",
        "rules": {"distance": False},
        "columns": {"clients": {"Wijk ": "district"}},
    }
    assert tomllib.loads(render_toml(data)) == data
