"""One database connection each, and the loops that drive operations (sans-IO generators) over it.

The client holds a pool of these (`pool.py`). A connection the server ended (restart, failover,
`pg_terminate_backend`, MariaDB `KILL`) fails the query that found it dead with
`ConnectionLostError` (never retried: it may have been applied) and is dropped; the pool opens a
new one for the next query. A transaction's connection is never replaced. Connections run in
autocommit mode and transactions are explicit (`BEGIN`/`COMMIT`), so a single-statement query
costs one round trip, as with the raw driver.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
from typing import Any, AsyncIterator, Callable, Generator, Iterator

from . import dialect as dialects, pg_results
from .errors import ConnectionLostError, DataError, EngineConnectionError, PrismaError

Stmt = tuple[str, list[Any]]  # or (sql, params, make_row): see SyncDriver.execute
MakeRow = Callable[[Any], Any]
_BATCH = 1000  # rows fetched at a time when each is made into something else
_binary = pg_results.binary_choice  # PostgreSQL: which makers' reads come in binary format


APPLICATION_NAME = "lamina-client"  # PostgreSQL's application_name: the client's sessions in pg_stat_activity
_MYSQL_LOST = {0, 1927, 2006, 2013, 2055, 4031}  # "connection was killed", "server has gone away", "lost connection"...


def lost_error(url: Any, exc: BaseException) -> ConnectionLostError:
    reason = str(exc).strip() or type(exc).__name__
    return ConnectionLostError(
        f"Server has closed the connection ({url.host_port}): {reason}. The query may or may not have been "
        "applied; the next query opens a new connection.")


def dialect_for(url: Any, timestamps: str = "unixepoch-ms") -> Any:
    return dialects.get(url.provider, timestamps)


def check_provider(url: Any) -> None:
    if url.provider not in ("sqlite", "postgresql", "mysql"):
        raise PrismaError(f"The {url.provider} provider is not supported by the Lamina client yet.")


def unreachable(url: Any, exc: BaseException) -> EngineConnectionError:
    return EngineConnectionError(f"Can't reach database server at {url.host_port}: {str(exc).strip()}")


class SyncDriver:
    begin = "BEGIN"
    reconnect = True  # False for a transaction's connection: a new one would run outside the transaction

    def __init__(self, url: Any, timestamps: str = "unixepoch-ms") -> None:
        self.url = url
        self.timestamps = timestamps
        self.d = dialects.get(url.provider, timestamps)
        self.conn: Any = None

    def _open(self) -> None:  # pragma: no cover - per driver
        raise NotImplementedError

    def alive(self) -> bool:
        return self.conn is not None

    def _lost(self, exc: BaseException) -> bool:
        return False

    def _fail(self, exc: BaseException) -> Exception:
        """The client's error for a driver error; a dead connection is dropped (replaced on next use)."""
        if self._lost(exc):
            with contextlib.suppress(Exception):
                self.conn.close()
            self.conn = None
            if "timed out" in str(exc):  # the URL's socket_timeout: the connection is dropped, its answer never read
                return DataError(f"Operations timed out: no answer from the server within the database URL's "
                                 f"`socket_timeout` ({str(exc).strip()}); the connection was closed.", code="P1008")
            return lost_error(self.url, exc)
        return self.d.map_error(exc) or exc  # type: ignore[return-value]

    def _revive(self) -> None:
        """Before a statement on a dropped connection: a new one, unless this is a transaction's."""
        if not self.reconnect:
            raise ConnectionLostError("Server has closed the connection of this transaction; it was rolled back.")
        self._open()

    def execute(self, sql: str, params: list[Any], make_row: MakeRow | None = None) -> tuple[list[Any], int]:
        """(rows, rowcount) of one statement; with `make_row`, each row is `make_row(row tuple)`,
        made as the driver reads it (a statement an operation yields as `(sql, params, make_row)`)."""
        raise NotImplementedError  # pragma: no cover - per driver

    def query_one(self, sql: str, params: list[Any]) -> Any:
        """The first row of a query, or None (find_unique's hot path)."""
        rows, _ = self.execute(sql, params)
        return rows[0] if rows else None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def run(self, gen: Generator[Stmt, Any, Any]) -> Any:
        execute = self.execute
        try:
            stmt = next(gen)
            while True:
                stmt = gen.send(execute(*stmt))
        except StopIteration as stop:
            return stop.value

    def run_atomic(self, gen: Generator[Stmt, Any, Any]) -> Any:
        self.execute(self.begin, [])
        try:
            result = self.run(gen)
        except BaseException:
            if self.conn is not None:
                self.execute("ROLLBACK", [])
            raise
        self.execute("COMMIT", [])
        return result


def url_number(url: Any, name: str, default: float | None) -> float | None:
    """A Prisma URL parameter's number (`connection_limit`, and seconds: `socket_timeout`, `pool_timeout`...)."""
    value = url.params.get(name)
    if value in (None, ""):
        return default
    try:
        return float(value)
    except ValueError:
        raise EngineConnectionError(f"The database URL's `{name}` must be a number, not {value!r}.") from None


class SqliteDriver(SyncDriver):
    # A write transaction takes the write lock at BEGIN: a deferred one that read first fails at
    # once with "database is locked" when it tries to write while another writer waits.
    begin = "BEGIN IMMEDIATE"

    def __init__(self, url: Any, timestamps: str = "unixepoch-ms") -> None:
        import sqlite3

        super().__init__(url, timestamps)
        self._error = sqlite3.Error
        self._open()

    def _open(self) -> None:
        import sqlite3

        url = self.url
        path = str(url.path) if url.path is not None else ":memory:"
        # Prisma's `socket_timeout` is SQLite's busy timeout: how long to wait for another writer.
        self.busy_timeout = url_number(url, "socket_timeout", 10.0) or 0.0
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=self.busy_timeout)
        except sqlite3.Error as exc:
            raise EngineConnectionError(f"Could not open the SQLite database at {path}: {exc}") from None
        self.conn.execute("PRAGMA foreign_keys = ON")

    def _fail(self, exc: BaseException) -> Exception:
        if "database is locked" in str(exc) or "database table is locked" in str(exc):
            return DataError(
                f"Operations timed out after {self.busy_timeout:g}s: the SQLite database is locked by another "
                "connection's write transaction (raise `socket_timeout` in the URL to wait longer).", code="P1008")
        return super()._fail(exc)

    def execute(self, sql: str, params: list[Any], make_row: MakeRow | None = None) -> tuple[list[Any], int]:
        try:
            cur = self.conn.execute(sql, params)
            if make_row is None:
                return cur.fetchall(), cur.rowcount
            # rows made a batch at a time: no list of every row's tuple beside what is made (one
            # row at a time would cost a tenth more)
            made: list[Any] = []
            while rows := cur.fetchmany(_BATCH):
                made += map(make_row, rows)
            return made, cur.rowcount
        except self._error as exc:
            raise self._fail(exc) from None

    def query_one(self, sql: str, params: list[Any]) -> Any:
        try:
            return self.conn.execute(sql, params).fetchone()
        except self._error as exc:
            raise self._fail(exc) from None

    def query_named(self, sql: str, params: list[Any]) -> tuple[list[str], list[Any]]:
        try:
            cur = self.conn.execute(sql, params)
            return [c[0] for c in cur.description or []], cur.fetchall()
        except self._error as exc:
            raise self._fail(exc) from None

    def stream(self, sql: str, params: list[Any], size: int, in_transaction: bool) -> Iterator[list[Any]]:
        """Rows `size` at a time: SQLite steps the statement as they are fetched (see stream.py)."""
        if self.conn is None:
            self._revive()
        cur = None
        try:
            cur = self.conn.execute(sql, params)
            while rows := cur.fetchmany(size):
                yield rows
        except self._error as exc:
            raise self._fail(exc) from None
        finally:
            if cur is not None:
                cur.close()


def pg_connect_kwargs(url: Any) -> dict[str, Any]:
    kw: dict[str, Any] = url.libpq_kwargs()
    kw["autocommit"] = True
    kw.setdefault("application_name", APPLICATION_NAME)
    if url.params.get("pgbouncer") == "true":
        # PgBouncer in transaction mode: a server-side prepared statement may meet another session (Prisma's rule)
        kw["prepare_threshold"] = None
    options = []
    if url.schema and url.schema != "public":
        options.append(f"-c search_path={url.schema}")
    socket_timeout = url_number(url, "socket_timeout", None)
    if socket_timeout:  # Prisma's "longest wait for one query": the server cancels it (P1008)
        options.append(f"-c statement_timeout={int(socket_timeout * 1000)}")
    if options:
        kw["options"] = " ".join(options)
    return kw


def _pg_lost(conn: Any, exc: BaseException) -> bool:
    import psycopg

    return isinstance(exc, psycopg.OperationalError) and (conn is None or conn.closed or conn.broken)


class PostgresDriver(SyncDriver):
    """A psycopg connection: one of the pool's (`conn`), kept as `pooled` to be given back."""

    def __init__(self, url: Any, conn: Any) -> None:
        import psycopg

        super().__init__(url)
        self._error = psycopg.Error
        self._tuples = psycopg.pq.ExecStatus.TUPLES_OK
        self.conn = self.pooled = conn
        self.cur = conn.cursor()
        pg_results.utc_timestamps(self.cur)

    def _open(self) -> None:
        raise ConnectionLostError("Server has closed the connection of this transaction; it was rolled back.")

    def alive(self) -> bool:
        return self.conn is not None and not self.conn.closed

    def _lost(self, exc: BaseException) -> bool:
        return _pg_lost(self.conn, exc)

    def execute(self, sql: str, params: list[Any], make_row: MakeRow | None = None) -> tuple[list[Any], int]:
        if self.conn is None:
            self._revive()
        cur = self.cur
        try:
            if make_row is None:
                cur.execute(sql, params)
                # `pgresult.status`, not `description`: the latter builds Column objects on every call.
                result = cur.pgresult
                if result is None or result.status != self._tuples:
                    return [], cur.rowcount
                return cur.fetchall(), cur.rowcount
            binary = _binary.get(make_row)
            cur.execute(sql, params, binary=binary)
            if binary is None:  # the maker's first read: in text, telling whether the next can be binary
                _binary.learn(make_row, cur.pgresult)
            elif binary and not _binary.learn(make_row, cur.pgresult):  # a column's type changed meanwhile
                cur.execute(sql, params, binary=False)
            return _fetch_made(cur, make_row), cur.rowcount
        except self._error as exc:
            raise self._fail(exc) from None

    def query_named(self, sql: str, params: list[Any]) -> tuple[list[str], list[Any]]:
        rows, _ = self.execute(sql, params)
        return [c.name for c in self.cur.description or []], rows

    def stream(self, sql: str, params: list[Any], size: int, in_transaction: bool) -> Iterator[list[Any]]:
        """Rows `size` at a time from a server-side cursor, which lives in a transaction: the
        caller's, or a read-only one of its own, ended when the iterator ends (see stream.py)."""
        if self.conn is None:
            self._revive()
        if not in_transaction:
            self.execute("BEGIN READ ONLY", [])
        finished = False
        try:
            with self.conn.cursor(name=_cursor_name()) as cur:
                pg_results.utc_timestamps(cur)
                cur.execute(sql, params)
                while rows := cur.fetchmany(size):
                    yield rows
            finished = True
        except self._error as exc:
            raise self._fail(exc) from None
        finally:
            if not in_transaction and self.conn is not None:
                with contextlib.suppress(Exception):
                    self.execute("COMMIT" if finished else "ROLLBACK", [])


def _tuple_row(cursor: Any) -> Any:
    return tuple  # psycopg's tuple_row: rows as the driver's tuples


def _fetch_made(cur: Any, make_row: MakeRow) -> list[Any]:
    """The result's rows as `make_row` makes them: psycopg calls it as it loads each row (as its
    row factory), so the tuples are dropped one by one instead of kept beside what is made."""
    cur.row_factory = lambda _: make_row
    try:
        return cur.fetchall()  # type: ignore[no-any-return]
    finally:
        cur.row_factory = _tuple_row


def _cursor_name() -> str:
    """A server-side cursor's name, unique on its connection."""
    return f"lamina_stream_{next(_cursor_numbers)}"


_cursor_numbers = itertools.count(1)


class MysqlDriver(SyncDriver):
    def __init__(self, url: Any, timestamps: str = "unixepoch-ms") -> None:
        import pymysql  # type: ignore[import-untyped]
        from pymysql.constants import CLIENT  # type: ignore[import-untyped]

        super().__init__(url, timestamps)
        self._error = pymysql.err.Error
        self._unbuffered = pymysql.cursors.SSCursor
        self._open()

    def _open(self) -> None:
        import pymysql  # type: ignore[import-untyped]
        from pymysql.constants import CLIENT  # type: ignore[import-untyped]

        url = self.url
        socket_timeout = url_number(url, "socket_timeout", None)
        try:
            self.conn = pymysql.connect(
                host=url.host, port=url.port or 3306, user=url.user or "root", password=url.password,
                database=url.database, autocommit=True, charset="utf8mb4", client_flag=CLIENT.FOUND_ROWS,
                connect_timeout=url.connect_timeout, read_timeout=socket_timeout, write_timeout=socket_timeout,
            )
        except pymysql.err.Error as exc:
            raise unreachable(url, exc) from None
        self.conn.cursor().execute("SET time_zone = '+00:00'")

    def alive(self) -> bool:
        return self.conn is not None and bool(self.conn.open)

    def _lost(self, exc: BaseException) -> bool:
        import pymysql  # type: ignore[import-untyped]

        code = exc.args[0] if exc.args else 0
        return isinstance(exc, (pymysql.err.OperationalError, pymysql.err.InterfaceError)) and (
            code in _MYSQL_LOST or not self.conn.open)

    def execute(self, sql: str, params: list[Any], make_row: MakeRow | None = None) -> tuple[list[Any], int]:
        if self.conn is None:
            self._revive()
        try:
            if make_row is not None:  # rows made as they come off the socket, each tuple dropped at once
                with self.conn.cursor(self._unbuffered) as cur:
                    cur.execute(sql, params or None)
                    made = list(map(make_row, cur.fetchall_unbuffered()))
                    return made, len(made)
            with self.conn.cursor() as cur:
                count = cur.execute(sql, params or None)
                return (list(cur.fetchall()) if cur.description is not None else []), count
        except self._error as exc:
            raise self._fail(exc) from None

    def query_named(self, sql: str, params: list[Any]) -> tuple[list[str], list[Any]]:
        if self.conn is None:
            self._revive()
        try:
            with self.conn.cursor() as cur:
                cur.execute(sql, params or None)
                return [c[0] for c in cur.description or []], list(cur.fetchall())
        except self._error as exc:
            raise self._fail(exc) from None

    def stream(self, sql: str, params: list[Any], size: int, in_transaction: bool) -> Iterator[list[Any]]:
        """Rows `size` at a time off the socket, with PyMySQL's unbuffered cursor (see stream.py);
        closing it early reads and drops the rest of the result."""
        import pymysql.cursors  # type: ignore[import-untyped]

        if self.conn is None:
            self._revive()
        try:
            with self.conn.cursor(pymysql.cursors.SSCursor) as cur:
                cur.execute(sql, params or None)
                while rows := cur.fetchmany(size):
                    yield rows
        except self._error as exc:
            raise self._fail(exc) from None


class AsyncPostgresDriver:
    """One of the asyncio pool's psycopg AsyncConnections: the same operations, awaited."""

    begin = "BEGIN"
    reconnect = False  # the pool replaces a dead connection

    def __init__(self, url: Any, conn: Any) -> None:
        import psycopg

        self.url = url
        self.d = dialects.get(url.provider)
        self.conn = self.pooled = conn
        self.cur = conn.cursor()
        pg_results.utc_timestamps(self.cur)
        self._error = psycopg.Error

    def alive(self) -> bool:
        return self.conn is not None and not self.conn.closed

    async def execute(self, sql: str, params: list[Any], make_row: MakeRow | None = None) -> tuple[list[Any], int]:
        if self.conn is None:
            raise ConnectionLostError("Server has closed the connection of this transaction; it was rolled back.")
        cur = self.cur
        try:
            if make_row is None:
                await cur.execute(sql, params)
                if cur.description is None:
                    return [], cur.rowcount
                return await cur.fetchall(), cur.rowcount
            binary = _binary.get(make_row)  # as PostgresDriver.execute
            await cur.execute(sql, params, binary=binary)
            if binary is None:
                _binary.learn(make_row, cur.pgresult)
            elif binary and not _binary.learn(make_row, cur.pgresult):
                await cur.execute(sql, params, binary=False)
            cur.row_factory = lambda _: make_row  # as _fetch_made
            try:
                return await cur.fetchall(), cur.rowcount
            finally:
                cur.row_factory = _tuple_row
        except self._error as exc:
            if _pg_lost(self.conn, exc):
                with contextlib.suppress(Exception):
                    await self.conn.close()
                self.conn = None
                raise lost_error(self.url, exc) from None
            raise (self.d.map_error(exc) or exc) from None

    async def query_named(self, sql: str, params: list[Any]) -> tuple[list[str], list[Any]]:
        rows, _ = await self.execute(sql, params)
        return [c.name for c in self.cur.description or []], rows

    async def stream(self, sql: str, params: list[Any], size: int, in_transaction: bool) -> AsyncIterator[list[Any]]:
        """PostgresDriver.stream, awaited."""
        if self.conn is None:
            raise ConnectionLostError("Server has closed the connection of this transaction; it was rolled back.")
        if not in_transaction:
            await self.execute("BEGIN READ ONLY", [])
        finished = False
        try:
            async with self.conn.cursor(name=_cursor_name()) as cur:
                pg_results.utc_timestamps(cur)
                await cur.execute(sql, params)
                while rows := await cur.fetchmany(size):
                    yield rows
            finished = True
        except self._error as exc:
            if _pg_lost(self.conn, exc):
                self.conn = None
                raise lost_error(self.url, exc) from None
            raise (self.d.map_error(exc) or exc) from None
        finally:
            if not in_transaction and self.conn is not None:
                with contextlib.suppress(Exception):
                    await self.execute("COMMIT" if finished else "ROLLBACK", [])

    async def run(self, gen: Generator[Stmt, Any, Any]) -> Any:
        try:
            stmt = next(gen)
            while True:
                stmt = gen.send(await self.execute(*stmt))
        except StopIteration as stop:
            return stop.value

    async def run_atomic(self, gen: Generator[Stmt, Any, Any]) -> Any:
        await self.execute("BEGIN", [])
        try:
            result = await self.run(gen)
        except BaseException:
            if self.conn is not None:
                await self.execute("ROLLBACK", [])
            raise
        await self.execute("COMMIT", [])
        return result

    async def close(self) -> None:
        if self.conn is not None:
            await self.conn.close()
            self.conn = None


class AsyncThreadDriver:
    """A SQLite or MySQL connection under asyncio (a transaction's): each call runs in a worker thread."""

    def __init__(self, sync: SyncDriver) -> None:
        self.sync = sync
        self.url = sync.url
        self.d = sync.d

    @property
    def begin(self) -> str:
        return self.sync.begin

    @property
    def reconnect(self) -> bool:
        return self.sync.reconnect

    @reconnect.setter
    def reconnect(self, value: bool) -> None:
        self.sync.reconnect = value

    def alive(self) -> bool:
        return self.sync.alive()

    async def execute(self, sql: str, params: list[Any], make_row: MakeRow | None = None) -> tuple[list[Any], int]:
        return await asyncio.to_thread(self.sync.execute, sql, params, make_row)

    async def query_named(self, sql: str, params: list[Any]) -> tuple[list[str], list[Any]]:
        return await asyncio.to_thread(self.sync.query_named, sql, params)  # type: ignore[attr-defined]

    async def stream(self, sql: str, params: list[Any], size: int, in_transaction: bool) -> AsyncIterator[list[Any]]:
        """The sync driver's stream, each batch fetched in a worker thread."""
        batches = self.sync.stream(sql, params, size, in_transaction)  # type: ignore[attr-defined]
        try:
            while (rows := await asyncio.to_thread(next, batches, None)) is not None:
                yield rows
        finally:
            await asyncio.to_thread(batches.close)

    async def run(self, gen: Generator[Stmt, Any, Any]) -> Any:
        return await asyncio.to_thread(self.sync.run, gen)

    async def run_atomic(self, gen: Generator[Stmt, Any, Any]) -> Any:
        return await asyncio.to_thread(self.sync.run_atomic, gen)

    async def close(self) -> None:
        self.sync.close()


def open_sync(url: Any, timestamps: str = "unixepoch-ms") -> SyncDriver:
    """A new SQLite or MySQL connection (PostgreSQL's come from psycopg_pool)."""
    if url.provider == "sqlite":
        return SqliteDriver(url, timestamps)
    if url.provider == "mysql":
        return MysqlDriver(url, timestamps)
    raise PrismaError(f"The {url.provider} provider is not supported by the Lamina client yet.")


def log_statements(driver: Any) -> None:
    """`Prisma(log_queries=True)`: every statement and its parameters to the `lamina.client` logger."""
    import logging

    log = logging.getLogger("lamina.client")
    target = driver
    execute = target.execute

    if asyncio.iscoroutinefunction(execute):
        async def logged_async(sql: str, params: list[Any], *make_row: Any) -> tuple[list[Any], int]:
            log.info("%s -- %r", sql, params)
            result: tuple[list[Any], int] = await execute(sql, params, *make_row)
            return result

        setattr(target, "execute", logged_async)
    else:
        def logged(sql: str, params: list[Any], *make_row: Any) -> tuple[list[Any], int]:
            log.info("%s -- %r", sql, params)
            result: tuple[list[Any], int] = execute(sql, params, *make_row)
            return result

        setattr(target, "execute", logged)


_DOLLAR = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\$(\d+)|%")
_QMARK = re.compile(r"'(?:[^'\\]|\\.|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`|(\?)|%")


def raw_sql(provider: str, sql: str, args: tuple[Any, ...]) -> tuple[str, list[Any]]:
    """A raw query with Prisma's placeholders (`$1` on PostgreSQL, `?` on SQLite) in the driver's style."""
    if provider == "mysql":  # Prisma's MySQL placeholders are `?`; PyMySQL's are `%s`
        if not args:  # PyMySQL only interpolates (and un-doubles `%%`) when it is given arguments
            return sql, []
        return _QMARK.sub(lambda m: "%%" if m.group(0) == "%" else ("%s" if m.group(1) else m.group(0).replace("%", "%%")), sql), list(args)
    if provider != "postgresql":
        return sql, list(args)
    params: list[Any] = []

    def repl(m: re.Match[str]) -> str:
        if m.group(0) == "%":
            return "%%"
        if m.group(1) is None:
            return m.group(0).replace("%", "%%")
        params.append(args[int(m.group(1)) - 1])
        return "%s"

    text = _DOLLAR.sub(repl, sql)
    if args and not params:
        # PostgreSQL would bind nothing and run the query: Prisma refuses unused parameters
        from .errors import RawQueryError

        raise RawQueryError(f"The raw query uses no parameter but {len(args)} were given", code="P2010")
    return text, params
