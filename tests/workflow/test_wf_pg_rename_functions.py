"""PostgreSQL: a table and a column renamed by `migrate dev` (`--rename`) under trigger
functions and a SQL function whose bodies name them. PostgreSQL rewrites no function body
(it reads the text at each call); `migrate dev` replaces the functions with the names rewritten
where the body tells (NEW., an alias, the only table of a statement), so the writes that fire
them work after dev, after the rollback (the old names again) and after deploy. A bare name in
a statement of two tables is left as written, and `migrate dev` names the function in its
warning and in the migration's header."""

from __future__ import annotations

from test_wf_down_views import with_hand_made_migration
from wf_helpers import rollback_and_deploy_again
from test_wf_rename_rebuild import BODY

OBJECTS = """CREATE FUNCTION "user_touch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- how many users have the new name
  NEW."updatedAt" := (SELECT count(*) FROM "User" WHERE "name" = NEW."name");
  RETURN NEW;
END $$;
CREATE TRIGGER "User_touch" BEFORE UPDATE ON "User" FOR EACH ROW EXECUTE FUNCTION "user_touch"();
CREATE FUNCTION "user_audit"() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  INSERT INTO "Audit" ("userId", "what") SELECT u."id", 'insert ' || u."name" FROM "User" AS u WHERE u."id" = NEW."id";
  RETURN NULL;
END $body$;
CREATE TRIGGER "User_audit" AFTER INSERT ON "User" FOR EACH ROW EXECUTE FUNCTION "user_audit"();
CREATE FUNCTION "audit_rename"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."what" = 'rename' THEN
    UPDATE "User" SET "name" = 'renamed' WHERE "id" = NEW."userId";
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "Audit_rename" AFTER UPDATE ON "Audit" FOR EACH ROW EXECUTE FUNCTION "audit_rename"();
CREATE FUNCTION "audit_check"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "User", "Audit" AS a WHERE "name" = OLD."what";
  RETURN OLD;
END $$;
CREATE TRIGGER "Audit_check" BEFORE DELETE ON "Audit" FOR EACH ROW EXECUTE FUNCTION "audit_check"();
CREATE FUNCTION "user_names"() RETURNS SETOF text LANGUAGE sql AS 'SELECT "name" FROM "User" ORDER BY "id"';
"""
RENAMED = (BODY.replace("model User {", "model Person {", 1)
           .replace("  name      String?\n", "  fullName  String?\n", 1))
FUNCTIONS = ["audit_check", "audit_rename", "user_audit", "user_names", "user_touch"]


def _assert_functions_work(project, table: str, column: str) -> None:
    """The functions name `table` and `column` (not the other names; audit_check, left as
    written, names `name`) and work: the audit row of an insert, the rename through the trigger
    on Audit, the count of the users an update gives the same name, the SQL function."""
    other_table, other_column = ("User", "name") if table == "Person" else ("Person", "fullName")
    bodies = dict(project.query("SELECT proname, prosrc FROM pg_proc WHERE pronamespace = 'public'::regnamespace"))
    assert sorted(bodies) == FUNCTIONS
    for name in ("audit_rename", "user_audit", "user_names", "user_touch"):
        assert f'"{table}"' in bodies[name] and f'"{column}"' in bodies[name], bodies[name]
        assert f'"{other_table}"' not in bodies[name] and f'"{other_column}"' not in bodies[name], bodies[name]
    assert f'FROM "{table}", "Audit" AS a WHERE "name" = OLD."what"' in bodies["audit_check"]
    project.query(f"""INSERT INTO "{table}" ("email", "{column}") VALUES ('c@x', 'Cy')""")
    (uid,), = project.query(f"""SELECT "id" FROM "{table}" WHERE "email" = 'c@x'""")
    assert project.query(f'SELECT "what" FROM "Audit" WHERE "userId" = {uid}') == [("insert Cy",)]
    project.query(f"""UPDATE "Audit" SET "what" = 'rename' WHERE "userId" = {uid}""")
    assert project.query(f'SELECT "{column}", "updatedAt" FROM "{table}" WHERE "id" = {uid}') == [("renamed", 0)]
    assert project.query('SELECT "user_names"()') == [("Ann",), ("renamed",)]
    project.query(f"""UPDATE "{table}" SET "{column}" = 'Ann' WHERE "id" = {uid}""")
    assert project.query(f'SELECT "updatedAt" FROM "{table}" WHERE "id" = {uid}') == [(1,)]  # the other Ann
    project.query(f'UPDATE "Audit" SET "userId" = 0 WHERE "userId" = {uid}')
    project.query(f'DELETE FROM "{table}" WHERE "id" = {uid}')


def test_renamed_table_and_column_in_function_bodies(pg_project):
    project = with_hand_made_migration(pg_project, BODY, "objects", OBJECTS)
    project.query("""INSERT INTO "User" ("email", "name") VALUES ('a@x', 'Ann')""")
    _assert_functions_work(project, "User", "name")

    project.write_schema(RENAMED)
    r = project.run("migrate", "dev", "--name", "person", "--rename", "User=Person", "--rename", "Person.name=fullName")
    assert r.code == 0, r.both
    warning = ("The function `audit_check()` may name a table or column this migration renames where Lamina cannot "
               'tell: `name` in `"Audit" AS a WHERE "name" = OLD."what"` (Lamina cannot tell which table\'s column it is)')
    assert warning in r.out, r.both
    script = next(project.migrations.glob("*_person")).joinpath("migration.sql").read_text()
    assert script.startswith("/*\n  Warnings:\n") and warning in script.split("*/", 1)[0], script
    assert 'CREATE OR REPLACE FUNCTION user_touch()' in script, script
    _assert_functions_work(project, "Person", "fullName")
    rollback_and_deploy_again(project, lambda up: _assert_functions_work(project, *(("Person", "fullName") if up else
                                                                                    ("User", "name"))))
