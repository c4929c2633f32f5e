"""Issue 19: two unique indexes on one column (`Old_email_key` left over from a table rename, and
`U_email_key`) with `email String @unique`: Prisma 7.10.1 writes an empty migration, and so does Lamina;
a leftover whose definition no wanted index has is still dropped."""

from __future__ import annotations

from lamina.dialects import get_dialect
from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.sql.diff import diff
from tests.engine.helpers import schema_of

SCHEMA = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel U {\n  id    Int    @id\n  email String @unique\n}\n'
TABLE = 'CREATE TABLE "U" ("id" INTEGER NOT NULL PRIMARY KEY, "email" TEXT NOT NULL);'


def _steps(conn):
    return diff(describe_pg(conn), schema_of(SCHEMA, "postgresql"), get_dialect("postgresql")).steps


def test_redundant_unique_index_is_kept(pg_db):
    conn = pg_db(TABLE + 'CREATE UNIQUE INDEX "Old_email_key" ON "U"("email"); CREATE UNIQUE INDEX "U_email_key" ON "U"("email");')
    assert _steps(conn) == []


def test_leftover_of_another_definition_is_dropped(pg_db):
    conn = pg_db(TABLE + 'CREATE INDEX "Old_email_idx" ON "U"("email"); CREATE UNIQUE INDEX "U_email_key" ON "U"("email");')
    assert [type(s).__name__ for s in _steps(conn)] == ["DropIndex"]
