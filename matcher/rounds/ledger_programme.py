"""The Ledger's methods for the programme around a match: outreach, introduction, check-ins,
the end at the cap, and the evaluation. Each writing method is one transaction."""

from __future__ import annotations

import datetime as dt

from matcher.config import MatchConfig
from matcher.rounds import aftercare, decisions, evaluate, outreach
from matcher.rounds.ledger_file import LedgerFile


class ProgrammeMethods(LedgerFile):
    """The programme's commands of Ledger, in the transactions of LedgerFile."""

    # ------------------------------------------------------------------ before a client waits

    def outreach_add(
        self,
        client_id: str,
        *,
        programme: str,
        by: str,
        source: str = "",
        on: dt.date | None = None,
    ) -> None:
        """Someone approached by letter (`by="letter"`) or referred (`by="referral"`)."""
        with self._write("outreach-add") as tx:
            outreach.add(
                tx, client_id, programme=programme, channel=by, source=source,
                on=on or dt.date.today(),
            )  # fmt: skip

    def outreach_contact(
        self,
        client_id: str,
        *,
        outcome: str,
        on: dt.date | None = None,
        config: MatchConfig | None = None,
    ) -> outreach.Contact:
        """A call and its outcome: not-reached, reached, declined (closes), appointment."""
        lifecycle = (config or MatchConfig()).lifecycle
        with self._write("outreach-contact") as tx:
            return outreach.contact(
                tx, client_id, outcome=outcome, on=on or dt.date.today(), lifecycle=lifecycle
            )

    def outreach_close(self, client_id: str, *, reason: str, on: dt.date | None = None) -> str:
        """Outreach ends without a client; returns the state it ended in."""
        with self._write("outreach-close") as tx:
            return outreach.close(tx, client_id, reason=reason, on=on or dt.date.today())

    def outreach_people(self, *, config: MatchConfig | None = None) -> tuple[outreach.Person, ...]:
        """Everyone in outreach, by id, with the day their next call is due."""
        lifecycle = (config or MatchConfig()).lifecycle
        return self._read(lambda tx: outreach.people(tx, lifecycle))

    # ------------------------------------------------------------------ after the match

    def match_course(self, client_id: str) -> aftercare.MatchCourse | None:
        """The client's active match: its introduction, "klik" and check-ins so far."""
        return self._read(lambda tx: aftercare.match_course(tx, client_id))

    def introduce(self, client_id: str, *, on: dt.date | None = None) -> str:
        with self._write("introduce") as tx:
            return aftercare.introduce(tx, client_id, on or dt.date.today())

    def confirm(self, client_id: str, *, on: dt.date | None = None) -> str:
        with self._write("confirm") as tx:
            return aftercare.confirm(tx, client_id, on or dt.date.today())

    def checkin(
        self,
        client_id: str,
        *,
        outcome: str,
        note: str = "",
        on: dt.date | None = None,
        end_reason: str = "completed",
    ) -> aftercare.CheckIn:
        """A check-in; outcome "end" ends the match too (with `end_reason`)."""
        with self._write("checkin") as tx:
            return aftercare.checkin(
                tx, client_id, outcome=outcome, note=note, on=on or dt.date.today(),
                end_reason=end_reason,
            )  # fmt: skip

    def complete_at_cap(
        self, *, on: dt.date | None = None, config: MatchConfig | None = None
    ) -> list[decisions.EndedMatch]:
        """End every match past its programme's max_match_weeks as completed."""
        lifecycle = (config or MatchConfig()).lifecycle
        with self._write("complete") as tx:
            return aftercare.complete_at_cap(tx, on or dt.date.today(), lifecycle)

    # ------------------------------------------------------------------ the evaluation

    def evaluate(
        self,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
        programme: str | None = None,
        config: MatchConfig | None = None,
    ) -> evaluate.Evaluation:
        """The funder's figures for a period (both ends included), counted from the ledger."""
        return self._read(
            lambda tx: evaluate.evaluate(
                tx, start=start, end=end or dt.date.today(), programme=programme,
                config=config or MatchConfig(),
            )
        )  # fmt: skip
