"""`matcher serve` and `matcher user`: thin commands; the app itself is matcher.web."""

from __future__ import annotations

import sys
import threading
import webbrowser
from pathlib import Path

import click

from matcher.cli.errors import reports_errors
from matcher.cli.options import config_path_default, db_option, lang_option
from matcher.config import load_config
from matcher.rounds import open_ledger
from matcher.rounds.accounts import accounts, add_account, has_accounts, remove_account
from matcher.web import require_web_extra
from matcher.web.settings import WebSettings, is_loopback


@click.command("serve")
@db_option()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback needs accounts (matcher user add).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    callback=config_path_default,
    help="TOML config (columns, weights, policy); default $MATCHER_CONFIG or ./matcher.toml.",
)
@lang_option(
    "Language of the pages (default: the config's [report] lang, nl); each person can switch."
)
@click.option(
    "--max-upload-mb",
    type=click.IntRange(1, 1024),
    default=20,
    show_default=True,
    help="Largest spreadsheet an upload may be.",
)
@reports_errors
def serve(
    db_path: str,
    host: str,
    port: int,
    open_browser: bool,
    config_path: str | None,
    lang: str | None,
    max_upload_mb: int,
) -> None:
    """The weekly round in a browser, and an HTTP API (/api/v1), on the ledger --db."""  # fmt: skip
    require_web_extra()
    # The web extra (uvicorn, FastAPI), loaded only to serve, after the check above.
    import uvicorn

    from matcher.web import create_app

    config = load_config(config_path)
    with open_ledger(db_path) as ledger:  # refuses a missing or foreign file before serving
        with_accounts = has_accounts(ledger)
    network = not is_loopback(host)
    if network and not with_accounts:
        raise click.ClickException(
            f"--host {host}: on a network people log in with accounts, and the ledger has none;"
            f" add one with `matcher user add NAME --db {db_path}`"
        )
    settings = WebSettings(db_path=Path(db_path), require_accounts=network, config=config,
                           lang=lang or config.report.lang,
                           max_upload_bytes=max_upload_mb * 1024 * 1024)  # fmt: skip
    app = create_app(settings)
    shown_host = f"[{host}]" if ":" in host else host
    base = f"http://{shown_host}:{port}"
    url = f"{base}/login" if network else f"{base}/login?token={settings.token}"
    click.echo(f"matcher serves {db_path} at {base}")
    if network:
        click.echo(f"  Log in at {url} with an account (matcher user add).")
    else:
        click.echo(f"  Open this link once (it logs you in): {url}")
    click.echo(f"  API: {base}/api/v1/ with the header 'Authorization: Bearer {settings.token}'")
    click.echo("  Stop with Ctrl-C.")
    sys.stdout.flush()
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    # No access log: request lines carry ids and the login link.
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


@click.group("user")
def user_group() -> None:
    """Accounts of the web app (needed for `matcher serve --host` on a network)."""


@user_group.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["coordinator", "viewer"]),
    default="coordinator",
    show_default=True,
    help="A viewer may read everything and change nothing.",
)
@click.password_option(
    "--password",
    envvar="MATCHER_PASSWORD",
    help="Asked for when not given (or set MATCHER_PASSWORD).",
)
@db_option()
@reports_errors
def user_add(name: str, role: str, password: str, db_path: str) -> None:
    """Add the account NAME, or give it a new password and role."""  # fmt: skip
    with open_ledger(db_path) as ledger:
        new = add_account(ledger, name, password, role=role)
    click.echo(f"{'Added' if new else 'Updated'} account {name} ({role}) in {db_path}.")


@user_group.command("list")
@db_option()
@reports_errors
def user_list(db_path: str) -> None:
    """The accounts and their roles."""
    with open_ledger(db_path) as ledger:
        found = accounts(ledger)
    for account in found:
        click.echo(f"{account.name}\t{account.role}\tsince {account.created_at}")
    if not found:
        click.echo("No accounts.")


@user_group.command("remove")
@click.argument("name")
@db_option()
@reports_errors
def user_remove(name: str, db_path: str) -> None:
    """Remove the account NAME (sessions already open end when the server restarts)."""
    with open_ledger(db_path) as ledger:
        remove_account(ledger, name)
    click.echo(f"Removed account {name}.")
