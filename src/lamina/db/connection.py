"""One small connection interface over sqlite3, psycopg 3 and PyMySQL.

- `query(sql, params) -> list[tuple]`, `execute(sql, params)`: `?` placeholders everywhere.
- `execute_script(sql)`: many statements (split with `split.split_statements`).
- `transaction()`: BEGIN/COMMIT, ROLLBACK on error (connections are otherwise autocommit).
- `raw`: the driver connection; `close()`.
Driver errors during statements are raised as `DatabaseError` (with the database's error
code and text) so callers can record them; connection failures as Prisma's P1000-P1003.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator, Sequence

from lamina.db.errors import database_missing, map_connect_error
from lamina.db.split import split_statements
from lamina.db.url import DatabaseUrl, parse_url
from lamina.errors import LaminaError


class DatabaseError(LaminaError):
    """A statement failed. `db_code`: SQLSTATE (PostgreSQL), errno (MySQL), result code (SQLite).

    A LaminaError, so one that escapes is printed as `Error: <the database's message>`."""

    def __init__(self, message: str, db_code: str = "", statement: str | None = None) -> None:
        super().__init__(message)
        self.db_code = db_code
        self.statement = statement


_QMARK = re.compile(r"\?")


def _format_params(sql: str) -> str:
    # Our own queries use `?`; psycopg and PyMySQL want `%s` (and a literal % doubled).
    return _QMARK.sub("%s", sql.replace("%", "%%"))


class Connection:
    provider: str = ""

    def __init__(self, url: DatabaseUrl, raw) -> None:
        self.url = url
        self.raw = raw
        self.in_transaction = False

    # -- subclass hooks
    def _run(self, sql: str, params: Sequence, fetch: bool):  # pragma: no cover - abstract
        raise NotImplementedError

    def _wrap(self, exc: BaseException, sql: str | None) -> DatabaseError:  # pragma: no cover
        raise NotImplementedError

    # -- public interface
    @property
    def schema(self) -> str:
        return self.url.schema

    def query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return self._run(sql, params, True)

    def execute(self, sql: str, params: Sequence = ()) -> None:
        self._run(sql, params, False)

    def statements(self, script: str) -> list[str]:
        return split_statements(script, self.provider)

    def execute_script(self, script: str) -> None:
        for stmt in self.statements(script):
            self._run(stmt, (), False)

    @contextlib.contextmanager
    def transaction(self, begin: str = "BEGIN") -> Iterator["Connection"]:
        if self.in_transaction:  # nested: join the outer one
            yield self
            return
        self._run(begin, (), False)
        self.in_transaction = True
        try:
            yield self
        except BaseException:
            self.in_transaction = False
            with contextlib.suppress(Exception):
                self._run("ROLLBACK", (), False)
            raise
        self.in_transaction = False
        try:
            self._run("COMMIT", (), False)
        except DatabaseError:
            # A COMMIT can fail (SQLite checks deferred foreign keys there) and leave the
            # transaction open: end it, so that what runs next (the failure's history row) does
            # not run inside it and vanish with it.
            with contextlib.suppress(Exception):
                self._run("ROLLBACK", (), False)
            raise

    def execute_in_one_transaction(self, statements: Sequence[tuple[str, Sequence]]) -> None:
        """`statements` ((sql, params) each) in one transaction; MySQL sends them in one round trip."""
        with self.transaction():
            for sql, params in statements:
                self._run(sql, params, False)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.raw.close()

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class SqliteConnection(Connection):
    provider = "sqlite"

    def _run(self, sql, params, fetch):
        import sqlite3

        try:
            cur = self.raw.execute(sql, tuple(params))
            return cur.fetchall() if fetch else None
        except sqlite3.Error as exc:
            raise self._wrap(exc, sql) from exc

    def _wrap(self, exc, sql):
        code = getattr(exc, "sqlite_errorcode", None)
        return DatabaseError(str(exc), str(code) if code is not None else "", sql)


class PostgresConnection(Connection):
    provider = "postgresql"

    def _run(self, sql, params, fetch):
        import psycopg

        try:
            if params:
                cur = self.raw.execute(_format_params(sql), tuple(params))
            else:
                cur = self.raw.execute(sql)
            return cur.fetchall() if fetch and cur.description is not None else ([] if fetch else None)
        except psycopg.Error as exc:
            raise self._wrap(exc, sql) from exc

    def execute_script(self, script: str) -> None:
        # Inside a transaction the whole script goes in one round trip (simple query
        # protocol); the server reports the failing statement's error.
        if self.in_transaction:
            if split_statements(script, "postgresql"):
                self._run_simple(script)
            return
        super().execute_script(script)

    def execute_batch(self, script: str) -> None:
        """The whole script in one round trip (simple query protocol), whatever it contains."""
        self._run_simple(script)

    def _run_simple(self, script: str) -> None:
        import psycopg

        try:
            with self.raw.cursor() as cur:
                cur.execute(script.encode(), prepare=False)  # bytes: no parameter parsing
        except psycopg.Error as exc:
            raise self._wrap(exc, None) from exc

    def _wrap(self, exc, sql):
        diag = getattr(exc, "diag", None)
        primary = getattr(diag, "message_primary", None) if diag else None
        severity = (getattr(diag, "severity", None) or "ERROR") if diag else "ERROR"
        message = f"{severity}: {primary}" if primary else str(exc).strip()
        if diag is not None and getattr(diag, "message_detail", None):
            message += f"\nDETAIL: {diag.message_detail}"
        return DatabaseError(message, getattr(exc, "sqlstate", None) or "", sql)


class MysqlConnection(Connection):
    provider = "mysql"

    def _run(self, sql, params, fetch):
        import pymysql

        try:
            with self.raw.cursor() as cur:
                cur.execute(_format_params(sql) if params else sql, tuple(params) if params else None)
                return list(cur.fetchall()) if fetch else None
        except pymysql.Error as exc:
            raise self._wrap(exc, sql) from exc

    def execute_in_one_transaction(self, statements: Sequence[tuple[str, Sequence]]) -> None:
        """BEGIN, the statements and COMMIT as one multi-statement query: one round trip instead of
        one per statement. The values are bound by `bind`."""
        import pymysql

        if self.in_transaction:  # inside a caller's transaction: its BEGIN and COMMIT are the caller's
            return super().execute_in_one_transaction(statements)
        script = ";\n".join(["BEGIN", *(self.bind(sql, params) for sql, params in statements), "COMMIT"])
        with self.raw.cursor() as cur:
            try:
                cur.execute(script)  # no arguments: nothing in it is taken as a placeholder
                while cur.nextset():  # each statement's result, so that an error in any is raised here
                    pass
            except pymysql.Error as exc:
                with contextlib.suppress(Exception):
                    self._run("ROLLBACK", (), False)
                raise self._wrap(exc, script) from exc

    def bind(self, sql: str, params: Sequence) -> str:
        """`sql` with its `?` replaced by `params` as literals, for a multi-statement query (which
        takes no parameters): bound by PyMySQL's own escaping (`mogrify`, which knows the
        connection's character set and NO_BACKSLASH_ESCAPES), never pasted."""
        with self.raw.cursor() as cur:
            return cur.mogrify(_format_params(sql), tuple(params))

    def results_of(self, statements: Sequence[str]) -> Iterator[int]:
        """Send `statements` as ONE multi-statement query and yield each one's index as its result
        arrives. The server runs them in order, without waiting for the client between them, and
        runs none after one that fails: that one raises `StatementFailed` with its index. Each
        statement must give one result (not CALL, whose procedure may give several)."""
        import pymysql

        script = "".join(_terminated(s) for s in statements)
        # Not `with cursor`: closing a cursor reads the query's remaining results, which would wait
        # for the server to run the rest of the query when the caller stops early (end_session).
        cur = self.raw.cursor()
        index = 0
        try:
            cur.execute(script)  # no arguments: nothing in it is taken as a placeholder
            while True:
                if index == len(statements):  # a statement gave several results (CALL)
                    raise DatabaseError(f"The server returned more results than the {index} statements sent.")
                yield index
                index += 1
                if not cur.nextset():
                    break
        except pymysql.Error as exc:
            raise StatementFailed(index, self._wrap(exc, statements[min(index, len(statements) - 1)])) from exc
        if index != len(statements):
            raise DatabaseError(f"The server returned {index} results for {len(statements)} statements.")
        cur.close()

    def end_session(self) -> None:
        """End this session on the server and close the connection. The server does not notice a
        client that went away before the query it runs ends; `KILL` from a second session (a user
        may always kill its own sessions) stops the running statement and runs none of the rest of
        a multi-statement query. (`KILL QUERY` would not do: it is forgotten when it arrives
        between two statements of the query.) Best effort: a server that cannot be reached is
        left to finish."""
        with contextlib.suppress(Exception):
            other = _connect_mysql(self.url)
            try:
                other.execute(f"KILL {int(self.raw.thread_id())}")
            finally:
                other.close()
        self.close()

    def _wrap(self, exc, sql):
        args = exc.args
        if len(args) >= 2:
            return DatabaseError(str(args[1]), str(args[0]), sql)
        return DatabaseError(str(exc), "", sql)


class StatementFailed(Exception):
    """Statement `index` of a multi-statement query failed (MysqlConnection.results_of)."""

    def __init__(self, index: int, error: DatabaseError) -> None:
        super().__init__(index, error)
        self.index = index
        self.error = error


def _terminated(statement: str) -> str:
    """`statement` ended by exactly one `;` on a line of its own when it has none: an empty
    statement (`;;`) is a syntax error, and a `;` after a trailing `-- comment` would be in it."""
    body = statement.rstrip()
    last_line = body.rsplit("\n", 1)[-1].lstrip()
    if body.endswith(";") and not last_line.startswith(("--", "#")):
        return body + "\n"
    return body + "\n;\n"


def connect(url: DatabaseUrl | str, *, create: bool = False) -> Connection:
    """Open a connection; `create=True` lets SQLite create a missing file (others never create).
    Drivers are imported here, on first use, so commands that never connect don't pay for them."""
    if isinstance(url, str):
        url = parse_url(url)
    _warn_unknown_params(url)
    if url.provider == "sqlite":
        return _connect_sqlite(url, create)
    if url.provider == "postgresql":
        return _connect_postgres(url)
    return _connect_mysql(url)


_warned: set[str] = set()


def _warn_unknown_params(url: DatabaseUrl) -> None:
    """A URL parameter Lamina does not know is said once per process, on stderr, never dropped
    silently (a misspelt `sslmode` would otherwise connect without TLS)."""
    for name in url.unknown_params():
        if name not in _warned:
            _warned.add(name)
            sys.stderr.write(f"Warning: the database URL parameter `{name}` is not known to Lamina and is ignored.\n")


def _connect_sqlite(url: DatabaseUrl, create: bool) -> Connection:
    import sqlite3

    if url.path is None:
        target = ":memory:"
    else:
        if not url.path.exists() and not create:
            raise database_missing(url)
        if create:
            url.path.parent.mkdir(parents=True, exist_ok=True)
        target = str(url.path)
    try:
        raw = sqlite3.connect(target, isolation_level=None, timeout=30, check_same_thread=False)
    except sqlite3.Error as exc:
        raise map_connect_error(url, exc) from None
    return SqliteConnection(url, raw)


def _connect_postgres(url: DatabaseUrl) -> Connection:
    import psycopg

    kwargs = url.libpq_kwargs()
    # Sessions show as `lamina` in pg_stat_activity (who holds a lock, who blocks a migration).
    kwargs.setdefault("application_name", "lamina")
    # Behind PgBouncer in transaction mode a server-side prepared statement may land on another
    # server connection: with ?pgbouncer=true none is made, as Prisma does.
    if url.params.get("pgbouncer", "").lower() == "true":
        kwargs["prepare_threshold"] = None
    try:
        raw = psycopg.connect(autocommit=True, **kwargs)
    except psycopg.Error as exc:
        raise map_connect_error(url, exc) from None
    conn = PostgresConnection(url, raw)
    if url.schema != "public":
        conn.execute(f'SET search_path TO "{url.schema}"')
    return conn


def _connect_mysql(url: DatabaseUrl) -> Connection:
    import pymysql
    from pymysql.constants import CLIENT

    # PyMySQL's default TLS mode ("preferred") builds a certificate context for every connection
    # (~35 ms of CPU); on the loopback interface TLS protects nothing, so it is not offered there.
    local = (url.host or "localhost") in ("127.0.0.1", "localhost", "::1")
    tls = url.pymysql_ssl()
    try:
        raw = pymysql.connect(
            host=url.host, port=url.port or 3306, user=url.user or "root", password=url.password,
            database=url.database or None, autocommit=True, connect_timeout=url.connect_timeout,
            charset="utf8mb4", program_name="lamina", **(tls or ({"ssl_disabled": True} if local else {})),
            client_flag=CLIENT.MULTI_STATEMENTS,  # execute_in_one_transaction, results_of
        )
    except pymysql.Error as exc:
        raise map_connect_error(url, exc) from None
    return MysqlConnection(url, raw)
