"""Pages from templates: jinja2 with autoescape, so every value from a spreadsheet is text."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from matcher.errors import Problem
from matcher.report.texts import texts as report_texts
from matcher.scoring import CRITERIA
from matcher.vocab import RISK_TIERS
from matcher.web.security import CSRF_FIELD, Principal
from matcher.web.texts import WORDS
from matcher.web.texts_programme import PROGRAMME_WORDS
from matcher.wording import LANGUAGES, REASON_LABELS, unmatched_detail


@functools.cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("matcher.web", "templates"),
        autoescape=True,  # ids, districts and notes come from spreadsheets: never markup
        undefined=jinja2.StrictUndefined,
    )


@functools.cache
def words(lang: str) -> dict[str, str]:
    """The page's words: criteria and tiers as the report names them, then the app's own."""
    report = report_texts(lang)
    found = {name: report[name] for name in (*CRITERIA, *RISK_TIERS)}
    found.update(WORDS[lang])
    found.update(PROGRAMME_WORDS[lang])
    return found


def principal(request: Request) -> Principal | None:
    found = request.scope.get("state", {}).get("principal")
    return found if isinstance(found, Principal) else None


def language(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    who = principal(request)
    return who.lang if who else "nl"


def page(request: Request, template: str, code: int = 200, **values: Any) -> HTMLResponse:
    lang = language(request)
    who = principal(request)
    html = (
        environment()
        .get_template(template)
        .render(
            t=words(lang),
            lang=lang,
            other_lang="en" if lang == "nl" else "nl",
            reason_labels=REASON_LABELS[lang],
            who=who,
            csrf_field=CSRF_FIELD,
            csrf=who.csrf if who and who.csrf else "",
            path=request.url.path,
            # A proposal's reasons and a waiting client's detail, from their facts, in the
            # page's language.
            why=lambda pair: pair.why(lang),
            detail=lambda unmatched: unmatched_detail(unmatched, lang),
            # What is due, from the item's facts (`what` is the terminal's English).
            due_what=lambda group, item: words(lang)["what_" + group].format(
                number=item.number, since=item.since
            ),
            **values,
        )
    )
    return HTMLResponse(html, status_code=code)


def render_error(
    request: Request, status: int, message: str, problems: Sequence[Problem] = ()
) -> HTMLResponse:
    lang = language(request)
    busy = status == 409 and "busy" in message
    shown = words(lang)["busy"] if busy else message
    return page(
        request, "error.html.j2", status, status=status, message=shown, problems=list(problems)
    )


def bare_error_page(status: int, message: str) -> str:
    """An error page for a request without a session (no names, no menu)."""
    return environment().get_template("bare_error.html.j2").render(status=status, message=message)


def bars(scores: Mapping[str, float]) -> list[tuple[str, int]]:
    """Each criterion's score as a whole percentage, in the engine's order."""
    return [(name, round(100 * scores.get(name, 0.0))) for name in CRITERIA]
