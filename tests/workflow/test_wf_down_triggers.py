"""SQLite: triggers created by hand in a migration survive a later change that re-creates their
table (create `new_User`, copy, drop, rename). `DROP TABLE` drops a table's triggers, so
Prisma's migration loses them; and a trigger on ANOTHER table naming the re-created one makes
SQLite refuse the rename (`error in trigger ...: no such table`). `migrate dev` writes the
re-creation with those triggers dropped before and created after (SQL from the shadow
database), in migration.sql and down.sql: migrate dev, deploy on a fresh database, rollback
and re-deploy keep them, and they fire after each step."""

from __future__ import annotations

import sqlite3

import pytest
from test_wf_down_views import with_hand_made_migration

BODY = """
model User {
  id        Int     @id @default(autoincrement())
  email     String  @unique
  name      String?
  nick      String?
  updatedAt Int     @default(0)
}

model Audit {
  id     Int    @id @default(autoincrement())
  userId Int
  what   String
}
"""

TRIGGERS = """CREATE TRIGGER "User_touch" AFTER UPDATE OF "email" ON "User" BEGIN
  UPDATE "User" SET "updatedAt" = "updatedAt" + 1 WHERE "id" = NEW."id";
END;
CREATE TRIGGER "User_audit" AFTER INSERT ON "User" BEGIN
  INSERT INTO "Audit" ("userId", "what") VALUES (NEW."id", 'insert');
END;
CREATE TRIGGER "Audit_rename" AFTER INSERT ON "Audit" WHEN NEW."what" = 'rename' BEGIN
  UPDATE "User" SET "name" = 'renamed' WHERE "id" = NEW."userId";
END;
"""
ALL = ["Audit_rename", "User_audit", "User_touch"]
REQUIRED_NAME = BODY.replace('  name      String?\n', '  name      String  @default("")\n', 1)
FRESH = "file:./fresh.db"


def _triggers(project, url=None) -> list[str]:
    return [n for n, in project.query("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name", url)]


def _assert_fire(project, email: str, url=None) -> None:
    """Each trigger does its work: the audit row of an insert, updatedAt counted by an email
    change, and the trigger on Audit writing into User."""
    project.query(f"INSERT INTO \"User\" (\"email\", \"name\") VALUES ('{email}', 'n')", url)
    (uid,), = project.query(f"SELECT \"id\" FROM \"User\" WHERE \"email\" = '{email}'", url)
    assert project.query(f'SELECT "what" FROM "Audit" WHERE "userId" = {uid}', url) == [("insert",)]
    project.query(f"UPDATE \"User\" SET \"email\" = '{email}.2' WHERE \"id\" = {uid}", url)
    project.query(f"INSERT INTO \"Audit\" (\"userId\", \"what\") VALUES ({uid}, 'rename')", url)
    assert project.query(f'SELECT "updatedAt", "name" FROM "User" WHERE "id" = {uid}', url) == [(1, "renamed")]


def test_triggers_survive_a_table_redefinition(sqlite_project):
    project = with_hand_made_migration(sqlite_project, BODY, "triggers", TRIGGERS)
    _assert_fire(project, "a@x")

    project.write_schema(REQUIRED_NAME)  # name made required: the table is re-created
    r = project.run("migrate", "dev", "--name", "required")
    assert r.code == 0, r.both
    folder = next(project.migrations.glob("*_required"))
    for file in ("migration.sql", "down.sql"):
        text = (folder / file).read_text()
        assert 'DROP TRIGGER "User_touch";\nDROP TRIGGER "User_audit";\nDROP TRIGGER "Audit_rename";\n' in text, file
        after_rename = text.split('ALTER TABLE "new_User" RENAME TO "User";', 1)[1]
        assert all(f'CREATE TRIGGER "{n}"' in after_rename for n in ALL), file
    assert "Warnings" not in (folder / "migration.sql").read_text()
    assert _triggers(project) == ALL
    assert project.query('SELECT "name" FROM "User" WHERE "email" = \'a@x.2\'') == [("renamed",)]  # rows kept
    _assert_fire(project, "b@x")

    r = project.run("migrate", "deploy", url=FRESH)  # the migrations reproduce the database
    assert r.code == 0, r.both
    assert _triggers(project, FRESH) == ALL
    _assert_fire(project, "c@x", FRESH)

    r = project.run("migrate", "rollback")
    assert r.code == 0, r.both
    assert [c[3] for c in project.query('PRAGMA table_info("User")') if c[1] == "name"] == [0]  # nullable again
    assert _triggers(project) == ALL
    _assert_fire(project, "d@x")
    r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert _triggers(project) == ALL
    _assert_fire(project, "e@x")
    assert project.query('SELECT count(*) FROM "User"') == [(4,)]

    status = project.run("migrate", "status")
    assert status.code == 0 and "Database schema is up to date!" in status.out, status.both
    again = project.run("migrate", "dev", "--name", "again")
    assert again.code == 0 and "Already in sync" in again.out, again.both


def test_a_trigger_on_another_table_naming_the_table_blocks_the_rename():
    """Why the triggers of other tables are dropped and re-created too: SQLite's rename checks
    them, and refuses while the table they name does not exist (measured, not assumed)."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.executescript('CREATE TABLE "User" ("id" INTEGER PRIMARY KEY, "name" TEXT);\n'
                     'CREATE TABLE "Audit" ("id" INTEGER PRIMARY KEY, "userId" INTEGER, "what" TEXT);\n'
                     + TRIGGERS[TRIGGERS.index('CREATE TRIGGER "Audit_rename"'):]
                     + 'CREATE TABLE "new_User" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL);\n'
                       'DROP TABLE "User";\n')
    with pytest.raises(sqlite3.OperationalError, match="error in trigger Audit_rename"):
        db.execute('ALTER TABLE "new_User" RENAME TO "User"')


def test_a_trigger_naming_a_dropped_column_is_not_recreated_and_said_so(sqlite_project):
    nick = 'CREATE TRIGGER "User_nick" AFTER INSERT ON "User" BEGIN\n  UPDATE "User" SET "nick" = NEW."email" WHERE "id" = NEW."id";\nEND;\n'
    project = with_hand_made_migration(sqlite_project, BODY, "triggers", TRIGGERS + nick)

    project.write_schema(REQUIRED_NAME.replace("  nick      String?\n", "", 1))
    r = project.run("migrate", "dev", "--name", "no_nick", "--accept-data-loss")
    assert r.code == 0, r.both
    assert "The trigger `User_nick` names `nick` of `User`, which this migration drops" in r.out
    text = next(project.migrations.glob("*_no_nick")).joinpath("migration.sql").read_text()
    header = text.split("*/", 1)[0]
    assert "Warnings:" in header and "The trigger `User_nick` names `nick` of `User`" in header
    assert 'DROP TRIGGER "User_nick";' in text and 'CREATE TRIGGER "User_nick"' not in text
    assert _triggers(project) == ALL
    _assert_fire(project, "a@x")  # the writes the lost trigger would have failed work

    r = project.run("migrate", "rollback", "--force")  # the column's values are not restored
    assert r.code == 0, r.both
    assert _triggers(project) == sorted(ALL + ["User_nick"])  # the down creates it again
    project.query("INSERT INTO \"User\" (\"email\") VALUES ('n@x')")
    assert project.query('SELECT "nick" FROM "User" WHERE "email" = \'n@x\'') == [("n@x",)]


def test_diff_without_a_database_writes_the_rebuild_alone_and_triggers_are_no_drift(sqlite_project):
    """`migrate diff` has no database to read triggers from: the rebuild alone, as for views.
    A trigger is never drift (Prisma ignores triggers), made in a migration or by hand."""
    project = with_hand_made_migration(sqlite_project, BODY, "triggers", TRIGGERS)
    project.query('CREATE TRIGGER "Extra" AFTER DELETE ON "User" BEGIN SELECT 1; END')
    status = project.run("migrate", "status")
    assert status.code == 0 and "Database schema is up to date!" in status.out, status.both
    drift = project.run("migrate", "diff", "--from-migrations", "prisma/migrations", "--to-config-datasource",
                        "--exit-code")
    assert drift.code == 0, drift.both
    again = project.run("migrate", "dev", "--name", "again")
    assert again.code == 0 and "Already in sync" in again.out, again.both

    project.write_schema(REQUIRED_NAME)
    script = project.run("migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma",
                         "--script")
    assert script.code == 0 and 'ALTER TABLE "new_User" RENAME TO "User"' in script.out, script.both
    assert "TRIGGER" not in script.out


def test_a_trigger_on_a_view_of_the_table_is_kept(sqlite_project):
    """Dropping a view (which SQLite needs to re-create the table it reads) drops the view's
    INSTEAD OF triggers: they are created again after the view."""
    from test_wf_down_views import VIEWS
    from test_wf_views import BODY as VIEW_BODY

    instead = ('CREATE TRIGGER "UserInfo_insert" INSTEAD OF INSERT ON "UserInfo" BEGIN\n'
               '  INSERT INTO "User" ("email") VALUES (NEW."email");\nEND;\n')
    project = with_hand_made_migration(sqlite_project, VIEW_BODY, "views", VIEWS + instead)
    project.write_schema(VIEW_BODY.replace("  email String  @unique\n", "  email String? @unique\n", 1))
    r = project.run("migrate", "dev", "--name", "optional")
    assert r.code == 0, r.both
    text = next(project.migrations.glob("*_optional")).joinpath("migration.sql").read_text()
    assert text.index('CREATE VIEW "UserInfo"') < text.index('CREATE TRIGGER "UserInfo_insert"')
    assert _triggers(project) == ["UserInfo_insert"]
    project.query("INSERT INTO \"UserInfo\" (\"id\", \"email\") VALUES (NULL, 'v@x')")
    assert project.query('SELECT "email" FROM "User"') == [("v@x",)]
    r = project.run("migrate", "rollback")
    assert r.code == 0, r.both
    assert _triggers(project) == ["UserInfo_insert"]
    project.query("INSERT INTO \"UserInfo\" (\"id\", \"email\") VALUES (NULL, 'w@x')")
    assert project.query('SELECT "n" FROM "UserCount"') == [(2,)]


DROPPED_TABLE_TRIGGER = {
    "sqlite": 'CREATE TRIGGER "User_audit" AFTER INSERT ON "User" BEGIN\n'
              '  INSERT INTO "Audit" ("userId", "what") VALUES (NEW."id", NEW."email");\nEND;\n',
    "postgresql": 'CREATE FUNCTION "audit"() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n'
                  '  INSERT INTO "Audit" ("userId", "what") VALUES (NEW."id", NEW."email");\n  RETURN NEW;\nEND $$;\n'
                  'CREATE TRIGGER "User_audit" AFTER INSERT ON "User" FOR EACH ROW EXECUTE FUNCTION "audit"();\n',
    "mysql": "CREATE TRIGGER `User_audit` AFTER INSERT ON `User` FOR EACH ROW\n"
             "  INSERT INTO `Audit` (`userId`, `what`) VALUES (NEW.`id`, NEW.`email`);\n",
}
TRIGGER_NAMES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
    "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
    "mysql": "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()",
}


def test_the_down_of_a_dropped_table_creates_its_triggers_again(project):
    """The down of a migration that drops a table brings back the table's triggers (dropped
    with it) as they were, on every database, and verifying that down on the shadow database
    checks they are back."""
    project = with_hand_made_migration(project, BODY, "triggers", DROPPED_TABLE_TRIGGER[project.provider])
    user = BODY[BODY.index("model User"):BODY.index("model Audit")]
    project.write_schema(BODY.replace(user, ""))
    r = project.run("migrate", "dev", "--name", "no_user", "--accept-data-loss")
    assert r.code == 0, r.both
    assert project.query(TRIGGER_NAMES[project.provider]) == []

    r = project.run("migrate", "rollback", "--force")  # the rows of User are not restored
    assert r.code == 0, r.both
    assert project.query(TRIGGER_NAMES[project.provider]) == [("User_audit",)]
    project.query(project.sql("INSERT INTO \"User\" (\"email\") VALUES ('back@x')"))
    assert project.query(project.sql('SELECT "what" FROM "Audit"')) == [("back@x",)]
    assert project.run("migrate", "deploy").code == 0
