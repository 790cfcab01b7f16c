"""The Zwolle pilot (Sep 2015 – Feb 2017) replayed through the CLI as a ledger history: 73
letters, 45 reached by phone (often after several calls), 20 personal appointments, 12
intakes, 10 coupled to one of 14 volunteers. The evaluation must state exactly those numbers
and rates, in every rendering."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from matcher.cli import main
from tests.ledger_checks import check_ledger

START = dt.date(2015, 9, 1)
END = dt.date(2017, 2, 28)
PROGRAMME = "zwolle-partnerverlies"
APPROACHED, REACHED, APPOINTMENTS, INTAKES, COUPLED, VOLUNTEERS = 73, 45, 20, 12, 10, 14
# Person i: reached for i <= 45; an appointment for i <= 20; an intake for i <= 10 and for
# 19 and 20 (imported after the last round: still waiting at the end); coupled for i <= 10.
INTAKE_IDS = (*range(1, 11), 19, 20)


def person(i: int) -> str:
    return f"Z{i:02d}"


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--db", str(db)])
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def day(offset: int) -> str:
    return (START + dt.timedelta(days=offset)).isoformat()


def write_volunteers(path: Path) -> None:
    rows = ["volunteer_id;programmes;lat;lon;training;capacity;availability;lived_experience"]
    rows += [
        f"V{v:02d};{PROGRAMME};52.51;6.09;basic, grief;1;mon-am, tue-pm, wed-eve;partner"
        for v in range(1, VOLUNTEERS + 1)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def write_clients(path: Path, ids: list[int]) -> None:
    rows = ["client_id;programme;age;lat;lon;availability;risk_tier"]
    rows += [
        f"{person(i)};{PROGRAMME};{44 + i};52.52;6.10;mon-am;{'high' if i % 4 == 0 else 'moderate'}"
        for i in ids
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def replay(db: Path, folder: Path) -> None:
    run(db, "db", "init")
    write_volunteers(folder / "volunteers.csv")
    run(db, "import", "volunteers", str(folder / "volunteers.csv"))
    intakes: dict[int, list[int]] = {}
    rounds = 0
    for i in range(1, APPROACHED + 1):
        letter = 7 * (i - 1)
        source = "gemeente Zwolle" if i % 5 else "huisarts"
        by = "letter" if i % 5 else "referral"
        run(db, "outreach", "add", person(i), "--programme", PROGRAMME, "--by", by,
            "--source", source, "--date", day(letter))  # fmt: skip
        call = letter + 7
        # Often several calls: two misses, one miss or none before they are reached.
        misses = 3 if i > REACHED else 2 - (i % 3)
        for _ in range(misses):
            run(db, "outreach", "contact", person(i), "--outcome", "not-reached",
                "--date", day(call))  # fmt: skip
            call += 7
        if i > REACHED:
            run(db, "outreach", "close", person(i), "--reason", "not reached",
                "--date", day(call))  # fmt: skip
            continue
        if i <= APPOINTMENTS:
            run(db, "outreach", "contact", person(i), "--outcome", "appointment",
                "--date", day(call))  # fmt: skip
            if i in INTAKE_IDS:
                intakes.setdefault(call + 14, []).append(i)
            else:
                reason = "no need for a volunteer" if i % 2 else "referred elsewhere"
                run(db, "outreach", "close", person(i), "--reason", reason,
                    "--date", day(call + 14))  # fmt: skip
        elif i <= 30:
            run(db, "outreach", "contact", person(i), "--outcome", "declined",
                "--date", day(call))  # fmt: skip
        else:
            run(db, "outreach", "contact", person(i), "--outcome", "reached", "--date", day(call))
            run(db, "outreach", "close", person(i), "--reason", "no need",
                "--date", day(call + 7))  # fmt: skip
    for offset, ids in sorted(intakes.items()):
        write_clients(folder / f"intake-{offset}.csv", ids)
        run(db, "import", "clients", str(folder / f"intake-{offset}.csv"), "--date", day(offset))
        if max(ids) <= COUPLED:
            round_day = day(offset + 7)
            run(db, "round", "propose", "--date", round_day)
            rounds += 1
            run(db, "round", "accept", str(rounds), "--date", round_day)
            for i in ids:
                run(db, "introduce", person(i), "--date", day(offset + 14))
                run(db, "confirm", person(i), "--date", day(offset + 21))
    run(db, "checkin", person(1), "--outcome", "going-well", "--note", "fijn contact",
        "--date", day(7 * 9 + 42))  # fmt: skip
    run(db, "checkin", person(2), "--outcome", "end", "--reason", "completed",
        "--date", day(7 * 9 + 300))  # fmt: skip


@pytest.fixture(scope="module")
def pilot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("zwolle")
    db = folder / "matcher.db"
    replay(db, folder)
    yield db
    check_ledger(db)


def evaluate(db: Path, *args: str) -> str:
    return run(db, "evaluate", "--from", START.isoformat(), "--to", END.isoformat(), *args)


def test_the_json_funnel_states_the_pilots_numbers_and_rates(pilot: Path) -> None:
    found = json.loads(evaluate(pilot, "--format", "json"))
    assert found["funnel"] == {
        "approached": 73, "reached": 45, "appointment": 20, "intake": 12, "coupled": 10,
    }  # fmt: skip
    assert found["rates"] == {
        "approached_to_reached": round(45 / 73, 4),
        "reached_to_appointment": round(20 / 45, 4),
        "appointment_to_intake": round(12 / 20, 4),
        "intake_to_coupled": round(10 / 12, 4),
        "approached_to_coupled": round(10 / 73, 4),
    }
    assert found["volunteers"]["in_ledger"] == VOLUNTEERS
    assert found["volunteers"]["active"] == COUPLED
    assert found["matches"]["started"] == COUPLED
    assert found["matches"]["ended"] == {"completed": 1}
    assert found["matches"]["active_at_end"] == COUPLED - 1
    assert found["waiting"]["still_waiting_at_end"] == 2
    # Every match began a week after its intake.
    assert found["waiting"]["median_weeks"] == 1.0
    assert found["introductions"] == {
        "matches_started": 10, "introduced": 10, "confirmed": 10, "declined": 0,
        "declined_share": 0.0,
    }  # fmt: skip
    assert found["checkins"] == {"end": 1, "going-well": 1}
    assert found["outreach_closed"] == {
        "declined": 10, "no need": 15, "no need for a volunteer": 4, "not reached": 28,
        "referred elsewhere": 4,
    }  # fmt: skip
    assert found["by_channel"]["referral"]["funnel"]["approached"] == 14
    assert sum(g["funnel"]["coupled"] for g in found["by_source"].values()) == COUPLED
    assert found["by_programme"][PROGRAMME]["funnel"]["approached"] == APPROACHED


def test_the_text_states_the_numbers_and_rates(pilot: Path) -> None:
    text = evaluate(pilot)
    for stage, count, share in (
        ("approached", 73, None),
        ("reached", 45, "61.6 %"),
        ("appointment", 20, "44.4 %"),
        ("intake", 12, "60.0 %"),
        ("coupled", 10, "83.3 %"),
    ):
        line = f"  {stage:<12} {count:>5}" + (f"  {share}" if share else "")
        assert line in text.splitlines()
    assert "approached to coupled: 13.7 %" in text
    assert "Volunteers: 14 in the ledger, 10 active" in text


def test_the_report_and_workbook_state_the_numbers(pilot: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    page, book = tmp_path / "evaluatie.html", tmp_path / "evaluatie.xlsx"
    evaluate(pilot, "--report", str(page), "--xlsx", str(book), "--lang", "nl")
    html = page.read_text(encoding="utf-8")
    table = html[html.index('id="funnel-table"') :]
    cells = re.findall(r'<td class="num" data-label="[^"]*">([^<]*)</td>', table)[:10]
    assert cells == ["73", "", "45", "61,6 %", "20", "44,4 %", "12", "60,0 %", "10", "83,3 %"]
    assert "13,7 %" in html
    sheet = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("Trechter").to_python()
    assert sheet[1][:7] == ["alle", "alle", 73, 45, 20, 12, 10]


def test_a_shared_report_hides_small_counts(pilot: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    page = tmp_path / "shared.html"
    evaluate(pilot, "--report", str(page), "--pseudonymise", "--lang", "en")
    html = page.read_text(encoding="utf-8")
    assert "huisarts" in html  # 14 people: enough to be named
    checkins = html[html.index('id="checkins-table"') :]
    assert re.findall(r'<td class="num">([^<]*)</td>', checkins)[:2] == ["&lt;5", "&lt;5"]
