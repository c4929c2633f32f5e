"""Data migrations in Python: `migration.py` beside (or instead of) `migration.sql`.

    def upgrade(db):
        for id, name in db.query('SELECT "id", "name" FROM "User" WHERE "slug" IS NULL'):
            db.execute('UPDATE "User" SET "slug" = ? WHERE "id" = ?', (slugify(name), id))

`upgrade(db)` runs after the folder's SQL, on the same connection: on PostgreSQL and SQLite in
the same transaction as the SQL and the migration's `_prisma_migrations` row, so an exception
leaves neither the schema change nor a data change behind. MySQL has no transactional DDL: the
SQL and each statement of `upgrade` take effect one by one, as every MySQL migration does.
`db.execute` / `db.query` take `?` placeholders on every database (lamina.db connections);
`db.client` is the project's generated client on the same connection (python_client.py).

`downgrade(db)` is its inverse, run by `migrate rollback` before the folder's down.sql (the
reverse of upgrade's order), in the same transaction; rollback refuses a migration.py without
one (rollback.py).

The checksum recorded for such a migration covers both files (`directory.LocalMigration`).
Prisma reads only migration.sql: it applies the SQL and never runs the Python
(docs/guides/data-migrations.md says what that means for a team that runs both).
"""

from __future__ import annotations

import contextlib
import importlib.util
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lamina.db.connection import Connection, DatabaseError
from lamina.errors import LaminaError

PYTHON_FILE = "migration.py"

# `migrate deploy --no-python`: refuse, before anything is applied, pending migrations that hold a
# migration.py (a folder written by someone else, e.g. a Prisma-only team's repository).
_run_python = True


@contextlib.contextmanager
def python_allowed(allowed: bool) -> Iterator[None]:
    """Inside the block, deploys run migration.py files only if `allowed`."""
    global _run_python
    previous, _run_python = _run_python, allowed
    try:
        yield
    finally:
        _run_python = previous


def run_python_allowed() -> bool:
    return _run_python


def refuse_python(names: list[str]) -> LaminaError:
    listing = "\n".join(f"- {n}" for n in names)
    return LaminaError(
        f"These pending migrations contain a {PYTHON_FILE} and --no-python was given; nothing was applied:\n{listing}\n\n"
        f"Read the {PYTHON_FILE} files, then run the command without --no-python to apply them.")


class MigrationDB:
    """What `upgrade(db)` and `downgrade(db)` get: the migration's own connection."""

    def __init__(self, conn: Connection, migrations_dir: Path) -> None:
        self._conn = conn
        self._migrations_dir = migrations_dir
        self._client: Any = None
        self._restore: list[tuple[str, tuple[Any, ...]]] = []  # session settings the client changed
        self.provider = conn.provider  # "sqlite" | "postgresql" | "mysql"

    def execute(self, sql: str, params: Any = ()) -> None:
        """One SQL statement with `?` placeholders."""
        self._conn.execute(sql, tuple(params))

    def query(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        """The rows of one query with `?` placeholders."""
        return self._conn.query(sql, tuple(params))

    def executemany(self, sql: str, rows: Any) -> None:
        for params in rows:
            self._conn.execute(sql, tuple(params))

    @property
    def client(self) -> Any:
        """The project's generated (sync) client, its queries in the migration's transaction."""
        if self._client is None:
            from lamina.migrate.python_client import bound_client

            self._client, self._restore = bound_client(self._conn, self._migrations_dir)
        return self._client

    def _done(self) -> None:
        for sql, params in self._restore:
            self._conn.execute(sql, params)


def load_function(path: Path, name: str, function: str = "upgrade") -> Any:
    """The `upgrade` (or `downgrade`) function of a migration.py, or None when it has no
    `downgrade`; a clear error when the file does not load or has no `upgrade`."""
    spec = importlib.util.spec_from_file_location(f"lamina_migration_{abs(hash(str(path)))}", path)
    if spec is None or spec.loader is None:
        raise LaminaError(f"`{path}` (migration `{name}`) cannot be loaded as Python.")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001 - any error of the user's file, reported with its place
        raise LaminaError(f"`{path}` (migration `{name}`) does not load: {_where(exc, path)}") from None
    found = getattr(module, function, None)
    if not callable(found):
        if function == "downgrade":
            return None
        raise LaminaError(f"`{path}` (migration `{name}`) has no `def upgrade(db)` function.")
    return found


def run_upgrade(conn: Connection, migration: Any) -> None:
    """Run the migration's `upgrade(db)` on `conn` (see run_function)."""
    run_function(conn, migration, load_function(migration.folder / PYTHON_FILE, migration.name))


def run_function(conn: Connection, migration: Any, function: Any) -> None:
    """Run `upgrade` or `downgrade` of the migration's migration.py on `conn`. Its exceptions come
    out as a DatabaseError (a database error as it is; anything else named with its line in
    migration.py), so that the caller records and rolls back the migration as for a failing SQL
    statement."""
    path = migration.folder / PYTHON_FILE
    db = MigrationDB(conn, migration.folder.parent)
    try:
        function(db)
        db._done()
    except DatabaseError:
        raise
    except LaminaError as exc:
        raise DatabaseError(f"{PYTHON_FILE}: {exc.message}", exc.code or "") from None
    except Exception as exc:  # noqa: BLE001 - the client's errors (PrismaError...) and the user's own
        hint = CLIENT_HINT if db._client is not None and type(exc).__module__.startswith("lamina.client") else ""
        raise DatabaseError(f"{PYTHON_FILE}: {function.__name__}() raised {_where(exc, path)}{hint}", "python") from None


# db.client is generated from the current schema: in a migration that is no longer the newest, a
# whole-model read or write meets columns that later migrations add.
CLIENT_HINT = ("\n(db.client is the client generated from the current schema: a migration that is not the newest "
               "reads with select= the fields that existed then and writes with update_many / create_many, which "
               "return counts, not records; see docs/guides/data-migrations.md)")


def _where(exc: BaseException, path: Path) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == path]
    place = f" (line {frames[-1].lineno}: {frames[-1].line})" if frames and frames[-1].line else ""
    if isinstance(exc, SyntaxError):
        place = f" (line {exc.lineno})"
    return f"{type(exc).__name__}: {exc}{place}"


TEMPLATE = '''"""Data migration `{name}`.

`upgrade(db)` runs after this folder's migration.sql. On PostgreSQL and SQLite it runs in the same
transaction as the SQL: if it raises, nothing of the migration is applied. On MySQL each statement
takes effect at once (docs/guides/data-migrations.md says how to recover from a failure).

db.execute(sql, params) runs one statement with `?` placeholders; db.query(sql, params) returns rows;
db.client is the generated client (run `lamina generate` first), in the same transaction.
`lamina migrate rollback` runs downgrade(db) before this folder's down.sql.
"""


def upgrade(db):
    # for id, name in db.query('SELECT "id", "name" FROM "User" WHERE "displayName" IS NULL'):
    #     db.execute('UPDATE "User" SET "displayName" = ? WHERE "id" = ?', (name.title(), id))
    pass


# def downgrade(db):  # the inverse of upgrade, for `lamina migrate rollback` (which refuses without it)
#     db.execute('UPDATE "User" SET "displayName" = NULL')
'''


def scaffold(folder: Path) -> Path:
    path = folder / PYTHON_FILE
    path.write_text(TEMPLATE.format(name=folder.name), encoding="utf-8")
    return path
