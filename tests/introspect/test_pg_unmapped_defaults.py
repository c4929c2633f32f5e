"""Issue 19: typed constant defaults Prisma cannot map to a schema value (date/time, uuid).

Expected texts are Prisma 7.10.1's (`db pull --print`, `migrate diff --from-config-datasource
--to-schema --script`, run on the same databases): a timestamp, date, time or uuid constant
is printed as `dbgenerated("<the catalog's text>")`, a bytea constant as base64, and the
differ does not compare a database date/time constant with a schema value (no SET DEFAULT),
while a uuid value against the database's uuid constant is still a SET DEFAULT (as Prisma)."""

from __future__ import annotations

import subprocess
import sys
import os

from lamina.dialects import get_dialect
from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.introspect import introspect
from lamina.sql.diff import diff
from tests.engine.helpers import schema_of

CONFIG = 'datasource db {\n  provider = "postgresql"\n}\n'

DATABASE = """
SET TIME ZONE 'UTC';
CREATE TABLE "D" (
 id INTEGER PRIMARY KEY,
 ts TIMESTAMP(3) NOT NULL DEFAULT '1970-01-01 00:00:00',
 ts3 TIMESTAMP(6) DEFAULT '2020-01-01 10:00:00.123 +02:00',
 tstz TIMESTAMPTZ(6) DEFAULT '2020-01-01 10:00:00+02',
 d DATE DEFAULT '2020-01-01',
 t TIME(6) DEFAULT '12:30:00',
 tt TIMETZ(6) DEFAULT '12:30:00+00',
 u UUID DEFAULT '00000000-0000-0000-0000-000000000000',
 b BYTEA DEFAULT '\\x00',
 ip INET DEFAULT '127.0.0.1',
 j JSONB DEFAULT '{"a": 1}',
 lts TIMESTAMP(3) DEFAULT LOCALTIMESTAMP
);
"""

PULLED = CONFIG + """
model D {
  id   Int       @id
  ts   DateTime  @default(dbgenerated("'1970-01-01 00:00:00'::timestamp without time zone"))
  ts3  DateTime? @default(dbgenerated("'2020-01-01 10:00:00.123'::timestamp without time zone")) @db.Timestamp(6)
  tstz DateTime? @default(dbgenerated("'2020-01-01 08:00:00+00'::timestamp with time zone")) @db.Timestamptz(6)
  d    DateTime? @default(dbgenerated("'2020-01-01'::date")) @db.Date
  t    DateTime? @default(dbgenerated("'12:30:00'::time without time zone")) @db.Time(6)
  tt   DateTime? @default(dbgenerated("'12:30:00+00'::time with time zone")) @db.Timetz(6)
  u    String?   @default(dbgenerated("'00000000-0000-0000-0000-000000000000'::uuid")) @db.Uuid
  b    Bytes?    @default("AA==")
  ip   String?   @default("127.0.0.1") @db.Inet
  j    Json?     @default("{\\"a\\": 1}")
  lts  DateTime? @default(dbgenerated("LOCALTIMESTAMP"))
}
"""

# The same columns with schema values, as a project written by hand would have them.
VALUES = CONFIG + """
model D {
  id   Int       @id
  ts   DateTime  @default("1970-01-01T00:00:00Z")
  ts3  DateTime? @default("2021-05-05T00:00:00Z") @db.Timestamp(6)
  tstz DateTime? @default("2020-01-01T08:00:00Z") @db.Timestamptz(6)
  d    DateTime? @default("2020-01-01T00:00:00Z") @db.Date
  t    DateTime? @default("1970-01-01T12:30:00Z") @db.Time(6)
  tt   DateTime? @default("1970-01-01T12:30:00Z") @db.Timetz(6)
  u    String?   @default("00000000-0000-0000-0000-000000000000") @db.Uuid
  b    Bytes?    @default("AA==")
  ip   String?   @default("127.0.0.1") @db.Inet
  j    Json?     @default("{\\"a\\":1}")
  lts  DateTime? @default(dbgenerated("LOCALTIMESTAMP"))
}
"""


def _script(conn, schema: str) -> str:
    dialect = get_dialect("postgresql")
    migration = diff(describe_pg(conn), schema_of(schema, "postgresql"), dialect)
    return dialect.render_script(migration) if migration.steps else ""


def test_pull_prints_unmapped_constants_as_dbgenerated(pg_db):
    conn = pg_db(DATABASE)
    assert introspect(describe_pg(conn), "postgresql", [("schema.prisma", CONFIG)]).text == PULLED


def test_pulled_schema_diffs_empty_and_values_as_prisma(pg_db):
    conn = pg_db(DATABASE)
    assert _script(conn, PULLED) == ""
    # Prisma 7.10.1 on VALUES: only the uuid column (its value against the uuid constant)
    assert _script(conn, VALUES) == (
        "-- AlterTable\n"
        "ALTER TABLE \"D\" ALTER COLUMN \"u\" SET DEFAULT '00000000-0000-0000-0000-000000000000';\n"
    )
    changed = (PULLED.replace("'2020-01-01'::date", "'2020-01-02'::date")
               .replace('@default("AA==")', '@default("AQ==")')
               .replace("'12:30:00+00'::time with time zone", "'12:30:00'::time with time zone"))
    assert _script(conn, changed) == (
        "-- AlterTable\n"
        "ALTER TABLE \"D\" ALTER COLUMN \"d\" SET DEFAULT '2020-01-02'::date,\n"
        "ALTER COLUMN \"tt\" SET DEFAULT '12:30:00'::time with time zone,\n"
        "ALTER COLUMN \"b\" SET DEFAULT '\\x01';\n"
    )


def test_migrate_dev_writes_nothing_on_a_timestamp_constant(tmp_path, postgres_url):
    """The issue's case end to end: a migration made `TIMESTAMP(3) DEFAULT '1970-01-01 00:00:00'`,
    the schema says dbgenerated(...) as db pull prints it; migrate dev finds nothing to do."""
    (tmp_path / "prisma" / "migrations" / "20240101000000_init").mkdir(parents=True)
    (tmp_path / "prisma" / "migrations" / "migration_lock.toml").write_text('provider = "postgresql"\n')
    (tmp_path / "prisma" / "migrations" / "20240101000000_init" / "migration.sql").write_text(
        'CREATE TABLE "E" ("id" INTEGER NOT NULL PRIMARY KEY,'
        " \"at\" TIMESTAMP(3) NOT NULL DEFAULT '1970-01-01 00:00:00', \"day\" DATE DEFAULT '2020-01-01');\n")
    (tmp_path / "prisma" / "schema.prisma").write_text(CONFIG + """
model E {
  id  Int       @id
  at  DateTime  @default(dbgenerated("'1970-01-01 00:00:00'::timestamp without time zone"))
  day DateTime? @default(dbgenerated("'2020-01-01'::date")) @db.Date
}
""")
    env = {**os.environ, "DATABASE_URL": postgres_url}
    run = lambda *a: subprocess.run([sys.executable, "-m", "lamina", *a], cwd=tmp_path, env=env,  # noqa: E731
                                    capture_output=True, text=True, timeout=120)
    assert run("migrate", "deploy").returncode == 0
    done = run("migrate", "dev", "--name", "again")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "prisma" / "migrations").iterdir()) == [
        "20240101000000_init", "migration_lock.toml"]
    assert "Already in sync" in done.stdout
