"""`lamina studio`: browse and edit the data, see the schema and the migration history, in a browser."""

from __future__ import annotations

import secrets
import webbrowser

import click

from lamina.cli.common import resolve_schema, schema_option

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command()
@schema_option
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=5555, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes your data to the network (a warning says so).")
@click.option("--browser", "-b", type=click.Choice(["default", "none"]), default="default", show_default=True,
              help="Open the studio in the default browser, or not.")
@click.option("--url", default=None, help="Database URL (default: the schema's datasource, e.g. DATABASE_URL).")
@click.option("--read-only", is_flag=True, help="Browse only: no create, edit or delete.")
@click.pass_context
def studio(ctx: click.Context, schema: str | None, port: int, host: str, browser: str, url: str | None,
           read_only: bool) -> None:
    """Browse and edit the database's data in a local web page."""
    from lamina.errors import LaminaError

    try:
        import starlette  # noqa: F401
        import uvicorn
    except ImportError:
        raise LaminaError("`lamina studio` needs its web server packages: pip install 'lamina[studio]'") from None
    from lamina.migrate.context import load_context
    from lamina.psl.load import load_datamodel
    from lamina.studio.app import create_app
    from lamina.studio.data import Studio
    from lamina.studio.history import read_history

    location = resolve_schema(ctx, schema)
    context = load_context(location, url)
    db_url = context.url
    raw = f"file:{db_url.path}" if db_url.provider == "sqlite" and db_url.path is not None else db_url.raw
    loaded = load_datamodel(location)
    data = Studio.open(loaded, raw)
    token = secrets.token_urlsafe(24)
    shown_host = f"[{host}]" if ":" in host else host
    hosts = {f"{h}:{port}" for h in ("127.0.0.1", "localhost", "[::1]")} | {f"{shown_host}:{port}".lower()}
    app = create_app(data, token, hosts, read_only=read_only,
                     migrations=lambda drift: read_history(context.migrations_dir, raw, db_url.provider, drift))
    link = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown_host}:{port}/?token={token}"
    click.echo(context.datasource.describe())
    if host not in LOOPBACK:
        click.echo(f"Warning: listening on {host}: anyone who can reach this address and has the link can read"
                   f"{'' if read_only else ' and change'} your data.", err=True)
    click.echo(f"Lamina Studio is up on {link}{' (read-only)' if read_only else ''}\nPress Ctrl+C to stop.")
    if browser == "default":
        webbrowser.open(link)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        data.close()
