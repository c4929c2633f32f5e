"""Testing the migrations themselves, as pytest-alembic does for Alembic: the `lamina_migrations`
fixture is a `MigrationsHelper` on an empty database of its own.

    def test_backfill_keeps_names(lamina_migrations):
        conn = lamina_migrations.upgrade_with_data(
            "20250101000000_init",
            "INSERT INTO \\"User\\" (id, email) VALUES (1, 'a@x.io')",
        )
        assert conn.query('SELECT "displayName" FROM "User"') == [("a",)]

The ready-made checks (`from lamina.testing.migration_tests import *` in a test file):
every migration applies on an empty database, the migrations produce the schema (no drift),
and every `down.sql` undoes its migration exactly.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lamina.db.connection import Connection, connect
from lamina.errors import LaminaError
from lamina.migrate.down import DOWN_FILE


class MigrationsHelper:
    """Apply a project's migrations to an empty database step by step, and compare the result."""

    def __init__(self, schema: Path | str, url: str) -> None:
        from lamina.migrate.directory import list_migrations, migrations_dir
        from lamina.project import locate_schema

        self.location = locate_schema(schema)
        self.url = url
        self.folder = migrations_dir(self.location)
        self.local = list_migrations(self.folder)
        self._conn: Connection | None = None
        self._target: Any = None

    # -- state

    @property
    def migrations(self) -> list[str]:
        """Every migration of the folder, in order."""
        return [m.name for m in self.local]

    @property
    def connection(self) -> Connection:
        """A `lamina.db` connection to the helper's database (autocommit; `?` placeholders)."""
        if self._conn is None:
            conn = connect(self.url, create=True)
            if conn.provider == "postgresql" and conn.schema != "public":  # ?schema=: as migrate deploy makes it
                conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{conn.schema}"')
                conn.execute(f'SET search_path TO "{conn.schema}"')
            self._conn = conn
        return self._conn

    def applied(self) -> list[str]:
        """The migrations recorded as applied in the database."""
        from lamina.migrate import history

        return [r.migration_name for r in (history.read(self.connection) or []) if r.is_applied]

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- moving

    def upgrade(self, to: str | None = None) -> list[str]:
        """Apply the pending migrations up to `to` (included; all when None), as `migrate deploy`
        does them (history rows, lock, one transaction each where the database allows).
        Returns the names applied."""
        from lamina.migrate.deploy import apply_pending

        wanted = self.local if to is None else self.local[: self._index(to) + 1]
        with _quiet():
            return [a.name for a in apply_pending(self.connection, wanted)]

    def _index(self, name: str) -> int:
        for i, m in enumerate(self.local):
            if m.name == name or m.name.split("_", 1)[-1] == name:
                return i
        raise LaminaError(f"No migration named `{name}` in {self.folder}.")

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        """One statement, or a script of several (without params)."""
        if params:
            self.connection.execute(sql, params)
        else:
            self.connection.execute_script(sql)

    # -- comparing

    def target(self) -> Any:
        if self._target is None:
            from lamina.migrate import engine

            with _quiet():
                self._target = engine.load_target(self.location)
        return self._target

    def schema_diff(self) -> str:
        """What the database lacks to match the schema, in Prisma's summary; "" when it matches."""
        from lamina.migrate import engine
        from lamina.sql.diff import diff
        from lamina.sql.diff.summary import summarize

        target = self.target()
        migration = diff(engine.describe(self.connection, target), target.schema, target.dialect)
        return "" if migration.is_empty else summarize(migration)

    def _describe(self) -> Any:
        from lamina.migrate import engine

        return engine.describe(self.connection, self.target())

    # -- the checks (each raises AssertionError saying what is wrong)

    def check_every_migration_applies(self) -> None:
        """From an empty database, each migration applies in turn."""
        assert not self.applied(), "the helper's database is not empty"
        for m in self.local:
            try:
                self.upgrade(m.name)
            except LaminaError as exc:
                raise AssertionError(f"Migration `{m.name}` does not apply after the ones before it:\n"
                                     f"{exc.render()}") from None

    def check_migrations_produce_schema(self) -> None:
        """After every migration, the database is what the schema describes (no drift)."""
        self.upgrade()
        left = self.schema_diff()
        if left:
            raise AssertionError("The migrations do not produce the schema; the schema also has:\n\n" + left
                                 + "\nCreate the missing migration with `lamina migrate dev`.")

    def check_down_round_trip(self) -> int:
        """For each migration with a `down.sql`: apply it, run its down.sql, and the schema must be
        what it was before; then it applies again. Returns how many were checked."""
        from lamina.migrate.engine import replay
        from lamina.sql.diff import diff
        from lamina.sql.diff.summary import summarize

        assert not self.applied(), "the helper's database is not empty"
        checked = 0
        target = self.target()
        for m in self.local:
            down = m.folder / DOWN_FILE
            before = self._describe()
            replay(self.connection, [m])
            if not down.is_file():
                continue
            self.connection.execute_script(down.read_text(encoding="utf-8"))
            after_down = self._describe()
            change = diff(before, after_down, target.dialect)
            if not change.is_empty:
                raise AssertionError(f"`{m.name}/{DOWN_FILE}` does not undo the migration; after it the database "
                                     f"differs from before the migration:\n\n{summarize(change)}")
            replay(self.connection, [m])
            checked += 1
        return checked

    def upgrade_with_data(self, previous: str, data: str | Callable[[Connection], None]) -> Connection:
        """The database of a release whose last migration is `previous`, holding `data` (SQL, or a
        function given the connection), upgraded to the latest migration. Returns the connection
        for your assertions on the data."""
        self.upgrade(previous)
        if callable(data):
            data(self.connection)
        else:
            self.execute(data)
        try:
            self.upgrade()
        except LaminaError as exc:
            raise AssertionError(f"Upgrading a database with data from `{previous}` failed:\n{exc.render()}") from None
        return self.connection


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        yield
