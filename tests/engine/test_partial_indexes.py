"""Partial indexes (partialIndexes) and PostgreSQL extensions (postgresqlExtensions).

- scripts equal the ones Prisma 7.10.1's `migrate diff --script` printed for the same schemas
  (recorded below; re-checked live against ../shared/anchors where Node and the installed CLI are);
- on a real database, the migration applied and described again leaves no difference (no
  phantom migration from PostgreSQL's rewritten predicates).
"""

from __future__ import annotations


import pytest

from lamina.dialects import get_dialect
from lamina.sql.diff import diff
from tests.engine.anchor import PRISMA_CLI_HERE
from tests.engine.helpers import connect_raw, run_script, schema_of, script

HEAD = """generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["partialIndexes"]
}
datasource db {
  provider = "%s"
}
enum Status {
  active
  inactive
}
"""
MODEL = """model P {
  id  Int       @id
  t   String
  b   Boolean
  s   Status
  n   Int?
  f   Float
  d   DateTime
  %s
}
"""
# (attribute, PostgreSQL's WHERE, SQLite's WHERE): from Prisma 7.10.1's CLI.
CASES = [
    ('@@index([t], where: { b: true })', 'WHERE ("b" = true)', 'WHERE "b" = true'),
    ('@@index([t], where: { b: false, n: null })', 'WHERE ("b" = false AND "n" IS NULL)', 'WHERE "b" = false AND "n" IS NULL'),
    ('@@index([t], where: { n: { not: null } })', 'WHERE ("n" IS NOT NULL)', 'WHERE "n" IS NOT NULL'),
    ('@@index([t], where: { s: "active", n: 5, f: -1.5 })', "WHERE (\"s\" = 'active' AND \"n\" = 5 AND \"f\" = -1.5)",
     "WHERE \"s\" = 'active' AND \"n\" = 5 AND \"f\" = -1.5"),
    ('@@index([t], where: { t: "it\'s" })', "WHERE (\"t\" = 'it''s')", "WHERE \"t\" = 'it''s'"),
    ('@@index([t], where: { t: { not: "x" }, b: { not: true } })', "WHERE (\"t\" != 'x' AND \"b\" != true)",
     "WHERE \"t\" != 'x' AND \"b\" != true"),
    ('@@index([t], where: { d: "2024-01-01T00:00:00Z" })', "WHERE (\"d\" = '2024-01-01T00:00:00Z')", "WHERE \"d\" = '2024-01-01T00:00:00Z'"),
    ('@@unique([t], where: raw("b = true AND n > 3"))', "WHERE (b = true AND n > 3)", "WHERE b = true AND n > 3"),
]


def _schema(provider: str, attr: str) -> str:
    return HEAD % provider + MODEL % attr


@pytest.mark.parametrize("attr,pg,sqlite", CASES)
@pytest.mark.parametrize("provider", ["postgresql", "sqlite"])
def test_where_rendered_as_prisma(provider, attr, pg, sqlite):
    out = script(None, _schema(provider, attr), provider)
    where = pg if provider == "postgresql" else sqlite
    index_lines = [line for line in out.splitlines() if line.startswith("CREATE ") and "INDEX" in line]
    assert len(index_lines) == 1 and index_lines[0].endswith(f") {where};"), out


def test_changed_predicate_drops_and_recreates():
    before = _schema("postgresql", '@@index([t], where: { b: true })')
    after = _schema("postgresql", '@@index([t], where: { b: false })')
    assert script(before, after, "postgresql") == (
        '-- DropIndex\nDROP INDEX "P_t_idx";\n\n-- CreateIndex\nCREATE INDEX "P_t_idx" ON "P"("t") WHERE ("b" = false);\n'
    )
    same = _schema("postgresql", '@@index([t], where: raw("(b = true)"))')
    assert script(before, same, "postgresql") == "-- This is an empty migration.\n"


EXT_BEFORE = """generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["postgresqlExtensions"]
}
datasource db {
  provider   = "postgresql"
  extensions = [pgcrypto, citext(schema: "public")]
}
model A {
  id Int @id
}
"""


def test_extensions_as_prisma():
    after = EXT_BEFORE.replace('[pgcrypto, citext(schema: "public")]', '[citext(schema: "ext", version: "1.5"), hstore]')
    assert script(None, EXT_BEFORE, "postgresql").startswith(
        '-- CreateExtension\nCREATE EXTENSION IF NOT EXISTS "citext" WITH SCHEMA "public";\n\n'
        '-- CreateExtension\nCREATE EXTENSION IF NOT EXISTS "pgcrypto";\n\n-- CreateTable\n'
    )
    # pgcrypto left out of the list is not dropped; citext's schema changed: dropped and created
    assert script(EXT_BEFORE, after, "postgresql") == (
        '-- DropExtension\nDROP EXTENSION "citext";\n\n'
        '-- CreateExtension\nCREATE EXTENSION IF NOT EXISTS "citext" WITH SCHEMA "ext" VERSION "1.5";\n\n'
        '-- CreateExtension\nCREATE EXTENSION IF NOT EXISTS "hstore";\n'
    )


@pytest.mark.parametrize("provider", ["sqlite", "postgresql"])
def test_applied_partial_indexes_leave_no_difference(provider, request):
    """migrate dev twice: the described database (PostgreSQL rewrites the predicates) equals the schema."""
    url = request.getfixturevalue("sqlite_url" if provider == "sqlite" else "postgres_url")
    attrs = "\n  ".join(a for a, _pg, _sq in CASES if "@@unique" not in a).replace("@@index([t]", "@@index([t, id]")
    attrs = "\n  ".join(f'{a[:-1]}, map: "ix{i}")' for i, a in enumerate(attrs.split("\n  ")))
    text = _schema(provider, attrs + '\n  @@unique([t], where: raw("b = true AND n > 3"))')
    if provider == "sqlite":
        import sqlite3

        conn = sqlite3.connect(url[len("file:"):], isolation_level=None)
    else:
        conn = connect_raw(url)
    run_script(conn, script(None, text, provider))
    dialect = get_dialect(provider)
    described = dialect.describe(conn)
    conn.close()
    migration = diff(described, schema_of(text, provider), dialect)
    assert dialect.render_script(migration) == "-- This is an empty migration.\n"


# Raw predicates PostgreSQL stores rewritten (pg_get_expr): `IN` as `= ANY (ARRAY[...])`, `NOT LIKE`
# as `!~~`, negative numbers as quoted casts, `!=` as `<>`, every literal cast to its column's type.
RAW_PG = [
    "t IN ('a', 'b') AND t NOT LIKE 'x%'",
    "f = -1.5 OR n = -5",
    r"""n != 1.5 AND \"d\" > '2024-01-01'""",
    "(b OR n IS NULL) AND s <> 'inactive'",
    "lower(t) = 'x' AND n BETWEEN 1 AND 3",
    "NOT (n IN (1, 2)) AND n NOT BETWEEN 5 AND 7 AND COALESCE(n, 0) > -2",
    "t ILIKE 'x%' OR t SIMILAR TO 'y%' OR t IN ('only')",
    "d > '2024-01-01T10:00:00Z' AND (b, n) IS NOT NULL",
    "b AND (n > 1 AND (n < 5 OR n IS NULL))",
]


def test_precedence_is_a_change_against_the_database(postgres_url):
    """Grouping parentheses PostgreSQL drops are no change, ones that change the meaning are."""
    before = _schema("postgresql", '@@index([t], where: raw("b = false AND (n > 1 OR n < -1)"))')
    conn = connect_raw(postgres_url)
    run_script(conn, script(None, before, "postgresql"))
    dialect = get_dialect("postgresql")
    described = dialect.describe(conn)
    conn.close()
    same = before.replace("b = false AND (n > 1 OR n < -1)", "((b = false) AND ((n > 1) OR (n < -1)))")
    assert diff(described, schema_of(same, "postgresql"), dialect).is_empty
    other = before.replace("b = false AND (n > 1 OR n < -1)", "(b = false AND n > 1) OR n < -1")
    assert dialect.render_script(diff(described, schema_of(other, "postgresql"), dialect)) == (
        '-- DropIndex\nDROP INDEX "P_t_idx";\n\n-- CreateIndex\n'
        'CREATE INDEX "P_t_idx" ON "P"("t") WHERE ((b = false AND n > 1) OR n < -1);\n')


def test_raw_predicates_rewritten_by_postgres_leave_no_difference(postgres_url):
    attrs = "\n  ".join(f'@@index([t, id], where: raw("{p}"), map: "raw{i}")' for i, p in enumerate(RAW_PG))
    text = _schema("postgresql", attrs)
    conn = connect_raw(postgres_url)
    run_script(conn, script(None, text, "postgresql"))
    dialect = get_dialect("postgresql")
    described = dialect.describe(conn)
    conn.close()
    assert dialect.render_script(diff(described, schema_of(text, "postgresql"), dialect)) == "-- This is an empty migration.\n"


@pytest.mark.skipif(not PRISMA_CLI_HERE,
                    reason="the real Prisma CLI (../shared/anchors, installed by its setup.sh) is not here")
@pytest.mark.parametrize("provider", ["postgresql", "sqlite"])
def test_scripts_equal_prisma_cli(provider):
    from tests.engine.anchor import prisma_diff

    for attr, _pg, _sq in CASES:
        text = _schema(provider, attr)
        assert script(None, text, provider) == prisma_diff(provider, None, text), attr
    assert script(None, EXT_BEFORE, "postgresql") == prisma_diff("postgresql", None, EXT_BEFORE)


# A schema WITHOUT the partialIndexes preview feature against a database with a hand-written
# partial index (a real project, trigger.dev, approximates one with a plain @@index): Prisma
# 7.10.1 compares the database's partial indexes as if they had no predicate and never drops
# one (`migrate diff --from-config-datasource --to-schema --script`, recorded from the anchor CLI
# on PostgreSQL). Each case: the database's index, the schema's attribute, Prisma's script.
UNMANAGED_PARTIAL = [
    ('CREATE INDEX "G_env_key_idx" ON "G"(env, key) WHERE key IS NOT NULL', "@@index([env, key])", ""),
    ('CREATE INDEX "foo" ON "G"(env, key) WHERE key IS NOT NULL', "@@index([env, key])",
     '-- RenameIndex\nALTER INDEX "foo" RENAME TO "G_env_key_idx";\n'),
    ('CREATE UNIQUE INDEX "G_env_key_key" ON "G"(env, key) WHERE key IS NOT NULL', "@@unique([env, key])", ""),
    ('CREATE INDEX "G_env_key_idx" ON "G"(env, key) WHERE key IS NOT NULL', "", ""),
    ('CREATE INDEX "G_env_key_idx" ON "G"(env, key) WHERE key IS NOT NULL', "@@index([env])",
     '-- CreateIndex\nCREATE INDEX "G_env_idx" ON "G"("env");\n'),
    ('CREATE INDEX "G_env_key_idx" ON "G"(env, key) WHERE key IS NOT NULL', '@@index([env, key], map: "G_env_key_idx2")',
     '-- RenameIndex\nALTER INDEX "G_env_key_idx" RENAME TO "G_env_key_idx2";\n'),
    ('CREATE INDEX "G_env_key_idx" ON "G"(env) WHERE key IS NOT NULL', "@@index([env, key])",
     '-- CreateIndex\nCREATE INDEX "G_env_key_idx" ON "G"("env", "key");\n'),
    ('CREATE UNIQUE INDEX "G_env_key_idx" ON "G"(env, key) WHERE key IS NOT NULL', "@@index([env, key])",
     '-- CreateIndex\nCREATE INDEX "G_env_key_idx" ON "G"("env", "key");\n'),
]


@pytest.mark.parametrize("index_sql, attr, expected", UNMANAGED_PARTIAL)
def test_unmanaged_partial_index_compared_without_its_predicate(postgres_url, index_sql, attr, expected):
    conn = connect_raw(postgres_url)
    run_script(conn, 'CREATE TABLE "G" (id int, env text NOT NULL, key text, CONSTRAINT "G_pkey" PRIMARY KEY (id));\n'
               f"{index_sql};\n")
    dialect = get_dialect("postgresql")
    described = dialect.describe(conn)
    conn.close()
    text = f'datasource db {{\n  provider = "postgresql"\n}}\nmodel G {{\n  id  Int     @id\n  env String\n  key String?\n  {attr}\n}}\n'
    rendered = dialect.render_script(diff(described, schema_of(text, "postgresql"), dialect))
    assert rendered == (expected or "-- This is an empty migration.\n")
