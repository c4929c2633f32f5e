"""A function whose argument or result is a view's row type (webstudio's `latestBuildVirtual`
("DashboardProject"), a computed field for PostgREST) holds the view: PostgreSQL refuses
`DROP VIEW` under it (`function ... depends on type ...`). When a column type change drops
and creates the view again, `migrate dev` drops the function before it and creates it again
after. Before, dev stopped with P3006 on the shadow database (found on webstudio's history)."""

from __future__ import annotations

from test_wf_down_views import with_hand_made_migration
from wf_helpers import rollback_and_deploy_again

BODY = """
model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  age   Int?
}
"""
OBJECTS = """CREATE VIEW "UserInfo" AS SELECT "id", "email", "age" FROM "User";
CREATE FUNCTION "isAdult"("UserInfo") RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT $1."age" >= 18 $$;
CREATE FUNCTION "oldest"() RETURNS SETOF "UserInfo" LANGUAGE sql STABLE AS
  $$ SELECT * FROM "UserInfo" ORDER BY "age" DESC NULLS LAST LIMIT 1 $$;
COMMENT ON FUNCTION "isAdult"("UserInfo") IS 'computed field';
"""


def test_type_change_under_a_view_typed_function(pg_project):
    project = with_hand_made_migration(pg_project, BODY, "objects", OBJECTS)
    project.query("""INSERT INTO "User" ("email", "age") VALUES ('a@x', 12), ('b@x', 40)""")
    project.write_schema(BODY.replace("  age   Int?\n", "  age   BigInt?\n", 1))

    def check(after_up: bool) -> None:
        assert project.query("SELECT data_type FROM information_schema.columns WHERE table_name = 'UserInfo' "
                             "AND column_name = 'age'") == [("bigint" if after_up else "integer",)]
        assert project.query('SELECT u."email", "isAdult"(u) FROM "UserInfo" u ORDER BY 1') == [
            ("a@x", False), ("b@x", True)]
        assert project.query('SELECT "email" FROM "oldest"()') == [("b@x",)]
        assert project.query("""SELECT obj_description('"isAdult"("UserInfo")'::regprocedure, 'pg_proc')""") == [
            ("computed field",)]

    r = project.run("migrate", "dev", "--name", "bigint")
    assert r.code == 0, r.both
    check(True)
    rollback_and_deploy_again(project, check)
    script = next(project.migrations.glob("*_bigint")).joinpath("migration.sql").read_text()
    order = ['DROP FUNCTION "oldest"()', 'DROP FUNCTION "isAdult"("UserInfo")', 'DROP VIEW "UserInfo"',
             'TYPE BIGINT', 'CREATE VIEW "UserInfo"', 'CREATE OR REPLACE FUNCTION "isAdult"("UserInfo")',
             'CREATE OR REPLACE FUNCTION oldest()']  # pg_get_functiondef quotes only where needed
    assert [script.index(text) for text in order] == sorted(script.index(text) for text in order), script
