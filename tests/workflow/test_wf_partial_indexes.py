"""Partial indexes and PostgreSQL extensions through the workflow: `migrate dev` writes them,
a second `migrate dev` finds nothing to do (the predicates PostgreSQL rewrites cause no phantom
migration), a changed predicate drops and re-creates the index, the partial unique index is
enforced only where its predicate holds; a `@db.Citext` column migrates on a fresh database
because `CREATE EXTENSION` comes first, and drift sees an extension missing from the database."""

from __future__ import annotations

GENERATOR = """
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["partialIndexes"]
}
"""

POST_FIELDS = """model Post {
  id        Int       @id
  email     String
  title     String
  published Boolean
  score     Int
  rating    Float
  deletedAt DateTime?
"""

BODY = GENERATOR + POST_FIELDS + """
  @@unique([email], where: { published: true, deletedAt: null })
  @@index([title], where: { score: { not: -1 }, rating: -1.5 })
  @@index([score], where: raw("title IN ('a', 'b') AND title NOT LIKE 'x%' AND score BETWEEN 1 AND 9"))
}
"""


def _names(project) -> list[str]:
    return sorted(p.name.split("_", 1)[1] for p in project.migrations.iterdir() if p.is_dir())


def test_partial_indexes_migrate_dev_twice(tx_project):
    project = tx_project
    project.write_schema(BODY)
    first = project.run("migrate", "dev", "--name", "init")
    assert first.code == 0, first.both
    sql = next(project.migrations.glob("*_init")).joinpath("migration.sql").read_text()
    where = 'WHERE ("published" = true AND "deletedAt" IS NULL)' if project.provider == "postgresql" else \
        'WHERE "published" = true AND "deletedAt" IS NULL'
    assert f'CREATE UNIQUE INDEX "Post_email_key" ON "Post"("email") {where};' in sql

    again = project.run("migrate", "dev", "--name", "again")
    assert again.code == 0, again.both
    assert "Already in sync" in again.out, again.both
    assert _names(project) == ["init"]
    status = project.run("migrate", "status")
    assert status.code == 0, status.both

    # the unique index holds only where its predicate does
    project.query("INSERT INTO \"Post\" VALUES (1, 'a@x', 't', false, 1, 1, NULL)")
    project.query("INSERT INTO \"Post\" VALUES (2, 'a@x', 't', true, 1, 1, NULL)")
    try:
        project.query("INSERT INTO \"Post\" VALUES (3, 'a@x', 't', true, 1, 1, NULL)")
        raise AssertionError("the partial unique index did not refuse a second published a@x")
    except Exception as exc:  # sqlite3.IntegrityError / psycopg UniqueViolation
        assert "unique" in str(exc).lower() or "UNIQUE" in str(exc)

    project.write_schema(BODY.replace("where: { published: true, deletedAt: null }", "where: { published: true }"))
    changed = project.run("migrate", "dev", "--name", "predicate", "--yes")  # the unique index warning
    assert changed.code == 0, changed.both
    sql = next(project.migrations.glob("*_predicate")).joinpath("migration.sql").read_text()
    # (with the unique-constraint warning Prisma writes for a unique index on an existing table)
    assert '*/\n-- DropIndex\nDROP INDEX "Post_email_key";\n\n-- CreateIndex\nCREATE UNIQUE INDEX "Post_email_key"' in sql, sql
    assert project.run("migrate", "dev", "--name", "again").code == 0
    assert _names(project) == ["init", "predicate"]



# Raw predicates spelled otherwise than PostgreSQL prints them back: keyword case, `!=`, an
# unquoted name in capitals, parentheses, `IN`, `LIKE`, casts. Prisma 7.10.1 compares them with
# the database's text as parsed trees and drops and re-creates most of these on every `migrate
# dev`; Lamina compares what they mean there, so the second run finds nothing.
SPELLED = GENERATOR + POST_FIELDS + """
  @@index([email], map: "s1", where: raw("\\"deletedAt\\" is null and published"))
  @@index([title], map: "s2", where: raw("SCORE != -1"))
  @@index([score], map: "s3", where: raw("(title IN ('a','b')) OR title like 'x%'"))
  @@index([rating], map: "s4", where: raw("score BETWEEN 1 AND 9 AND lower(title) <> 'x'"))
  @@index([email, title], map: "s5", where: raw("EXTRA"))
}
"""


def test_spelled_predicates_leave_no_phantom_migration(tx_project):
    project = tx_project
    pg = project.provider == "postgresql"
    project.write_schema(SPELLED.replace("EXTRA", "rating = -1.5::float8 AND title = 'x'::text" if pg else "rating = -1.5"))
    first = project.run("migrate", "dev", "--name", "init")
    assert first.code == 0, first.both
    again = project.run("migrate", "dev", "--name", "again")
    assert again.code == 0 and "Already in sync" in again.out, again.both
    assert _names(project) == ["init"]
    for source in (("--from-migrations", "prisma/migrations"), ("--from-config-datasource",)):
        diff = project.run("migrate", "diff", *source, "--to-schema", "prisma/schema.prisma", "--script")
        assert diff.code == 0 and diff.out == "-- This is an empty migration.\n\n\n", diff.both


EXTENSIONS = """
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["postgresqlExtensions"]
}
"""


def test_extensions_created_first_and_drift_sees_a_missing_one(pg_project):
    project = pg_project
    project.write_schema(EXTENSIONS + "\nmodel A {\n  id Int    @id\n  c  String @db.Citext\n}\n")
    text = project.schema.read_text().replace(
        '  url      = env("DATABASE_URL")\n', '  url        = env("DATABASE_URL")\n  extensions = [pgcrypto, citext]\n'
    )
    project.schema.write_text(text)
    first = project.run("migrate", "dev", "--name", "init")
    assert first.code == 0, first.both
    sql = next(project.migrations.glob("*_init")).joinpath("migration.sql").read_text()
    assert sql.startswith(
        '-- CreateExtension\nCREATE EXTENSION IF NOT EXISTS "citext";\n\n'
        '-- CreateExtension\nCREATE EXTENSION IF NOT EXISTS "pgcrypto";\n\n-- CreateTable\n'
    ), sql
    again = project.run("migrate", "dev", "--name", "again")
    assert again.code == 0 and "Already in sync" in again.out, again.both

    project.query("DROP EXTENSION pgcrypto")
    drift = project.run("migrate", "dev", "--name", "after_drop")
    assert drift.code != 0, drift.both
    assert "Drift detected" in drift.both and "pgcrypto" in drift.both, drift.both
