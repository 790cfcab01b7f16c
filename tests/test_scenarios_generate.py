"""Generated rounds: reproducible to the byte, calibrated on their parameters, fast, valid input."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import numpy as np
import pytest

from matcher import scenarios, vocab
from matcher.engine import prepare, solve
from matcher.models import Client, Volunteer
from matcher.scenarios.spec import Scenario

SMALL = [
    "zwolle-partnerverlies",
    "draad-weer-oppakken",
    "seniorencoach",
    "levensboek",
    "welzijn-op-recept",
    "volunteer-shortage",
    "rural",
]
SEEDS = (0, 1, 2, 3)


@pytest.fixture(scope="module")
def city() -> Scenario:
    return scenarios.load("city-scale")


@pytest.fixture(scope="module")
def city_rounds(city: Scenario) -> list[tuple[list[Client], list[Volunteer]]]:
    return [scenarios.generate(city, seed) for seed in SEEDS]


def files(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


@pytest.mark.parametrize("name", ["zwolle-partnerverlies", "city-scale"])
def test_same_seed_gives_byte_identical_files(name: str, tmp_path: Path) -> None:
    scenario = scenarios.load(name)
    scenarios.write_round(scenarios.generate_round(scenario, 5), tmp_path / "a")
    scenarios.write_round(scenarios.generate_round(scenario, 5), tmp_path / "b")
    scenarios.write_round(scenarios.generate_round(scenario, 6), tmp_path / "c")
    first = files(tmp_path / "a")
    assert set(first) == {"clients.csv", "volunteers.csv", "matcher.toml"}
    assert first == files(tmp_path / "b")
    other = files(tmp_path / "c")
    assert other["clients.csv"] != first["clients.csv"]
    assert other["volunteers.csv"] != first["volunteers.csv"]


def test_the_default_seed_and_date_are_the_scenarios(city: Scenario) -> None:
    assert scenarios.generate_rows(city) == scenarios.generate_rows(city, city.seed)
    later = scenarios.generate_rows(city, round_date=dt.date(2027, 1, 4))
    assert later[0][0]["waiting_since"] > scenarios.generate_rows(city)[0][0]["waiting_since"]


def test_another_seed_gives_other_people_with_the_same_statistics(
    city_rounds: list[tuple[list[Client], list[Volunteer]]],
) -> None:
    (a, _), (b, _) = city_rounds[0], city_rounds[1]
    differ = sum(x.model_dump() != y.model_dump() for x, y in zip(a, b, strict=True))
    assert differ > 0.95 * len(a)
    # Quotas: the loss-type counts per programme are the same up to rounding.
    for loss in vocab.LOSS_TYPES:
        count_a = sum(c.loss_type == loss for c in a)
        count_b = sum(c.loss_type == loss for c in b)
        assert abs(count_a - count_b) <= 5, loss


def _mixed(scenario: Scenario, side: str, key: str, word: str) -> float:
    """The share of people with `word` that the scenario's programmes promise together."""
    total = 0.0
    for programme in scenario.resolved():
        params = programme.clients if side == "clients" else programme.volunteers
        total += programme.share * getattr(params, key).get(word, 0.0)
    return total


def test_generated_shares_match_the_parameters(
    city: Scenario, city_rounds: list[tuple[list[Client], list[Volunteer]]]
) -> None:
    observed = [scenarios.observed_shares(c, v) for c, v in city_rounds]

    def mean(group: str, key: str) -> float:
        return float(np.mean([o[group].get(key, 0.0) for o in observed]))

    # Risk tiers come from combinations of quota'd factors: sampling noise remains.
    for tier, share in scenarios.scenario_risk_tiers(city).items():
        assert abs(mean("risk_tiers", tier) - share) < 0.02, tier
    # Loss types and lived experience are quotas: exact up to rounding per programme.
    for loss in vocab.LOSS_TYPES:
        assert abs(mean("loss_type", loss) - _mixed(city, "clients", "loss_type", loss)) < 0.005
        expected = _mixed(city, "volunteers", "lived_experience", loss)
        assert abs(mean("lived_experience", loss) - expected) < 0.01, loss
    languages = city.clients.languages
    for code, share in languages.others.items():
        assert abs(mean("client_languages", code) - share) < 0.005, code
    main_only_lost = sum(languages.others.values()) * (1 - languages.others_speak_main)
    assert abs(mean("client_languages", "nl") - (1 - main_only_lost)) < 0.005


@pytest.mark.parametrize("name", SMALL)
def test_small_scenarios_hit_their_figures(name: str) -> None:
    scenario = scenarios.load(name)
    for seed in (0, 1):
        clients, volunteers = scenarios.generate(scenario, seed)
        assert len(clients) == scenario.clients.count
        assert len(volunteers) == scenario.volunteers.count
        lived = sum("partner" in v.lived_experience for v in volunteers)
        promised = scenario.volunteers.lived_experience.get("partner", 0) * len(volunteers)
        assert abs(lived - promised) < 1, (seed, lived, promised)


def test_zwolle_pilot_round() -> None:
    clients, volunteers = scenarios.generate(scenarios.load("zwolle-partnerverlies"))
    assert {c.loss_type for c in clients} == {"partner"}
    assert max(c.age or 0 for c in clients) < 67
    assert sum("partner" in v.lived_experience for v in volunteers) == 14


def test_ages_follow_the_clipped_normal() -> None:
    coach = scenarios.load("seniorencoach").resized(clients=20_000, volunteers=10)
    ages = np.array([c.age for c in scenarios.generate(coach)[0]], dtype=float)
    assert abs(ages.mean() - 81) < 0.2  # "average age 81"
    assert ages.min() >= 65 and ages.max() <= 100


def test_people_are_consistent(city_rounds: list[tuple[list[Client], list[Volunteer]]]) -> None:
    clients, volunteers = city_rounds[0]
    programmes_of = {v.volunteer_id: set(v.programmes) for v in volunteers}
    declined = [c for c in clients if c.excluded_volunteers]
    assert declined
    for client in declined:
        (volunteer_id,) = client.excluded_volunteers
        assert client.programme in programmes_of[volunteer_id]
    for client in clients:
        if client.loss_date is not None:
            assert client.waiting_since is not None and client.waiting_since >= client.loss_date
    assert all(v.active_clients <= v.capacity for v in volunteers)


@pytest.mark.parametrize("name", [*SMALL, "city-scale"])
def test_models_are_what_validating_the_rows_gives(name: str) -> None:
    scenario = scenarios.load(name)
    clients, volunteers = scenarios.generate(scenario, 11)
    client_rows, volunteer_rows = scenarios.generate_rows(scenario, 11)
    assert [Client.model_validate(row) for row in client_rows] == clients
    assert [Volunteer.model_validate(row) for row in volunteer_rows] == volunteers


def test_benchmark_scenarios_keep_rounds_sparse() -> None:
    # One organisation per 1,000 clients: some 50-65 allowed volunteers per client.
    for name, low, high in (("city-scale", 40, 60), ("region-scale", 50, 70)):
        scenario = scenarios.load(name)
        clients, volunteers = scenarios.generate(scenario)
        prepared = prepare(clients, volunteers, scenario.config, scenario.round_date)
        assert low < len(prepared.edges.edge_client) / len(clients) < high, name


def test_rural_round_leans_on_the_phone() -> None:
    def phone_share(name: str) -> float:
        scenario = scenarios.load(name)
        prepared = prepare(*scenarios.generate(scenario), scenario.config, scenario.round_date)
        matches = solve(prepared).matches
        return sum(m.contact == "phone" for m in matches) / len(matches)

    assert phone_share("rural") > 1.5 * phone_share("city-scale")


def test_national_scale_generates_in_seconds() -> None:
    national = scenarios.load("national-scale")
    started = time.perf_counter()
    clients, volunteers = scenarios.generate(national)
    seconds = time.perf_counter() - started
    assert (len(clients), len(volunteers)) == (100_000, 40_000)
    assert len({c.programme.split("-")[0] for c in clients}) > 50
    # About 4 s on the development machine; a Python loop over people would take minutes.
    assert seconds < 30, seconds
