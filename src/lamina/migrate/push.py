"""`db push`: the schema straight to the database, no migration files, no history rows."""

from __future__ import annotations

import time

import click

from lamina.db.admin import ensure_database, reset_schema
from lamina.db.connection import DatabaseError, connect
from lamina.migrate.lock import migration_lock
from lamina.errors import LaminaError
from lamina.migrate import engine
from lamina.migrate.context import Context
from lamina.migrate.output import interactive, out


def run_push(ctx: Context, accept_data_loss: bool = False, force_reset: bool = False, skip_generate: bool = False) -> int:
    started = time.perf_counter()
    target = engine.load_target(ctx.location)
    ctx.header()
    created = ensure_database(ctx.url)
    if created:
        out()
        out(created)
    # under the migration lock, as Prisma's db push (and, on a Galera cluster, the cluster-wide lease)
    with connect(ctx.url, create=True) as conn, migration_lock(conn):
        if force_reset:
            reset_schema(conn)
            out()
            out(f"The {_what(ctx)} was successfully reset.")
        current = engine.describe(conn, target)
        from lamina.sql.diff import diff

        migration = diff(current, target.schema, target.dialect)
        if migration.is_empty:
            out()
            out("The database is already in sync with the Prisma schema.")
            _generate(ctx, skip_generate)
            return 0
        warnings, blocking = engine.live_check(conn, migration)
        if blocking:
            out()
            out("⚠️ We found changes that cannot be executed:\n")
            out("\n".join(f"  • {t}" for t in blocking))
            out()
            raise LaminaError(
                "You may use the --force-reset flag to drop the database before push like lamina db push --force-reset\n"
                "All data will be lost."
            )
        if warnings and not accept_data_loss:
            out()
            out("⚠️  There might be data loss when applying the changes:\n")
            out("\n".join(f"  • {w}" for w in warnings))
            out()
            if not interactive() or not click.confirm("Do you want to ignore the warning(s)?", default=False):
                raise LaminaError(
                    "Use the --accept-data-loss flag to ignore the data loss warnings like lamina db push --accept-data-loss"
                )
        script = target.dialect.render_script(migration, include_warnings=False)
        statements = conn.statements(script)
        done = 0
        try:
            if conn.provider == "mysql":  # no transactional DDL: statement by statement
                for done, stmt in enumerate(statements):
                    conn.execute(stmt)
            else:
                with conn.transaction():
                    for stmt in statements:
                        conn.execute(stmt)
        except DatabaseError as exc:
            if conn.provider == "mysql":
                raise LaminaError(
                    f"The schema could not be pushed: statement {done + 1} of {len(statements)} failed, and the "
                    f"{done} statement(s) before it stay applied (MySQL has no transactional DDL). Run lamina db push "
                    f"again once the cause is fixed, or lamina db push --force-reset in development.\n\n"
                    f"Failing statement:\n{statements[done].strip()}\n\nDatabase error:\n{exc.message}") from None
            raise LaminaError(f"The schema could not be pushed; nothing was changed.\n\nDatabase error:\n{exc.message}") from None
    out()
    out(f"🚀  Your database is now in sync with your Prisma schema. Done in {int((time.perf_counter() - started) * 1000)}ms")
    _generate(ctx, skip_generate)
    return 0


def _what(ctx: Context) -> str:
    from lamina.migrate.reset import target_text

    return target_text(ctx)


def _generate(ctx: Context, skip: bool) -> None:
    if not skip:
        from lamina.migrate.generate import maybe_generate

        maybe_generate(ctx)
