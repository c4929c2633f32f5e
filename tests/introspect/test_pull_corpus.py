"""`db pull`'s promise over the engine's scenario corpus (tests/engine/scenarios): for every
schema there, on both dialects, create it from empty, describe the database, pull it, and
check that the diff from the database to the pulled schema is empty; then pull again with
the original schema as the previous one (re-introspection) and check the same.

PostgreSQL and MySQL cases share one database per worker, emptied between cases (fast);
SQLite cases use a file each. MySQL has no Prisma snapshots here (its CLI cannot run MySQL
offline): it takes the scenarios the engine checks on MariaDB (all but multiSchema ones).
"""

from __future__ import annotations

import sqlite3
import uuid

import psycopg
import pytest

from lamina.dialects import get_dialect
from lamina.introspect import introspect
from lamina.migrate.diff_sources import describe_connection
from lamina.psl.format import format_schema
from lamina.psl.load import parse_and_validate
from lamina.sql.calculate import calculate
from lamina.sql.diff import diff
from tests.dburls import with_database
from tests.engine.anchor import SCENARIOS, for_provider
from tests.engine.helpers import EMPTY, schema_of
from tests.introspect.test_pull import CRM_SQLITE_SQL

CONFIG = 'datasource db {{\n  provider = "{provider}"{extra}\n}}\n'


def _cases():
    out = []
    for case in sorted(p for p in SCENARIOS.iterdir() if p.is_dir()):
        for provider in ("sqlite", "postgresql"):
            if (case / f"expected.{provider}.sql").exists():
                for side in ("before", "after"):
                    # A schema without models makes an empty database: nothing to pull (P4001).
                    if (case / f"{side}.prisma").exists() and "model " in (case / f"{side}.prisma").read_text():
                        out.append(pytest.param(case / f"{side}.prisma", provider, id=f"{case.name}-{side}-{provider}"))
                        # (MySQL has neither multiSchema nor partial indexes)
                        if provider == "sqlite" and "multi_schema" not in case.name and "partial_indexes" not in case.name:
                            out.append(pytest.param(case / f"{side}.prisma", "mysql", id=f"{case.name}-{side}-mysql",
                                                    marks=pytest.mark.mysql))
    return out


@pytest.fixture(scope="module")
def shared_pg(postgres_server):
    name = f"lamina_pull_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    conn = psycopg.connect(with_database(postgres_server, name), autocommit=True)
    yield conn
    conn.close()
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def shared_mysql(mysql_server):
    from tests.conftest import _mysql_params
    import pymysql

    name = f"lamina_pull_{uuid.uuid4().hex[:10]}"
    conn = pymysql.connect(autocommit=True, **_mysql_params(mysql_server))
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}`")
    conn.select_db(name)
    yield conn
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    conn.close()


def _empty_mysql(conn) -> None:
    with conn.cursor() as cur:
        cur.execute("SET FOREIGN_KEY_CHECKS = 0")
        cur.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")
        for (table,) in cur.fetchall():
            cur.execute(f"DROP TABLE `{table}`")
        cur.execute("SET FOREIGN_KEY_CHECKS = 1")


def _empty_pg(conn) -> None:
    schemas = [r[0] for r in conn.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'"
    ).fetchall()]
    for s in schemas:
        conn.execute(f'DROP SCHEMA "{s}" CASCADE')
    conn.execute('CREATE SCHEMA "public"')


def _pulled_is_in_sync(described, provider: str, previous: str, dialect) -> str:
    pulled = introspect(described, provider, [("schema.prisma", previous)]).text
    _ast, diagnostics, datamodel = parse_and_validate([("schema.prisma", pulled)])
    assert datamodel is not None, (pulled, [d.message for d in diagnostics.errors])
    left = diff(described, calculate(datamodel, dialect), dialect)
    assert left.is_empty, pulled + "\n-- diff:\n" + dialect.render_script(left)
    # Already in canonical layout: `lamina format` leaves it as it is.
    assert format_schema([("schema.prisma", pulled)]) == [("schema.prisma", pulled)]
    return pulled


@pytest.mark.parametrize("path,provider", _cases())
def test_pull_round_trip(path, provider, tmp_path, request):
    text = for_provider(path.read_text(), provider)
    target = schema_of(text, provider)
    dialect = get_dialect(provider)
    sql = dialect.render_script(diff(EMPTY, target, dialect))
    namespaces = list(target.namespaces) or None
    if provider == "sqlite":
        conn = sqlite3.connect(tmp_path / "dev.db", isolation_level=None)
        conn.executescript(sql)
    elif provider == "mysql":
        from lamina.db.split import split_statements

        conn = request.getfixturevalue("shared_mysql")
        _empty_mysql(conn)
        with conn.cursor() as cur:
            for statement in split_statements(sql, "mysql"):
                cur.execute(statement)
    else:
        conn = request.getfixturevalue("shared_pg")
        _empty_pg(conn)
        conn.execute(sql.encode())
    if provider == "mysql":
        from lamina.dialects.mysql.describe import describe

        described = describe(conn)
    else:
        described = describe_connection(conn, provider, namespaces)
    extra = ""
    if namespaces:
        extra = "\n  schemas  = [" + ", ".join(f'"{n}"' for n in namespaces) + "]"
    config = CONFIG.format(provider=provider, extra=extra)
    if "previewFeatures" in text:
        # a generator for db pull to enable what the database needs (partialIndexes), as Prisma does
        config = 'generator client {\n  provider = "prisma-client-js"\n}\n' + config
    _pulled_is_in_sync(described, provider, config, dialect)
    _pulled_is_in_sync(described, provider, text, dialect)


def test_pulled_schemas_are_already_formatted(tmp_path):
    """What `db pull` writes is a fixed point of `lamina format` (Prisma's canonical layout)."""
    from lamina.dialects.sqlite.describe import describe
    from tests.introspect.test_pull import DATA, SQLITE_CONFIG, _crm_source

    conn = sqlite3.connect(tmp_path / "dev.db")
    conn.executescript(CRM_SQLITE_SQL.read_text())
    for previous in (SQLITE_CONFIG, _crm_source("sqlite")):
        text = introspect(describe(conn), "sqlite", [("schema.prisma", previous)]).text
        assert format_schema([("schema.prisma", text)]) == [("schema.prisma", text)]
