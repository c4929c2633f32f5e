"""SQLite: consecutive short migrations share one commit (group commit).

On SQLite each commit waits for the disk several times (the rollback journal, then the
database file, each synced), and that wait, not the SQL, is most of what a deploy of many small
migrations costs: about 1 ms per migration on a local disk, where running the migration takes
0.2 ms. So deploy applies a run of migrations inside one `BEGIN EXCLUSIVE` transaction, each
with its own `_prisma_migrations` row as always, and commits when the run has taken `WINDOW_S`
(or the run ends): one commit per window instead of one per migration.

What stays as it was:
- Atomicity: a group is committed or rolled back as a whole, so a crash or SIGKILL leaves every
  migration either applied and recorded or neither (the ones of the unfinished group are
  pending again; the next deploy applies them).
- Failures: when anything in a group fails (a statement, the commit itself, e.g. a deferred
  foreign key), the group is rolled back and its migrations are applied again one transaction
  each (`single`), which records and reports the failure exactly as a deploy without groups
  does, with the migrations before it applied.
- Concurrency: SQLite has no advisory lock; the group holds the database's write lock, as a
  single migration's transaction does, for at most about `WINDOW_S`, and looks at the history
  when it takes the lock (history.AppliedMeanwhile).
- Reporting: a migration is reported applied when its group has committed, never before.

Not grouped (they run alone, as before): migrations with a migration.py (arbitrary Python,
whose cost and side effects are unknown), with a statement that cannot run in a transaction,
and with PRAGMAs (their effect lasts for the connection or the whole transaction).

PostgreSQL is not grouped: a migration's DDL holds ACCESS EXCLUSIVE locks on busy tables until
its transaction ends, and a group would hold them longer. MySQL commits every DDL statement by
itself; its history writes are chained instead (history.FinishChain).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence

from lamina.db.connection import Connection, DatabaseError
from lamina.migrate import history
from lamina.migrate.apply import Applied, non_transactional_reason, record_failure
from lamina.migrate.directory import LocalMigration
from lamina.migrate.lock import is_lock_timeout

WINDOW_S = 0.05  # the longest a group keeps its commit (and the write lock) waiting
_PRAGMA = re.compile(r"^\s*(--[^\n]*\n\s*)*PRAGMA\b", re.I)

Single = Callable[[int], None]  # apply pending[i] alone, as a deploy without groups does
Started = Callable[[int], None]  # pending[i] starts (its "applying" event)
Committed = Callable[[int, Applied, float], None]  # pending[i] is applied and committed, in ms


def grouped_statements(conn: Connection, migration: LocalMigration) -> list[str] | None:
    """The migration's statements when it can join a group, else None."""
    if migration.has_python:
        return None
    statements = conn.statements(migration.script)
    if non_transactional_reason(conn, statements) is not None or any(_PRAGMA.match(s) for s in statements):
        return None
    return statements


def apply_in_groups(conn: Connection, pending: Sequence[LocalMigration], recheck: history.AppliedMeanwhile,
                    single: Single, started: Started, committed: Committed) -> None:
    """Apply `pending` in order: runs of groupable migrations in groups, the others through `single`."""
    plans: dict[int, list[str] | None] = {}

    def statements(i: int) -> list[str] | None:
        if i not in plans:
            plans[i] = grouped_statements(conn, pending[i])
        return plans[i]

    i = 0
    while i < len(pending):
        if statements(i) is None:
            single(i)
            i += 1
            continue
        done: list[tuple[int, Applied, float]] = []
        inside = True  # False once the group's last migration ran: a failure then is the commit's
        try:
            with conn.transaction("BEGIN EXCLUSIVE"):
                recheck.refresh(conn)  # what others applied before the lock was ours
                opened = time.perf_counter()
                while True:
                    started(i)
                    began = time.perf_counter()
                    applied = _apply_member(conn, pending[i], statements(i), recheck)  # type: ignore[arg-type]
                    done.append((i, applied, (time.perf_counter() - began) * 1000))
                    i += 1
                    if i == len(pending) or time.perf_counter() - opened >= WINDOW_S or statements(i) is None:
                        break
                inside = False
        except DatabaseError as err:  # rolled back: apply the group's migrations one transaction each
            if not done and is_lock_timeout(conn, err):  # the lock was never ours: do not wait for it twice
                raise record_failure(conn, pending[i], err, history.now()) from None
            for j, _, _ in done:
                single(j)
            if inside:  # the one that failed: `single` records and raises its error (or applies it)
                single(i)
                i += 1
            continue
        for j, applied, ms in done:
            committed(j, applied, ms)


def _apply_member(conn: Connection, migration: LocalMigration, statements: list[str],
                  recheck: history.AppliedMeanwhile) -> Applied:
    if migration.name in recheck.live:  # another process applied it before this group took the lock
        return Applied(migration.name, True, skipped=True)
    started = history.now()
    for stmt in statements:
        conn.execute(stmt)
    history.record_applied_in_transaction(conn, migration.name, migration.checksum, started)
    return Applied(migration.name, True)
