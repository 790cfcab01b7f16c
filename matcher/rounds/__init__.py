"""Weekly rounds with a durable SQLite ledger: propose → review → accept/decline → end.

The engine proposes and a coordinator decides; the ledger remembers every import, proposal,
decision and ending, and who made it. See `Ledger`.
"""

from matcher.rounds.db import LedgerBusyError, LedgerError, LedgerNotFoundError
from matcher.rounds.decisions import DECLINED_BY, END_REASONS, Decline, EndedMatch
from matcher.rounds.intake import ImportSummary
from matcher.rounds.ledger import Ledger, create_ledger, open_ledger
from matcher.rounds.propose import ProposedPair, RoundProposal
from matcher.rounds.schema import SCHEMA_VERSION
from matcher.rounds.stored import Damage, DamagedRecordError
from matcher.rounds.views import ActiveMatch, Event, Status, WaitingClient

__all__ = [
    "DECLINED_BY",
    "END_REASONS",
    "SCHEMA_VERSION",
    "ActiveMatch",
    "Damage",
    "DamagedRecordError",
    "Decline",
    "EndedMatch",
    "Event",
    "ImportSummary",
    "Ledger",
    "LedgerBusyError",
    "LedgerError",
    "LedgerNotFoundError",
    "ProposedPair",
    "RoundProposal",
    "Status",
    "WaitingClient",
    "create_ledger",
    "open_ledger",
]
