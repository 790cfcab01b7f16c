"""One error shape for the API, one error page for the browser, the same words in both.

The library's errors map to status codes: bad input 400 (with every `file:row: column: what`
problem), no session 401, not allowed 403, unknown client/volunteer/round 404, the ledger busy
or a decision that no longer fits the ledger (a stale round) 409, a malformed request 422.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from matcher.errors import InputError, MatcherError, Problem
from matcher.rounds import LedgerBusyError, LedgerError, LedgerNotFoundError
from matcher.web.api_models import ErrorOut, ErrorResponse, ProblemOut

CODES: Final = {
    400: "bad-input",
    401: "unauthorised",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    422: "invalid-request",
}
# Documented on every API route, so a client knows the shape of each failure.
ERROR_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    status: {"model": ErrorResponse, "description": CODES[status]}
    for status in (400, 401, 403, 404, 409, 413, 422)
}


def status_of(error: MatcherError) -> tuple[int, str]:
    if isinstance(error, InputError):
        return 400, "bad-input"
    if isinstance(error, LedgerBusyError):
        return 409, "busy"
    if isinstance(error, LedgerNotFoundError):
        return 404, "not-found"
    if isinstance(error, LedgerError):
        return 409, "conflict"
    return 400, "bad-input"


def error_body(
    status: int, message: str, problems: Sequence[Problem] = (), code: str = ""
) -> dict[str, Any]:
    body = ErrorResponse(
        error=ErrorOut(
            status=status,
            code=code or CODES.get(status, "error"),
            message=message,
            problems=[ProblemOut.of(problem) for problem in problems],
        )
    )
    return body.model_dump(mode="json")


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _respond(
    request: Request, status: int, message: str, problems: list[Problem], code: str
) -> Response:
    if wants_json(request):
        return JSONResponse(error_body(status, message, problems, code), status_code=status)
    from matcher.web.render import render_error

    return render_error(request, status, message, problems)


async def matcher_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, MatcherError)
    status, code = status_of(error)
    problems = list(error.problems) if isinstance(error, InputError) else []
    message = "the input has problems" if problems else str(error)
    return _respond(request, status, message, problems, code)


async def validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = [
        Problem(
            "request",
            None,
            ".".join(str(part) for part in detail.get("loc", ())),
            str(detail.get("msg", "invalid")),
        )
        for detail in error.errors()
    ]
    return _respond(request, 422, "the request is not valid", problems, "invalid-request")


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    status = error.status_code
    response = _respond(request, status, str(error.detail), [], CODES.get(status, "error"))
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    return response


def plain_error(status: int, message: str, *, api: bool) -> Response:
    """For the middleware, before any route runs (401, 413)."""
    if api:
        return JSONResponse(error_body(status, message), status_code=status)
    from matcher.web.render import bare_error_page

    return HTMLResponse(bare_error_page(status, message), status_code=status)
