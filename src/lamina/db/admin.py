"""Create, drop, test and empty databases.

`reset_schema` empties what a migration history lives in (PostgreSQL: the URL's schema,
dropped and recreated; MySQL: the database's tables, views, sequences, routines and events;
SQLite: every table and view), never the database itself.
"""

from __future__ import annotations

import contextlib

from lamina.db.connection import Connection, DatabaseError, connect
from lamina.db.url import DatabaseUrl
from lamina.errors import LaminaError


def quote_ident(provider: str, name: str) -> str:
    if provider == "mysql":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def _maintenance(url: DatabaseUrl) -> Connection:
    """A connection to the same server without needing `url.database` to exist."""
    if url.provider == "postgresql":
        for name in ("postgres", "template1"):
            try:
                return connect(url.with_database(name))
            except LaminaError as exc:
                if exc.code != "P1003":
                    raise
        raise LaminaError(f"Could not connect to a maintenance database on `{url.host_port}`.", code="P1001")
    return connect(url.with_database(""))


def database_exists(url: DatabaseUrl) -> bool:
    if url.provider == "sqlite":
        return url.path is None or url.path.exists()
    with _maintenance(url) as conn:
        if url.provider == "postgresql":
            return bool(conn.query("SELECT 1 FROM pg_database WHERE datname = ?", (url.database,)))
        return bool(conn.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?", (url.database,)))


# "It already exists": PostgreSQL's duplicate_database, or the unique violation on
# pg_database that a CREATE DATABASE racing another one gets; MySQL's ER_DB_CREATE_EXISTS.
_ALREADY_EXISTS = {"42P04", "23505", "1007"}


def create_database(url: DatabaseUrl, via: DatabaseUrl | None = None) -> bool:
    """Create `url`'s database, connected through `via` (an existing database on the same
    server, e.g. the main one for a shadow database) or the server's maintenance database.

    Returns False when another session created it first: several deploys started at once
    against a database that does not exist yet all try to create it, and all must go on."""
    if url.provider == "sqlite":
        if url.path is not None:
            connect(url, create=True).close()
        return True
    with (connect(via) if via is not None else _maintenance(url)) as conn:
        try:
            conn.execute(f"CREATE DATABASE {quote_ident(url.provider, url.database)}")
        except DatabaseError as exc:
            if exc.db_code in _ALREADY_EXISTS:
                return False
            raise LaminaError(f"Could not create the database `{url.database}`: {exc.message}") from None
    return True


def ensure_database(url: DatabaseUrl) -> str | None:
    """Create the database when it is missing; returns Prisma's "... created at ..." line then."""
    if url.provider == "sqlite":
        if database_exists(url):
            return None
    else:
        try:
            connect(url).close()  # the common case: it exists (one connection, no catalog query)
            return None
        except LaminaError as exc:
            if exc.code != "P1003":
                raise
    if not create_database(url):
        return None
    if url.provider == "sqlite":
        return f"SQLite database {url.database} created at {url.masked}"
    name = "PostgreSQL" if url.provider == "postgresql" else "MySQL"
    return f"{name} database {url.database} created at {url.host_port}"


def drop_database(url: DatabaseUrl, via: DatabaseUrl | None = None) -> None:
    if url.provider == "sqlite":
        if url.path is not None:
            with contextlib.suppress(FileNotFoundError):
                url.path.unlink()
            for suffix in ("-journal", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    url.path.with_name(url.path.name + suffix).unlink()
        return
    with (connect(via) if via is not None else _maintenance(url)) as conn:
        ident = quote_ident(url.provider, url.database)
        if url.provider == "postgresql" and server_version(conn) >= 130000:
            conn.execute(f"DROP DATABASE IF EXISTS {ident} WITH (FORCE)")
        else:
            conn.execute(f"DROP DATABASE IF EXISTS {ident}")


def server_version(conn: Connection) -> int:
    """PostgreSQL's server_version_num (e.g. 150020); 0 elsewhere."""
    if conn.provider != "postgresql":
        return 0
    return int(conn.raw.info.server_version)


def reset_schema(conn: Connection) -> None:
    """Drop everything in the connection's schema (the database stays)."""
    if conn.provider == "postgresql":
        ident = quote_ident("postgresql", conn.schema)
        conn.execute(f"DROP SCHEMA IF EXISTS {ident} CASCADE")
        conn.execute(f"CREATE SCHEMA {ident}")
        if conn.schema != "public":
            conn.execute(f"SET search_path TO {ident}")
    elif conn.provider == "sqlite":
        rows = conn.query(
            "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%'"
        )
        conn.execute("PRAGMA foreign_keys = OFF")
        for kind, name in sorted(rows, key=lambda r: r[0] != "view"):  # views first
            conn.execute(f"DROP {kind.upper()} IF EXISTS {quote_ident('sqlite', name)}")
        conn.execute("VACUUM")
    else:
        rows = conn.query(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = DATABASE()"
        )
        conn.execute("SET FOREIGN_KEY_CHECKS = 0")
        try:
            for name, kind in rows:
                what = {"VIEW": "VIEW", "SEQUENCE": "SEQUENCE"}.get(kind, "TABLE")
                conn.execute(f"DROP {what} IF EXISTS {quote_ident('mysql', name)}")
        finally:
            conn.execute("SET FOREIGN_KEY_CHECKS = 1")
        # what else lives in the database (triggers went with their tables): as if it were recreated
        for kind, name in conn.query(
            "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() "
            "UNION ALL SELECT 'EVENT', EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()"
        ):
            conn.execute(f"DROP {kind} IF EXISTS {quote_ident('mysql', name)}")


def schema_is_empty(conn: Connection) -> bool:
    """No tables, views, sequences or enum types in the connection's schema."""
    if conn.provider == "postgresql":
        rows = conn.query(
            "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ? AND c.relkind IN ('r', 'v', 'm', 'S', 'p', 'f') "
            "UNION ALL SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE n.nspname = ? AND t.typtype = 'e' LIMIT 1",
            (conn.schema, conn.schema),
        )
    elif conn.provider == "sqlite":
        rows = conn.query("SELECT 1 FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' LIMIT 1")
    else:
        # `_lamina_migrate_lock`: the cluster lease (migrate/lease.py), taken before this check
        rows = conn.query("SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() "
                          "AND table_name <> '_lamina_migrate_lock' LIMIT 1")
    return not rows
