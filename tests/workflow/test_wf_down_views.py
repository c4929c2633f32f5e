"""SQLite: a down migration that re-creates a table a view reads (here: dropping the column the
up added) drops the views that depend on the table and creates them again around the
redefinition, as SQLite's documented procedure for table changes says; without that SQLite
refuses the redefinition (`error in view ...: no such table`) and `migrate dev`'s verification
of the down failed."""

from __future__ import annotations

from test_wf_views import BODY  # User(id, email, name) and the view block UserInfo

VIEWS = ('CREATE VIEW "UserInfo" AS SELECT "id", "email" FROM "User";\n'
         'CREATE VIEW "UserCount" AS SELECT count(*) AS "n" FROM "UserInfo";\n'  # a view on the view
         'CREATE VIEW "Unrelated" AS SELECT 1 AS "x";\n')


def with_hand_made_migration(project, body: str, name: str, sql: str):
    """`body` migrated (`init`), then `sql` written by hand in a `--create-only` migration
    `name` of its own (Prisma's documented workflow for what the schema cannot say), applied."""
    project.write_schema(body)
    assert project.run("migrate", "dev", "--name", "init").code == 0
    assert project.run("migrate", "dev", "--create-only", "--name", name).code == 0
    next(project.migrations.glob(f"*_{name}")).joinpath("migration.sql").write_text(sql)
    r = project.run("migrate", "dev")
    assert r.code == 0, r.both
    return project


def _with_views(project):
    """The views created by hand in a migration of their own, and a row in User."""
    with_hand_made_migration(project, BODY, "views", VIEWS)
    project.query("INSERT INTO \"User\" (email) VALUES ('a@x')")
    return project


def test_down_redefining_a_table_under_views(sqlite_project):
    project = _with_views(sqlite_project)

    project.write_schema(BODY.replace("  name  String?\n", "  name  String?\n  bio   String?\n", 1))
    r = project.run("migrate", "dev", "--name", "bio")
    assert r.code == 0, r.both
    folder = next(project.migrations.glob("*_bio"))
    assert (folder / "migration.sql").read_text() == '-- AlterTable\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\n'
    down = (folder / "down.sql").read_text()
    assert ('PRAGMA foreign_keys=OFF;\nDROP VIEW "UserCount";\nDROP VIEW "UserInfo";\nCREATE TABLE "new_User"' in down)
    assert ('CREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n'
            'CREATE VIEW "UserInfo" AS SELECT "id", "email" FROM "User";\n'
            'CREATE VIEW "UserCount" AS SELECT count(*) AS "n" FROM "UserInfo";\nPRAGMA foreign_keys=ON;') in down
    assert "Unrelated" not in down

    r = project.run("migrate", "rollback")
    assert r.code == 0, r.both
    assert [c[1] for c in project.query('PRAGMA table_info("User")')] == ["id", "email", "name"]
    assert project.query('SELECT "email" FROM "UserInfo"') == [("a@x",)]
    assert project.query('SELECT "n" FROM "UserCount"') == [(1,)]
    assert project.run("migrate", "deploy").code == 0
    assert project.query('SELECT "email", "bio" FROM "User"') == [("a@x", None)]
    assert project.run("migrate", "status").code == 0


def test_up_redefining_a_table_under_views(sqlite_project):
    """The migration itself re-creates the table (email made optional): Prisma's script fails
    under the view; `migrate dev` writes it with the views dropped and created around it."""
    project = _with_views(sqlite_project)

    project.write_schema(BODY.replace("  email String  @unique\n", "  email String? @unique\n", 1))
    r = project.run("migrate", "dev", "--name", "optional")
    assert r.code == 0, r.both
    folder = next(project.migrations.glob("*_optional"))
    for name in ("migration.sql", "down.sql"):
        text = (folder / name).read_text()
        assert 'DROP VIEW "UserCount";\nDROP VIEW "UserInfo";\nCREATE TABLE "new_User"' in text, name
        assert 'CREATE VIEW "UserCount" AS SELECT count(*) AS "n" FROM "UserInfo";\nPRAGMA foreign_keys=ON;' in text
    assert project.query('SELECT "n" FROM "UserCount"') == [(1,)]
    assert project.run("migrate", "rollback").code == 0
    assert project.query('SELECT "email" FROM "UserInfo"') == [("a@x",)]
    assert project.run("migrate", "deploy").code == 0
    assert project.run("migrate", "status").code == 0
