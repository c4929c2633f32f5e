"""MySQL/MariaDB: the real Prisma CLI cannot run MySQL here, so the corpus is checked by
equivalence on a real server: before's from-empty script plus the migration must leave
the same tables (SHOW CREATE TABLE, lines compared as sets, since ADD COLUMN appends)
as after's from-empty script on a second database. Plus the CRM from empty, applied.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.engine.anchor import SCENARIOS, for_provider
from tests.engine.helpers import schema_of, script

pytestmark = pytest.mark.mysql

CRM = Path(__file__).resolve().parents[2] / "examples" / "crm" / "prisma" / "schema.prisma"


def _cases():
    out = []
    for case in sorted(p for p in SCENARIOS.iterdir() if p.is_dir()):
        # (MySQL has neither multiSchema nor partial indexes: Prisma rejects `where:` there)
        if (case / "expected.sqlite.sql").exists() and "multi_schema" not in case.name and "partial_indexes" not in case.name:
            out.append(pytest.param(case, id=case.name))
    return out


def _connect(server: str, database: str | None):
    import pymysql

    from tests.conftest import _mysql_params

    return pymysql.connect(autocommit=True, database=database, **_mysql_params(server))


@pytest.fixture
def two_databases(mysql_server):
    names = [f"lamina_eq_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    admin = _connect(mysql_server, None)
    with admin.cursor() as cur:
        for n in names:
            cur.execute(f"CREATE DATABASE `{n}`")
    try:
        yield [_connect(mysql_server, n) for n in names]
    finally:
        with admin.cursor() as cur:
            for n in names:
                cur.execute(f"DROP DATABASE IF EXISTS `{n}`")
        admin.close()


def run(conn, sql: str) -> None:
    from lamina.db.split import split_statements

    with conn.cursor() as cur:
        for stmt in split_statements(sql, "mysql"):
            cur.execute(stmt)


def tables(conn) -> dict[str, set[str]]:
    out = {}
    with conn.cursor() as cur:
        cur.execute("SHOW TABLES")
        for (name,) in cur.fetchall():
            cur.execute(f"SHOW CREATE TABLE `{name}`")
            ddl = cur.fetchone()[1]
            out[name] = {line.strip().rstrip(",") for line in ddl.split("\n")[1:-1]}
    return out


# Scenarios whose change Prisma does not migrate: the database keeps before's DDL.
KEEPS_BEFORE = {"datetime_default_changes_no_change"}  # date/time defaults are not compared


@pytest.mark.parametrize("case", _cases())
def test_migration_reaches_after(case: Path, two_databases) -> None:
    migrated, fresh = two_databases
    before = for_provider((case / "before.prisma").read_text(), "mysql")
    after = for_provider((case / "after.prisma").read_text(), "mysql")
    run(migrated, script(None, before, "mysql"))
    run(migrated, script(before, after, "mysql"))
    # A change Prisma does not migrate leaves the tables as before's DDL made them.
    run(fresh, script(None, before if case.name in KEEPS_BEFORE else after, "mysql"))
    assert tables(migrated) == tables(fresh)
    assert script(after, after, "mysql") == "-- This is an empty migration.\n"


def test_crm_from_empty(two_databases) -> None:
    text = for_provider(CRM.read_text().replace('provider = "sqlite"', 'provider = "postgresql"'), "mysql")
    sql = script(None, text, "mysql")
    expected = Path(__file__).resolve().parent / "crm" / "expected.mysql.sql"
    assert sql == expected.read_text()
    run(two_databases[0], sql)
    assert len(tables(two_databases[0])) == len(schema_of(text, "mysql").tables)


@pytest.mark.parametrize("case", _cases())
def test_round_trip_through_describe(case: Path, two_databases) -> None:
    """before's script, then the diff from the described database to after: nothing left."""
    from lamina.dialects import get_dialect
    from lamina.sql.diff import diff

    conn = two_databases[0]
    dialect = get_dialect("mysql")
    before = for_provider((case / "before.prisma").read_text(), "mysql")
    after = for_provider((case / "after.prisma").read_text(), "mysql")
    run(conn, script(None, before, "mysql"))
    assert diff(dialect.describe(conn), schema_of(before, "mysql"), dialect).is_empty
    run(conn, dialect.render_script(diff(dialect.describe(conn), schema_of(after, "mysql"), dialect)))
    left = diff(dialect.describe(conn), schema_of(after, "mysql"), dialect)
    assert left.is_empty, dialect.render_script(left)
