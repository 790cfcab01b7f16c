"""Rapporten: the round report (the same HTML as `round propose --report`), the proposals
workbook and the export.

Both are downloads: a report or a zip of the ledger's tables is a file to keep, and as a
download the report's own inline style never runs under the app's strict page policy.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response

from matcher.proposals_book import Book, BookPair, proposals_workbook
from matcher.report import round_report
from matcher.report.round_input import RoundInput
from matcher.rounds.lookup import latest_round_id, round_people
from matcher.web.render import language, page
from matcher.web.routing import ledger_for, make_router

router = make_router(include_in_schema=False)


def _download(data: bytes, name: str, media_type: str) -> Response:
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=media_type, headers=headers)


@router.get("/reports")
def reports_page(request: Request) -> Response:
    with ledger_for(request) as ledger:
        latest = latest_round_id(ledger)
    rounds = list(range(latest, 0, -1)) if latest else []
    return page(request, "reports.html.j2", rounds=rounds[:20])


@router.get("/reports/rounds/{round_id}.html")
def round_report_file(request: Request, round_id: int) -> Response:
    with ledger_for(request) as ledger:
        proposal = ledger.round(round_id)
        people = round_people(ledger, round_id)
    data = RoundInput(
        people.clients, people.volunteers, proposal.pairs, proposal.waiting, people.config,
        proposal.round_date, proposal.policy, proposal.status, proposal.objective_units,
        round_id=round_id, pinned=frozenset(p.client_id for p in proposal.pairs if p.pinned),
        bottlenecks=request.app.state.round_groups.get(round_id),
    )  # fmt: skip
    html = round_report(data, lang=language(request))
    return _download(html.encode(), f"round-{round_id}.html", "text/html")


@router.get("/reports/rounds/{round_id}.xlsx")
def proposals_file(request: Request, round_id: int) -> Response:
    """The proposals workbook of a stored round, from the facts the ledger stored for it."""
    with ledger_for(request) as ledger:
        proposal = ledger.round(round_id)
        people = round_people(ledger, round_id)
    programme = {c.client_id: c.programme for c in people.clients}
    lang = language(request)
    pairs = tuple(
        BookPair(p.client_id, p.volunteer_id, programme.get(p.client_id, ""), p.risk_tier,
                 p.facts.distance_km if p.facts else None, p.facts.contact if p.facts else None,
                 p.why(lang), p.weight_units, p.scores)
        for p in proposal.pairs
    )  # fmt: skip
    waiting = tuple((u, programme.get(u.client_id, "")) for u in proposal.waiting)
    book = Book(lang, pairs, waiting, proposal.round_date, proposal.policy,
                proposal.status, proposal.n_waiting)  # fmt: skip
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(proposals_workbook(book), f"round-{round_id}.xlsx", media)


@router.get("/reports/export.zip")
def export_zip(request: Request) -> Response:
    with tempfile.TemporaryDirectory(prefix="matcher-export-") as folder:
        with ledger_for(request) as ledger:
            written = ledger.export(Path(folder))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in written:
                archive.write(path, path.name)
    return _download(buffer.getvalue(), "ledger-export.zip", "application/zip")
