"""Ledger: the library API of weekly rounds. Each method is one transaction.

    with Ledger.create("matcher.db") as ledger:          # or Ledger("matcher.db") to open
        ledger.import_clients(matcher.read_clients("clients.csv"))
        ledger.import_volunteers(matcher.read_volunteers("volunteers.csv"))
        proposal = ledger.propose(round_date=dt.date(2026, 11, 23))
        ledger.accept(proposal.round_id, but=["K007"])
        ledger.decline(proposal.round_id, "K007", by="client", reason="wants a woman")

A method either does all of what it says or, on any error, nothing (the database is as
before). Writers are serialised: a second command waits up to `busy_timeout_s`, then raises
LedgerBusyError. The ledger never prints; it raises LedgerError or InputError.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from matcher.config import MatchConfig, config_from_dict
from matcher.engine import validate_records
from matcher.models import Client, Volunteer
from matcher.rounds import check, decisions, erase, explain_round, intake, views
from matcher.rounds.db import (
    LedgerError,
    Tx,
    busy_timeout_from_env,
)
from matcher.rounds.flows import LedgerFlows, ledger_flows
from matcher.rounds.ledger_programme import ProgrammeMethods
from matcher.rounds.propose import RoundProposal, load_round, propose_round
from matcher.rounds.state import require_date_order, require_round
from matcher.rounds.stored import Damage


def _models(items: Sequence[Any], model: type[Client] | type[Volunteer], source: str) -> Any:
    """Dicts validated as `match()` validates them; a list of models passes as it is."""
    if all(isinstance(item, model) for item in items):
        return items
    return validate_records(items, model, source)


class Ledger(ProgrammeMethods):
    """A durable record of clients, volunteers, rounds, decisions and matches (SQLite), and of
    the programme around them: outreach, introductions, check-ins (see ProgrammeMethods).
    Opening, creating, upgrading and the transactions: LedgerFile."""

    # ------------------------------------------------------------------ between rounds

    def import_clients(
        self,
        clients: Sequence[Client | Mapping[str, Any]],
        *,
        on: dt.date | None = None,
        allow_erased: bool = False,
        before_commit: Callable[[], None] | None = None,
    ) -> intake.ImportSummary:
        """Upsert clients by id; all or nothing (an unknown excluded volunteer stops all).

        `clients` are models or dicts in the input format, as `matcher.match` takes them
        (validated first: every problem raised together, nothing stored).
        A client erased with `forget` stops the import too, unless `allow_erased`.
        `before_commit` (writing the refused rows) runs inside the transaction.
        """
        models: list[Client] = _models(clients, Client, "clients")
        with self._write("import") as tx:
            summary = intake.import_clients(
                tx, models, on or dt.date.today(), allow_erased=allow_erased
            )
            if before_commit is not None:
                before_commit()
            return summary

    def import_volunteers(
        self,
        volunteers: Sequence[Volunteer | Mapping[str, Any]],
        *,
        on: dt.date | None = None,
        before_commit: Callable[[], None] | None = None,
    ) -> intake.ImportSummary:
        """Upsert volunteers by id; models or dicts in the input format, as for clients."""
        models: list[Volunteer] = _models(volunteers, Volunteer, "volunteers")
        with self._write("import") as tx:
            summary = intake.import_volunteers(tx, models, on or dt.date.today())
            if before_commit is not None:
                before_commit()
            return summary

    def pin(
        self,
        client_id: str,
        volunteer_id: str,
        *,
        on: dt.date | None = None,
        force: bool = False,
    ) -> str | None:
        """Keep a decided pair in the next round; returns the volunteer of a replaced pin.

        A date before the latest round's is refused unless `force` (so for pause, accept,
        decline and propose: the ledger's history runs forward)."""
        with self._write("pin") as tx:
            return intake.pin(tx, client_id, volunteer_id, on or dt.date.today(), force=force)

    def unpin(self, client_id: str) -> str:
        with self._write("unpin") as tx:
            return intake.unpin(tx, client_id)

    def pause(
        self,
        volunteer_id: str,
        *,
        until: dt.date,
        on: dt.date | None = None,
        force: bool = False,
    ) -> None:
        """No new clients for the volunteer before `until`; active matches go on."""
        with self._write("pause") as tx:
            intake.pause(tx, volunteer_id, until, on or dt.date.today(), force=force)

    def resume(self, volunteer_id: str) -> bool:
        with self._write("resume") as tx:
            return intake.resume(tx, volunteer_id)

    # ------------------------------------------------------------------ rounds

    def propose(
        self,
        config: MatchConfig | Mapping[str, Any] | None = None,
        *,
        policy: str | None = None,
        round_date: dt.date | None = None,
        before_commit: Callable[[RoundProposal], None] | None = None,
        force: bool = False,
    ) -> RoundProposal:
        """Run the engine on waiting clients and free places; store and return the proposal.

        Undecided proposals of earlier rounds are superseded by this one. `before_commit`
        (say, writing a report) runs inside the transaction: if it fails, nothing is stored.
        """
        config = _config(config, policy)
        round_date = round_date or dt.date.today()
        with self._write("propose") as tx:
            require_date_order(tx, round_date, force=force)
            proposal = propose_round(tx, config, round_date)
            if before_commit is not None:
                before_commit(proposal)
            return proposal

    def round(self, round_id: int) -> RoundProposal:
        def work(tx: Tx) -> RoundProposal:
            require_round(tx, round_id)
            return load_round(tx, round_id)

        return self._read(work)

    def explain(
        self,
        client_id: str,
        *,
        round_id: int | None = None,
        config: MatchConfig | Mapping[str, Any] | None = None,
        round_date: dt.date | None = None,
        top: int = 5,
    ) -> explain_round.LedgerExplanation:
        """Why the client has its proposal or waits: stored round `round_id` rebuilt (with its
        own config and date), or else a round on `round_date` as proposed now (not stored)."""
        settings = _config(config, None)
        day = round_date or dt.date.today()
        return self._read(
            lambda tx: explain_round.explain_in_ledger(
                tx, client_id, settings, day, round_id=round_id, top=top
            )
        )

    def accept(
        self,
        round_id: int,
        *,
        only: Sequence[str] = (),
        but: Sequence[str] = (),
        on: dt.date | None = None,
        force: bool = False,
    ) -> list[tuple[str, str]]:
        """Accept undecided proposals: all, `only` these clients, or all `but` these.

        Matches start `on`; a day before the round's date is refused unless `force`."""
        with self._write("accept") as tx:
            return decisions.accept(
                tx, round_id, on or dt.date.today(), only=only, but=but, force=force
            )

    def decline(
        self,
        round_id: int,
        client_id: str,
        *,
        by: str,
        reason: str,
        on: dt.date | None = None,
        force: bool = False,
    ) -> decisions.Decline:
        with self._write("decline") as tx:
            return decisions.decline(
                tx,
                round_id,
                client_id,
                by=by,
                reason=reason,
                on=on or dt.date.today(),
                force=force,
            )

    def end_match(
        self,
        client_id: str,
        *,
        reason: str,
        on: dt.date | None = None,
        rematch: bool | None = None,
    ) -> decisions.EndedMatch:
        """End the client's active match. `rematch` (default: only when the volunteer
        stopped) puts the client back on the waiting list; otherwise support is closed."""
        with self._write("end") as tx:
            return decisions.end_match(
                tx, client_id, reason=reason, on=on or dt.date.today(), rematch=rematch
            )

    # ------------------------------------------------------------------ reading, erasing

    def flows(self, *, on: dt.date | None = None) -> LedgerFlows:
        """Counts of the programme's flows for the planner (matcher.rounds.flows)."""
        return self._read(lambda tx: ledger_flows(tx, on or dt.date.today()))

    def status(
        self,
        *,
        on: dt.date | None = None,
        config: MatchConfig | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> views.Status:
        """Waiting clients (all, or the page `offset`, `limit`), matches, loads, flags."""
        day, settings = on or dt.date.today(), config or MatchConfig()
        found = self._read(lambda tx: views.status(tx, day, settings, offset=offset, limit=limit))
        mode = stat.S_IMODE(self.path.stat().st_mode)
        if mode & 0o077:
            # The file holds special-category data (GDPR art. 9): others must not read it.
            warning = f"{self.path}: readable by others (mode {mode:o}); run chmod 600 on it"
            found = dataclasses.replace(found, flags=(*found.flags, warning))
        return found

    def history(
        self, *, client_id: str | None = None, volunteer_id: str | None = None
    ) -> list[views.Event]:
        if client_id is not None and volunteer_id is not None:
            raise LedgerError("give a client or a volunteer, not both")
        return self._read(
            lambda tx: views.history(tx, client_id=client_id, volunteer_id=volunteer_id)
        )

    def export(self, out_dir: str | os.PathLike[str]) -> list[Path]:
        """Every table as CSV in `out_dir` (readable by its owner only: personal data)."""
        return self._read(lambda tx: views.export(tx, Path(out_dir)))

    def check(self) -> list[Damage]:
        """Every damaged record (table, id, what is wrong); empty when the ledger is sound."""
        return self._read(check.check)

    def forget(self, client_id: str) -> dict[str, int]:
        """Erase the client's personal data everywhere in the ledger; keep anonymous counts."""
        with self._write("forget") as tx:
            return erase.forget(tx, client_id)


def _config(config: MatchConfig | Mapping[str, Any] | None, policy: str | None) -> MatchConfig:
    if config is None:
        config = MatchConfig()
    elif not isinstance(config, MatchConfig):
        config = config_from_dict(dict(config))
    if policy is not None:
        # Validated like a config file's `policy`, so an unknown name lists the known ones.
        config = config_from_dict({**config.model_dump(), "policy": policy}, source="--policy")
    return config


def open_ledger(db_path: str) -> Ledger:
    """The ledger at `db_path`, waiting for another writer as $MATCHER_BUSY_TIMEOUT_S says."""
    return Ledger(db_path, busy_timeout_s=busy_timeout_from_env())


def create_ledger(db_path: str) -> Ledger:
    """A new ledger at `db_path` (readable by its owner only), or the old one upgraded."""
    return Ledger.create(db_path, busy_timeout_s=busy_timeout_from_env())
