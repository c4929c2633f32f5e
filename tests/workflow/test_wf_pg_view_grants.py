"""PostgreSQL: the views and materialized views `migrate dev` drops and creates again around a
column type change keep what their definition does not carry: their grants (to a role, to
PUBLIC, on a column, with grant option), their comments and their columns' comments, the
comment of a trigger on them, and their options (security_barrier, check_option,
security_invoker). Checked after dev, after the rollback (whose verification compares them too)
and after deploy."""

from __future__ import annotations

from test_wf_down_views import with_hand_made_migration
from test_wf_rename_rebuild import PG_BODY
from test_wf_retype_dependents import WIDENED, _dev_rollback_deploy

OBJECTS = """CREATE VIEW "UserInfo" WITH (security_barrier, security_invoker) AS SELECT "id", "email", "age" FROM "User"
  WHERE "age" > 0 WITH LOCAL CHECK OPTION;
CREATE MATERIALIZED VIEW "AgeCount" AS SELECT "age", count(*) AS "users" FROM "User" GROUP BY "age";
COMMENT ON VIEW "UserInfo" IS 'users with an age';
COMMENT ON COLUMN "UserInfo"."age" IS 'in years';
COMMENT ON MATERIALIZED VIEW "AgeCount" IS 'users by age';
GRANT SELECT, INSERT ON "UserInfo" TO pg_monitor WITH GRANT OPTION;
GRANT UPDATE ("email") ON "UserInfo" TO pg_read_all_stats;
GRANT SELECT ON "AgeCount" TO PUBLIC;
CREATE FUNCTION "no_op"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER "UserInfo_insert" INSTEAD OF INSERT ON "UserInfo" FOR EACH ROW EXECUTE FUNCTION "no_op"();
COMMENT ON TRIGGER "UserInfo_insert" ON "UserInfo" IS 'inserts nothing';
"""


def _assert_kept(project) -> None:
    assert project.query("""SELECT relname, reloptions::text, obj_description(oid, 'pg_class') FROM pg_class
                            WHERE relkind IN ('v', 'm') AND relnamespace = 'public'::regnamespace ORDER BY 1""") == [
        ("AgeCount", None, "users by age"),
        ("UserInfo", "{security_barrier=true,security_invoker=true,check_option=local}", "users with an age")]
    assert project.query("""SELECT col_description('"UserInfo"'::regclass, 3)""") == [("in years",)]
    assert sorted(project.query("""SELECT c.relname, coalesce(r.rolname, 'PUBLIC'), x.privilege_type, x.is_grantable
                                   FROM pg_class c CROSS JOIN aclexplode(c.relacl) x
                                   LEFT JOIN pg_roles r ON r.oid = x.grantee
                                   WHERE c.relname IN ('UserInfo', 'AgeCount') AND x.grantee <> c.relowner""")) == [
        ("AgeCount", "PUBLIC", "SELECT", False), ("UserInfo", "pg_monitor", "INSERT", True),
        ("UserInfo", "pg_monitor", "SELECT", True)]
    assert project.query("""SELECT grantee, column_name, privilege_type FROM information_schema.column_privileges
                            WHERE table_name = 'UserInfo' AND grantee = 'pg_read_all_stats'""") == [
        ("pg_read_all_stats", "email", "UPDATE")]
    assert project.query("""SELECT obj_description(oid, 'pg_trigger') FROM pg_trigger
                            WHERE tgname = 'UserInfo_insert'""") == [("inserts nothing",)]


def test_type_change_under_views_keeps_grants_comments_and_options(pg_project):
    project = with_hand_made_migration(pg_project, PG_BODY, "objects", OBJECTS)
    project.write_schema(WIDENED)
    _assert_kept(project)
    _dev_rollback_deploy(project, "bigint", check=lambda after_up: _assert_kept(project))
