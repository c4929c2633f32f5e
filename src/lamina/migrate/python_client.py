"""`db.client` in a migration.py: the project's generated (sync) client, bound to the migration's
own connection, so that its queries run in the migration's transaction (PostgreSQL, SQLite: a
failing `upgrade` takes the client's writes back with the SQL) and see the migration's schema
change before it is committed.

It is the client as last generated (`lamina generate`, which `migrate dev` runs after applying):
generated from the current schema, not from the schema as it was at this migration. Its
`find_*` read, and `create`/`update` return, every field of a model, so a migration that is not
the last one reads with `select=` and writes with `update_many`/`create_many` (counts, not
records), or uses `db.query` (python_migration.CLIENT_HINT says so when such a query fails).
The package is the schema's first Lamina generator block with `interface = "sync"`, where
`lamina generate` writes it (`_schema_of` says which schema).

The bound client is a transaction's client: `batch_()` runs in the migration's transaction, and
`tx()` is refused (its own transaction would need another connection). On MySQL its session time zone is UTC
(as the client's own connections are) while it is in use, and `update_many`'s count is of the
rows changed rather than matched (the migration's connection does not ask for found rows).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from lamina.db.connection import Connection
from lamina.errors import LaminaError


def bound_client(conn: Connection, migrations_dir: Path) -> tuple[Any, list[tuple[str, tuple[Any, ...]]]]:
    """(the client bound to `conn`, the statements that restore the session once the migration's
    Python has run)."""
    package, timestamps = _client_package(migrations_dir)
    restore: list[tuple[str, tuple[Any, ...]]] = []
    if conn.provider == "mysql":
        (zone,), = conn.query("SELECT @@session.time_zone")
        conn.execute("SET time_zone = '+00:00'")  # the client writes and reads DATETIMEs as UTC
        restore.append(("SET time_zone = ?", (zone,)))
    client = package.Prisma(use_dotenv=False)
    bound = client._tx_copy(_driver(conn, timestamps), None)
    bound._connections = _NoOtherConnection()  # where tx() would take a connection of its own
    return bound, restore


class _NoOtherConnection:
    """`db.client.tx()`: a transaction on another connection would not be the migration's."""

    def acquire(self, max_wait: Any = None) -> Any:
        raise LaminaError("db.client.tx() cannot be used in migration.py: the migration already runs in one "
                          "transaction (on PostgreSQL and SQLite); use db.client directly, or db.client.batch_().")


def _client_package(migrations_dir: Path) -> tuple[Any, str]:
    from lamina.client.generate import plan
    from lamina.psl.load import load_datamodel

    location = _schema_of(migrations_dir)
    runs = [r for r in plan(load_datamodel(location, context="generate")) if r.skipped is None]
    sync = [r for r in runs if r.interface == "sync"]
    if not sync:
        raise LaminaError(
            f"db.client needs a Lamina generator block with interface = \"sync\" in {location.display()} "
            + ("(the one there is asyncio; upgrade(db) is synchronous)" if runs else "(it has none)")
            + ". Use db.execute / db.query instead, or add one.")
    run = sync[0]
    if not (run.output / "__init__.py").is_file():
        raise LaminaError(f"db.client: the client is not generated at {run.output}. Run `lamina generate` first "
                          "(migrate dev generates after it applies; a deploy uses the client your build generated).")
    parent = str(run.output.parent)
    if parent not in sys.path:
        sys.path.insert(0, parent)
    importlib.invalidate_caches()
    return importlib.import_module(run.output.name), run.sqlite_timestamp_format


def _schema_of(migrations_dir: Path) -> Any:
    """The schema whose migrations these are: beside the folder (prisma/schema.prisma, or a folder
    of .prisma files), else the project's as the CLI finds it from the working directory
    ([tool.lamina], prisma.config.ts: a migrations folder configured elsewhere)."""
    from lamina.project import locate_schema

    folder = migrations_dir.parent
    if (folder / "schema.prisma").is_file():
        return locate_schema(folder / "schema.prisma")
    if any(folder.glob("*.prisma")):
        return locate_schema(folder)
    return locate_schema(None)


def _driver(conn: Connection, timestamps: str) -> Any:
    """One of the client's drivers over the migration's connection (never reopened: a new
    connection would be outside the migration's transaction)."""
    from lamina.client.runtime import engine

    raw = conn.raw
    if conn.provider == "postgresql":
        driver = engine.PostgresDriver(conn.url, raw)
    else:
        base = engine.SqliteDriver if conn.provider == "sqlite" else engine.MysqlDriver

        class Bound(base):  # type: ignore[misc, valid-type]
            def _open(self) -> None:
                self.conn = raw
                self.busy_timeout = 30.0  # lamina.db's SQLite connections wait 30 s for a lock

        driver = Bound(conn.url, timestamps)
    driver.reconnect = False
    return driver
