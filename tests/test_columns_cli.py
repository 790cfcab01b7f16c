"""`matcher columns FILE`: how each header and each distinct value will be read, on one screen."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from matcher.cli import main

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"
CLIENTS = """\
Cliëntnr;Naam;Programma;Geslacht;Soort verlies;Beschikbaarheid;Leeftijd;Contact
K1;Anna;Rouw;vrouw;kind;ma ochtend;67;telefonisch
K2;Jan;Rouw;m;Partner overleden;weekend;oud;telefonisch
K3;Els;Rouw;V;;wo-avond;81;telefonisch
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["-q", "columns", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_screen_shows_headers_values_and_what_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(CLIENTS, encoding="utf-8")
    code, out, err = run(str(path))
    assert code == 0, err
    assert out.splitlines() == [
        f"{path}: clients, 3 row(s)",
        "",
        "columns:",
        "    A Cliëntnr         -> client_id  (Dutch name)",
        "    B Naam             -> ignored (not read)",
        "    C Programma        -> programme  (Dutch name)",
        "    D Geslacht         -> gender  (Dutch name)",
        "    E Soort verlies    -> loss_type  (Dutch name)",
        "    F Beschikbaarheid  -> availability  (Dutch name)",
        "    G Leeftijd         -> age  (Dutch name)",
        "    H Contact          -> contact",
        "",
        "values:",
        "  Cliëntnr (client_id): 3 distinct value(s)",
        "  Programma (programme):",
        "    Rouw      3x  -> rouw",
        "  Geslacht (gender):",
        "    V          1x  -> f",
        "    m          1x  -> m",
        "    vrouw      1x  -> f",
        "  Soort verlies (loss_type) [1 empty]:",
        "    Partner overleden      1x  -> refused: unknown loss type 'partner-overleden';"
        " expected one of partner, child, parent, sibling, friend, other, none",
        "    kind                   1x  -> child",
        "  Beschikbaarheid (availability):",
        "    ma ochtend      1x  -> mon-am",
        "    weekend         1x  -> sat-am|sat-pm|sat-eve|sun-am|sun-pm|sun-eve",
        "    wo-avond        1x  -> wed-eve",
        "  Leeftijd (age): 3 distinct value(s), 1 refused",
        "    oud      1x  -> refused: must be a whole number",
        "  Contact:",
        "    telefonisch      3x  -> phone",
        "",
        "not in the file (optional): lat, lon, district, postcode, place, loss_date,"
        " hindering_factors, protective_factors, needs, languages, preferred_gender,"
        " waiting_since, excluded_volunteers, risk_tier, hours_per_week",
        "",
        "a refused word can be mapped in your config (--config), e.g.:",
        "  [values.loss_type]",
        '  "Partner overleden" = "…"',
    ]


def test_the_config_mapping_is_shown_as_hers(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(CLIENTS, encoding="utf-8")
    config = tmp_path / "matcher.toml"
    config.write_text(
        '[columns.clients]\n"Naam" = "district"\n\n[values.loss_type]\n'
        '"Partner overleden" = "partner"\n',
        encoding="utf-8",
    )
    code, out, _ = run(str(path), "--config", str(config))
    assert code == 0
    assert "    B Naam             -> district  (your config)" in out
    assert "    Partner overleden      1x  -> partner" in out
    assert "a refused word" not in out


def test_a_workbook_sheet_is_chosen_with_sheet_and_kind() -> None:
    code, out, err = run(str(EXPORTS / "intake.xlsx"), "--sheet", "Vrijwilligers")
    assert code == 0, err
    assert out.splitlines()[0] == f"{EXPORTS / 'intake.xlsx'}: volunteers, 8 row(s)"
    assert "    A Vrijwilligersnummer  -> volunteer_id  (Dutch name)" in out
    assert "    D Leeftijd             -> age  (Dutch name)" in out


def test_a_file_without_an_id_column_is_still_shown(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_text("Nummer;Programma;Contact\nK1;rouw;telefonisch\n", encoding="utf-8")
    code, out, _ = run(str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == (
        "  note: no client_id or volunteer_id column was recognised; shown as clients"
        " (--kind chooses)"
    )
    assert "    A Nummer     -> ignored (not read)" in lines
    assert "  clients.csv: client_id: required column is missing" in [
        line.replace(str(tmp_path) + "/", "") for line in lines
    ]


def test_a_file_that_cannot_be_read_is_one_line_and_exit_1(tmp_path: Path) -> None:
    code, _, err = run(str(EXPORTS / "password.xlsx"))
    assert code == 1
    assert err.startswith(f"{EXPORTS / 'password.xlsx'}: the workbook is password-protected")
    assert err.count("\n") == 1
