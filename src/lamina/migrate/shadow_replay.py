"""The schema the migrations make, learned on the shadow database, and its repeat-run cache.

`migrate dev` replays the applied migrations on a shadow database on every run, and describes
the result, to compare it with the development database (drift) and with the schema file (the
next migration). On SQLite that shadow is an in-memory database, so the result depends only on
the migrations' SQL and the SQLite library: a repeat run reads the described schema from
`lamina.cache` (kind "shadow") instead of replaying. That matters because SQLite's DDL grows
slower with the schema: 6,000 statements making 2,000 tables take `sqlite3` itself 1.8 s.

The shadow's contents are still needed when a new migration is written (the views and triggers
around a rebuilt table, the down migration's verification): `connection()` then replays for
real what the cache answered. PostgreSQL and MySQL shadows are always replayed: what a server
makes of the same SQL can change between runs (an extension installed, a setting changed), and
a migration with a Python part may do anything.
"""

from __future__ import annotations

import sqlite3

from lamina import cache
from lamina.db.connection import Connection
from lamina.migrate import engine
from lamina.migrate.directory import LocalMigration


class ShadowReplay:
    """The migrations replayed so far on `conn`, in order, and the schema they make."""

    def __init__(self, conn: Connection, target: engine.Target, *, cacheable: bool) -> None:
        self._conn = conn
        self._target = target
        self._cacheable = cacheable and conn.provider == "sqlite"
        self._replayed: list[LocalMigration] = []  # applied to the connection
        self._owed: list[LocalMigration] = []  # answered from the cache, not applied yet

    def schema_after(self, migrations: list[LocalMigration]):
        """Replay `migrations` after those already replayed, and describe the result."""
        done = self._replayed + self._owed + migrations
        entry = self._key(done)
        if entry is not None:
            hit = cache.get_object("shadow", entry)
            if hit is not None:
                self._owed += migrations
                return hit
        self.connection()
        engine.replay(self._conn, migrations)
        self._replayed += migrations
        described = engine.describe(self._conn, self._target)
        if entry is not None:
            cache.put_object_on_repeat("shadow", entry, described)
        return described

    def connection(self) -> Connection:
        """The shadow database with every migration so far applied to it."""
        if self._owed:
            engine.replay(self._conn, self._owed)
            self._replayed += self._owed
            self._owed = []
        return self._conn

    def _key(self, migrations: list[LocalMigration]) -> str | None:
        if not self._cacheable or any(m.has_python for m in migrations):
            return None
        parts = [part for m in migrations for part in (m.name, m.data)]
        return cache.key("sqlite", sqlite3.sqlite_version, *parts)
