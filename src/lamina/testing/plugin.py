"""The pytest plugin (entry point `pytest11: lamina`): test databases with the migrations deployed.

Inert until a test asks for one of its fixtures, so installing Lamina changes no other test suite.

Fixtures:
- `lamina_database` (session): a `TestDatabase` (url, provider, applied migrations), one per
  session and xdist worker; PostgreSQL copies a template database (see testing/database.py).
- `lamina_url` (session): its URL.
- `lamina_db`: a `lamina.db` connection to it; with isolation "transaction" (the default) the test
  runs inside a transaction that is rolled back afterwards.
- `lamina_client`: the generated sync client, connected to it; `lamina_async_client`: the
  asyncio client (not connected: `async with lamina_async_client as db:`). The clients commit
  (their `tx()` takes a connection of its own), so every table but the history is emptied after
  each test that used one ("truncate").
- `lamina_migrations`: a `MigrationsHelper` on an empty database of its own.

Options (command line, or the ini keys without the dashes):
  --lamina-url URL         the server (or SQLite file) to test against; default
                           LAMINA_TEST_DATABASE_URL, then DATABASE_URL (.env read), SQLite: a temp file
  --lamina-schema PATH     the schema (default: discovered as the CLI does)
  --lamina-isolation MODE  transaction (default) | truncate | none
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ISOLATION_MODES = ("transaction", "truncate", "none")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("lamina", "Lamina test databases")
    group.addoption("--lamina-url", dest="lamina_url", default=None, metavar="URL",
                    help="Database server (or SQLite file) for the Lamina fixtures; each session makes its own "
                         "database there. Default: LAMINA_TEST_DATABASE_URL, then DATABASE_URL.")
    group.addoption("--lamina-schema", dest="lamina_schema", default=None, metavar="PATH",
                    help="schema.prisma (or folder) of the project under test.")
    group.addoption("--lamina-isolation", dest="lamina_isolation", default=None, choices=ISOLATION_MODES,
                    help="How each test's changes are undone: transaction (rollback, default), truncate, none.")
    parser.addini("lamina_url", "Database server URL for the Lamina fixtures", default=None)
    parser.addini("lamina_schema", "schema.prisma of the project under test", default=None)
    parser.addini("lamina_isolation", "transaction | truncate | none", default=None)


def _setting(config: pytest.Config, name: str) -> str | None:
    value = config.getoption(name)
    if value is None:
        value = config.getini(name) or None
    return None if value is None else str(value)


def _isolation(config: pytest.Config) -> str:
    mode = _setting(config, "lamina_isolation") or "transaction"
    if mode not in ISOLATION_MODES:
        raise pytest.UsageError(f"lamina_isolation must be one of {', '.join(ISOLATION_MODES)}, not {mode!r}")
    return mode


def _schema(config: pytest.Config) -> Any:
    from lamina.project import load_dotenv_files, locate_schema

    explicit = _setting(config, "lamina_schema")
    root = Path(str(config.rootpath))
    location = locate_schema(explicit, root) if explicit else _discover(root)
    load_dotenv_files(location.directory, root)
    return location


def _discover(root: Path) -> Any:
    from lamina.errors import LaminaError
    from lamina.project import locate_schema

    for folder in (Path.cwd(), root):
        with contextlib.suppress(LaminaError):
            return locate_schema(None, folder)
    raise pytest.UsageError("The Lamina fixtures found no schema.prisma: set --lamina-schema or the lamina_schema "
                            "ini option.")


def _server_url(config: pytest.Config) -> str | None:
    return (_setting(config, "lamina_url") or os.environ.get("LAMINA_TEST_DATABASE_URL")
            or os.environ.get("DATABASE_URL") or None)


def _fail(exc: BaseException) -> None:
    from lamina.errors import LaminaError

    if isinstance(exc, LaminaError):
        pytest.fail(f"Lamina test database: {exc.render()}", pytrace=False)
    raise exc


@pytest.fixture(scope="session")
def lamina_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The session's database with every migration deployed (one per xdist worker)."""
    from lamina.errors import LaminaError
    from lamina.testing.database import session_database

    try:
        location = _schema(request.config)
        manager = session_database(location.path, _server_url(request.config), tmp_path_factory.mktemp("lamina"))
        db = manager.__enter__()
    except LaminaError as exc:
        _fail(exc)
    try:
        yield db
    finally:
        manager.__exit__(None, None, None)


@pytest.fixture(scope="session")
def lamina_url(lamina_database: Any) -> str:
    return str(lamina_database.url)


@pytest.fixture
def lamina_db(request: pytest.FixtureRequest, lamina_database: Any) -> Iterator[Any]:
    """A `lamina.db` connection to the test database; rolled back after the test (isolation
    "transaction"), or its tables emptied ("truncate")."""
    mode = _isolation(request.config)
    conn = lamina_database.connect()
    try:
        if mode == "transaction":
            conn.execute("BEGIN")
            conn.in_transaction = True  # conn.transaction() inside the test joins this one
        yield conn
    finally:
        if mode == "transaction":
            conn.in_transaction = False
            with contextlib.suppress(Exception):
                conn.execute("ROLLBACK")
        elif mode == "truncate":
            lamina_database.truncate(conn)
        conn.close()


def _client_module(config: pytest.Config, interface: str, tmp_root: Path) -> Any:
    """The generated client package whose `interface` matches, regenerated once per session
    (under a file lock: xdist workers share the output folder)."""
    from lamina.client.generate import plan
    from lamina.psl.load import load_datamodel

    location = _schema(config)
    loaded = load_datamodel(location, context="generate")
    runs = [r for r in plan(loaded) if r.skipped is None and r.interface == interface]
    if not runs:
        other = "asyncio" if interface == "sync" else "sync"
        pytest.fail(f'The schema has no Lamina generator block with interface = "{interface}" (the fixture '
                    f'`{"lamina_client" if interface == "sync" else "lamina_async_client"}` needs one; a second '
                    f'generator block with another output can sit beside the "{other}" one).', pytrace=False)
    run = runs[0]
    with _file_lock(tmp_root / "lamina-generate.lock"):
        from lamina.client.generate import generate_one

        generate_one(loaded, run)
    parent = str(run.output.parent)
    if parent not in sys.path:
        sys.path.insert(0, parent)
    importlib.invalidate_caches()
    return importlib.import_module(run.output.name)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: xdist workers may then generate at the same time (same bytes)
        yield
        return
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _shared_tmp(factory: pytest.TempPathFactory) -> Path:
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # xdist: one root for all workers


@pytest.fixture(scope="session")
def lamina_client_module(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The generated sync client package (regenerated once per session)."""
    return _client_module(request.config, "sync", _shared_tmp(tmp_path_factory))


@pytest.fixture(scope="session")
def lamina_async_client_module(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The generated asyncio client package (regenerated once per session)."""
    return _client_module(request.config, "asyncio", _shared_tmp(tmp_path_factory))


def _truncate_after(request: pytest.FixtureRequest, database: Any) -> None:
    if _isolation(request.config) != "none":
        database.truncate()


@pytest.fixture
def lamina_client(request: pytest.FixtureRequest, lamina_database: Any, lamina_client_module: Any) -> Iterator[Any]:
    """The generated sync client, connected to the test database; tables emptied after the test."""
    client = lamina_client_module.Prisma(datasource={"url": lamina_database.url})
    client.connect()
    try:
        yield client
    finally:
        if client.is_connected():
            client.disconnect()
        _truncate_after(request, lamina_database)


@pytest.fixture
def lamina_async_client(request: pytest.FixtureRequest, lamina_database: Any,
                        lamina_async_client_module: Any) -> Iterator[Any]:
    """The generated asyncio client for the test database, not yet connected (`async with` it,
    or `await client.connect()`); tables emptied after the test."""
    client = lamina_async_client_module.Prisma(datasource={"url": lamina_database.url})
    try:
        yield client
    finally:
        _truncate_after(request, lamina_database)


@pytest.fixture
def lamina_migrations(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A `MigrationsHelper` on an empty database of its own (not the session's)."""
    from lamina.db.url import parse_url
    from lamina.errors import LaminaError
    from lamina.testing.database import _name, _recreate, worker_id
    from lamina.testing.migrations import MigrationsHelper

    try:
        location = _schema(request.config)
        server = _server_url(request.config)
        url = parse_url(server, location.directory) if server else None
        if url is None or url.provider == "sqlite":
            helper_url, target = f"file:{tmp_path / 'lamina-migrations.db'}", None
        else:
            target = url.with_database(_name(url.database or "lamina", f"mig_{worker_id()}"))
            _recreate(url, target)
            helper_url = target.raw
        helper = MigrationsHelper(location.path, helper_url)
    except LaminaError as exc:
        _fail(exc)
    try:
        yield helper
    finally:
        helper.close()
        if target is not None:
            from lamina.db.admin import drop_database
            from lamina.testing.database import _maintenance_url

            with contextlib.suppress(LaminaError):
                drop_database(target, via=_maintenance_url(url))  # type: ignore[arg-type]  # url is set with target
