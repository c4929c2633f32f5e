"""Shared fixtures: real databases (no mocks) and the `../shared` folder.

- `postgres_url`: a fresh PostgreSQL database per test, dropped afterwards. The server is
  127.0.0.1:5432 (or `LAMINA_TEST_POSTGRES`); if none answers, a private server from
  the `pgserver` wheel is started for the session.
- `mysql_url`: a fresh MySQL/MariaDB database per test on 127.0.0.1:3306
  (or `LAMINA_TEST_MYSQL`). Skipped, saying why, when no server answers.
- `sqlite_url`: a file in the test's temporary folder.
- `shared_dir`: `../shared` beside the repository; skipped when absent (a user's clone).

In CI (`CI` or `LAMINA_REQUIRE_DATABASES` set) nothing here may skip: an unreachable
server or a missing `../shared` fails the test instead.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.dburls import server_display, with_database

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

# The repeat-run cache (lamina.cache) of the commands the tests run goes to a folder of this
# run, never the user's ~/.cache/lamina; each xdist worker starts empty.
if "LAMINA_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["LAMINA_CACHE_DIR"] = tempfile.mkdtemp(prefix="lamina-test-cache-")

PG_SERVER = os.environ.get("LAMINA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
MYSQL_SERVER = os.environ.get("LAMINA_TEST_MYSQL", "mysql://root@127.0.0.1:3306/mysql")


def _truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


REQUIRE = _truthy("CI") or _truthy("LAMINA_REQUIRE_DATABASES")


def unavailable(reason: str):
    """Skip outside CI, fail in CI."""
    if REQUIRE:
        pytest.fail(f"{reason} (CI requires it: database tests may not be skipped)")
    pytest.skip(reason)


# ---------------------------------------------------------------- PostgreSQL


def _pg_reachable(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory) -> str:
    """A URL of a PostgreSQL server's maintenance database."""
    if _pg_reachable(PG_SERVER):
        return PG_SERVER
    try:
        import pgserver
    except ImportError:
        unavailable(f"PostgreSQL is not reachable at {PG_SERVER} and the pgserver wheel is not installed")
    # One server for all xdist workers: pgserver counts the processes using a data folder
    # and stops the server when the last one exits. Its URL uses a Unix socket (`?host=/dir`).
    import tempfile

    root = Path(os.environ.get("LAMINA_PGSERVER_DIR", Path(tempfile.gettempdir()) / f"lamina-pgserver-{os.getuid()}"))
    server = pgserver.get_server(root, cleanup_mode="stop")
    return server.get_uri("postgres").replace("postgres:@", "postgres@")


@pytest.fixture
def postgres_url(postgres_server) -> str:
    import psycopg

    name = f"lamina_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(postgres_server, name)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---------------------------------------------------------------- MySQL / MariaDB


def _mysql_params(url: str) -> dict:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    return dict(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=unquote(parts.username or "root"),
        password=unquote(parts.password or ""),
    )


@pytest.fixture(scope="session")
def mysql_server() -> str:
    import pymysql

    try:
        pymysql.connect(connect_timeout=3, **_mysql_params(MYSQL_SERVER)).close()
    except pymysql.Error as exc:
        unavailable(f"MySQL/MariaDB is not reachable at {server_display(MYSQL_SERVER)} ({exc.args[-1] if exc.args else exc})")
    return MYSQL_SERVER


@pytest.fixture
def mysql_url(mysql_server) -> str:
    import pymysql

    name = f"lamina_test_{uuid.uuid4().hex[:12]}"
    conn = pymysql.connect(autocommit=True, **_mysql_params(mysql_server))
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}`")
    finally:
        conn.close()
    try:
        yield with_database(mysql_server, name)
    finally:
        conn = pymysql.connect(autocommit=True, **_mysql_params(mysql_server))
        try:
            with conn.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        finally:
            conn.close()


# ---------------------------------------------------------------- SQLite and shared/


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"file:{tmp_path / 'dev.db'}"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        if REQUIRE:
            pytest.fail(f"{SHARED} is missing; CI must have the shared folder")
        pytest.skip("../shared is absent (a user's clone has none)")
    return SHARED


# ---------------------------------------------------------------- conformance pass rates
# A test that calls `record_property("conformance_suite", NAME)` is counted under NAME, and the
# rate per suite is printed at the end of the session. These hooks live in this root conftest
# because under pytest-xdist only the controller prints the summary, and it loads no conftest
# of a sub-folder; reports reach it with their user properties.

from collections import defaultdict  # noqa: E402

_TALLY: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))


def pytest_runtest_logreport(report):
    suite = dict(report.user_properties).get("conformance_suite")
    if suite is None:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        outcome = "xfailed" if hasattr(report, "wasxfail") and report.outcome == "skipped" else report.outcome
        if hasattr(report, "wasxfail") and report.outcome == "passed":
            outcome = "xpassed"
        _TALLY[suite][outcome] += 1


def pytest_terminal_summary(terminalreporter):
    if not _TALLY:
        return
    terminalreporter.section("conformance pass rates")
    for suite in sorted(_TALLY):
        counts = _TALLY[suite]
        ran = counts["passed"] + counts["failed"] + counts["xfailed"] + counts["xpassed"]
        rate = 100.0 * counts["passed"] / ran if ran else 0.0
        terminalreporter.write_line(
            f"{suite}: {counts['passed']}/{ran} passed ({rate:.1f}%), "
            f"{counts['xfailed']} expected failures, {counts['failed']} failed, "
            f"{counts['skipped']} skipped"
        )
