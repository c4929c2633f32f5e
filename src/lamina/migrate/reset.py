"""`migrate reset`: empty the database's schema (not the database), reapply every
migration, then seed and generate. Asks in a TTY; refuses without --force otherwise."""

from __future__ import annotations

import click

from lamina.db.admin import ensure_database, reset_schema
from lamina.db.connection import connect
from lamina.errors import LaminaError
from lamina.migrate.context import Context
from lamina.migrate.deploy import apply_pending, print_applied
from lamina.migrate.directory import check_lock, list_migrations
from lamina.migrate.output import interactive, out

NON_INTERACTIVE = (
    "Prisma Migrate has detected that the environment is non-interactive. It is recommended to run this command "
    "in an interactive environment.\n\nUse --force to run this command without user interaction.\n"
    "See https://pris.ly/d/migrate-reset"
)


def target_text(ctx: Context) -> str:
    url = ctx.url
    if url.provider == "sqlite":
        return f'SQLite database "{url.database}" at "{url.masked}"'
    if url.provider == "postgresql":
        return f'"{url.schema}" schema at "{url.host_port}"'
    return f'MySQL database "{url.database}" at "{url.host_port}"'


def run_reset(ctx: Context, force: bool, skip_seed: bool, skip_generate: bool) -> int:
    check_lock(ctx.migrations_dir, ctx.provider)
    local = list_migrations(ctx.migrations_dir)
    ctx.header()
    if not force:
        if not interactive():
            raise LaminaError(NON_INTERACTIVE)
        if not click.confirm(f"\nAre you sure you want to reset the {target_text(ctx)}? All data will be lost.",
                             default=False):
            out("\nReset cancelled.")
            return 130
    created = ensure_database(ctx.url)
    if created:
        out()
        out(created)
    with connect(ctx.url, create=True) as conn:
        reset_schema(conn)
        done = apply_pending(conn, local)
    out()
    out()
    out("Database reset successful")
    out()
    if done:
        print_applied(done)
        out()
    if not skip_generate:
        from lamina.migrate.generate import maybe_generate

        maybe_generate(ctx)
    if not skip_seed:
        from lamina.migrate.seed import run_seed

        run_seed(required=False)
    return 0
