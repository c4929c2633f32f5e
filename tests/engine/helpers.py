"""Shared by the engine tests: schema text -> SqlSchema -> script, and databases."""

from __future__ import annotations

from lamina.dialects import get_dialect
from lamina.psl.load import parse_and_validate
from lamina.sql.calculate import calculate
from lamina.sql.diff import diff
from lamina.sql.schema import SqlSchema

EMPTY = SqlSchema()


def schema_of(text: str | None, provider: str) -> SqlSchema:
    """The calculated SqlSchema of a schema text (None = empty database)."""
    if text is None:
        return EMPTY
    ast, diagnostics, datamodel = parse_and_validate([("schema.prisma", text)])
    assert datamodel is not None, [d.message for d in diagnostics.errors]
    return calculate(datamodel, get_dialect(provider))


def script(before: str | None, after: str | None, provider: str, warnings: bool = False) -> str:
    dialect = get_dialect(provider)
    migration = diff(schema_of(before, provider), schema_of(after, provider), dialect)
    return dialect.render_script(migration, include_warnings=warnings)


def run_script(conn, sql: str) -> None:
    """Apply a migration script on a raw sqlite3 / psycopg connection."""
    if hasattr(conn, "executescript"):
        conn.executescript(sql)
    else:
        conn.execute(sql.encode())


def connect_raw(url: str):
    if url.startswith("file:"):
        import sqlite3

        conn = sqlite3.connect(url[len("file:"):], isolation_level=None)
        return conn
    import psycopg

    return psycopg.connect(url, autocommit=True)


def described_after(url: str, sql: str, provider: str = "postgresql") -> SqlSchema:
    """The schema a database at `url` has once `sql` ran on it, as the dialect describes it."""
    conn = connect_raw(url)
    try:
        run_script(conn, sql)
        return get_dialect(provider).describe(conn)
    finally:
        conn.close()
