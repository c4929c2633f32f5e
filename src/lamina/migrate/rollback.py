"""`migrate rollback [--to NAME | --steps N] [--force]`: apply the down.sql of the newest
applied migrations, newest first, and mark each one rolled back in `_prisma_migrations`.

The history stays Prisma's: the migration's row keeps its `finished_at` and gets a
`rolled_back_at`, as `migrate resolve --rolled-back` marks a row. Prisma and Lamina ignore
rolled-back rows, so the migration is pending again (`migrate status`), and the next
`migrate deploy` applies it with a new row.

Each down runs in one transaction with the row's update where the database has
transactional DDL (PostgreSQL, SQLite): a failing down changes nothing. On MySQL it runs
statement by statement, and a failure says how far it got.

A Python data migration (migration.py) is undone by its `downgrade(db)`, run before the
folder's down.sql (upgrade ran after the SQL), in the same transaction. A data-only migration
(no SQL statements) needs no down.sql.

Refused before anything runs: a migration without down.sql (written by hand or by Prisma),
a migration.py without `downgrade(db)`, a down marked `-- Irreversible:` (without `--force`),
failed migrations in the history, an applied migration missing from the folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lamina.db.connection import Connection, DatabaseError
from lamina.api_errors import RollbackError
from lamina.errors import LaminaError
from lamina.migrate import history
from lamina.migrate.context import Context
from lamina.migrate.directory import LocalMigration, check_lock, list_migrations
from lamina.migrate.down import DOWN_FILE, read_irreversible
from lamina.migrate.events import Event, Reporter, print_event
from lamina.migrate.history import HistoryRow
from lamina.migrate.lock import migration_lock
from lamina.migrate.output import plural


def rollback(ctx: Context, to: str | None = None, steps: int | None = None, force: bool = False,
             report: Reporter = print_event) -> list[str]:
    """Roll back under the migration lock; the names rolled back, newest first (none when `to`
    is the last applied migration)."""
    from lamina.db.connection import connect

    if to is not None and steps is not None:
        raise RollbackError("Pass --to NAME or --steps N, not both.")
    if steps is not None and steps < 1:
        raise RollbackError("--steps must be 1 or more.")
    check_lock(ctx.migrations_dir, ctx.provider)
    report(Event("loaded", data=ctx))
    local = {m.name: m for m in list_migrations(ctx.migrations_dir)}
    with connect(ctx.url) as conn, migration_lock(conn):
        rows = history.read(conn)
        if rows is None:
            raise RollbackError("The database has no migration history (`_prisma_migrations`): nothing to roll back.")
        failed = [r.migration_name for r in rows if r.is_failed]
        if failed:
            raise LaminaError(
                "Failed migrations in the history: " + ", ".join(failed) + ". Settle them first with "
                "`lamina migrate resolve --rolled-back NAME` or `--applied NAME`.", code="P3009")
        chosen = _choose(_applied(rows), to, steps)
        if not chosen:
            return []
        plans = [(row, _down_of(conn, local, row.migration_name, force)) for row in chosen]
        report(Event("rolling_back_all"))  # a blank line before the first
        done = []
        for row, down in plans:
            report(Event("rolling_back", f"Rolling back migration `{row.migration_name}`", row.migration_name))
            _roll_back(conn, row, down)
            done.append(row.migration_name)
    return done


def _applied(rows: list[HistoryRow]) -> list[HistoryRow]:
    """The applied rows, oldest first, one per migration (its latest)."""
    latest: dict[str, HistoryRow] = {}
    for r in rows:
        if r.is_applied:
            latest.pop(r.migration_name, None)
            latest[r.migration_name] = r
    return sorted(latest.values(), key=lambda r: (r.finished_at or r.started_at, r.migration_name))


def _choose(applied: list[HistoryRow], to: str | None, steps: int | None) -> list[HistoryRow]:
    """The rows to roll back, newest first."""
    if to is not None:
        names = [r.migration_name for r in applied]
        if to not in names:
            raise RollbackError(f"`--to {to}`: no applied migration has that name. Applied: "
                              + (", ".join(names) or "none") + ".")
        return list(reversed(applied[names.index(to) + 1:]))
    n = steps or 1
    if n > len(applied):
        raise RollbackError(f"Cannot roll back {n} {plural(n, 'migration')}: only {len(applied)} "
                          f"{'is' if len(applied) == 1 else 'are'} applied.")
    return list(reversed(applied[-n:]))


@dataclass
class Down:
    migration: LocalMigration
    statements: list[str]  # down.sql's
    downgrade: Any  # migration.py's downgrade(db), or None


def _down_of(conn: Connection, local: dict[str, LocalMigration], name: str, force: bool) -> Down:
    from lamina.errors import decode_text
    from lamina.migrate.python_migration import PYTHON_FILE, load_function

    migration = local.get(name)
    if migration is None:
        raise RollbackError(f"The migration `{name}` is applied but not in the migrations folder: it cannot be rolled "
                          "back from here.")
    downgrade = None
    if migration.has_python:
        downgrade = load_function(migration.python_path, name, "downgrade")
        if downgrade is None:
            raise RollbackError(
                f"The migration `{name}` has a {PYTHON_FILE} without `def downgrade(db)`, so Lamina cannot undo its "
                f"data change. Nothing was rolled back. Write downgrade(db) in {migration.python_path} (the inverse "
                "of upgrade) and run the rollback again, or create a new migration that reverts it.")
    path = migration.folder / DOWN_FILE
    if not path.is_file():
        if downgrade is not None and not conn.statements(migration.script):  # data only: nothing else to undo
            return Down(migration, [], downgrade)
        raise RollbackError(
            f"The migration `{name}` has no {DOWN_FILE} (it was written by hand, or by Prisma), so Lamina cannot roll "
            f"it back. Nothing was rolled back. Write {path} (the SQL that reverts it) and run the rollback again, "
            "or create a new migration that reverts it.")
    script = decode_text(path.read_bytes(), path, f" (migration `{name}`)")
    reasons = read_irreversible(script)
    if reasons and not force:
        raise RollbackError(
            f"The down migration of `{name}` is irreversible:\n" + "\n".join(f"  - {r}" for r in reasons)
            + "\nRolling it back restores the schema but not that data. Pass --force to roll back anyway.")
    return Down(migration, conn.statements(script), downgrade)


def _roll_back(conn: Connection, row: HistoryRow, down: Down) -> None:
    """downgrade(db) first (upgrade ran after the SQL), then down.sql, then the history row."""
    from lamina.migrate.apply import non_transactional_reason
    from lamina.migrate.python_migration import run_function

    statements, name = down.statements, down.migration.name
    steps = len(statements) + (down.downgrade is not None)
    if non_transactional_reason(conn, statements) is None:
        try:
            with conn.transaction("BEGIN EXCLUSIVE" if conn.provider == "sqlite" else "BEGIN"):
                if down.downgrade is not None:
                    run_function(conn, down.migration, down.downgrade)
                for stmt in statements:
                    conn.execute(stmt)
                history.record_rolled_back(conn, row.id)
        except DatabaseError as exc:
            raise _failed(name, exc, None, steps) from None
        return
    done = 0
    try:
        if down.downgrade is not None:
            run_function(conn, down.migration, down.downgrade)
            done += 1
        for stmt in statements:
            conn.execute(stmt)
            done += 1
    except DatabaseError as exc:
        raise _failed(name, exc, done, steps) from None
    history.record_rolled_back(conn, row.id)


def _failed(name: str, exc: DatabaseError, done: int | None, total: int) -> RollbackError:
    if done is None:
        state = "It ran in one transaction, which was rolled back: nothing of it was applied, and the migration is " \
                "still recorded as applied."
    else:
        state = (f"Statement {done + 1} of {total} failed; the {done} statement(s) before it were applied and were "
                 "NOT rolled back (MySQL runs DDL statement by statement). The migration is still recorded as "
                 "applied: finish or undo the down by hand.")
    stmt = f"\n\nFailing statement:\n{exc.statement.strip()}" if exc.statement else ""
    return RollbackError(f"The down migration of `{name}` failed.\n\nDatabase error code: {exc.db_code or 'unknown'}\n\n"
                       f"Database error:\n{exc.message}{stmt}\n\n{state}")
