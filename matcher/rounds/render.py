"""Plain text for a terminal: a round's proposals, the status, the audit trail. Ids only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from matcher.explain_wording import DECISION_NAMES, TIER_NAMES
from matcher.facts import reasons_to_json
from matcher.rounds.due import Due, DueItem
from matcher.rounds.propose import RoundProposal
from matcher.rounds.views import Event, Status
from matcher.terminal import visible
from matcher.units import WEIGHT_SCALE
from matcher.wording import REASON_LABELS, unmatched_detail, weight_text


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """Fixed-width columns; the last column is free text and is never padded.

    Cells come from the ledger: control characters in them are shown escaped, never sent.
    """
    rows = [[visible(cell) for cell in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header[:-1])]
    lines = []
    for row in (header, *rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append((indent + "  ".join([*cells, row[-1]])).rstrip())
    return lines


# A round's frame in each language; the reasons are said by matcher.wording.
_ROUND_WORDS: Final = {
    "en": {
        "head": "Round {round_id} for {date} (policy {policy}, solver {status}): {pairs}"
        " proposal(s){pinned} for {waiting} waiting client(s); {left} left waiting.",
        "pinned": " ({n} pinned)",
        "superseded": "{n} undecided proposal(s) of earlier rounds are superseded.",
        "columns": "client volunteer weight risk decision why",
        "more": "  … and {n} more",
        "left": "Left waiting:",
        "next": "Next: phone them, then `matcher round accept {r}` (or --only ID / --except ID);"
        " a no: `matcher round decline {r} --client ID --by client|volunteer|coordinator"
        " --reason TEXT`.",
    },
    "nl": {
        "head": "Ronde {round_id} voor {date} (beleid {policy}, solver {status}): {pairs}"
        " voorstel(len){pinned} voor {waiting} wachtende cliënt(en); {left} blijven wachten.",
        "pinned": " ({n} vastgezet)",
        "superseded": "{n} nog niet besloten voorstel(len) van eerdere rondes zijn vervangen.",
        "columns": "cliënt vrijwilliger gewicht risico besluit waarom",
        "more": "  … en nog {n}",
        "left": "Blijven wachten:",
        "next": "Volgende stap: bel ze, dan `matcher round accept {r}` (of --only ID / --except"
        " ID); een nee: `matcher round decline {r} --client ID --by"
        " client|volunteer|coordinator --reason TEKST`.",
    },
}
_STATUS_NL: Final = {
    "optimal": "optimaal",
    "feasible": "toegestaan, niet bewezen optimaal",
    "infeasible": "onmogelijk",
    "not-solved": "niet opgelost",
}


def _reason_label(code: str, lang: str) -> str:
    # English names the reason by its code, as it always has; Dutch by its label.
    return REASON_LABELS["nl"].get(code, code) if lang == "nl" else code


def proposal_text(proposal: RoundProposal, *, limit: int | None = None, lang: str = "en") -> str:
    """The round as a table in `lang` (nl or en), its reasons said from the stored facts."""
    words = _ROUND_WORDS[lang]
    tiers, decisions = TIER_NAMES[lang], DECISION_NAMES[lang]
    pinned = sum(p.pinned for p in proposal.pairs)
    status = _STATUS_NL.get(proposal.status, proposal.status) if lang == "nl" else proposal.status
    lines = [
        words["head"].format(
            round_id=proposal.round_id, date=proposal.round_date, policy=proposal.policy,
            status=status, pairs=len(proposal.pairs),
            pinned=words["pinned"].format(n=pinned) if pinned else "",
            waiting=proposal.n_waiting, left=len(proposal.waiting),
        )
    ]  # fmt: skip
    if proposal.superseded:
        lines.append(words["superseded"].format(n=proposal.superseded))
    columns = words["columns"].split()
    shown = proposal.pairs if limit is None else proposal.pairs[:limit]
    if shown:
        rows: list[tuple[str, ...]] = [
            (
                p.client_id,
                p.volunteer_id,
                weight_text(p.weight_units, lang),
                tiers.get(p.risk_tier, p.risk_tier),
                decisions.get(p.decision, p.decision) if p.decision else "",
                p.why(lang),
            )
            for p in shown
        ]
        lines += ["", *_table(columns, rows)]
        if len(shown) < len(proposal.pairs):
            lines.append(words["more"].format(n=len(proposal.pairs) - len(shown)))
    waiting = proposal.waiting if limit is None else proposal.waiting[:limit]
    if waiting:
        rows = [
            (
                u.client_id,
                tiers.get(u.risk_tier, u.risk_tier),
                f"{_reason_label(u.reason, lang)}: {unmatched_detail(u, lang, weights=True)}",
            )
            for u in waiting
        ]
        lines += ["", words["left"], *_table((columns[0], columns[3], columns[5]), rows)]
        if len(waiting) < len(proposal.waiting):
            lines.append(words["more"].format(n=len(proposal.waiting) - len(waiting)))
    if any(p.decision is None for p in proposal.pairs):
        lines += ["", words["next"].format(r=proposal.round_id)]
    return "\n".join(lines)


def proposal_json(proposal: RoundProposal, lang: str = "en") -> dict[str, Any]:
    """The round for programs: numbers as numbers, facts beside the reasons in words."""
    return {
        "round_id": proposal.round_id,
        "round_date": proposal.round_date.isoformat(),
        "policy": proposal.policy,
        "status": proposal.status,
        "objective": proposal.objective_units / WEIGHT_SCALE,
        "objective_units": proposal.objective_units,
        "inputs_hash": proposal.inputs_hash,
        "waiting_clients": proposal.n_waiting,
        "volunteers": proposal.n_volunteers,
        "superseded": proposal.superseded,
        "proposals": [
            {
                "client_id": p.client_id,
                "volunteer_id": p.volunteer_id,
                "weight": p.weight_units / WEIGHT_SCALE,
                "weight_units": p.weight_units,
                "risk_tier": p.risk_tier,
                "pinned": p.pinned,
                "decision": p.decision,
                "scores": p.scores,
                "facts": None if p.facts is None else p.facts.to_dict(),
                "reasons": reasons_to_json(p.reasons),
                "why": p.why(lang),
            }
            for p in proposal.pairs
        ],
        "left_waiting": [
            {
                "client_id": u.client_id,
                "risk_tier": u.risk_tier,
                "reason": u.reason,
                "facts": {
                    k: v
                    for k, v in u.to_dict().items()
                    if k not in ("client_id", "risk_tier", "reason")
                },
                "detail": unmatched_detail(u, lang, weights=True),
            }
            for u in proposal.waiting
        ],
        "timings": {key: round(value, 4) for key, value in proposal.timings.items()},
    }


def status_text(status: Status, *, limit: int | None = None) -> str:
    def cut(items: tuple[Any, ...]) -> tuple[Any, ...]:
        return items if limit is None else items[:limit]

    def more(items: tuple[Any, ...]) -> list[str]:
        hidden = len(items) - len(cut(items))
        return [f"  … and {hidden} more"] if hidden > 0 else []

    lines = [f"Status on {status.on}:"]
    if status.due:
        lines += due_lines(status.due, cut)
    lines.append(f"\nWaiting: {len(status.waiting)} client(s), longest waiting first")
    if status.waiting:
        rows: list[tuple[str, ...]] = [
            (
                w.client_id,
                w.risk_tier,
                f"{w.weeks_waited:.1f}",
                w.pinned_to or "",
                str(w.declines),
                w.last_reason or "",
            )
            for w in cut(status.waiting)
        ]
        header = ("client", "risk", "weeks", "pinned", "declines", "last round")
        lines += [*_table(header, rows), *more(status.waiting)]
    lines.append(f"\nActive matches: {len(status.active)}")
    if status.active:
        rows = [
            (a.client_id, a.volunteer_id, str(a.started_on), f"{a.weeks:.1f}")
            for a in cut(status.active)
        ]
        lines += [*_table(("client", "volunteer", "since", "weeks"), rows), *more(status.active)]
    lines.append(f"\nVolunteers: {len(status.volunteers)}")
    if status.volunteers:
        rows = [
            (
                v.volunteer_id,
                # In hours: hours taken by active clients of the week's hours.
                f"{v.hours_outside + v.active_hours:g}/{v.hours_given:g} h"
                if v.in_hours
                else f"{v.outside + v.active}/{v.capacity}",
                str(v.pinned or ""),
                f"paused until {v.paused_until}" if v.paused_on(status.on) else "",
            )
            for v in cut(status.volunteers)
        ]
        lines += [*_table(("volunteer", "load", "pinned", ""), rows), *more(status.volunteers)]
    if status.undecided:
        listed = ", ".join(f"round {r}: {n}" for r, n in status.undecided.items())
        lines.append(f"\nUndecided proposals: {listed}")
    if status.closed_clients:
        lines.append(f"\nClients whose support ended: {status.closed_clients}")
    lines.append(f"\nFlags: {len(status.flags) or 'none'}")
    lines += [f"  ! {visible(flag)}" for flag in status.flags]
    return "\n".join(lines)


# (heading, the command that settles it) per kind of due item; ID stands for the client.
_DUE_SECTIONS = (
    ("calls", "Calls to make", "matcher outreach contact ID --outcome …"),
    ("to_close", "Not reached after the last call", "matcher outreach close ID --reason …"),
    ("intakes", "Intakes to record", "matcher import clients FILE (the person as a client)"),
    ("introductions", "Introductions to follow up", "matcher confirm ID, or round decline"),
    ("checkins", "Check-ins due", "matcher checkin ID --outcome going-well|concerns|end"),
    ("ending", "Matches reaching their end date", "matcher match end ID --reason completed"),
    ("past_end", "Matches past their end date", "matcher match end ID --reason completed"),
)


def due_lines(due: Due, cut: Any) -> list[str]:
    lines = ["\nDue this week:"]
    for name, heading, command in _DUE_SECTIONS:
        items: tuple[DueItem, ...] = getattr(due, name)
        if not items:
            continue
        lines.append(f"  {heading}: {len(items)} (then `{command}`)")
        rows = [(i.client_id, i.volunteer_id or "", str(i.due_on), i.what) for i in cut(items)]
        lines += _table(("client", "volunteer", "due", "what"), rows, indent="    ")
        hidden = len(items) - len(cut(items))
        lines += [f"    … and {hidden} more"] if hidden > 0 else []
    return lines


def history_text(events: list[Event]) -> str:
    if not events:
        return "No events."
    rows: list[tuple[str, ...]] = [
        (
            e.at,
            e.os_user,
            e.kind,
            "" if e.round_id is None else f"round {e.round_id}",
            e.client_id or "",
            e.volunteer_id or "",
            e.detail,
        )
        for e in events
    ]
    header = ("when (UTC)", "user", "what", "round", "client", "volunteer", "detail")
    return "\n".join(_table(header, rows, indent=""))
