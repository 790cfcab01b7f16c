"""Werving (outreach), the course of a match, and Evaluatie: the programme around a match.

Plain forms, one Ledger call each (the calls `matcher outreach`, `introduce`, `confirm`,
`checkin`, `complete` and `evaluate` make); the browser is sent back to the page that shows
the result.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from matcher.io.workbook_out import format_xlsx
from matcher.report import evaluation_report
from matcher.report.evaluation import evaluation_charts, evaluation_view
from matcher.report.evaluation_text import evaluation_sheets
from matcher.report.evaluation_texts import evaluation_texts
from matcher.rounds.evaluate import Evaluation
from matcher.rounds.outreach import CHANNELS, OUTCOMES
from matcher.web import evaluation_charts as charts
from matcher.web.render import language, page
from matcher.web.routing import form_date, ledger_for, make_router, settings_of

router = make_router(include_in_schema=False)


def _back(to: str) -> Response:
    return RedirectResponse(to, status_code=303)


# ------------------------------------------------------------------------------------ outreach


@router.get("/outreach")
def outreach_page(
    request: Request, number: Annotated[int, Query(alias="page", ge=1)] = 1
) -> Response:
    settings = settings_of(request)
    with ledger_for(request) as ledger:
        people = ledger.outreach_people(config=settings.config)
    # One page of those still in outreach, the next call due first (a letter to a whole
    # register is thousands of people); of those done, the latest.
    still_open = sorted(
        (p for p in people if p.state not in ("intake", "closed")),
        key=lambda p: (p.next_call_on or dt.date.max, p.client_id),
    )
    done = sorted(
        (p for p in people if p.state in ("intake", "closed")),
        key=lambda p: (p.intake_on or p.closed_on or p.approached_on, p.client_id),
        reverse=True,
    )
    size = settings.page_size
    pages = max(1, math.ceil(len(still_open) / size))
    number = min(number, pages)
    return page(request, "outreach.html.j2",
                still_open=still_open[(number - 1) * size : number * size],
                n_open=len(still_open), page_number=number, pages=pages,
                done=done[:size], n_done=len(done), channels=CHANNELS, outcomes=OUTCOMES,
                today=dt.date.today(),
                max_attempts=settings.config.lifecycle.max_attempts)  # fmt: skip


@router.post("/outreach")
def outreach_add(
    request: Request,
    client_id: Annotated[str, Form(min_length=1, max_length=200)],
    programme: Annotated[str, Form(min_length=1)],
    by: Annotated[str, Form()],
    source: Annotated[str, Form(max_length=200)] = "",
    date: Annotated[str | None, Form()] = None,
) -> Response:
    with ledger_for(request) as ledger:
        ledger.outreach_add(client_id, programme=programme, by=by, source=source,
                            on=form_date(date))  # fmt: skip
    return _back("/outreach")


@router.post("/outreach/{client_id}/contact")
def outreach_contact(
    request: Request,
    client_id: str,
    outcome: Annotated[str, Form()],
    date: Annotated[str | None, Form()] = None,
) -> Response:
    with ledger_for(request) as ledger:
        ledger.outreach_contact(client_id, outcome=outcome, on=form_date(date),
                                config=settings_of(request).config)  # fmt: skip
    return _back("/outreach")


@router.post("/outreach/{client_id}/close")
def outreach_close(
    request: Request,
    client_id: str,
    reason: Annotated[str, Form(min_length=1, max_length=200)],
    date: Annotated[str | None, Form()] = None,
) -> Response:
    with ledger_for(request) as ledger:
        ledger.outreach_close(client_id, reason=reason, on=form_date(date))
    return _back("/outreach")


# ------------------------------------------------------------------------- the course of a match


@router.post("/clients/{client_id}/introduce")
def introduce(
    request: Request, client_id: str, date: Annotated[str | None, Form()] = None
) -> Response:
    return _dated_step(request, client_id, date, "introduce")


@router.post("/clients/{client_id}/confirm")
def confirm(
    request: Request, client_id: str, date: Annotated[str | None, Form()] = None
) -> Response:
    return _dated_step(request, client_id, date, "confirm")


def _dated_step(
    request: Request, client_id: str, date: str | None, step: Literal["introduce", "confirm"]
) -> Response:
    """A step of the match's course that needs only its date: the Ledger method of that name."""
    with ledger_for(request) as ledger:
        getattr(ledger, step)(client_id, on=form_date(date))
    return _back(f"/clients/{client_id}")


@router.post("/clients/{client_id}/checkin")
def checkin(
    request: Request,
    client_id: str,
    outcome: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
    end_reason: Annotated[str, Form()] = "completed",
    date: Annotated[str | None, Form()] = None,
) -> Response:
    with ledger_for(request) as ledger:
        ledger.checkin(client_id, outcome=outcome, note=note, on=form_date(date),
                       end_reason=end_reason)  # fmt: skip
    return _back(f"/clients/{client_id}")


@router.post("/matches/complete")
def complete(request: Request, date: Annotated[str | None, Form()] = None) -> Response:
    with ledger_for(request) as ledger:
        ledger.complete_at_cap(on=form_date(date), config=settings_of(request).config)
    return _back("/")


# ----------------------------------------------------------------------------------- evaluation

Period = tuple[dt.date | None, dt.date | None, str | None]


def _evaluation(request: Request, period: Period) -> Evaluation:
    start, end, programme = period
    with ledger_for(request) as ledger:
        return ledger.evaluate(start=start, end=end, programme=programme or None,
                               config=settings_of(request).config)  # fmt: skip


def _period(
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    programme: str | None = None,
) -> Period:
    return form_date(start, "from"), form_date(end, "to"), programme or None


@router.get("/evaluation")
def evaluation_page(
    request: Request,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    programme: str | None = None,
) -> Response:
    period = _period(start, end, programme)
    found = _evaluation(request, period)
    lang = language(request)
    # The charts are images of their own (below): the page shows its figures without waiting
    # for matplotlib, and the browser asks for the charts as it shows the page.
    view = evaluation_view(found, lang=lang, k=None, draw=False)
    bars = evaluation_charts(found, lang, None)
    query = request.url.query
    sources = {
        name: f"/evaluation/charts/{name}.svg?{query}{'&' if query else ''}figures="
        + charts.shown(name, chart)
        for name, chart in bars.items()
    }
    return page(request, "evaluation.html.j2", view=view, bars=bars, sources=sources,
                start=start or "", end=end or "", programme=programme or "",
                query=query)  # fmt: skip


@router.get("/evaluation/charts/{name}.svg")
def evaluation_chart(
    request: Request,
    name: str,
    period: Annotated[Period, Depends(_period)],
    figures: Annotated[str | None, Query(pattern=charts.DIGEST_PATTERN)] = None,
) -> Response:
    """One chart of the page, the same image as in the report: the figures the page showed,
    or (when this server no longer keeps them) those of the period counted again."""
    bars = charts.kept(name, figures) if figures else None
    if bars is None:
        found = _evaluation(request, period)
        bars = evaluation_charts(found, language(request), None).get(name)
    if bars is None:
        raise HTTPException(404, "no such chart on the evaluation page")
    return Response(charts.drawn(bars), media_type="image/svg+xml")


def _download(data: bytes, name: str, media_type: str) -> Response:
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=media_type, headers=headers)


@dataclass(frozen=True)
class _Download:
    """An evaluation download as asked: its figures, language, and whether pseudonymised
    (groups under `min_group_size` people then shown as fewer than that)."""

    found: Evaluation
    lang: str
    pseudonymise: bool
    min_group_size: int


def _download_asked(
    request: Request, period: Annotated[Period, Depends(_period)], pseudonymise: bool = False
) -> _Download:
    k = settings_of(request).config.report.min_group_size
    return _Download(_evaluation(request, period), language(request), pseudonymise, k)


Asked = Annotated[_Download, Depends(_download_asked)]


@router.get("/evaluation/report.html")
def evaluation_file(asked: Asked) -> Response:
    """The same HTML as `matcher evaluate --report` (a download: its own style runs there)."""
    html = evaluation_report(asked.found, lang=asked.lang, pseudonymise=asked.pseudonymise,
                             min_group_size=asked.min_group_size)  # fmt: skip
    return _download(html.encode(), "evaluation.html", "text/html")


@router.get("/evaluation/figures.xlsx")
def evaluation_book(asked: Asked) -> Response:
    """The same workbook as `matcher evaluate --xlsx`."""
    k = asked.min_group_size if asked.pseudonymise else None
    sheets = evaluation_sheets(asked.found, evaluation_texts(asked.lang), k)
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(format_xlsx(sheets), "evaluation.xlsx", media)
