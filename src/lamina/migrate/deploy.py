"""`migrate deploy`: apply pending migrations in order, under Prisma's lock.

Refuses on failed migrations (P3009), on a non-empty database without a history table
(P3005), and, unlike Prisma, on applied migrations whose file was edited (unless
`ignore_checksums`). Each migration is applied atomically where possible (apply.py).
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

from lamina.db.admin import ensure_database, schema_is_empty
from lamina.db.connection import Connection, DatabaseError, connect
from lamina.errors import LaminaError
from lamina.migrate import history
from lamina.migrate.apply import MYSQL_REASON, Applied, apply_migration
from lamina.migrate.context import Context
from lamina.migrate.diagnose import diagnose
from lamina.migrate.directory import LocalMigration, check_lock, list_migrations
from lamina.migrate.events import Event, Reporter, print_event
from lamina.migrate.group_commit import apply_in_groups
from lamina.migrate.lease import cluster_of
from lamina.migrate.lock import guarded, is_lock_timeout, lock_timeout_error, migration_lock
from lamina.migrate.output import out, tree
from lamina.migrate.pipeline import apply_pipelined
from lamina.migrate.python_migration import refuse_python, run_python_allowed
from lamina.migrate.status import found_line


def p3009(row: history.HistoryRow) -> LaminaError:
    return LaminaError(
        "migrate found failed migrations in the target database, new migrations will not be applied. Read more about "
        "how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n"
        f"The `{row.migration_name}` migration started at {history.format_time(row.started_at)} failed\n"
        + (_interrupted(row) if not row.logs else ""),
        code="P3009",
    )


def _interrupted(row: history.HistoryRow) -> str:
    """A failed row without an error: its deploy was killed or lost its connection midway."""
    name = row.migration_name
    return (f"\nNo error was recorded for it: the process applying it was killed or lost its connection before it "
            f"finished. Check which of its "
            f"statements took effect, then run `lamina migrate resolve --rolled-back {name}` (nothing or what you "
            f"reverted by hand) or `lamina migrate resolve --applied {name}` (completed).\n")


MYSQL_NOTE = (
    "Note: MySQL has no transactional DDL. Each migration runs statement by statement and is not rolled back "
    "if a statement fails: a failed migration can be left half-applied (the error says how far it got; "
    "see \"MySQL and MariaDB\" in docs/workflow.md for recovery)."
)

P3005 = (
    "The database schema is not empty. Read more about how to baseline an existing production database: "
    "https://pris.ly/d/migrate-baseline"
)


def edited_error(names: list[str]) -> LaminaError:
    listing = "\n".join(f"- {n}" for n in names)
    return LaminaError(
        f"These migrations were modified after they were applied to the database (their checksums differ):\n{listing}\n\n"
        "Restore the original files (e.g. from version control), or run `lamina migrate deploy --ignore-checksums` "
        "if the change is deliberate and harmless."
    )


def apply_pending(conn: Connection, local: list[LocalMigration], *, ignore_checksums: bool = False,
                  allow_unmanaged: bool = False, mysql_note: bool = False,
                  report: Reporter = print_event) -> list[Applied]:
    """Under the lock: check the history, then apply what is pending. Shared by deploy, dev and reset.
    `mysql_note`: on MySQL, say before applying anything that a failure is not rolled back.
    Notes and each migration's progress go to `report` (events.py).
    The session gets the lock timeout, and who blocks it is reported while it waits (lock.py)."""
    with guarded(conn):
        try:
            return _apply_pending(conn, local, ignore_checksums, allow_unmanaged, mysql_note, report)
        except DatabaseError as err:  # e.g. the history table, or SQLite's file lock
            if is_lock_timeout(conn, err):
                raise lock_timeout_error(conn, "A statement", err) from None
            raise


def _apply_pending(conn: Connection, local: list[LocalMigration], ignore_checksums: bool, allow_unmanaged: bool,
                   mysql_note: bool, report: Reporter) -> list[Applied]:
    with migration_lock(conn):
        # SQLite has no advisory lock: the check-and-create runs in an exclusive transaction,
        # so that concurrent deploys do not race on the first table (or see each other's as P3005).
        with conn.transaction("BEGIN EXCLUSIVE") if conn.provider == "sqlite" else contextlib.nullcontext():
            rows = history.read(conn)
            if rows is None:
                if not allow_unmanaged and not schema_is_empty(conn):
                    raise LaminaError(P3005, code="P3005")
                history.create_table(conn)
                rows = []
        d = diagnose(local, rows, check_checksums=not ignore_checksums)
        if d.failed:
            raise p3009(d.failed[0])
        if d.edited:
            raise edited_error(d.edited)
        if not run_python_allowed() and (python := [m.name for m in d.pending if m.has_python]):
            raise refuse_python(python)
        if mysql_note and d.pending and conn.provider == "mysql":
            report(Event("note", MYSQL_NOTE))
        if d.pending and cluster_of(conn) is not None:
            from lamina.migrate.lint.galera import deploy_warnings

            for line in deploy_warnings(conn, d.pending):
                report(Event("warning", f"Warning (Galera): {line}"))
        done: list[Applied] = []
        recheck = history.AppliedMeanwhile() if conn.provider == "sqlite" else None  # no advisory lock
        chain = history.FinishChain() if conn.provider == "mysql" else None  # one commit less per migration
        pending, total = d.pending, len(d.pending)

        def starting(i: int) -> None:
            report(Event("applying", f"Applying migration {i + 1}/{total} `{pending[i].name}`", pending[i].name))

        def applied(i: int, result: Applied, ms: float) -> None:
            if not result.skipped:
                done.append(result)
                report(Event("applied", f"Applied migration {i + 1}/{total} `{pending[i].name}` in {ms:.0f}ms",
                             pending[i].name))

        def single(i: int) -> None:
            starting(i)
            began = time.perf_counter()
            result = apply_migration(conn, pending[i], recheck=recheck, chain=chain)
            applied(i, result, (time.perf_counter() - began) * 1000)

        try:
            if recheck is not None:  # SQLite: short migrations share a commit (group_commit.py)
                apply_in_groups(conn, pending, recheck, single, starting, applied)
            elif chain is not None:  # MySQL: runs of migrations in one query each (pipeline.py)
                apply_pipelined(conn, pending, chain, single, starting, applied)
            else:
                for i in range(total):
                    single(i)
        except BaseException:
            if chain is not None:  # the last applied migration's mark, whatever failed after it
                with contextlib.suppress(DatabaseError):  # the connection may be gone: the error above says so
                    chain.close(conn)
            raise
        if chain is not None:
            chain.close(conn)
        report(Event("applied_all"))
        return done


def print_applied(done: list[Applied], root: str = "migrations/") -> None:
    for a in done:
        if not a.transactional and a.reason and a.reason != MYSQL_REASON:  # always so on MySQL
            out(f"Note: `{a.name}` was applied statement by statement, not in one transaction ({a.reason}).")
    out("The following migration(s) have been applied:")
    out()
    out(tree(root, [a.name for a in done]))


@dataclass
class Deployed:
    local: list[LocalMigration]  # the migrations folder
    applied: list[Applied]  # applied by this deploy, in order
    database_created: bool


def deploy(ctx: Context, *, ignore_checksums: bool = False, wait_replicas: tuple[str, ...] = (),
           replica_timeout_ms: int | None = None, report: Reporter = print_event) -> Deployed:
    """`migrate deploy`'s work (lamina.api.migrate_deploy; the CLI prints its events and result).
    `wait_replicas` (`--wait-replicas`): PostgreSQL replicas that must have replayed the
    migrations before the command ends (replicas.py), checked before anything is applied."""
    replicas = _replicas(ctx, wait_replicas)
    check_lock(ctx.migrations_dir, ctx.provider)
    local = list_migrations(ctx.migrations_dir)
    for migration in local:  # every file readable as UTF-8 text before anything is touched
        migration.script
    report(Event("loaded", data=ctx))
    created = ensure_database(ctx.url)
    if created:
        report(Event("created", created))
    report(Event("found", found_line(len(local), ctx.migrations_display)))
    with connect(ctx.url, create=True) as conn:
        if (cluster := cluster_of(conn)) is not None:
            report(Event("cluster", f"{ctx.datasource.describe()} is a node of a {cluster.describe()}: migrations are "
                                    "applied under a cluster-wide lease"))
        done = apply_pending(conn, local, ignore_checksums=ignore_checksums, mysql_note=True, report=report)
        if replicas:
            from lamina.migrate.replicas import DEFAULT_TIMEOUT_MS, wait_for_replicas

            report(Event("waiting_replicas"))
            wait_for_replicas(conn, replicas, DEFAULT_TIMEOUT_MS if replica_timeout_ms is None else replica_timeout_ms,
                              say=lambda line: report(Event("replica", line)))
    return Deployed(local, done, created is not None)


def _replicas(ctx: Context, values: tuple[str, ...]) -> list:
    if not values:
        return []
    if ctx.provider != "postgresql":
        raise LaminaError("--wait-replicas waits for PostgreSQL streaming replicas; the datasource is "
                          f"{ctx.provider}.")
    from lamina.migrate.replicas import replica_urls

    return replica_urls(values)
