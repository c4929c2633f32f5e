"""One migration that both renames a table (a rename accepted with `--rename`) and changes it in
a way SQLite can only do by re-creating it: the table's triggers, the views that read it and
the triggers of other tables naming it survive, refer to the new name, and fire; the rows
survive; the down migration brings back the old name with the same objects."""

from __future__ import annotations

from test_wf_down_views import with_hand_made_migration

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

OBJECTS = """CREATE TRIGGER "User_touch" AFTER UPDATE OF "email" ON "User" BEGIN
  UPDATE "User" SET "updatedAt" = "updatedAt" + 1 WHERE "id" = NEW."id";
END;
CREATE TRIGGER "User_audit" AFTER INSERT ON "User" BEGIN
  INSERT INTO "Audit" ("userId", "what") VALUES (NEW."id", 'insert');
END;
CREATE TRIGGER "Audit_rename" AFTER INSERT ON "Audit" WHEN NEW."what" = 'rename' BEGIN
  UPDATE "User" SET "name" = 'renamed' WHERE "id" = NEW."userId";
END;
CREATE VIEW "UserInfo" AS SELECT "id", "email" FROM "User";
"""
TRIGGERS = ["Audit_rename", "User_audit", "User_touch"]

# The model renamed (its table with it) and `name` made required: SQLite re-creates the table.
RENAMED_AND_REQUIRED = (BODY.replace("model User {", "model Person {", 1)
                        .replace('  name      String?\n', '  name      String  @default("")\n', 1))


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
    r = project.run("migrate", "dev", "--name", "person", "--rename", "User=Person")
    assert r.code == 0, r.both
    _assert_objects_on(project, "Person")
    assert project.query('SELECT "email", "name" FROM "Person" ORDER BY "id"') == [("a@x", ""), ("b@x", "Bea")]
    assert project.query('SELECT "email" FROM "UserInfo" ORDER BY "id"') == [("a@x",), ("b@x",)]

    r = project.run("migrate", "rollback")
    assert r.code == 0, r.both
    _assert_objects_on(project, "User")
    assert project.query('SELECT "email", "name" FROM "User" ORDER BY "id"') == [("a@x", ""), ("b@x", "Bea")]

    r = project.run("migrate", "deploy")  # the migration again, after its down
    assert r.code == 0, r.both
    _assert_objects_on(project, "Person")
    status = project.run("migrate", "status")
    assert status.code == 0 and "Database schema is up to date!" in status.out, status.both
