"""Prisma's migration lock, so that concurrent deploys apply each migration once.

- PostgreSQL: `pg_advisory_lock(72707369)` (Prisma's key) with a timeout -> P1002;
- MySQL: `GET_LOCK('prisma_migrate', timeout)`;
- SQLite: no server lock; each migration runs in `BEGIN EXCLUSIVE` and re-reads the
  history inside it (see apply.py).
The timeout is 10 s, or PRISMA_SCHEMA_ENGINE_ADVISORY_LOCK_TIMEOUT (ms) as in Prisma.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from lamina.db.connection import Connection, DatabaseError
from lamina.errors import LaminaError

ADVISORY_KEY = 72707369


def timeout_ms() -> int:
    try:
        return int(os.environ.get("PRISMA_SCHEMA_ENGINE_ADVISORY_LOCK_TIMEOUT", "10000"))
    except ValueError:
        return 10000


def _timed_out(what: str, ms: int) -> LaminaError:
    return LaminaError(
        f"Timed out trying to acquire a {what}. Timeout: {ms}ms. "
        "See https://pris.ly/d/migrate-advisory-locking for details.",
        code="P1002",
    )


@contextlib.contextmanager
def migration_lock(conn: Connection) -> Iterator[None]:
    ms = timeout_ms()
    if conn.provider == "postgresql":
        conn.execute(f"SET statement_timeout = {int(ms)}")
        try:
            conn.execute(f"SELECT pg_advisory_lock({ADVISORY_KEY})")
        except DatabaseError as exc:
            if exc.db_code == "57014":  # query_canceled: the timeout
                raise _timed_out(f"postgres advisory lock (SELECT pg_advisory_lock({ADVISORY_KEY}))", ms) from None
            raise
        finally:
            conn.execute("SET statement_timeout = 0")
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                conn.execute(f"SELECT pg_advisory_unlock({ADVISORY_KEY})")
    elif conn.provider == "mysql":
        got = conn.query(f"SELECT GET_LOCK('prisma_migrate', {max(1, ms // 1000)})")
        if not got or got[0][0] != 1:
            raise _timed_out("MySQL lock (SELECT GET_LOCK('prisma_migrate'))", ms)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                conn.query("SELECT RELEASE_LOCK('prisma_migrate')")
    else:
        yield
