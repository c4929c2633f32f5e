"""The shadow database: where the migrations folder is replayed to learn its schema.

- PostgreSQL/MySQL: a temporary `prisma_migrate_shadow_db_<uuid>` created on the main
  server and dropped afterwards (P3014 when it cannot be created);
- SQLite: an in-memory database;
- a configured `shadowDatabaseUrl`: used as is, emptied first.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

from lamina.db.admin import create_database, drop_database, reset_schema
from lamina.db.connection import Connection, connect
from lamina.db.url import DatabaseUrl, parse_url
from lamina.errors import LaminaError


def _p3014(error: str) -> LaminaError:
    return LaminaError(
        "Lamina could not create the shadow database. Please make sure the database user has permission "
        "to create databases. Read more about the shadow database (and workarounds) at "
        f"https://pris.ly/d/migrate-shadow\n\nOriginal error: \n{error}",
        code="P3014",
    )


@contextlib.contextmanager
def shadow_database(main: DatabaseUrl, shadow_url: str | DatabaseUrl | None = None) -> Iterator[Connection]:
    if shadow_url is not None:
        shadow = parse_url(shadow_url) if isinstance(shadow_url, str) else shadow_url
        if shadow.raw == main.raw or (shadow.provider != "sqlite" and (shadow.host_port, shadow.database,
                                                                        shadow.schema) == (main.host_port, main.database, main.schema)):
            raise LaminaError(
                "The shadow database you configured appears to be the same as the main database. "
                "Please specify another shadow database.",
                code="P3014",
            )
        conn = connect(shadow, create=True)
        try:
            reset_schema(conn)
            yield conn
        finally:
            conn.close()
        return
    if main.provider == "sqlite":
        conn = connect(parse_url("file::memory:"))
        try:
            yield conn
        finally:
            conn.close()
        return
    name = f"prisma_migrate_shadow_db_{uuid.uuid4()}"
    target = main.with_database(name)
    if main.provider == "postgresql" and main.schema != "public":
        target = _with_schema(target, main.schema)
    try:
        create_database(target, via=main)
    except LaminaError as exc:
        raise _p3014(exc.message) from None
    try:
        conn = connect(target)
        try:
            if main.provider == "postgresql" and main.schema != "public":
                conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{main.schema}"')
                conn.execute(f'SET search_path TO "{main.schema}"')
            yield conn
        finally:
            conn.close()
    finally:
        with contextlib.suppress(Exception):
            drop_database(target, via=main)


def _with_schema(url: DatabaseUrl, schema: str) -> DatabaseUrl:
    raw = url.raw
    sep = "&" if "?" in raw else "?"
    if "schema=" not in raw:
        raw = f"{raw}{sep}schema={schema}"
    return parse_url(raw)
