"""PostgreSQL operator classes (issue 19), each expectation taken from Prisma 7.10.1:
`db pull` prints Prisma's schema names, `raw("…")` for the others; a bare unknown name is P1012;
a database made from `ops:` indexes (raw ones included) diffs empty against its schema.
(CREATE INDEX text and the apply round trip: tests/engine/scenarios/postgres_operator_classes.)"""

from __future__ import annotations

from lamina.dialects import get_dialect
from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.introspect import introspect
from lamina.sql.diff import diff
from lamina.sql.pg_opclasses import SCHEMA_TO_SQL
from tests.engine.helpers import schema_of
from tests.psl.test_validate_cli import lamina, write

PG_CONFIG = 'datasource db {\n  provider = "postgresql"\n}\n'

SCHEMA = PG_CONFIG + """
model A {
  id   Int      @id
  tags String[]
  j    Json
  j2   Json
  s    String
  ip   String   @db.Inet
  t    String
  n    Int
  ts   DateTime
  u    String   @db.Uuid

  @@index([ip(ops: InetOps)], type: Gist)
  @@index([j2(ops: JsonbOps)], type: Gin)
  @@index([j(ops: JsonbPathOps)], type: Gin)
  @@index([n(ops: Int4MinMaxOps)], type: Brin)
  @@index([s(ops: raw("gin_trgm_ops"))], type: Gin)
  @@index([t(ops: TextOps)], type: SpGist)
  @@index([tags(ops: ArrayOps)], type: Gin)
  @@index([ts(ops: TimestampBloomOps)], type: Brin)
  @@index([u(ops: UuidMinMaxMultiOps)], type: Brin)
  @@index([t(ops: TextMinMaxOps), n(ops: Int4BloomOps)], map: "multi", type: Brin)
}
"""

# What Prisma 7.10.1 `db pull --print` writes for the database SCHEMA makes (default classes left out)
PULLED_INDEXES = """\
  @@index([ip(ops: InetOps)], type: Gist)
  @@index([j2], type: Gin)
  @@index([j(ops: JsonbPathOps)], type: Gin)
  @@index([n], type: Brin)
  @@index([s(ops: raw("gin_trgm_ops"))], type: Gin)
  @@index([t], type: SpGist)
  @@index([tags], type: Gin)
  @@index([ts(ops: TimestampBloomOps)], type: Brin)
  @@index([u(ops: UuidMinMaxMultiOps)], type: Brin)
  @@index([t, n(ops: Int4BloomOps)], map: "multi", type: Brin)
"""


def _database(pg_db):
    from tests.engine.helpers import script

    return pg_db("CREATE EXTENSION IF NOT EXISTS pg_trgm;\n" + script(PG_CONFIG, SCHEMA, "postgresql"))


def test_create_index_writes_sql_names_and_raw_verbatim():
    from tests.engine.helpers import script

    sql = script(PG_CONFIG, SCHEMA, "postgresql")
    assert 'USING GIN ("s" gin_trgm_ops);' in sql
    assert 'USING GIN ("tags" array_ops);' in sql
    assert 'USING BRIN ("t" text_minmax_ops, "n" int4_bloom_ops);' in sql


def test_pull_prints_prisma_names_and_raw(pg_db):
    text = introspect(describe_pg(_database(pg_db)), "postgresql", [("schema.prisma", PG_CONFIG)]).text
    assert "\n".join(line for line in text.splitlines() if "@@index" in line) + "\n" == PULLED_INDEXES


def test_database_from_ops_indexes_diffs_empty(pg_db):
    described = describe_pg(_database(pg_db))
    assert diff(described, schema_of(SCHEMA, "postgresql"), get_dialect("postgresql")).steps == []


def test_every_prisma_class_maps_to_a_postgres_class(pg_db):
    conn = pg_db("SELECT 1;")
    names = {r[0] for r in conn.execute("SELECT opcname FROM pg_opclass").fetchall()}
    assert len(SCHEMA_TO_SQL) == 56 and set(SCHEMA_TO_SQL.values()) <= names


def test_bare_unknown_class_is_p1012_like_prisma(tmp_path):
    write(tmp_path, SCHEMA.replace('raw("gin_trgm_ops")', "gin_trgm_ops"))
    done = lamina(tmp_path, "validate")
    assert done.returncode == 1
    assert "Error code: P1012\n" in done.stderr
    assert (
        "error: Unexpected token. Expected one of: Invalid operator class: gin_trgm_ops\n"
        "  -->  prisma/schema.prisma:21\n"
        "   | \n"
        "20 |   @@index([n(ops: Int4MinMaxOps)], type: Brin)\n"
        '21 |   @@index([s(ops: gin_trgm_ops)], type: Gin)\n'
    ) in done.stderr
