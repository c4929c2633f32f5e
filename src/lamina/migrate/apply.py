"""Apply one migration: atomically where the database allows it, recorded as Prisma does.

PostgreSQL and SQLite have transactional DDL, so a migration runs inside one transaction
together with its `_prisma_migrations` row: it is either wholly applied and recorded, or
not at all (a crash or SIGKILL midway leaves nothing behind). When it fails, the
transaction is rolled back and a failed row (logs = the error) is written, then P3018.

Some statements cannot run inside a transaction (`CREATE INDEX CONCURRENTLY`, `VACUUM`,
`ALTER SYSTEM`, `CREATE/DROP DATABASE`, `ALTER TYPE ... ADD VALUE` before PostgreSQL 12,
or a script with its own BEGIN/COMMIT); such a migration runs statement by statement,
as Prisma runs every migration, and says so. MySQL has no transactional DDL: always so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lamina.db.admin import server_version
from lamina.db.connection import Connection, DatabaseError
from lamina.errors import LaminaError
from lamina.migrate import history
from lamina.migrate.directory import LocalMigration
from lamina.migrate.lock import is_lock_timeout, lock_timeout_error
from lamina.migrate.python_migration import run_upgrade

_NON_TX = [
    (re.compile(r"^\s*(CREATE|DROP)\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY\b", re.I), "CREATE INDEX CONCURRENTLY"),
    (re.compile(r"^\s*REINDEX\b.*\bCONCURRENTLY\b", re.I | re.S), "REINDEX CONCURRENTLY"),
    (re.compile(r"^\s*VACUUM\b", re.I), "VACUUM"),
    (re.compile(r"^\s*ALTER\s+SYSTEM\b", re.I), "ALTER SYSTEM"),
    (re.compile(r"^\s*(CREATE|DROP)\s+DATABASE\b", re.I), "CREATE/DROP DATABASE"),
    (re.compile(r"^\s*(CREATE|DROP)\s+TABLESPACE\b", re.I), "CREATE/DROP TABLESPACE"),
    (re.compile(r"^\s*(BEGIN|COMMIT|START\s+TRANSACTION|END|ROLLBACK)\s*(TRANSACTION|WORK)?\s*;?\s*$", re.I),
     "its own BEGIN/COMMIT"),
]
MYSQL_REASON = "MySQL has no transactional DDL"  # why every MySQL migration runs statement by statement
_ADD_VALUE = re.compile(r"^\s*ALTER\s+TYPE\b.*\bADD\s+VALUE\b", re.I | re.S)
_LEADING_COMMENTS = re.compile(r"^(\s*(--[^\n]*\n|/\*.*?\*/))*", re.S)


@dataclass
class Applied:
    name: str
    transactional: bool
    reason: str | None = None  # why it ran statement by statement
    skipped: bool = False  # another process applied it meanwhile


def non_transactional_reason(conn: Connection, statements: list[str]) -> str | None:
    """Why this migration cannot run in one transaction, or None."""
    if conn.provider == "mysql":
        return MYSQL_REASON
    old_pg = None
    for stmt in statements:
        body = _LEADING_COMMENTS.sub("", stmt, count=1)
        for pattern, label in _NON_TX:
            if pattern.search(body):
                return f"contains {label}"
        if conn.provider == "postgresql" and _ADD_VALUE.search(body):
            if old_pg is None:
                old_pg = server_version(conn) < 120000
            if old_pg:
                return "contains ALTER TYPE ... ADD VALUE (PostgreSQL < 12)"
    return None


def p3018(name: str, err: DatabaseError, partial: tuple[int, int, str] | None = None) -> LaminaError:
    """Prisma's P3018. `partial` (statements applied, statements in all, the failing one): a
    migration run statement by statement, whose first statements stay applied."""
    where = ""
    if partial is not None:
        done, total, stmt = partial
        where = (f"\nStatement {done + 1} of {total} failed; the {done} statement(s) before it were applied and "
                 "were NOT rolled back (the migration ran statement by statement). Fix the database by hand, then run "
                 f"`lamina migrate resolve --applied {name}` (finished by hand) or "
                 f"`lamina migrate resolve --rolled-back {name}` (reverted by hand).\n\n"
                 f"Failing statement:\n{stmt.strip()}\n")
    return LaminaError(
        "A migration failed to apply. New migrations cannot be applied before the error is recovered from. "
        "Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\n"
        f"Migration name: {name}\n\nDatabase error code: {err.db_code or 'unknown'}\n\nDatabase error:\n{err.message}\n"
        + where,
        code="P3018",
    )


def _logs(name: str, err: DatabaseError) -> str:
    return p3018(name, err).render()


def apply_migration(conn: Connection, migration: LocalMigration, *,
                    recheck: history.AppliedMeanwhile | None = None,
                    chain: history.FinishChain | None = None) -> Applied:
    """Run `migration` and record it. `recheck`: look at the history inside the transaction
    and skip when another process applied it meanwhile (SQLite, which has no advisory lock).
    `chain` (MySQL, where every migration runs statement by statement): the finished mark is
    left to the chain, which writes it with the next migration's started row."""
    script = migration.script
    checksum = migration.checksum
    statements = conn.statements(script)
    reason = non_transactional_reason(conn, statements)
    started = history.now()
    python = migration.has_python  # migration.py: upgrade(db) after the SQL, on the same connection
    if reason is None and hasattr(conn, "execute_batch") and recheck is None and not python:  # PostgreSQL: one round trip
        try:
            conn.execute_batch(history.applied_batch_sql(conn, migration.name, checksum, script, started))
        except DatabaseError as err:
            if connection_lost(conn, err):
                raise lost_error(migration.name, err, None, len(statements), transactional=True) from None
            conn.execute("ROLLBACK")  # the failed transaction; then the failure is recorded
            raise record_failure(conn, migration, err, started) from None
        return Applied(migration.name, True)
    if reason is None:
        begin = "BEGIN EXCLUSIVE" if conn.provider == "sqlite" else "BEGIN"
        try:
            with conn.transaction(begin):
                if recheck is not None and recheck(conn, migration.name):
                    return Applied(migration.name, True, skipped=True)
                started = history.now()  # the lock is ours: the migration starts now
                if conn.provider == "postgresql":
                    conn.execute_script(script)  # one round trip
                else:
                    for stmt in statements:
                        conn.execute(stmt)
                if python:  # in the same transaction as the SQL and the history row
                    run_upgrade(conn, migration)
                history.record_applied_in_transaction(conn, migration.name, checksum, started)
        except DatabaseError as err:
            if connection_lost(conn, err):
                raise lost_error(migration.name, err, None, len(statements), transactional=True) from None
            raise record_failure(conn, migration, err, started) from None
        return Applied(migration.name, True)
    if recheck is not None and recheck(conn, migration.name):
        return Applied(migration.name, False, reason, skipped=True)
    row_id = chain.started(conn, migration.name, checksum) if chain else history.record_started(
        conn, migration.name, checksum)
    for done, stmt in enumerate(statements):
        try:
            conn.execute(stmt)
        except DatabaseError as err:
            raise statement_failed(conn, migration, statements, done, err, row_id) from None
    if python:
        try:
            run_upgrade(conn, migration)
        except DatabaseError as err:
            error = p3018(migration.name, err, partial=(len(statements), len(statements) + 1, "upgrade(db) in migration.py"))
            history.record_failed(conn, migration.name, checksum, error.render(), started, steps=len(statements),
                                  row_id=row_id)
            raise error from None
    if chain is not None:
        chain.finished(row_id)
    else:
        history.record_finished(conn, row_id)  # applied_steps_count 1, as Prisma writes a success
    return Applied(migration.name, False, reason)


def statement_failed(conn: Connection, migration: LocalMigration, statements: list[str], done: int,
                     err: DatabaseError, row_id: str, *, sent_after: int = 0) -> LaminaError:
    """Statement `done` of a migration run statement by statement (its started row is `row_id`)
    failed: record how far it got and return the error to raise. Nothing is rolled back here.
    `sent_after`: migrations sent in the same query after this one (pipeline.py), which a server
    that lost its client may still have run."""
    stmt = statements[done]
    started = history.now()  # only a row written anew takes it: here the started row exists
    if connection_lost(conn, err):
        lost = dict(transactional=False, stmt=stmt, sent_after=sent_after)
        logs = lost_error(migration.name, err, done, len(statements), **lost).render()
        recorded = _record_on_new_connection(conn, migration, logs, started, done, row_id)
        return lost_error(migration.name, err, done, len(statements), recorded=recorded, **lost)
    if done == 0 and is_lock_timeout(conn, err):  # nothing applied: recorded as rolled back, retried next time
        return record_failure(conn, migration, err, started, row_id=row_id)
    # Say exactly how far it got, in the row and the error. applied_steps_count = statements
    # that succeeded (Prisma writes 0 for any failure).
    error = p3018(migration.name, err, partial=(done, len(statements), stmt))
    history.record_failed(conn, migration.name, migration.checksum, error.render(), started, steps=done, row_id=row_id)
    return error


def record_failure(conn: Connection, migration: LocalMigration, err: DatabaseError, started, row_id: str | None = None
            ) -> LaminaError:
    """Record a migration of which nothing was applied (its transaction was rolled back) and
    return the error to raise. A lock timeout is transient: its row is also marked rolled back,
    so that the next deploy applies the migration without a manual step."""
    name = migration.name
    if is_lock_timeout(conn, err):
        error = lock_timeout_error(conn, f"Migration `{name}`", err, state=(
            "Nothing of it was applied; it is recorded as rolled back and will be applied by the next deploy.\n"))
        if conn.provider == "sqlite":  # the file is still locked by the other process: nothing to record
            return error
        try:
            row = history.record_failed(conn, name, migration.checksum, error.render(), started, row_id=row_id)
            history.record_rolled_back(conn, row)
        except DatabaseError:  # the history table itself is locked: the error still says what happened
            pass
        return error
    history.record_failed(conn, name, migration.checksum,
                          f"{_logs(name, err)}\n{history.ROLLED_BACK_BY_TRANSACTION}\n", started, row_id=row_id)
    return p3018(name, err)


def connection_lost(conn: Connection, err: DatabaseError) -> bool:
    """The server ended the session (killed, restarted, network) rather than refused a statement."""
    if conn.provider == "postgresql":
        raw = conn.raw
        return (bool(getattr(raw, "closed", False) or getattr(raw, "broken", False))
                or err.db_code.startswith("08") or err.db_code in ("57P01", "57P02", "57P03"))
    if conn.provider == "mysql":
        return err.db_code in ("0", "2006", "2013", "2055", "1927") or not getattr(conn.raw, "open", True)
    return False


def _record_on_new_connection(conn: Connection, migration: LocalMigration, logs: str, started, done: int,
                              row_id: str) -> bool:
    """After a lost connection, write how far the migration got on a fresh one (best effort)."""
    from lamina.db.connection import connect

    try:
        with connect(conn.url) as fresh:
            history.record_failed(fresh, migration.name, migration.checksum, logs, started, steps=done, row_id=row_id)
        return True
    except Exception:  # noqa: BLE001 - the server may be gone: the row then stays unfinished, without logs
        return False


def lost_error(name: str, err: DatabaseError, done: int | None, total: int, *, transactional: bool,
               stmt: str | None = None, recorded: bool = False, sent_after: int = 0) -> LaminaError:
    """P1017 naming the migration, the statement and the server's reason, and what is left."""
    if transactional:
        where = f"its {total} statement(s) ran in one transaction"
        state = ("The database rolls back a transaction whose connection ends before it commits: nothing of this "
                 "migration was applied or recorded (unless the connection ended during the commit itself; "
                 "`lamina migrate status` shows it pending if not). Run `lamina migrate deploy` again.")
    else:
        assert done is not None
        where = f"statement {done + 1} of {total}"
        row = ("it is recorded as failed with this error" if recorded
               else "the history row stays unfinished (`migrate status` reports it as failed)")
        state = (f"The {done} statement(s) before it were applied; whether statement {done + 1} took effect is "
                 f"unknown, and {row}. Check the "
                 f"database, then run `lamina migrate resolve --applied {name}` (it completed, or you finished it by "
                 f"hand) or `lamina migrate resolve --rolled-back {name}` (you reverted it by hand).")
        if sent_after:
            state += (f"\nThe {sent_after} migration(s) after it were sent to the server in the same request: a server "
                      "that did not see the connection end runs them, each recorded in the history when it "
                      "completes. `lamina migrate status` shows which.")
    reason = err.message.strip() or "the server closed the connection without giving a reason"
    running = f"\n\nStatement:\n{stmt.strip()}" if stmt else ""
    return LaminaError(
        f"The connection to the database was lost while applying migration `{name}` ({where}).\n"
        f"Reason given: {reason}{running}\n\n{state}",
        code="P1017",
    )
