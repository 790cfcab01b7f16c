"""`matcher serve`: the weekly round in a browser, and an HTTP API, on the same SQLite ledger.

A front end only: every page and API call opens the ledger, makes one library call and renders
what it returns. Everything stays on the coordinator's machine: no CDN, no fonts or scripts
fetched, no telemetry. Needs the optional extra: `pip install 'matcher[web]'`.

    from matcher.web import WebSettings, create_app
    app = create_app(WebSettings(db_path=Path("matcher.db"), token="..."))
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any

from matcher.errors import MatcherError

if TYPE_CHECKING:
    from matcher.web.settings import WebSettings

EXTRA_HINT = "the web app needs the 'web' extra: pip install 'matcher[web]'"
_MODULES = ("fastapi", "uvicorn", "multipart", "jinja2")


class WebError(MatcherError):
    pass


def require_web_extra() -> None:
    """Fail before anything starts when the web app cannot run."""
    missing = [name for name in _MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise WebError(f"{EXTRA_HINT} (missing: {', '.join(missing)})")


def create_app(settings: WebSettings) -> Any:
    """The ASGI application (FastAPI) for these settings."""
    require_web_extra()
    from matcher.web.app import build_app

    return build_app(settings)


__all__ = ["EXTRA_HINT", "WebError", "create_app", "require_web_extra"]
