"""Fixtures of the client tests: the test schema's generated package per provider and
interface (generated once per session), and a connected client on a fresh database."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest

from lamina.db.connection import connect
from tests.client.helpers import create_tables, generate
from tests.conftest import _mysql_params
from tests.dburls import with_database

HERE = Path(__file__).resolve().parent
SCHEMA = (HERE / "schema.prisma.in").read_text()
PROVIDERS = ["sqlite", "postgresql", "mysql"]


@pytest.fixture(scope="session")
def packages(tmp_path_factory):
    """(provider, interface) -> (module, loaded schema), generated on first use."""
    root = tmp_path_factory.mktemp("clients")
    cache: dict = {}

    def get(provider: str, interface: str = "sync"):
        key = (provider, interface)
        if key not in cache:
            name = f"lamina_test_{provider}_{interface}"
            cache[key] = generate(SCHEMA, root / name, name, provider, interface)
        return cache[key]

    return get


@pytest.fixture(params=PROVIDERS)
def provider(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def databases(request, packages, tmp_path_factory):
    """provider -> URL of a database made once per session (per xdist worker) with the test
    schema's tables; tests share it and `url` empties it first, which is much cheaper than a
    database per test."""
    made: dict[str, str] = {}
    drops = []

    def get(provider: str) -> str:
        if provider not in made:
            name = f"lamina_client_{uuid.uuid4().hex[:10]}"
            if provider == "sqlite":
                url = f"file:{tmp_path_factory.mktemp('sqlite') / 'client.db'}"
            elif provider == "postgresql":
                server = request.getfixturevalue("postgres_server")
                with psycopg.connect(server, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                url = with_database(server, name)
                drops.append(lambda: _drop_pg(server, name))
            else:
                server = request.getfixturevalue("mysql_server")
                _mysql(server, f"CREATE DATABASE `{name}`")
                url = with_database(server, name)
                drops.append(lambda: _mysql(server, f"DROP DATABASE IF EXISTS `{name}`"))
            create_tables(packages(provider)[1], url)
            made[provider] = url
        return made[provider]

    yield get
    for drop in drops:
        drop()


def _drop_pg(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _mysql(server: str, sql: str) -> None:
    import pymysql

    conn = pymysql.connect(autocommit=True, **_mysql_params(server))
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


def empty_tables(provider: str, url: str) -> None:
    with connect(url) as conn:
        if provider == "postgresql":
            tables = [r[0] for r in conn.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
            conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        elif provider == "mysql":
            tables = [r[0] for r in conn.query("SHOW TABLES")]
            conn.execute("SET FOREIGN_KEY_CHECKS = 0")
            for t in tables:
                conn.execute(f"DELETE FROM `{t}`")
            conn.execute("SET FOREIGN_KEY_CHECKS = 1")
        else:
            tables = [r[0] for r in conn.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            conn.execute("PRAGMA foreign_keys = OFF")
            for t in tables:
                conn.execute(f'DELETE FROM "{t}"')
            if conn.query("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'"):
                conn.execute("DELETE FROM sqlite_sequence")


@pytest.fixture
def url(databases, provider) -> str:
    """The session's database for `provider`, with its tables empty."""
    url = databases(provider)
    empty_tables(provider, url)
    return url


@pytest.fixture
def client_module(packages, provider):
    return packages(provider)[0]


@pytest.fixture
def db(packages, provider, url):
    module, _ = packages(provider)
    client = module.Prisma(datasource={"url": url})
    client.connect()
    yield client
    client.disconnect()


@pytest.fixture
def statements(db):
    """The statements `db` sends from now on, in order, as its `log_queries` log reports them
    (every connection of its pool; the real driver still runs them)."""
    import logging

    sent: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            sent.append(record.args[0])  # type: ignore[index]

    log = logging.getLogger("lamina.client")
    handler, level = Collect(), log.level
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    db.disconnect()
    db._log_queries = True  # the client's statement log, on the connections it opens from now on
    db.connect()
    try:
        yield sent
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
