"""A simulated year written into a ledger, step by step, as a coordinator would have kept it.

    world = build_world(dynamics, sample_people, weeks=52, seed=1, start=START)
    outcome = run_policy(world, "optimal", config, weekly_discount=0.97)
    with Ledger.create("demo.db") as ledger:
        replayed = replay(world, outcome, ledger, config=config)

Every step is one of the Ledger's own methods (`ledger_steps` lists them, dated): a letter, the
calls and their outcomes, the intake (importing the client), the week's round with the
simulator's pairs pinned, their acceptance or decline, the introduction and the "klik", the
check-ins, and the end of each match. So `matcher evaluate` on the ledger states what the
simulator counted, and a demo ledger holds a year of a programme's life.

How the simulator's world reads as a ledger history:
- Outreach: the people approached in week w get a letter two weeks before w's round and a
  first call a week later. Those not reached are called twice more and closed "not reached";
  those reached without an appointment are closed "no need"; an appointment ends in an intake
  on the round's day (who wants a volunteer) or closes "no need for a volunteer".
- A declined introduction is declined on the round's day, before acceptance (the client keeps
  waiting from the same date, as in the simulator).
- Matches end as drawn: "completed" (its course or the cap), "client-stopped" (early, or at a
  check-in with outcome "end"), "volunteer-stopped" (the volunteer stops; the client does not
  wait again, as in the simulator). A volunteer who stops is paused for good.
- Matches a volunteer had at the start are outside the ledger (its active_clients), lowered by
  re-importing the volunteer as they end.

The simulator does not import the ledger (they are independent parts of the workflow layer):
`replay` takes anything with the Ledger's methods (`LedgerSteps`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from matcher.config import MatchConfig
from matcher.models import DEFAULT_CLIENT_HOURS, Client, Volunteer
from matcher.simulate.run import Outcome
from matcher.simulate.world import CAP_END, CHECKIN_END, EARLY_END, World

# Steps on one day happen in this order: decisions on earlier matches first, then the people
# who come in, then the round.
PHASES: Final = (
    "confirm", "checkin", "end", "volunteers", "outreach", "intake", "pin", "propose", "decide",
    "introduce",
)  # fmt: skip
LETTER_DAYS_BEFORE: Final = 14
FIRST_CALL_DAYS_BEFORE: Final = 7
# Not reached: called this many times in all, a week apart, then closed.
CALLS_WITHOUT_REACHING: Final = 3
# A volunteer who stops is paused until then: never again, within any horizon.
STOPPED_UNTIL: Final = dt.date(9999, 12, 31)
END_REASON: Final = {EARLY_END: "client-stopped", CHECKIN_END: "client-stopped"}


class LedgerSteps(Protocol):
    """The Ledger methods a replay calls (matcher.rounds.Ledger has them all)."""

    def outreach_add(
        self, client_id: str, *, programme: str, by: str, source: str = ..., on: dt.date | None
    ) -> None: ...
    def outreach_contact(self, client_id: str, *, outcome: str, on: dt.date | None) -> Any: ...
    def outreach_close(self, client_id: str, *, reason: str, on: dt.date | None) -> Any: ...
    def import_clients(self, clients: Sequence[Client], *, on: dt.date | None) -> Any: ...
    def import_volunteers(self, volunteers: Sequence[Volunteer], *, on: dt.date | None) -> Any: ...
    def pin(self, client_id: str, volunteer_id: str, *, on: dt.date | None) -> Any: ...
    def pause(self, volunteer_id: str, *, until: dt.date, on: dt.date | None) -> None: ...
    def propose(self, config: MatchConfig | None, *, round_date: dt.date | None) -> Any: ...
    def accept(self, round_id: int, *, only: Sequence[str], on: dt.date | None) -> Any: ...
    def decline(
        self, round_id: int, client_id: str, *, by: str, reason: str, on: dt.date | None
    ) -> Any: ...
    def introduce(self, client_id: str, *, on: dt.date | None) -> Any: ...
    def confirm(self, client_id: str, *, on: dt.date | None) -> Any: ...
    def checkin(
        self, client_id: str, *, outcome: str, on: dt.date | None, end_reason: str = ...
    ) -> Any: ...
    def end_match(
        self, client_id: str, *, reason: str, on: dt.date | None, rematch: bool | None
    ) -> Any: ...


@dataclass(frozen=True)
class Step:
    """One call of a Ledger method; `decide` steps take the day's round from the propose."""

    on: dt.date
    phase: str
    method: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def order(self) -> tuple[dt.date, int]:
        return self.on, PHASES.index(self.phase)


@dataclass(frozen=True)
class Replayed:
    """What was written: the history's first and last day, and counts of its steps."""

    first_day: dt.date
    last_day: dt.date
    rounds: int
    steps: dict[str, int]  # Ledger method -> calls
    clients: int = 0  # clients imported at their intake
    volunteers: int = 0  # volunteers imported (once each, however often re-imported)


def ledger_steps(
    world: World,
    outcome: Outcome,
    *,
    programme: str | None = None,
    channel: str = "letter",
    source: str = "municipal register",
) -> list[Step]:
    """The world and one policy's run of it as dated Ledger steps, in the order to apply them.

    `programme` names the outreach of people who never become a client (default: the most
    common programme of the world's clients). A check-in is recorded at each of the world's
    check-in moments.
    """
    programme = programme or _main_programme(world)
    steps = _volunteer_steps(world)
    steps += _outreach_steps(world, programme, channel, source)
    steps += _round_steps(world, outcome)
    steps += _match_steps(world, outcome)
    # Stable: steps of the same day and phase keep the order they were made in.
    return sorted(steps, key=lambda step: step.order)


def replay(
    world: World,
    outcome: Outcome,
    ledger: LedgerSteps,
    *,
    config: MatchConfig | None = None,
    programme: str | None = None,
) -> Replayed:
    """Write the run into `ledger` (new, or one without these ids), step by step."""
    steps = ledger_steps(world, outcome, programme=programme)
    round_id = None
    for step in steps:
        if step.method == "propose":
            round_id = ledger.propose(config, round_date=step.on).round_id
            continue
        args = (round_id, *step.args) if step.phase == "decide" else step.args
        getattr(ledger, step.method)(*args, on=step.on, **step.kwargs)
    calls = Counter(step.method for step in steps)
    return Replayed(
        first_day=steps[0].on if steps else world.start,
        last_day=steps[-1].on if steps else world.start,
        rounds=calls["propose"],
        steps=dict(sorted(calls.items())),
        clients=len(_imported(steps, "import_clients", "client_id")),
        volunteers=len(_imported(steps, "import_volunteers", "volunteer_id")),
    )


def _imported(steps: Sequence[Step], method: str, key: str) -> set[str]:
    return {
        getattr(record, key) for step in steps if step.method == method for record in step.args[0]
    }


def _main_programme(world: World) -> str:
    found = Counter(client.programme for client in world.clients)
    return min(found, key=lambda name: (-found[name], name)) if found else "programme"


def _volunteer_record(world: World, j: int, week: int) -> Volunteer:
    """The volunteer with the matches from before the start still going in `week`."""
    volunteer = world.volunteers[j]
    before = world.initial_load(j, week)
    update: dict[str, Any] = {"active_clients": before}
    if volunteer.hours_per_week is not None:
        update["active_hours"] = min(volunteer.hours_per_week, before * DEFAULT_CLIENT_HOURS)
    return volunteer.model_copy(update=update)


def _volunteer_steps(world: World) -> list[Step]:
    steps: dict[int, list[Volunteer]] = {}
    for j in range(len(world.volunteers)):
        joined, left = int(world.join_week[j]), int(world.leave_week[j])
        steps.setdefault(joined, []).append(_volunteer_record(world, j, joined))
        for week in sorted(set(world.initial_load_ends[j])):
            if joined < week < min(left, world.weeks):
                steps.setdefault(week, []).append(_volunteer_record(world, j, week))
    out = [
        Step(world.date_of(week), "volunteers", "import_volunteers", (people,))
        for week, people in sorted(steps.items())
    ]
    out += [
        Step(world.date_of(int(left)), "end", "pause", (v.volunteer_id,), {"until": STOPPED_UNTIL})
        for v, left in zip(world.volunteers, world.leave_week.tolist(), strict=True)
        if left < world.weeks
    ]
    return out


def _outreach_steps(world: World, programme: str, channel: str, source: str) -> list[Step]:
    """Letters, calls and intakes of the funnel's people; clients waiting at the start (and
    every client of a world without a funnel) are imported on the day they come."""
    arrivals: dict[int, list[Client]] = {}
    for client, week in zip(world.clients, world.arrival_week.tolist(), strict=True):
        arrivals.setdefault(int(week), []).append(client)
    out = [
        Step(world.date_of(week), "intake", "import_clients", (clients,))
        for week, clients in sorted(arrivals.items())
    ]
    if not world.funnel_weekly:
        return out
    stage = world.funnel_weekly
    number = 0
    first_funnel_client = len(world.clients) - int(stage["arrivals"].sum())
    waiting = iter(world.clients[first_funnel_client:])
    for week in range(world.weeks):
        day = world.date_of(week)
        letter, call = (
            day - dt.timedelta(days=LETTER_DAYS_BEFORE),
            day - dt.timedelta(days=FIRST_CALL_DAYS_BEFORE),
        )
        arrived = int(stage["arrivals"][week])
        appointments = int(stage["intake"][week])
        reached = int(stage["reached"][week])
        for k in range(int(stage["approached"][week])):
            if k < arrived:
                person = next(waiting)
                person_id, programme_of = person.client_id, person.programme
            else:
                number += 1
                person_id, programme_of = f"P{number:05d}", programme
            out.append(
                Step(letter, "outreach", "outreach_add", (person_id,),
                     {"programme": programme_of, "by": channel, "source": source})
            )  # fmt: skip
            out += _calls(person_id, k, arrived, appointments, reached, call, day)
    return out


def _calls(
    person: str, k: int, arrived: int, appointments: int, reached: int, call: dt.date,
    day: dt.date,
) -> list[Step]:  # fmt: skip
    def contact(outcome: str, on: dt.date) -> Step:
        return Step(on, "outreach", "outreach_contact", (person,), {"outcome": outcome})

    def close(reason: str, on: dt.date) -> Step:
        return Step(on, "outreach", "outreach_close", (person,), {"reason": reason})

    if k < arrived:
        return [contact("appointment", call)]  # the intake is the client's import
    if k < appointments:
        return [contact("appointment", call), close("no need for a volunteer", day)]
    if k < reached:
        return [contact("reached", call), close("no need", call)]
    calls = [call + dt.timedelta(weeks=n) for n in range(CALLS_WITHOUT_REACHING)]
    return [contact("not-reached", on) for on in calls] + [close("not reached", calls[-1])]


def _round_steps(world: World, outcome: Outcome) -> list[Step]:
    """Per week with pairs: pin the simulator's pairs, propose, accept or decline them."""
    pairs: dict[int, list[tuple[int, int, bool]]] = {}
    for week, i, j in outcome.started:
        pairs.setdefault(week, []).append((i, j, True))
    for week, i, j in outcome.declines:
        pairs.setdefault(week, []).append((i, j, False))
    out = []
    for week, chosen in sorted(pairs.items()):
        day = world.date_of(week)
        chosen.sort()
        ids = [(world.clients[i].client_id, world.volunteers[j].volunteer_id, kept)
               for i, j, kept in chosen]  # fmt: skip
        out += [Step(day, "pin", "pin", (cid, vid)) for cid, vid, _ in ids]
        out.append(Step(day, "propose", "propose", ()))
        accepted = [cid for cid, _, kept in ids if kept]
        if accepted:
            out.append(Step(day, "decide", "accept", (), {"only": accepted}))
        out += [
            Step(day, "decide", "decline", (cid,),
                 {"by": "client", "reason": "no click at the introduction"})
            for cid, _, kept in ids if not kept
        ]  # fmt: skip
    return out


def _match_steps(world: World, outcome: Outcome) -> list[Step]:
    """Introduction and klik, check-ins, and the end of every match the run started."""
    out = []
    for week, i, j in outcome.started:
        client = world.clients[i].client_id
        own_end = week + int(world.duration_weeks[i])
        stops = int(world.leave_week[j])
        end = min(own_end, stops)
        start = world.date_of(week)
        out.append(Step(start, "introduce", "introduce", (client,)))
        # The klik a week later, or at once when the match ends before that.
        klik = world.date_of(week + 1) if end > week + 1 else start
        out.append(Step(klik, "confirm" if klik > start else "introduce", "confirm", (client,)))
        for moment in world.checkin_weeks:
            if week + moment < min(end, world.weeks):
                out.append(Step(world.date_of(week + moment), "checkin", "checkin", (client,),
                                {"outcome": "going-well"}))  # fmt: skip
        if end >= world.weeks:
            continue
        kind = int(world.end_kind[i])
        if own_end > stops:
            out.append(Step(world.date_of(end), "end", "end_match", (client,),
                            {"reason": "volunteer-stopped", "rematch": False}))  # fmt: skip
        elif kind == CHECKIN_END:
            out.append(Step(world.date_of(end), "checkin", "checkin", (client,),
                            {"outcome": "end", "end_reason": END_REASON[kind]}))  # fmt: skip
        else:
            reason = END_REASON.get(kind, "completed")
            out.append(Step(world.date_of(end), "end", "end_match", (client,),
                            {"reason": reason, "rematch": False}))  # fmt: skip
    return out


__all__ = ["CAP_END", "LedgerSteps", "Replayed", "Step", "ledger_steps", "replay"]
