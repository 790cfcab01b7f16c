"""The `matcher` command: thin click commands that parse, call the library and render.

The library raises; only this package prints or exits. A MatcherError (bad input, bad config)
becomes its message on stderr and exit code 1, never a traceback; usage errors exit with 2.
Each command group lives in a module of its own, imported only when one of its commands runs
(matcher.cli.lazy); the options they share are in matcher.cli.options.
"""

from __future__ import annotations

import logging
import sys
from typing import Final

import click

from matcher.cli.lazy import LazyCommand, LazyGroup
from matcher.terminal import visible_lines

# Every command: where it lives and the line `matcher --help` shows for it.
COMMANDS: Final = {
    "candidates": LazyCommand(
        "matcher.cli.match:candidates",
        "Write every allowed pair with its weight, to check a proposal with another solver.",
    ),
    "checkin": LazyCommand(
        "matcher.cli.programme:checkin",
        "A check-in on CLIENT's match (due after [lifecycle] checkin_weeks); `end` ends it.",
    ),
    "columns": LazyCommand(
        "matcher.cli.files:columns",
        "Show how each header of FILE is understood, each distinct value and what it becomes.",
    ),
    "complete": LazyCommand(
        "matcher.cli.programme:complete",
        "End every match past its programme's max_match_weeks as completed (one transaction).",
    ),
    "config": LazyCommand(
        "matcher.cli.files:print_config",
        "Print the default configuration as a commented TOML file.",
    ),
    "confirm": LazyCommand(
        "matcher.cli.programme:confirm", 'Both sides go on after the introduction ("klik").'
    ),
    "db": LazyCommand("matcher.cli.ledger:db_group", "Create or upgrade the ledger database."),
    "end-match": LazyCommand(
        "matcher.cli.rounds:end_match",
        "End CLIENT's active match (`matcher match end CLIENT --reason …`); frees the place.",
    ),
    "evaluate": LazyCommand(
        "matcher.cli.programme:evaluate",
        "The funder's figures for a period: funnel, waiting, matches, check-ins, volunteers.",
    ),
    "explain": LazyCommand(
        "matcher.cli.match:explain",
        "Why CLIENT got its proposal, or why not: options, rules, what would change it.",
    ),
    "export": LazyCommand(
        "matcher.cli.rounds:export",
        "Write every table of the ledger as CSV into a folder (personal data: keep it safe).",
    ),
    "forget": LazyCommand(
        "matcher.cli.rounds:forget",
        "Erase CLIENT's personal data everywhere in the ledger (GDPR); keep anonymous counts.",
    ),
    "history": LazyCommand(
        "matcher.cli.rounds:history",
        "The audit trail: every import, proposal, decision and ending, when and by whom.",
    ),
    "import": LazyCommand(
        "matcher.cli.ledger:import_group",
        "Add or update clients or volunteers from a file (upsert by id; all or nothing).",
    ),
    "introduce": LazyCommand(
        "matcher.cli.programme:introduce",
        "CLIENT met the volunteer; within [lifecycle] introduction_days either side may say no.",
    ),
    "match": LazyCommand(
        "matcher.cli.match:match",
        "Propose matches for CLIENTS and VOLUNTEERS (CSV, JSON, workbook) and explain each.",
    ),
    "outreach": LazyCommand(
        "matcher.cli.programme:outreach_group",
        "Before someone waits: letters, referrals and calls (then `import clients` is the intake).",
    ),
    "pin": LazyCommand(
        "matcher.cli.ledger:pin",
        "Keep CLIENT with VOLUNTEER: a pair already decided; the next round proposes it.",
    ),
    "plan": LazyCommand(
        "matcher.cli.plan:plan",
        "What if: vary scenario keys (pool size, a cap, training); every metric with intervals.",
    ),
    "policies": LazyCommand(
        "matcher.cli.policies:list_policies",
        "List the matching policies: name, whether the answer is exact, what it does.",
    ),
    "round": LazyCommand(
        "matcher.cli.rounds:round_group",
        "Propose a round, show it, accept or decline its pairs.",
    ),
    "schema": LazyCommand(
        "matcher.cli.files:schema",
        "Print the JSON Schema of a client or volunteer record, or of the config.",
    ),
    "scenario": LazyCommand(
        "matcher.cli.scenario:scenario",
        "Realistic rounds from the scenario library: the real programmes and stress cases.",
    ),
    "serve": LazyCommand(
        "matcher.cli.web:serve",
        "The weekly round in a browser, and an HTTP API (/api/v1), on the ledger --db.",
    ),
    "simulate": LazyCommand(
        "matcher.cli.simulate:simulate",
        "Compare POLICIES on a scenario over simulated weeks (same arrivals for every policy).",
    ),
    "status": LazyCommand(
        "matcher.cli.rounds:status",
        "Waiting clients (weeks waited, risk), active matches, volunteer loads, flags.",
    ),
    "unpin": LazyCommand("matcher.cli.ledger:unpin", "Remove CLIENT's pin."),
    "user": LazyCommand(
        "matcher.cli.web:user_group",
        "Accounts of the web app (needed for `matcher serve --host` on a network).",
    ),
    "validate": LazyCommand(
        "matcher.cli.files:validate",
        "Check FILES (clients or volunteers: CSV, JSON or a workbook) and list every problem.",
    ),
    "volunteer": LazyCommand("matcher.cli.ledger:volunteer_group", "Pause or resume a volunteer."),
}
# `matcher match end CLIENT` ends a match in the ledger; `matcher match CLIENTS VOLUNTEERS`
# proposes from files.
ALIASES: Final = {("match", "end"): "end-match"}


class _VisibleFormatter(logging.Formatter):
    # Notes name columns and ids from the input files: control characters shown, not sent.
    def format(self, record: logging.LogRecord) -> str:
        return visible_lines(super().format(record))


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    aliases=ALIASES,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="matcher")
@click.option("-q", "--quiet", is_flag=True, help="Do not report ignored columns on stderr.")
def main(quiet: bool) -> None:
    """Match clients who need support to volunteers who can give it."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_VisibleFormatter("%(message)s"))
    logger = logging.getLogger("matcher")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
