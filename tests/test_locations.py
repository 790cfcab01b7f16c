"""Where people live: coordinates, else postcode, district or place; the source travels along."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher import match
from matcher.cli import main
from matcher.config import config_from_dict, load_config
from matcher.errors import ConfigError, InputError
from matcher.io import read_clients
from matcher.io.geo import read_postcode_table
from matcher.locations import place_key

DATE = ["--date", "2026-11-23"]
PC4 = "postcode;lat;lon\n8011;52,512;6,094\n8012;52,505;6,110\n8021;52,530;6,080\n"
VOLUNTEERS = "volunteer_id,programmes,lat,lon,max_travel_km\nV1,rouw,52.509,6.100,10\n"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def crm_export(tmp_path: Path, rows: int = 29) -> Path:
    """The probe: a CRM export with postcodes (PC6, as written) and no coordinates."""
    lines = ["client_id,programme,postcode,contact"]
    lines += [f"C{i:02d},rouw,{8011 + i % 2} AB,visit" for i in range(rows)]
    path = tmp_path / "clients.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def with_postcode_table(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "pc4.csv").write_text(PC4, encoding="utf-8")
    config = tmp_path / "matcher.toml"
    config.write_text(f'[geo]\npostcodes = "pc4.csv"\n{extra}', encoding="utf-8")
    return config


def test_crm_export_with_postcodes_is_placed_by_its_pc4_areas(tmp_path: Path) -> None:
    clients = crm_export(tmp_path)
    config = with_postcode_table(tmp_path)
    records = read_clients(clients, load_config(config))
    assert len(records) == 29
    assert {c.location_source for c in records} == {"postcode"}
    # PC6 8011AB is not in a PC4 table: its area 8011 is.
    assert (records[0].lat, records[0].lon) == (52.512, 6.094)
    (tmp_path / "v.csv").write_text(VOLUNTEERS, encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, err = run(
        "match", str(clients), str(tmp_path / "v.csv"), "--config", str(config),
        "--out", str(out), *DATE,
    )  # fmt: skip
    assert code == 0, err
    # Centre 8011 to V1's coordinates, or centre 8012: approximate either way.
    assert "≈" in stdout and "km apart (postcode centres)" in stdout


def test_without_a_postcode_table_one_problem_for_the_file(tmp_path: Path) -> None:
    clients = crm_export(tmp_path)
    with pytest.raises(InputError) as raised:
        read_clients(clients)
    assert [str(p) for p in raised.value.problems] == [
        f"{clients}: postcode: 29 row(s) can only be placed by their postcode, and the config"
        ' names no postcode table: add [geo] postcodes = "pc4.csv" (columns postcode, lat, lon;'
        ' README "Where people live"), or give lat/lon'
    ]


def test_pc6_in_the_table_wins_over_its_area(tmp_path: Path) -> None:
    (tmp_path / "pc.csv").write_text(PC4 + "8011AB;52.600;6.200\n", encoding="utf-8")
    config = config_from_dict({"geo": {"postcodes": str(tmp_path / "pc.csv")}})
    found = match(
        [{"client_id": "C1", "programme": "p", "postcode": "8011 ab"},
         {"client_id": "C2", "programme": "p", "postcode": "8011 XY"}],
        [{"volunteer_id": "V1", "programmes": "p", "lat": 52.6, "lon": 6.2, "capacity": 2}],
        config, round_date=dt.date(2026, 11, 23),
    )  # fmt: skip
    km = {m.client_id: m.distance_km for m in found.matches}
    assert km["C1"] == pytest.approx(0.0, abs=1e-6)  # 8011AB itself
    assert km["C2"] > 5  # 8011XY: its area 8011's centre


def test_precedence_coordinates_postcode_district_place(tmp_path: Path) -> None:
    config = with_postcode_table(tmp_path, "[geo.districts]\nNoord = { lat = 52.53, lon = 6.09 }\n")
    header = "client_id,programme,lat,lon,postcode,district,place\n"
    (tmp_path / "c.csv").write_text(
        header
        + "C1,p,52.1,6.1,8011,noord,Zwolle\n"
        + "C2,p,,,8011,Noord,Zwolle\n"
        + "C3,p,,,,NOORD,Zwolle\n"
        + "C4,p,,,,,'s-Hertogenbosch\n"
        + "C5,p,,,9999,Noord,\n",  # a postcode not in the table: the district places it
        encoding="utf-8",
    )
    records = read_clients(tmp_path / "c.csv", load_config(config))
    assert [c.location_source for c in records] == [
        "coordinates", "postcode", "district", "place", "district",
    ]  # fmt: skip
    assert [(c.lat, c.lon) for c in records][:4] == [
        (52.1, 6.1), (52.512, 6.094), (52.53, 6.09), (51.697, 5.304),
    ]  # fmt: skip


def test_a_row_that_cannot_be_placed_names_the_row_and_what_was_tried(tmp_path: Path) -> None:
    config = with_postcode_table(tmp_path)
    (tmp_path / "c.csv").write_text(
        "client_id,programme,postcode,wijk,place,contact\n"
        "C1,p,9999 ZZ,Noord,Zwole,visit\n"
        "C2,p,9999 ZZ,,,phone\n"  # phone: no place needed
        "C3,p,,,Atlantis,either\n",
        encoding="utf-8",
    )
    mapped = load_config(config).model_copy(
        update={"columns": config_from_dict({"columns": {"clients": {"wijk": "district"}}}).columns}
    )
    with pytest.raises(InputError) as raised:
        read_clients(tmp_path / "c.csv", mapped)
    assert [str(p) for p in raised.value.problems] == [
        f"{tmp_path / 'c.csv'}:2: postcode: no location found for this client: postcode 9999ZZ"
        " is not in pc4.csv (nor its area 9999); district 'Noord' is not in [geo.districts];"
        " place 'Zwole' is not a Dutch place matcher knows (did you mean 'Zwolle'?); give"
        " lat/lon or a known postcode, district or place, or set contact to 'phone'"
        " (got '9999ZZ')",
        f"{tmp_path / 'c.csv'}:4: place: no location found for this client: place 'Atlantis' is"
        " not a Dutch place matcher knows; give lat/lon or a known postcode, district or place,"
        " or set contact to 'phone' (got 'Atlantis')",
    ]


def test_invalid_postcode_is_a_cell_problem(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("client_id,programme,postcode\nC1,p,801\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_clients(tmp_path / "c.csv")
    assert [str(p) for p in raised.value.problems] == [
        f"{tmp_path / 'c.csv'}:2: postcode: must be a Dutch postcode like '8011 AB' or '8011'"
        " (got '801')"
    ]


def test_postcode_table_problems_are_config_errors(tmp_path: Path) -> None:
    config = tmp_path / "matcher.toml"
    config.write_text('[geo]\npostcodes = "missing.csv"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    assert str(raised.value) == (
        f"{config}: geo.postcodes: no such file; a CSV with columns postcode, lat, lon"
        " (see README) (got 'missing.csv')"
    )
    table = tmp_path / "pc.csv"
    table.write_text("Postcode,LAT,lon\n8011,x,6.1\n8012,95,6.1\nabc,52,6\n8011,52,6\n")
    with pytest.raises(ConfigError) as raised:
        read_postcode_table(table)
    assert [str(p) for p in raised.value.problems] == [
        f"{table}:2: lat: must be a number (got 'x')",
        f"{table}:3: lat: must be ≤ 90 (got '95')",
        f"{table}:4: postcode: must be a Dutch postcode like '8011 AB' or '8011' (got 'abc')",
        f"{table}:5: postcode: postcode appears twice, first on row 2 (got '8011')",
    ]
    table.write_text("pc4,lat,lon\n8011,52,6\n")
    with pytest.raises(ConfigError, match="needs the columns postcode, lat, lon"):
        read_postcode_table(table)


def test_relative_postcode_path_starts_at_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = with_postcode_table(tmp_path)
    monkeypatch.chdir(tmp_path.parent)
    assert load_config(config).geo.postcodes_path == tmp_path / "pc4.csv"


def test_place_names_are_compared_as_people_write_them() -> None:
    assert place_key("'s-Hertogenbosch") == place_key("S HERTOGENBOSCH") == "s hertogenbosch"
    assert place_key("’s-Gravenhage") == place_key("'s Gravenhage")
    assert place_key("Bolsward ") == place_key("bolsward")


def test_coordinates_keep_reasons_and_outputs_unchanged(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("client_id,programme,lat,lon\nC1,p,52.51,6.09\n")
    (tmp_path / "v.csv").write_text("volunteer_id,programmes,lat,lon\nV1,p,52.52,6.10\n")
    code, stdout, err = run("match", str(tmp_path / "c.csv"), str(tmp_path / "v.csv"),
                            "--out", str(tmp_path / "out"), *DATE)  # fmt: skip
    assert code == 0, err
    assert "1.3 km apart" in stdout and "≈" not in stdout


def test_explain_says_where_the_location_came_from(tmp_path: Path) -> None:
    config = with_postcode_table(tmp_path)
    (tmp_path / "c.csv").write_text("client_id,programme,postcode\nC1,rouw,8012\n")
    (tmp_path / "v.csv").write_text(VOLUNTEERS)
    files = (str(tmp_path / "c.csv"), str(tmp_path / "v.csv"), "--config", str(config))
    code, stdout, err = run("explain", *files, "--client", "C1", *DATE, "--lang", "en")
    assert code == 0, err
    assert "location: the postcode centre, so distances are approximate (≈)" in stdout
    assert "≈0.8 km apart (postcode centres)" in stdout
    code, stdout, err = run("explain", *files, "--client", "C1", *DATE)
    assert code == 0, err
    assert "locatie: het midden van de postcode, dus afstanden zijn bij benadering (≈)" in stdout


def test_config_default_and_dutch_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_postcode_table(tmp_path)
    clients = crm_export(tmp_path, rows=2)
    (tmp_path / "v.csv").write_text(VOLUNTEERS)
    monkeypatch.chdir(tmp_path)
    code, _, err = run("match", str(clients), "v.csv", "--out", "out", "--date", "23-11-2026")
    assert code == 0, err
    assert "using config matcher.toml (found in the current folder)" in err
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["round_date"] == (
        "2026-11-23"
    )
    (tmp_path / "other.toml").write_text((tmp_path / "matcher.toml").read_text())
    code, _, err = run("validate", str(clients), env={"MATCHER_CONFIG": "other.toml"})
    assert code == 0, err
    assert "using config other.toml (from MATCHER_CONFIG)" in err
