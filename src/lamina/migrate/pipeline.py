"""MySQL: runs of migrations sent to the server in one query each, with their history writes.

MySQL has no transactional DDL, so a migration runs statement by statement between its started
row and its finished mark (apply.py). Sent one statement at a time, the server waits for Lamina
between statements and Lamina waits for the server: a deploy of 1,000 one-table migrations took
1.4x the `mariadb` client's time on the same SQL. Here a run of migrations goes as ONE
multi-statement query:

    INSERT m1 started; m1's statements; BEGIN; UPDATE m1 finished; INSERT m2 started; COMMIT;
    m2's statements; ...; UPDATE mk finished

The server runs the statements in order, without a round trip between them, and stops at the
first that fails. Its results come back one by one (MysqlConnection.results_of), so Lamina knows
after each which statement of which migration ran: progress is reported as it happens, and a
failure is recorded exactly as apply.py records the same failure (the started row was committed
before the migration's first statement, the statements before the failing one stay applied).
The history rows are those of the statement-by-statement path, with the server's clock.

A query is kept short, because a server does not notice that its client is gone before the
query ends: after a SIGKILL of Lamina, or a network cut, it runs the rest of the query. That rest
carries its own history writes, so what the server completes is recorded as Lamina would have
recorded it; and it is at most about WINDOW_S of work (the run's length is chosen from the time
the migrations before took) or one migration. An interruption Lamina sees (Ctrl-C, an error
raised by the caller's reporter) ends the server's session first (KILL): the migration it was
running is left failed, as an interrupted migration always is on MySQL.

Applied alone, through apply_migration: migrations with a migration.py (Python runs between the
SQL and the mark), with a statement that may give several results (CALL, EXECUTE, MariaDB's
compound statements; each result must be one statement's), with LOAD DATA or USE, and scripts
larger than MAX_BYTES.
"""

from __future__ import annotations

import contextlib
import re
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lamina.db.connection import Connection, DatabaseError, StatementFailed
from lamina.migrate import history
from lamina.migrate.apply import MYSQL_REASON, Applied, statement_failed
from lamina.migrate.group_commit import Committed, Single, Started
from lamina.migrate.directory import LocalMigration

WINDOW_S = 0.05  # the work one query is planned to hold
MAX_MIGRATIONS = 64
MAX_BYTES = 256 * 1024  # far below any server's max_allowed_packet (at least 1 MiB by default)
# Statements that may give several results (a procedure, MariaDB's compound statements outside a
# routine: BEGIN NOT ATOMIC, IF, CASE, loops, labels) or act on the session's own files or
# database (LOAD DATA LOCAL, USE): their migration goes alone.
_ALONE = re.compile(r"^\s*(?:(?:--[^\n]*|#[^\n]*)?\n\s*|/\*.*?\*/\s*)*"
                    r"(?:(?:CALL|EXECUTE|LOAD|USE|IF|CASE|LOOP|WHILE|REPEAT|FOR)\b|BEGIN\s+NOT\s+ATOMIC\b|\w+\s*:)",
                    re.I | re.S)

@dataclass
class _Step:
    """One statement of the query: whose, and what it is."""
    migration: int  # index in the run
    kind: str  # "history" (a write of the chain), "starts" (it commits the migration's started row), "sql", "end"
    statement: int = -1  # the migration's statement index, for "sql"


def sent_statements(conn: Connection, migration: LocalMigration) -> list[str] | None:
    """The migration's statements when it can go in a query with others, else None."""
    if migration.has_python or len(migration.data) > MAX_BYTES:
        return None
    statements = conn.statements(migration.script)
    return None if any(_ALONE.match(s) for s in statements) else statements


def apply_pipelined(conn: Connection, pending: Sequence[LocalMigration], chain: history.FinishChain,
                    single: Single, starting: Started, finished: Committed) -> None:
    """Apply `pending` in order: runs of migrations in one query each, the others through `single`."""
    per_migration_s = None  # how long a migration has taken on this server, once seen
    split: dict[int, list[str] | None] = {}  # sent_statements of pending[j], read ahead

    def statements(j: int) -> list[str] | None:
        return split.pop(j) if j in split else sent_statements(conn, pending[j])

    i = 0
    while i < len(pending):
        first = statements(i)
        if first is None:
            single(i)
            i += 1
            continue
        run, size = [first], len(pending[i].data)
        planned = 1 if per_migration_s is None else max(1, min(MAX_MIGRATIONS, int(WINDOW_S / per_migration_s)))
        while len(run) < planned and i + len(run) < len(pending):
            nxt = pending[i + len(run)]
            more = statements(i + len(run)) if size + len(nxt.data) <= MAX_BYTES else None
            if more is None:
                split.pop(i + len(run), None)
                break
            run.append(more)
            size += len(nxt.data)
        after = range(i + len(run), min(len(pending), i + len(run) + planned))

        def read_ahead() -> None:  # while the server runs this query: the next one's statements
            try:
                split.update((j, sent_statements(conn, pending[j])) for j in after)
            except Exception:  # noqa: BLE001 - raised again outside the query, when its turn comes
                split.clear()

        began = time.perf_counter()
        _send(conn, pending, i, run, chain, starting, finished, read_ahead)
        per_migration_s = max((time.perf_counter() - began) / len(run), 1e-4)
        i += len(run)


def _send(conn: Connection, pending: Sequence[LocalMigration], first: int, run: list[list[str]],
          chain: history.FinishChain, starting: Started, finished: Committed, read_ahead: Callable[[], None]) -> None:
    """One query: migrations pending[first:first+len(run)] (their statements `run`).
    `read_ahead` runs once the server has begun, while it works."""
    row_ids = [str(uuid.uuid4()) for _ in run]
    sql: list[str] = []
    steps: list[_Step] = []
    chained = previous = chain.take()  # an applied migration whose mark is still to write
    for k, statements in enumerate(run):
        migration = pending[first + k]
        started = history.started_sql(conn, row_ids[k], migration.name, migration.checksum)
        if previous is None:
            sql.append(started)
            steps.append(_Step(k, "starts"))
        else:  # the previous migration's mark and this one's started row: one commit
            sql += ["BEGIN", history.finished_sql(conn, previous), started, "COMMIT"]
            steps += [_Step(k, "history")] * 3 + [_Step(k, "starts")]
        sql += statements
        steps += [_Step(k, "sql", j) for j in range(len(statements))]
        previous = row_ids[k]
    sql.append(history.finished_sql(conn, previous))
    steps.append(_Step(len(run) - 1, "end"))

    began: dict[int, float] = {}

    def done(k: int) -> None:  # migration k of the run is applied and its mark committed
        finished(first + k, Applied(pending[first + k].name, False, MYSQL_REASON),
                 (time.perf_counter() - began[k]) * 1000)

    try:
        for index in conn.results_of(sql):  # type: ignore[attr-defined]
            if index == 0:
                read_ahead()
            step = steps[index]
            if step.kind == "starts":
                if step.migration > 0:
                    done(step.migration - 1)
                began[step.migration] = time.perf_counter()
                starting(first + step.migration)
            elif step.kind == "end":
                done(step.migration)
    except StatementFailed as failed:
        step = steps[failed.index]
        if step.kind == "sql":
            raise statement_failed(conn, pending[first + step.migration], run[step.migration], step.statement,
                                   failed.error, row_ids[step.migration],
                                   sent_after=len(run) - 1 - step.migration) from None
        before = row_ids[step.migration - 1] if step.migration > 0 else chained
        _history_write_failed(conn, step, before, failed.error)
    except BaseException:
        # Interrupted here (Ctrl-C, the reporter): the server would run the rest of the
        # query, so it is stopped; the migration it runs is left unfinished, as after any interruption.
        conn.end_session()  # type: ignore[attr-defined]
        raise


def _history_write_failed(conn: Connection, step: _Step, before: str | None, error: DatabaseError) -> None:
    """A history write of the query failed (the table locked, say): raise it as the
    statement-by-statement path would (FinishChain), with the applied migration before it
    (`before`, whose mark was in the failed transaction) marked finished."""
    if step.kind != "end":
        with contextlib.suppress(DatabaseError):  # the connection may be gone: the error says so
            conn.execute("ROLLBACK")  # the mark's transaction, when the failure was inside it
            if before is not None:
                history.record_finished(conn, before)
    raise error
