"""One migration that both renames a table (a rename accepted with `--rename`) and changes it in
a way SQLite can only do by re-creating it: the table's triggers, the views that read it and
the triggers of other tables naming it survive, refer to the new name, and fire; the rows
survive; the down migration brings back the old name with the same objects."""

from __future__ import annotations

from test_wf_down_triggers import TRIGGERS  # the same three SQLite triggers
from test_wf_down_views import with_hand_made_migration
from wf_helpers import rollback_and_deploy_again

BODY = """
model User {
  id        Int     @id @default(autoincrement())
  email     String  @unique
  name      String?
  updatedAt Int     @default(0)
}

model Audit {
  id     Int    @id @default(autoincrement())
  userId Int
  what   String
}
"""

OBJECTS = TRIGGERS + 'CREATE VIEW "UserInfo" AS SELECT "id", "email" FROM "User";\n'
TRIGGERS = ["Audit_rename", "User_audit", "User_touch"]

# The model renamed (its table with it) and `name` made required: SQLite re-creates the table.
RENAMED_AND_REQUIRED = (BODY.replace("model User {", "model Person {", 1)
                        .replace('  name      String?\n', '  name      String  @default("")\n', 1))


def _assert_diff_writes_no_views_nor_triggers(project) -> None:
    """`migrate diff` (Prisma's command: no database objects beyond the schema's) writes the
    change alone, with or without Lamina's `--rename`; only `migrate dev` keeps the views and
    triggers."""
    for rename in ((), ("--rename", "User=Person")):
        r = project.run("migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma",
                        "--script", *rename)
        assert r.code == 0 and ("ALTER TABLE" in r.out or "CREATE TABLE" in r.out), r.both
        assert "VIEW" not in r.out and "TRIGGER" not in r.out, r.out


def _sqlite_objects(project, kind: str) -> dict[str, tuple[str, str]]:
    """name -> (table it is on, CREATE text) of the views or triggers."""
    rows = project.query(f"SELECT name, tbl_name, sql FROM sqlite_master WHERE type = '{kind}'")
    return {name: (table, sql) for name, table, sql in rows}


def _assert_objects_on(project, table: str) -> None:
    """The triggers and the view exist, are on (or read) `table`, name no other user table, and
    work: the audit row of an insert, updatedAt counted by an email change, the trigger on
    Audit writing into `table`, the view listing its rows."""
    other = "User" if table == "Person" else "Person"
    triggers = _sqlite_objects(project, "trigger")
    assert sorted(triggers) == TRIGGERS
    assert triggers["User_touch"][0] == triggers["User_audit"][0] == table
    assert all(f'"{other}"' not in sql and f'"{table}"' in sql for _, sql in triggers.values())
    views = _sqlite_objects(project, "view")
    assert list(views) == ["UserInfo"] and f'FROM "{table}"' in views["UserInfo"][1]

    project.query(f"INSERT INTO \"{table}\" (\"email\", \"name\") VALUES ('new@x', 'n')")
    (uid,), = project.query(f"SELECT \"id\" FROM \"{table}\" WHERE \"email\" = 'new@x'")
    assert project.query(f'SELECT "what" FROM "Audit" WHERE "userId" = {uid}') == [("insert",)]
    project.query(f"UPDATE \"{table}\" SET \"email\" = 'new@y' WHERE \"id\" = {uid}")
    project.query(f"INSERT INTO \"Audit\" (\"userId\", \"what\") VALUES ({uid}, 'rename')")
    assert project.query(f'SELECT "updatedAt", "name" FROM "{table}" WHERE "id" = {uid}') == [(1, "renamed")]
    assert ("new@y",) in project.query('SELECT "email" FROM "UserInfo"')
    project.query(f'DELETE FROM "Audit" WHERE "userId" = {uid}')
    project.query(f'DELETE FROM "{table}" WHERE "id" = {uid}')


def test_sqlite_rename_and_rebuild_keeps_triggers_and_views(sqlite_project):
    project = with_hand_made_migration(sqlite_project, BODY, "objects", OBJECTS)
    project.query("INSERT INTO \"User\" (\"email\", \"name\") VALUES ('a@x', NULL), ('b@x', 'Bea')")
    _assert_objects_on(project, "User")

    project.write_schema(RENAMED_AND_REQUIRED)
    _assert_diff_writes_no_views_nor_triggers(project)
    r = project.run("migrate", "dev", "--name", "person", "--rename", "User=Person")
    assert r.code == 0, r.both
    _assert_objects_on(project, "Person")
    assert project.query('SELECT "email", "name" FROM "Person" ORDER BY "id"') == [("a@x", ""), ("b@x", "Bea")]
    assert project.query('SELECT "email" FROM "UserInfo" ORDER BY "id"') == [("a@x",), ("b@x",)]

    def check(up: bool) -> None:
        _assert_objects_on(project, "Person" if up else "User")
        if not up:
            assert project.query('SELECT "email", "name" FROM "User" ORDER BY "id"') == [("a@x", ""), ("b@x", "Bea")]

    rollback_and_deploy_again(project, check)



def test_sqlite_column_rename_and_rebuild_rewrites_the_triggers_naming_the_column(sqlite_project):
    """A column renamed in the migration that re-creates its table: the triggers naming it are
    created again naming the new column (as SQLite's own RENAME COLUMN rewrote them), so the
    writes that fire them work (a trigger naming "name" would fail them: no such column)."""
    project = with_hand_made_migration(sqlite_project, BODY, "objects", OBJECTS)
    project.write_schema(BODY.replace('  name      String?\n', '  fullName  String  @default("")\n', 1))
    r = project.run("migrate", "dev", "--name", "full_name", "--rename", "User.name=fullName")
    assert r.code == 0, r.both
    (sql,), = project.query("SELECT sql FROM sqlite_master WHERE name = 'Audit_rename'")
    assert 'SET "fullName" = \'renamed\'' in sql
    project.query("INSERT INTO \"User\" (\"email\") VALUES ('a@x')")
    project.query("INSERT INTO \"Audit\" (\"userId\", \"what\") VALUES (1, 'rename')")
    assert project.query('SELECT "fullName" FROM "User"') == [("renamed",)]
    r = project.run("migrate", "rollback")
    assert r.code == 0, r.both
    (sql,), = project.query("SELECT sql FROM sqlite_master WHERE name = 'Audit_rename'")
    assert 'SET "name" = \'renamed\'' in sql
    project.query("INSERT INTO \"Audit\" (\"userId\", \"what\") VALUES (1, 'rename')")
    assert project.query('SELECT "name" FROM "User"') == [("renamed",)]

# PostgreSQL alters the column in place, and the rename carries views and triggers along (they
# refer to the table, not its name); but it refuses `ALTER COLUMN TYPE` while a view reads the
# column or a trigger's definition names it (`cannot alter type of a column used by a view or
# rule`, `... used in a trigger definition`).
PG_BODY = """
model User {
  id        Int    @id @default(autoincrement())
  email     String @unique
  age       Int?
  updatedAt Int    @default(0)
}
"""
PG_OBJECTS = """CREATE FUNCTION "touch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."updatedAt" := OLD."updatedAt" + 1;
  RETURN NEW;
END $$;
CREATE TRIGGER "User_touch" BEFORE UPDATE OF "age" ON "User" FOR EACH ROW EXECUTE FUNCTION "touch"();
CREATE VIEW "UserInfo" AS SELECT "id", "email", "age" FROM "User";
CREATE VIEW "Adults" AS SELECT "id" FROM "UserInfo" WHERE "age" >= 18;
"""
PG_RENAMED_AND_WIDENED = PG_BODY.replace("model User {", "model Person {", 1).replace("  age       Int?\n",
                                                                                     "  age       BigInt?\n", 1)


def _assert_pg_objects_on(project, table: str, age_type: str) -> None:
    """The trigger is on `table` and counts an age change; both views read `table` (the view
    columns have the table column's type) and list its rows."""
    assert project.query("SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal") == [
        ("User_touch", f'"{table}"')]
    assert project.query("SELECT table_name, data_type FROM information_schema.columns WHERE table_schema = "
                         "'public' AND column_name = 'age' ORDER BY table_name") == sorted(
        [(table, age_type), ("UserInfo", age_type)])
    assert f'FROM "{table}"' in project.query("""SELECT pg_get_viewdef('"UserInfo"'::regclass)""")[0][0]
    project.query(f"""UPDATE "{table}" SET "age" = 30 WHERE "email" = 'b@x'""")
    assert project.query(f"""SELECT "updatedAt" FROM "{table}" WHERE "email" = 'b@x'""")[0][0] >= 1
    assert project.query('SELECT "email", "age" FROM "UserInfo" ORDER BY "id"') == [("a@x", None), ("b@x", 30)]
    assert project.query('SELECT count(*) FROM "Adults"') == [(1,)]


def test_postgres_rename_and_type_change_under_views_and_triggers(pg_project):
    project = with_hand_made_migration(pg_project, PG_BODY, "objects", PG_OBJECTS)
    project.query("""INSERT INTO "User" ("email", "age") VALUES ('a@x', NULL), ('b@x', 12)""")

    project.write_schema(PG_RENAMED_AND_WIDENED)
    _assert_diff_writes_no_views_nor_triggers(project)
    r = project.run("migrate", "dev", "--name", "person", "--rename", "User=Person")
    assert r.code == 0, r.both
    _assert_pg_objects_on(project, "Person", "bigint")
    rollback_and_deploy_again(project, lambda up: _assert_pg_objects_on(project, *(("Person", "bigint") if up else
                                                                                   ("User", "integer"))))


# MySQL/MariaDB change a column under its views, and move a table's triggers with it, but a
# rename leaves the views and the triggers of other tables naming the old name: they fail at
# the next read or write (`View ... references invalid table(s)`, `Table ....User doesn't exist`).
MYSQL_OBJECTS = """CREATE TRIGGER `User_touch` BEFORE UPDATE ON `User` FOR EACH ROW SET NEW.`updatedAt` = OLD.`updatedAt` + 1;
CREATE TRIGGER `User_audit` AFTER INSERT ON `User` FOR EACH ROW INSERT INTO `Audit` (`userId`, `what`) VALUES (NEW.`id`, 'insert');
CREATE TRIGGER `Audit_rename` AFTER UPDATE ON `Audit` FOR EACH ROW UPDATE User SET `name` = 'renamed' WHERE `id` = NEW.`userId` AND NEW.`what` = 'rename';
CREATE VIEW `UserInfo` AS SELECT u.`id`, `User`.`email`, u.`updatedAt` FROM `User` JOIN `User` AS u USING (`id`);
"""
RENAMED_AND_WIDENED = (BODY.replace("model User {", "model Person {", 1)
                       .replace("  updatedAt Int     @default(0)\n", "  updatedAt BigInt  @default(0)\n", 1))


def _assert_mysql_objects_on(project, table: str, updated_at_type: str) -> None:
    """The triggers are where they were, name `table` (not the other name), and fire; the view
    reads `table` (its column has the table column's type) and lists its rows."""
    other = "User" if table == "Person" else "Person"
    triggers = project.query("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_STATEMENT FROM information_schema.TRIGGERS "
                             "WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME")
    assert [(n, t) for n, t, _ in triggers] == [("Audit_rename", "Audit"), ("User_audit", table), ("User_touch", table)]
    assert other not in triggers[0][2] and table in triggers[0][2]
    assert project.query("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                         "AND TABLE_NAME = 'UserInfo' AND COLUMN_NAME = 'updatedAt'") == [(updated_at_type,)]
    project.query(f"INSERT INTO `{table}` (`email`, `name`) VALUES ('new@x', 'n')")
    (uid,), = project.query(f"SELECT `id` FROM `{table}` WHERE `email` = 'new@x'")
    assert project.query(f"SELECT `what` FROM `Audit` WHERE `userId` = {uid}") == [("insert",)]
    project.query(f"UPDATE `Audit` SET `what` = 'rename' WHERE `userId` = {uid}")  # MySQL: not in the insert's chain
    assert project.query(f"SELECT `updatedAt`, `name` FROM `{table}` WHERE `id` = {uid}") == [(1, "renamed")]
    assert project.query("SELECT `email` FROM `UserInfo` ORDER BY `id`") == [("a@x",), ("b@x",), ("new@x",)]
    project.query(f"DELETE FROM `Audit` WHERE `userId` = {uid}")
    project.query(f"DELETE FROM `{table}` WHERE `id` = {uid}")


def test_mysql_rename_and_type_change_keeps_views_and_triggers_working(mysql_project):
    project = with_hand_made_migration(mysql_project, BODY, "objects", MYSQL_OBJECTS)
    project.query("INSERT INTO `User` (`email`, `name`) VALUES ('a@x', NULL), ('b@x', 'Bea')")
    _assert_mysql_objects_on(project, "User", "int")

    project.write_schema(RENAMED_AND_WIDENED)
    _assert_diff_writes_no_views_nor_triggers(project)
    r = project.run("migrate", "dev", "--name", "person", "--rename", "User=Person")
    assert r.code == 0, r.both
    _assert_mysql_objects_on(project, "Person", "bigint")
    assert project.query("SELECT `email`, `name` FROM `Person` ORDER BY `id`") == [("a@x", None), ("b@x", "Bea")]

    r = project.run("migrate", "rollback", "--force")  # MySQL counts the BIGINT -> INT cast as lossy
    assert r.code == 0, r.both
    _assert_mysql_objects_on(project, "User", "int")

    r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    _assert_mysql_objects_on(project, "Person", "bigint")
    status = project.run("migrate", "status")
    assert status.code == 0 and "Database schema is up to date!" in status.out, status.both
