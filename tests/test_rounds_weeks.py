"""Eight weeks of a programme driven through the command line, checked after every step.

Each week: new intakes arrive, a round is proposed, some pairs are declined (before and after
the introductory meeting), the rest accepted, some matches end; one volunteer is paused for
three weeks, one pair is pinned. After every command the ledger must hold its invariants (no
volunteer over capacity, no client in two active matches, declined pairs never proposed
again, pins kept) and the history must show every step that was taken.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

from click.testing import CliRunner

from matcher.cli import main
from tests.ledger_checks import check_ledger, city_rows, rows

START = dt.date(2026, 9, 7)
WEEKS = 8
INTAKE_PER_WEEK = 30


class Week:
    """The command line against one ledger, with what the history must show afterwards."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = CliRunner()
        # client -> (kind, round, volunteer) for every step taken about that client
        self.expected: dict[str, list[tuple[str, int | None, str | None]]] = defaultdict(list)
        self.touched: set[str] = set()

    def run(self, *args: str) -> str:
        result = self.runner.invoke(main, ["-q", *args, "--db", str(self.db)])
        assert result.exit_code == 0, f"{args}: {result.output}{result.stderr}"
        check_ledger(self.db)
        return result.stdout

    def expect(self, kind: str, client: str, round_id: int | None, volunteer: str | None) -> None:
        self.expected[client].append((kind, round_id, volunteer))
        self.touched.add(client)

    def check_history(self) -> None:
        for client in sorted(self.touched):
            out = self.run("history", "--client", client)
            lines = out.splitlines()[1:]
            for kind, round_id, volunteer in self.expected[client]:
                wanted = [kind, client] + ([f"round {round_id}"] if round_id else [])
                wanted += [volunteer] if volunteer else []
                assert any(all(w in line for w in wanted) for line in lines), (
                    f"history of {client} lacks {kind} {round_id} {volunteer}:\n{out}"
                )
            assert len(lines) == len(self.expected[client]), out
        self.touched.clear()


def write_csv(path: Path, table: list[dict[str, str]]) -> str:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    return str(path)


def test_eight_weeks_of_rounds(tmp_path: Path) -> None:
    clients, volunteers = city_rows(WEEKS * INTAKE_PER_WEEK, 70, seed=3)
    for row in clients:
        # Intakes carry no waiting date: the ledger counts weeks from their first import.
        row["waiting_since"] = ""
        row["excluded_volunteers"] = ""
    db = tmp_path / "matcher.db"
    week = Week(db)
    week.run("db", "init")
    week.run("import", "volunteers", write_csv(tmp_path / "volunteers.csv", volunteers))

    declined: set[tuple[str, str]] = set()
    declines_per_client: dict[str, int] = defaultdict(int)
    paused = None
    pin: tuple[str, str] | None = None
    for w in range(WEEKS):
        day = START + dt.timedelta(weeks=w)
        on = ["--date", day.isoformat()]
        batch = clients[w * INTAKE_PER_WEEK : (w + 1) * INTAKE_PER_WEEK]
        week.run("import", "clients", write_csv(tmp_path / f"intake{w}.csv", batch), *on)
        for row in batch:
            week.expect("import", row["client_id"], None, None)

        if w == 2:
            # Pause the busiest volunteer for three weeks.
            paused = str(rows(db, "SELECT volunteer_id FROM matches GROUP BY 1 ORDER BY"
                                  " count(*) DESC, 1 LIMIT 1")[0][0])  # fmt: skip
            week.run("volunteer", "pause", paused, "--until", str(day + dt.timedelta(weeks=3)), *on)
        if w == 5:
            assert paused is not None
            week.run("volunteer", "resume", paused)
        if w == 3:
            # Pin the longest-waiting client to a volunteer of its programme with room.
            client, volunteer = rows(
                db,
                "SELECT c.client_id, v.volunteer_id FROM clients c, volunteers v"
                " WHERE c.state = 'waiting'"
                " AND EXISTS (SELECT 1 FROM json_each(v.record, '$.programmes')"
                "            WHERE value = json_extract(c.record, '$.programme'))"
                " AND json_extract(v.record, '$.capacity') > json_extract(v.record,"
                "     '$.active_clients') + (SELECT count(*) FROM matches m"
                "     WHERE m.volunteer_id = v.volunteer_id AND m.ended_on IS NULL)"
                " AND v.volunteer_id IS NOT ? AND NOT EXISTS (SELECT 1 FROM declines d"
                "     WHERE d.client_id = c.client_id AND d.volunteer_id = v.volunteer_id)"
                " ORDER BY c.waiting_since, c.client_id, v.volunteer_id LIMIT 1",
                (paused,),
            )[0]
            pin = (str(client), str(volunteer))
            week.run("pin", *pin, *on)
            week.expect("pin", pin[0], None, pin[1])

        proposal = json.loads(week.run("round", "propose", "--format", "json", *on))
        round_id = proposal["round_id"]
        pairs = {p["client_id"]: p["volunteer_id"] for p in proposal["proposals"]}
        assert pairs, f"week {w}: nothing proposed"
        assert all(p["why"] for p in proposal["proposals"])
        for client, volunteer in pairs.items():
            assert (client, volunteer) not in declined
            week.expect("propose", client, round_id, volunteer)
        if pin is not None and w == 3:
            assert pairs[pin[0]] == pin[1]
            assert [p["pinned"] for p in proposal["proposals"] if p["client_id"] == pin[0]] == [
                True
            ]
        if paused is not None and 2 <= w < 5:
            assert paused not in pairs.values()

        # Declines before the introductory meeting: a client declined once before comes first,
        # so some client is declined twice and gets flagged.
        order = sorted(pairs, key=lambda c: (-declines_per_client[c], c))
        no = [c for c in order if pin is None or c != pin[0]][:2]
        for client, by in zip(no, ("client", "volunteer"), strict=False):
            out = week.run("round", "decline", str(round_id), "--client", client, "--by", by,
                           "--reason", "no click at the first call", *on)  # fmt: skip
            declined.add((client, pairs[client]))
            declines_per_client[client] += 1
            week.expect("decline", client, round_id, pairs[client])
            assert ("flagged" in out) == (declines_per_client[client] >= 2)

        rest = sorted(set(pairs) - set(no))
        if w == 4:
            # Only half accepted this week; the other half is superseded by next week's round.
            out = week.run("round", "accept", str(round_id), "--only", ",".join(rest[::2]), *on)
            accepted = rest[::2]
        else:
            out = week.run("round", "accept", str(round_id), *on)
            accepted = rest
        assert f"Accepted {len(accepted)} pair(s)" in out
        for client in accepted:
            week.expect("accept", client, round_id, pairs[client])

        if w % 2 == 1 and accepted:
            # A no after the introductory meeting: the match ends, the pair is never again.
            client = accepted[0]
            week.run("round", "decline", str(round_id), "--client", client, "--by", "client",
                     "--reason", "after the first meeting", *on)  # fmt: skip
            declined.add((client, pairs[client]))
            declines_per_client[client] += 1
            week.expect("end", client, None, pairs[client])
            week.expect("decline", client, round_id, pairs[client])

        if w >= 2:
            active = rows(
                db,
                "SELECT client_id, volunteer_id FROM matches WHERE ended_on IS NULL"
                " AND started_on < ? ORDER BY started_on, client_id LIMIT 3",
                (day.isoformat(),),
            )
            for (client, volunteer), reason in zip(
                active, ("completed", "volunteer-stopped", "moved"), strict=False
            ):
                week.run("match", "end", str(client), "--reason", reason, *on)
                week.expect("end", str(client), None, str(volunteer))

        week.check_history()

    status = week.run("status", "--date", (START + dt.timedelta(weeks=WEEKS)).isoformat())
    assert "declined 2 times" in status or "declined 3 times" in status
    assert rows(db, "SELECT count(*) FROM rounds") == [(WEEKS,)]
    assert rows(db, "SELECT count(*) FROM matches WHERE ended_on IS NOT NULL")[0][0] > 10
    durations = rows(db, "SELECT min(duration_days) FROM matches WHERE end_reason = 'completed'")
    assert durations[0][0] is not None and durations[0][0] > 0
    # Every OS user and time stamp is recorded.
    assert rows(db, "SELECT count(*) FROM events WHERE os_user = '' OR at = ''") == [(0,)]
