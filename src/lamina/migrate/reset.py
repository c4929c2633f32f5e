"""`migrate reset`: empty the database's schema (not the database), reapply every
migration, then seed and generate. Asks in a TTY (the caller's `confirm`); refuses without
--force otherwise.

The drop runs under the lock timeout (lock.py) and says who blocks it while it waits; a
reset killed while waiting ends with its session (PostgreSQL), so it never drops anything
later. `--end-sessions` ends the other sessions that hold locks in the schema first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lamina.api_errors import ConfirmationRequiredError
from lamina.db.admin import ensure_database, reset_schema
from lamina.db.connection import Connection, DatabaseError, connect
from lamina.errors import LaminaError
from lamina.migrate.context import Context
from lamina.migrate.deploy import apply_pending
from lamina.migrate.directory import check_lock, list_migrations
from lamina.migrate.events import Event, Reporter, print_event
from lamina.migrate.lock import guarded, is_lock_timeout, lock_timeout_error
from lamina.migrate.seed import SeedRun

if TYPE_CHECKING:
    from lamina.migrate.apply import Applied
    from lamina.migrate.seed import Seeded

NON_INTERACTIVE = (
    "Lamina has detected that the environment is non-interactive. It is recommended to run this command "
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


def end_other_sessions(conn: Connection) -> list[str]:
    """End the sessions that hold locks in the schema (PostgreSQL) or use the database (MySQL)."""
    if conn.provider == "postgresql":
        rows = conn.query(
            "SELECT DISTINCT a.pid, a.application_name, pg_terminate_backend(a.pid) FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid LEFT JOIN pg_class c ON c.oid = l.relation "
            "LEFT JOIN pg_namespace n ON n.oid = coalesce(c.relnamespace, CASE WHEN l.classid = 'pg_namespace'::regclass "
            "THEN l.objid END) WHERE n.nspname = ? AND a.pid <> pg_backend_pid()", (conn.schema,))
        return [f"pid {pid} (application '{app or '?'}')" for pid, app, _ in rows]
    if conn.provider == "mysql":
        rows = conn.query("SELECT ID, USER, HOST FROM information_schema.PROCESSLIST WHERE DB = DATABASE() "
                          "AND ID <> CONNECTION_ID() AND COMMAND NOT IN ('Daemon', 'Binlog Dump')")
        ended = []
        for cid, user, host in rows:
            try:
                conn.execute(f"KILL {int(cid)}")
                ended.append(f"connection {cid} ({user}@{host})")
            except DatabaseError:  # gone meanwhile
                pass
        return ended
    return []


@dataclass
class ResetDone:
    applied: list[Applied]  # the migrations applied again, in order
    database_created: bool
    sessions_ended: list[str]  # `end_sessions`: the sessions ended first
    seeded: Seeded | None  # None when the seed step was skipped


def reset(ctx: Context, *, force: bool, skip_seed: bool, skip_generate: bool, end_sessions: bool = False,
          confirm: Callable[[str], bool] | None = None, report: Reporter = print_event,
          seeding: SeedRun = SeedRun()) -> ResetDone | None:
    """Reset, reapply, generate and seed. Without `force`, `confirm(question)` must say yes
    (None: nobody to ask, `ConfirmationRequiredError`; the CLI's raises NON_INTERACTIVE without
    a terminal); None when it says no."""
    check_lock(ctx.migrations_dir, ctx.provider)
    local = list_migrations(ctx.migrations_dir)
    report(Event("loaded", data=ctx))
    if not force:
        if confirm is None:
            raise ConfirmationRequiredError(f"migrate_reset drops every table of the {target_text(ctx)} and all "
                                            "their data: pass force=True.")
        if not confirm(f"\nAre you sure you want to reset the {target_text(ctx)}? All data will be lost."):
            return None
    created = ensure_database(ctx.url)
    if created:
        report(Event("created", created))
    ended: list[str] = []
    with connect(ctx.url, create=True) as conn, guarded(conn):
        if end_sessions:
            ended = end_other_sessions(conn)
            if ended:
                report(Event("sessions_ended", "Ended the other sessions on the schema: " + ", ".join(ended)))
        try:
            reset_schema(conn)
        except DatabaseError as err:
            if not is_lock_timeout(conn, err):
                raise
            error = lock_timeout_error(conn, "The reset", err)
            if conn.provider == "sqlite":
                raise error from None
            raise LaminaError(error.message + "\nOr run `lamina migrate reset --force --end-sessions` to end them "
                              "first.", code=error.code) from None
        done = apply_pending(conn, local, report=report)
    report(Event("reset_done", "Database reset successful", data=done))
    if not skip_generate:
        from lamina.migrate.generate import maybe_generate

        maybe_generate(ctx)
    seeded = None
    if not skip_seed:
        from lamina.migrate.seed import seed

        seeded = seed(required=False, root=seeding.root, report=report, capture=seeding.capture)
    return ResetDone(done, bool(created), ended, seeded)
