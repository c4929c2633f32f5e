"""Issue 19: a database whose defaults mean what the schema says diffs empty, as with Prisma 7.10.1
(checked with its `migrate diff --from-config-datasource`: "-- This is an empty migration.");
a default that really differs still gives a SET DEFAULT."""

from __future__ import annotations

from lamina.dialects import get_dialect
from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.sql.diff import diff
from tests.engine.helpers import schema_of

DATABASE = """
CREATE TYPE "Scope" AS ENUM ('A', 'B');
CREATE TABLE "T" ("id" INTEGER NOT NULL PRIMARY KEY,
  "f" DOUBLE PRECISION NOT NULL DEFAULT 0.0, "f2" DOUBLE PRECISION NOT NULL DEFAULT 1.5,
  "d" DECIMAL(65,30) NOT NULL DEFAULT 1.5, "ts" TIMESTAMP(3) NOT NULL DEFAULT '1970-01-01 00:00:00',
  "sc" "Scope"[] DEFAULT ARRAY[]::"Scope"[], "sc2" "Scope"[] DEFAULT ARRAY['A']::"Scope"[],
  "b" BOOLEAN NOT NULL DEFAULT false, "bi" BIGINT NOT NULL DEFAULT 0, "s" TEXT NOT NULL DEFAULT 'it''s');
"""

SCHEMA = """datasource db {
  provider = "postgresql"
}

enum Scope {
  A
  B
}

model T {
  id  Int      @id
  f   Float    @default(0.0)
  f2  Float    @default(1.50)
  d   Decimal  @default(1.50)
  ts  DateTime @default(dbgenerated("'1970-01-01 00:00:00'::timestamp without time zone"))
  sc  Scope[]  @default([])
  sc2 Scope[]  @default([A])
  b   Boolean  @default(false)
  bi  BigInt   @default(0)
  s   String   @default("it's")
}
"""


def _steps(pg_db, schema: str):
    return diff(describe_pg(pg_db(DATABASE)), schema_of(schema, "postgresql"), get_dialect("postgresql"))


def test_same_defaults_written_differently_diff_empty(pg_db):
    assert _steps(pg_db, SCHEMA).steps == []


def test_a_default_that_differs_is_still_changed(pg_db):
    changed = SCHEMA.replace("@default(0.0)", "@default(0.5)").replace("00:00:00'::", "00:00:01'::")
    steps = _steps(pg_db, changed).steps
    assert len(steps) == 1


def test_pull_prints_enum_list_defaults_like_prisma(pg_db):
    from lamina.introspect import introspect

    config = 'datasource db {\n  provider = "postgresql"\n}\n'
    text = introspect(describe_pg(pg_db(DATABASE)), "postgresql", [("schema.prisma", config)]).text
    assert "  sc  Scope[]  @default([])\n" in text  # it was dbgenerated("ARRAY[]::\"Scope\"[]::\"Scope\"[]")
    assert "  sc2 Scope[]  @default([A])\n" in text
