"""`db push`: the schema straight to the database, no migration files, no history rows.

The work reports what `lamina db push` shows as events (events.py) and asks `confirm` before
losing data; lamina.api.db_push runs it, and the CLI prints the events.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from lamina.db.admin import ensure_database, reset_schema
from lamina.db.connection import DatabaseError, connect
from lamina.migrate.lock import migration_lock
from lamina.errors import LaminaError
from lamina.migrate import engine
from lamina.migrate.context import Context
from lamina.migrate.events import Event, Reporter, print_event


@dataclass
class Pushed:
    changed: bool  # False: the database was already in sync
    duration_ms: int


def push(ctx: Context, *, accept_data_loss: bool = False, force_reset: bool = False, skip_generate: bool = False,
         report: Reporter = print_event, confirm: Callable[[str], bool] | None = None) -> Pushed:
    """`confirm(question)`: whether to go on despite data-loss warnings (None: never, as without a terminal)."""
    started = time.perf_counter()
    report(Event("loaded", data=ctx))  # the header first, the schema engine's P1012 after it (Prisma 7.10.1)
    target = engine.load_target(ctx.location, context="db push")
    created = ensure_database(ctx.url)
    if created:
        report(Event("created", created))
    # under the migration lock, as Prisma's db push (and, on a Galera cluster, the cluster-wide lease)
    with connect(ctx.url, create=True) as conn, migration_lock(conn):
        if force_reset:
            reset_schema(conn)
            report(Event("reset", f"The {_what(ctx)} was successfully reset."))
        current = engine.describe(conn, target)
        from lamina.sql.diff import diff

        migration = diff(current, target.schema, target.dialect)
        if migration.is_empty:
            report(Event("in_sync", "The database is already in sync with the Prisma schema."))
            _generate(ctx, skip_generate)
            return Pushed(False, _ms(started))
        warnings, blocking = engine.live_check(conn, migration)
        if blocking:
            report(Event("unexecutable", "⚠️ We found changes that cannot be executed:\n\n"
                         + "\n".join(f"  • {t}" for t in blocking) + "\n"))
            raise LaminaError(
                "You may use the --force-reset flag to drop the database before push like lamina db push --force-reset\n"
                "All data will be lost."
            )
        if warnings and not accept_data_loss:
            report(Event("data_loss", "⚠️  There might be data loss when applying the changes:\n\n"
                         + "\n".join(f"  • {w}" for w in warnings) + "\n"))
            if confirm is None or not confirm("Do you want to ignore the warning(s)?"):
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
    ms = _ms(started)
    report(Event("pushed", f"🚀  Your database is now in sync with your Prisma schema. Done in {ms}ms"))
    _generate(ctx, skip_generate)
    return Pushed(True, ms)


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def _what(ctx: Context) -> str:
    from lamina.migrate.reset import target_text

    return target_text(ctx)


def _generate(ctx: Context, skip: bool) -> None:
    if not skip:
        from lamina.migrate.generate import maybe_generate

        maybe_generate(ctx)
