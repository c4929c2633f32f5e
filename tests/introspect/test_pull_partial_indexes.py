"""db pull of partial indexes and PostgreSQL extensions. The expected text is Prisma 7.10.1's
`db pull --print` on the same database (../shared/anchors), byte for byte, except `extensions`:
the CLI here runs Prisma's WebAssembly engine through a driver adapter, which reads no
extensions; the native engine writes `extensions = [citext(schema: "public")]` (its own
introspection tests), which Lamina follows. Invalid `where:` is P1012 with Prisma's text."""

from __future__ import annotations

from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.introspect import introspect
from tests.psl.test_validate_cli import lamina, write

SETUP = """
CREATE TYPE "Status" AS ENUM ('active','inactive');
CREATE TABLE "P" (id int primary key, b boolean not null, t text not null, s "Status" not null, n int);
CREATE INDEX "P_t_idx" ON "P"("t") WHERE ("b" = true);
CREATE UNIQUE INDEX "P_t_key" ON "P"("t") WHERE ("s" = 'active' AND "n" IS NOT NULL AND "t" != 'it''s');
CREATE INDEX "custom_name" ON "P" USING HASH ("n") WHERE n > 3;
CREATE UNIQUE INDEX "u2" ON "P"("n", "t") WHERE n > 3;
CREATE EXTENSION IF NOT EXISTS citext;
"""

GENERATOR = 'generator client {\n  provider = "prisma-client-js"\n}\n'
DATASOURCE = 'datasource db {\n  provider = "postgresql"\n}\n'

PULLED = '''generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["partialIndexes"]
}

datasource db {
  provider = "postgresql"
}

model P {
  id Int     @id
  b  Boolean
  t  String  @unique(where: raw("((s = 'active'::\\"Status\\") AND (n IS NOT NULL) AND (t <> 'it''s'::text))"))
  s  Status
  n  Int?

  @@unique([n, t], map: "u2", where: raw("(n > 3)"))
  @@index([t], where: raw("(b = true)"))
  @@index([n], map: "custom_name", type: Hash, where: raw("(n > 3)"))
}

enum Status {
  active
  inactive
}
'''


def test_pull_writes_where_raw_and_enables_the_preview_feature(pg_db):
    conn = pg_db(SETUP)
    text = introspect(describe_pg(conn), "postgresql", [("schema.prisma", GENERATOR + DATASOURCE)]).text
    assert text == PULLED


def test_pull_writes_extensions_when_enabled(pg_db):
    conn = pg_db(SETUP)
    generator = GENERATOR.replace('"prisma-client-js"\n', '"prisma-client-js"\n  previewFeatures = ["postgresqlExtensions"]\n')
    text = introspect(describe_pg(conn), "postgresql", [("schema.prisma", generator + DATASOURCE)]).text
    assert '  previewFeatures = ["postgresqlExtensions", "partialIndexes"]\n' in text
    assert '  provider   = "postgresql"\n  extensions = [citext(schema: "public")' in text


def test_where_without_the_preview_feature_is_p1012(tmp_path):
    write(tmp_path, DATASOURCE + "model P {\n  id Int @id\n  b  Boolean\n  @@index([b], where: { b: true })\n}\n")
    done = lamina(tmp_path, "validate")
    assert done.returncode == 1
    assert (
        'error: Error parsing attribute "@@index": Partial indexes are a preview feature. Add "partialIndexes" '
        "to previewFeatures in your generator block.\n  -->  prisma/schema.prisma:7\n"
    ) in done.stderr


def test_where_on_mysql_is_p1012(tmp_path):
    schema = GENERATOR.replace('"prisma-client-js"\n', '"prisma-client-js"\n  previewFeatures = ["partialIndexes"]\n')
    schema += 'datasource db {\n  provider = "mysql"\n}\nmodel P {\n  id Int @id\n  b  Boolean\n  @@index([b], where: raw("b"))\n}\n'
    write(tmp_path, schema)
    done = lamina(tmp_path, "validate")
    assert done.returncode == 1
    assert 'Error parsing attribute "@@index": Partial indexes (with a `where` clause) are not supported by the current connector.' in done.stderr


def test_object_where_type_mismatch_is_p1012(tmp_path):
    schema = GENERATOR.replace('"prisma-client-js"\n', '"prisma-client-js"\n  previewFeatures = ["partialIndexes"]\n')
    write(tmp_path, schema + DATASOURCE + "model P {\n  id Int @id\n  b  Boolean\n  @@index([b], where: { b: \"x\" })\n}\n")
    done = lamina(tmp_path, "validate")
    assert done.returncode == 1
    assert (
        "error: Error parsing attribute \"@index\": Type mismatch: field 'b' is of type Boolean, but the value is a String.\n"
        "  -->  prisma/schema.prisma:11\n"
    ) in done.stderr
