"""Views with Prisma Migrate's documented workflow (`previewFeatures = ["views"]`): the view is
created by hand in a `--create-only` migration and described by a `view` block. Nothing then
drops or re-creates it, and nothing reports it as drift: `migrate dev` (twice), `migrate status`,
`migrate diff` from the migrations, the database or the schema. A view made in the database
outside the migrations is not drift either (Prisma does not diff views). SQLite, PostgreSQL,
MariaDB."""

from __future__ import annotations

BODY = """
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views"]
}

model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
}

view UserInfo {
  id    Int    @unique
  email String
}
"""

CREATE_VIEW = 'CREATE VIEW "UserInfo" AS SELECT "id", "email" FROM "User";\n'
EMPTY = "-- This is an empty migration.\n"


def _shadow(project) -> list[str]:
    if project.provider == "sqlite":
        return []
    url = project.sibling("_shadow")
    project.server_execute(f'CREATE DATABASE "{url.rsplit("/", 1)[1].split("?")[0]}"')
    return ["--shadow-database-url", url]


def test_hand_made_view_is_never_dropped_nor_drift(project):
    project.write_schema(BODY)
    assert project.run("migrate", "dev", "--name", "init").code == 0
    created = project.run("migrate", "dev", "--create-only", "--name", "add_view")
    assert created.code == 0, created.both
    folder = next(project.migrations.glob("*_add_view"))
    assert (folder / "migration.sql").read_text().strip() == EMPTY.strip()  # the view block writes no SQL
    (folder / "migration.sql").write_text(project.sql(CREATE_VIEW))
    applied = project.run("migrate", "dev")
    assert applied.code == 0, applied.both
    project.query('INSERT INTO "User" ("email") VALUES (\'a@x\')')
    assert project.query('SELECT "email" FROM "UserInfo"') == [("a@x",)]

    again = project.run("migrate", "dev", "--name", "again")
    assert again.code == 0, again.both
    assert "Already in sync" in again.out
    assert sorted(p.name.split("_", 1)[1] for p in project.migrations.iterdir() if p.is_dir()) == ["add_view", "init"]

    status = project.run("migrate", "status")
    assert status.code == 0 and "Database schema is up to date!" in status.out, status.both
    to_schema = project.run("migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--script")
    assert to_schema.code == 0 and to_schema.out.strip() == EMPTY.strip(), to_schema.both
    shadow = _shadow(project)
    from_migrations = project.run("migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema",
                                  "prisma/schema.prisma", "--script", *shadow)
    assert from_migrations.code == 0 and from_migrations.out.strip() == EMPTY.strip(), from_migrations.both
    drift = project.run("migrate", "diff", "--from-migrations", "prisma/migrations", "--to-config-datasource",
                        "--exit-code", *shadow)
    assert drift.code == 0, drift.both

    # A view made outside the migrations is no drift; a real change still migrates, views kept.
    # (A new table: on SQLite, changing a table a view reads means re-creating that table,
    # which SQLite refuses under the view, with Prisma as with Lamina.)
    project.query(project.sql('CREATE VIEW "Extra" AS SELECT 1 AS "x"'))
    project.write_schema(BODY + "\nmodel Tag {\n  id Int @id\n}\n")
    changed = project.run("migrate", "dev", "--name", "tag")
    assert changed.code == 0, changed.both
    sql = next(project.migrations.glob("*_tag")).joinpath("migration.sql").read_text()
    assert "VIEW" not in sql.upper() and "Tag" in sql
    assert project.query('SELECT "email" FROM "UserInfo"') == [("a@x",)]
    assert project.query('SELECT "x" FROM "Extra"') == [(1,)]
    assert project.run("migrate", "status").code == 0
