"""Throw-away test databases with every migration deployed, for the pytest plugin.

One database per test session and xdist worker, next to the URL the tests are pointed at
(`--lamina-url`, else DATABASE_URL): `<database>_test_<worker>` on PostgreSQL and MySQL, a
file in pytest's temporary folder on SQLite. The database the URL names is never touched.

PostgreSQL builds the migrated database once, as a template (`<database>_tpl_<hash>`, the hash
of the schema and the migration files), and each worker copies it with
`CREATE DATABASE ... TEMPLATE`, which copies files instead of replaying SQL. The template
stays for the next run while the migrations are unchanged; a new hash replaces it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lamina.db.admin import quote_ident
from lamina.db.connection import Connection, connect
from lamina.db.url import DatabaseUrl, parse_url
from lamina.errors import LaminaError

HISTORY_TABLE = "_prisma_migrations"
MAX_IDENTIFIER = 63  # PostgreSQL's limit; MySQL's is 64


def worker_id() -> str:
    """`gw0`, `gw1`... under pytest-xdist, `main` otherwise."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def migrations_fingerprint(schema_files: list[Path], migrations: Path, namespace: str = "") -> str:
    """A hash of the schema, every file of the migrations folder and the PostgreSQL schema the
    URL names (`?schema=`): a new template when one changes."""
    digest = hashlib.sha256(namespace.encode() + b"\0")
    paths = sorted(p for p in migrations.rglob("*") if p.is_file()) if migrations.is_dir() else []
    for path in [*schema_files, *paths]:
        digest.update(str(path.name).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:10]


def _name(base: str, suffix: str) -> str:
    """`base_suffix` within the identifier limit (the base is shortened, never the suffix)."""
    room = MAX_IDENTIFIER - len(suffix) - 1
    return f"{base[:room]}_{suffix}"


@dataclass
class TestDatabase:
    """A migrated database for one test session (and xdist worker)."""

    __test__ = False  # not a test class, whatever pytest's naming rules say

    url: str  # the database's URL, as the client and `lamina.db.connect` take it
    provider: str  # sqlite | postgresql | mysql
    schema: Path  # the schema file or folder
    applied: list[str] = field(default_factory=list)  # migrations deployed into it
    template: str | None = None  # PostgreSQL: the template database it was copied from

    def connect(self) -> Connection:
        """A new `lamina.db` connection to it (`?` placeholders on every database)."""
        return connect(self.url)

    def truncate(self, conn: Connection | None = None) -> None:
        """Delete every row of every table except the migration history."""
        if conn is None:
            with self.connect() as own:
                truncate_all(own)
        else:
            truncate_all(conn)


def truncate_all(conn: Connection) -> None:
    """Empty every table but `_prisma_migrations`, foreign keys notwithstanding, identities reset."""
    if conn.provider == "sqlite":
        tables = [r[0] for r in conn.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "AND name <> ?", (HISTORY_TABLE,))]
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.transaction():
                for table in tables:
                    conn.execute(f"DELETE FROM {quote_ident('sqlite', table)}")
                if conn.query("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"):
                    conn.execute("DELETE FROM sqlite_sequence")
        finally:
            conn.execute("PRAGMA foreign_keys = ON")
    elif conn.provider == "postgresql":
        rows = conn.query("SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ? AND tablename <> ?",
                          (conn.schema, HISTORY_TABLE))
        if rows:
            names = ", ".join(f"{quote_ident('postgresql', s)}.{quote_ident('postgresql', t)}" for s, t in rows)
            conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    else:
        tables = [r[0] for r in conn.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
            "AND table_type = 'BASE TABLE' AND table_name <> ?", (HISTORY_TABLE,))]
        conn.execute("SET FOREIGN_KEY_CHECKS = 0")
        try:
            for table in tables:
                conn.execute(f"TRUNCATE TABLE {quote_ident('mysql', table)}")
        finally:
            conn.execute("SET FOREIGN_KEY_CHECKS = 1")


def deploy(schema: Path, url: str) -> list[str]:
    """Every migration of the schema's folder applied to `url` (a project without migrations: `db push`)."""
    from lamina import api
    from lamina.migrate.directory import list_migrations, migrations_dir
    from lamina.project import locate_schema

    location = locate_schema(schema)
    if not list_migrations(migrations_dir(location)):
        api.db_push(schema=schema, url=url, skip_generate=True)
        return []
    return api.migrate_deploy(schema=schema, url=url).applied


@contextlib.contextmanager
def session_database(schema: Path, server_url: str | None, scratch: Path) -> Iterator[TestDatabase]:
    """The session's migrated database; dropped afterwards (the PostgreSQL template stays)."""
    from lamina.migrate.datasource import read_block
    from lamina.project import locate_schema

    location = locate_schema(schema)
    provider = _schema_provider(location, read_block)
    if server_url is None:
        if provider != "sqlite":
            raise LaminaError(
                f"The schema's provider is {provider}: point the tests at a server with `--lamina-url URL` (or the "
                "`lamina_url` ini option, LAMINA_TEST_DATABASE_URL or DATABASE_URL). Each test session creates "
                "its own database there and drops it afterwards.")
        server_url = f"file:{scratch / 'lamina-test.db'}"
    url = parse_url(server_url, location.directory)
    if url.provider != provider:
        raise LaminaError(f"The test database URL is {url.provider} ({url.masked}) but the schema's provider is "
                          f"{provider}.")
    worker = worker_id()
    if url.provider == "sqlite":
        path = scratch / f"lamina-test-{worker}.db"
        for leftover in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal")):
            leftover.unlink(missing_ok=True)
        db = TestDatabase(f"file:{path}", "sqlite", location.path)
        db.applied = deploy(location.path, db.url)
        yield db
        return
    target = url.with_database(_name(url.database or "lamina", f"test_{worker}"))
    target_raw = target.raw  # with_database keeps the server URL's query (?schema=, ?host=)
    if url.provider == "postgresql":
        template = _postgres_template(location, url)
        _recreate(url, target, template=template)
        db = TestDatabase(target_raw, "postgresql", location.path, template=template)
        with connect(target) as conn:
            from lamina.migrate import history

            rows = history.read(conn) or []
            db.applied = [r.migration_name for r in rows if r.is_applied]
    else:
        _recreate(url, target)
        db = TestDatabase(target_raw, "mysql", location.path)
        db.applied = deploy(location.path, db.url)
    try:
        yield db
    finally:
        from lamina.db.admin import drop_database

        with contextlib.suppress(LaminaError):
            drop_database(target, via=_maintenance_url(url))


def _schema_provider(location: Any, read_block: Any) -> str:
    from lamina.migrate.datasource import _PROVIDERS

    found = read_block(location)
    declared = found[1].get("provider", ('"sqlite"', 0))[0].strip('"') if found else "sqlite"
    return _PROVIDERS.get(declared, declared)


def _maintenance_url(url: DatabaseUrl) -> DatabaseUrl:
    return url.with_database("postgres") if url.provider == "postgresql" else url.with_database("")


def _recreate(server: DatabaseUrl, target: DatabaseUrl, template: str | None = None) -> None:
    via = _maintenance_url(server)
    with connect(via) as conn:
        ident = quote_ident(server.provider, target.database)
        if server.provider == "postgresql":
            conn.execute(f"DROP DATABASE IF EXISTS {ident} WITH (FORCE)")
            extra = f" TEMPLATE {quote_ident('postgresql', template)}" if template else ""
            conn.execute(f"CREATE DATABASE {ident}{extra}")
        else:
            conn.execute(f"DROP DATABASE IF EXISTS {ident}")
            conn.execute(f"CREATE DATABASE {ident}")


def _postgres_template(location: Any, server: DatabaseUrl) -> str:
    """The template database with every migration deployed, built by the first worker that needs it
    (the others wait on an advisory lock) and kept while the migrations do not change."""
    from lamina.migrate.directory import migrations_dir

    fingerprint = migrations_fingerprint(list(location.files), migrations_dir(location), server.schema)
    base = server.database or "lamina"
    name = _name(base, f"tpl_{fingerprint}")
    via = _maintenance_url(server)
    with connect(via) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(?))", (f"lamina-test-template:{base}",))
        try:
            if conn.query("SELECT 1 FROM pg_database WHERE datname = ?", (name,)):
                return name
            # Built under another name and renamed when complete: an interrupted build is never used.
            building = _name(base, f"tplbuild_{uuid.uuid4().hex[:8]}")
            conn.execute(f"CREATE DATABASE {quote_ident('postgresql', building)}")
            try:
                deploy(location.path, server.with_database(building).raw)
                conn.execute(f"ALTER DATABASE {quote_ident('postgresql', building)} RENAME TO "
                             f"{quote_ident('postgresql', name)}")
            except BaseException:
                with contextlib.suppress(Exception):
                    conn.execute(f"DROP DATABASE IF EXISTS {quote_ident('postgresql', building)} WITH (FORCE)")
                raise
            # Templates of earlier migrations of this project are of no more use.
            prefix = name[: -len(fingerprint)]
            for (old,) in conn.query("SELECT datname FROM pg_database WHERE datname LIKE ? AND datname <> ?",
                                     (prefix.replace("_", "\\_") + "%", name)):
                with contextlib.suppress(Exception):
                    conn.execute(f"DROP DATABASE IF EXISTS {quote_ident('postgresql', old)}")
            return name
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(?))", (f"lamina-test-template:{base}",))
