"""The `_prisma_migrations` table, created and written exactly as Prisma does.

Rows: `id` uuid4, `checksum` sha256 hex, `started_at`, `finished_at` (NULL while running
or after a failure), `logs` (the error of a failed run; '' for `resolve --applied`),
`rolled_back_at`, `applied_steps_count` (1 for an applied migration, 0 for a failed one, except
a migration run statement by statement (MySQL): the statements that succeeded before the failure).
Timestamps are written in UTC; SQLite stores ISO text with milliseconds and `+00:00`
(what Prisma's SQLite connector writes), and both text and epoch-milliseconds are read.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from dataclasses import dataclass

from lamina.db.connection import Connection, DatabaseError

TABLE = "_prisma_migrations"

_DDL = {
    "postgresql": """CREATE TABLE {table} (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)""",
    "sqlite": """CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)""",
    "mysql": """CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             DATETIME(3),
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          DATETIME(3),
    started_at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    applied_steps_count     INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4""",
}

_MISSING_TABLE_CODES = {"42P01", "3F000", "1146"}


@dataclass
class HistoryRow:
    id: str
    checksum: str
    finished_at: _dt.datetime | None
    migration_name: str
    logs: str | None
    rolled_back_at: _dt.datetime | None
    started_at: _dt.datetime
    applied_steps_count: int

    @property
    def is_failed(self) -> bool:
        return self.finished_at is None and self.rolled_back_at is None

    @property
    def is_applied(self) -> bool:
        return self.finished_at is not None and self.rolled_back_at is None

    @property
    def is_rolled_back(self) -> bool:
        return self.rolled_back_at is not None


def table_name(conn: Connection) -> str:
    if conn.provider == "postgresql":
        return f'"{conn.schema}"."{TABLE}"'
    if conn.provider == "mysql":
        return TABLE
    return f'"{TABLE}"'


def now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def _to_db(conn: Connection, value: _dt.datetime | None):
    if value is None:
        return None
    if conn.provider == "sqlite":
        return value.astimezone(_dt.timezone.utc).isoformat(timespec="milliseconds")
    if conn.provider == "mysql":
        return value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value


def _from_db(value) -> _dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)
    if isinstance(value, (int, float)):  # epoch milliseconds
        return _dt.datetime.fromtimestamp(value / 1000, _dt.timezone.utc)
    text = str(value).strip().replace(" ", "T", 1)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = _dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            return _dt.datetime.fromtimestamp(int(text) / 1000, _dt.timezone.utc)
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.timezone.utc)


def create_table(conn: Connection) -> None:
    if conn.provider == "postgresql" and conn.schema != "public":
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{conn.schema}"')
    conn.execute(_DDL[conn.provider].format(table=table_name(conn)))


def read(conn: Connection) -> list[HistoryRow] | None:
    """All rows ordered by start time, or None when the table does not exist."""
    rows = _query_history(
        conn,
        "SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count "
        f"FROM {table_name(conn)} ORDER BY started_at ASC",
    )
    if rows is None:
        return None
    return [
        HistoryRow(str(r[0]), r[1], _from_db(r[2]), r[3], r[4], _from_db(r[5]), _from_db(r[6]) or now(), int(r[7] or 0))
        for r in rows
    ]


class AppliedMeanwhile:
    """SQLite's recheck inside `BEGIN EXCLUSIVE` (it has no advisory lock): did another process
    apply this migration since deploy read the history? Each question reads only the rows written
    since the previous one (by rowid), so deploying n migrations reads the history once in all:
    reading every row before each migration made it cost n² (10,000 migrations took 149 s)."""

    def __init__(self) -> None:
        self.last_rowid = 0
        self.live: set[str] = set()  # names with a row that is not rolled back, as of last_rowid

    def __call__(self, conn: Connection, name: str) -> bool:
        self.refresh(conn)
        return name in self.live

    def refresh(self, conn: Connection) -> None:
        """Read the rows written since the last look."""
        rows = _query_history(
            conn, f"SELECT rowid, migration_name, rolled_back_at FROM {table_name(conn)} WHERE rowid > ? ORDER BY rowid",
            [self.last_rowid])
        for rowid, row_name, rolled_back_at in rows or ():
            self.last_rowid = rowid
            if rolled_back_at is None:
                self.live.add(row_name)


def _query_history(conn: Connection, sql: str, params: list | None = None) -> list[tuple] | None:
    """`sql`'s rows, or None when the history table does not exist."""
    try:
        return conn.query(sql, params or ())
    except DatabaseError as exc:
        if exc.db_code in _MISSING_TABLE_CODES or "no such table" in exc.message:
            if conn.in_transaction and conn.provider == "postgresql":
                raise
            return None
        raise


def record_started(conn: Connection, name: str, checksum: str) -> str:
    row_id, sql, params = _started(conn, name, checksum)
    conn.execute(sql, params)
    return row_id


def _started(conn: Connection, name: str, checksum: str, row_id: str | None = None) -> tuple[str, str, tuple]:
    row_id = row_id or str(uuid.uuid4())
    insert = f"INSERT INTO {table_name(conn)} (id, checksum, migration_name, started_at, applied_steps_count) "
    if conn.provider == "mysql":  # the server's clock (_MYSQL_NOW)
        return row_id, insert + f"VALUES (?, ?, ?, {_MYSQL_NOW}, 0)", (row_id, checksum, name)
    return row_id, insert + "VALUES (?, ?, ?, ?, 0)", (row_id, checksum, name, _to_db(conn, now()))


# On MySQL a deploy sends several migrations and their history writes in one query
# (migrate/pipeline.py), whose times only the server can tell: every started and finished time a
# MySQL deploy writes is the server's, so that one deploy's rows never mix two clocks (ordered by
# started_at, rows of two hosts' clocks could swap places).
_MYSQL_NOW = "UTC_TIMESTAMP(3)"


def record_applied_in_transaction(conn: Connection, name: str, checksum: str, started: _dt.datetime) -> None:
    """The row of a migration applied inside its own transaction, written at the end of that
    transaction, already finished: the row a started INSERT and a finished UPDATE leave (started_at
    when it started, finished_at now, one step, no logs), in one statement instead of two. Nobody
    ever sees a row between those two writes (the transaction commits or rolls back both), so only
    the statement-by-statement path writes its started row first."""
    conn.execute(
        f"INSERT INTO {table_name(conn)} (id, checksum, migration_name, started_at, finished_at, applied_steps_count) "
        "VALUES (?, ?, ?, ?, ?, 1)",
        (str(uuid.uuid4()), checksum, name, _to_db(conn, started), _to_db(conn, now())),
    )


def applied_batch_sql(conn: Connection, name: str, checksum: str, script: str, started: _dt.datetime) -> str:
    """PostgreSQL: one round trip that applies `script` and records it, in one transaction:
    BEGIN; the script; INSERT its row as record_applied_in_transaction writes it (finished_at by
    clock_timestamp(), so after started_at); COMMIT.

    The script goes by the simple query protocol, which takes no parameters, so the history
    values are written as literals by psycopg's own quoting (`sql.Literal`, which knows the
    connection's encoding and standard_conforming_strings), never by string pasting."""
    from psycopg import sql

    values = ", ".join(sql.Literal(v).as_string(conn.raw) for v in (str(uuid.uuid4()), checksum, name, started))
    insert = (f"INSERT INTO {table_name(conn)} (id, checksum, migration_name, started_at, finished_at, "
              f"applied_steps_count) VALUES ({values}, clock_timestamp(), 1)")
    # newlines around the script: its last line may be a comment or lack its `;`
    return f"BEGIN;\n{script}\n;\n{insert};\nCOMMIT;"


def record_finished(conn: Connection, row_id: str, at: _dt.datetime | None = None) -> None:
    """The row of a migration that applied wholly: finished at `at` (default now), one step more."""
    conn.execute(*_finished(conn, row_id, at))


def _finished(conn: Connection, row_id: str, at: _dt.datetime | None = None) -> tuple[str, tuple]:
    update = f"UPDATE {table_name(conn)} SET finished_at = {{}}, applied_steps_count = applied_steps_count + 1 WHERE id = ?"
    if conn.provider == "mysql" and at is None:
        return update.format(_MYSQL_NOW), (row_id,)
    return update.format("?"), (_to_db(conn, at or now()), row_id)


def started_sql(conn: Connection, row_id: str, name: str, checksum: str) -> str:
    """MySQL: record_started's INSERT with its values bound, for a multi-statement query."""
    _, sql, params = _started(conn, name, checksum, row_id)
    return conn.bind(sql, params)  # type: ignore[attr-defined]


def finished_sql(conn: Connection, row_id: str) -> str:
    """MySQL: record_finished's UPDATE with its values bound, for a multi-statement query."""
    return conn.bind(*_finished(conn, row_id))  # type: ignore[attr-defined]


class FinishChain:
    """MySQL: every migration runs statement by statement and every history write is a commit of
    its own (a flush of InnoDB's redo log). Chained, a migration's finished mark is written in the
    same transaction as the next migration's started row: one commit for both, instead of two, and
    one round trip (Connection.execute_in_one_transaction). Migrations sent in one query
    (pipeline.py) chain their writes inside it; this chain is for those applied alone.

    What a crash leaves is what Prisma's protocol leaves: at most one unfinished row, the last
    one, and every row before it finished. The mark carries the server's time when it is written,
    with the next migration's started row: a moment after the migration's last statement.
    `close()` writes the last migration's mark; a deploy calls it in every case (also when a later
    step failed), so that no applied migration stays unfinished in the history unless the
    connection itself is gone."""

    def __init__(self) -> None:
        self._pending: str | None = None  # the row id of an applied migration without its mark

    def started(self, conn: Connection, name: str, checksum: str) -> str:
        """record_started, with the previous migration's finished mark in the same transaction."""
        if self._pending is None:
            return record_started(conn, name, checksum)
        row_id, insert, params = _started(conn, name, checksum)
        conn.execute_in_one_transaction([_finished(conn, self._pending), (insert, params)])
        self._pending = None
        return row_id

    def finished(self, row_id: str) -> None:
        """The migration of `row_id` applied wholly: its mark goes with the next write (or close())."""
        assert self._pending is None, "the previous migration's mark was not written"
        self._pending = row_id

    def take(self) -> str | None:
        """The row id whose mark is pending, now the caller's to write (pipeline.py)."""
        pending, self._pending = self._pending, None
        return pending

    def close(self, conn: Connection) -> None:
        if (pending := self.take()) is not None:
            record_finished(conn, pending)


def record_failed(conn: Connection, name: str, checksum: str, logs: str, started: _dt.datetime, steps: int = 0,
                  row_id: str | None = None) -> str:
    """A failed run: finished_at and rolled_back_at NULL, the error in `logs`."""
    if row_id is not None:
        conn.execute(
            f"UPDATE {table_name(conn)} SET logs = ?, applied_steps_count = ? WHERE id = ?", (logs, steps, row_id)
        )
        return row_id
    row_id = str(uuid.uuid4())
    conn.execute(
        f"INSERT INTO {table_name(conn)} (id, checksum, migration_name, logs, started_at, applied_steps_count) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (row_id, checksum, name, logs, _to_db(conn, started), steps),
    )
    return row_id


def record_applied(conn: Connection, name: str, checksum: str) -> str:
    """`resolve --applied`: a new row with started_at = finished_at, no steps, logs ''."""
    row_id = str(uuid.uuid4())
    ts = _to_db(conn, now())
    conn.execute(
        f"INSERT INTO {table_name(conn)} (id, checksum, migration_name, logs, started_at, finished_at, applied_steps_count) "
        "VALUES (?, ?, ?, '', ?, ?, 0)",
        (row_id, checksum, name, ts, ts),
    )
    return row_id


# Appended to `logs` when a migration failed inside its own transaction and the database rolled
# all of it back (PostgreSQL, SQLite). It is what lets `migrate dev` know, later, that nothing
# of the failed migration is in the database; a failure recorded by Prisma (whose migrations
# are not atomic) or one applied statement by statement never carries it.
ROLLED_BACK_BY_TRANSACTION = ("Lamina: this migration ran in one transaction, which the database rolled back; "
                              "nothing of it was applied.")


def rolled_back_by_transaction(row: HistoryRow) -> bool:
    return bool(row.logs) and ROLLED_BACK_BY_TRANSACTION in row.logs  # type: ignore[operator]


def record_rolled_back(conn: Connection, row_id: str) -> None:
    conn.execute(f"UPDATE {table_name(conn)} SET rolled_back_at = ? WHERE id = ?", (_to_db(conn, now()), row_id))


def format_time(value: _dt.datetime) -> str:
    """As Prisma prints it in P3009: `2026-11-24 02:11:00.226 UTC`."""
    v = value.astimezone(_dt.timezone.utc)
    return v.strftime("%Y-%m-%d %H:%M:%S.") + f"{v.microsecond // 1000:03d} UTC"
