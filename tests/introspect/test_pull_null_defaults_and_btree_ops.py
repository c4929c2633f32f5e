"""db pull of a few PostgreSQL column defaults and unique indexes, against Prisma 7.10.1: the
expected text is its `db pull --print` on the same database (../shared/anchors), byte for byte.

- `DEFAULT NULL` (kept by PostgreSQL as `NULL::bit varying`) is no default at all;
- a typed empty array (`(ARRAY[]::numeric[])::numeric(65,30)[]`) is `@default([])`;
- a one-column unique index sorted DESC stays on its field: `@unique(map: …, sort: Desc)`;
- B-tree indexes are written without their operator classes (`text_pattern_ops`), GIN ones with.

Before, Lamina wrote `dbgenerated("NULL::bit varying")`, `dbgenerated("(ARRAY[]…")`, a
`@@unique([code(sort: Desc)])` and `ops: raw("text_pattern_ops")` on B-tree indexes."""

from __future__ import annotations

from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.introspect import introspect

SETUP = """
CREATE TABLE "T" (id text PRIMARY KEY, body varbit(4) NOT NULL DEFAULT NULL, note varchar(3) DEFAULT NULL::character varying,
  nums numeric(65,30)[] NOT NULL DEFAULT (ARRAY[]::numeric[])::numeric(65,30)[], ts timestamp(3)[] DEFAULT ARRAY[]::timestamp(3)[],
  ints int[] DEFAULT ARRAY[1, 2], code text NOT NULL, other text, o2 text COLLATE "C");
CREATE UNIQUE INDEX "T_code_key" ON "T"(code DESC);
CREATE UNIQUE INDEX "t_other" ON "T"(other DESC);
CREATE UNIQUE INDEX "t_o2" ON "T"(o2 text_pattern_ops);
CREATE INDEX t_btree_ops ON "T"(other varchar_pattern_ops, code text_pattern_ops);
CREATE INDEX t_gin ON "T" USING gin (ints array_ops);
CREATE UNIQUE INDEX t_two ON "T"(code, other text_pattern_ops);
"""

DATASOURCE = 'datasource db {\n  provider = "postgresql"\n}\n'

PULLED = DATASOURCE + '''
model T {
  id    String     @id
  body  String     @db.VarBit(4)
  note  String?    @db.VarChar(3)
  nums  Decimal[]  @default([])
  ts    DateTime[] @default([])
  ints  Int[]      @default([1, 2])
  code  String     @unique(sort: Desc)
  other String?    @unique(map: "t_other", sort: Desc)
  o2    String?    @unique(map: "t_o2")

  @@unique([code, other], map: "t_two")
  @@index([other, code], map: "t_btree_ops")
  @@index([ints], map: "t_gin", type: Gin)
}
'''


def test_null_defaults_typed_empty_arrays_desc_uniques_and_btree_operator_classes(pg_db):
    conn = pg_db(SETUP)
    result = introspect(describe_pg(conn), "postgresql", [("schema.prisma", DATASOURCE)])
    assert result.text == PULLED
    assert result.warnings == []


ENUM_LISTS = """
CREATE TYPE kind_enum AS ENUM ('a', 'b');
CREATE TABLE t (id int PRIMARY KEY, kind "public"."kind_enum"[] DEFAULT ARRAY[]::"public"."kind_enum"[],
  two kind_enum[] DEFAULT ARRAY['a', 'b']::kind_enum[]);
"""

ENUM_LISTS_PULLED = DATASOURCE + '''
model t {
  id   Int         @id
  kind kind_enum[] @default([])
  two  kind_enum[] @default([a, b])
}

enum kind_enum {
  a
  b
}
'''


def test_enum_list_defaults(pg_db):
    # Recorded from Prisma 7.10.1's `db pull --print` (../shared/anchors). The describer gives
    # the empty one as `ARRAY[]::kind_enum[]::"kind_enum"[]`, which Lamina wrote as dbgenerated before.
    conn = pg_db(ENUM_LISTS)
    result = introspect(describe_pg(conn), "postgresql", [("schema.prisma", DATASOURCE)])
    assert result.text == ENUM_LISTS_PULLED
