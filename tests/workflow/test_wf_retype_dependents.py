"""PostgreSQL refuses `ALTER COLUMN ... TYPE` under a view, a materialized view or a trigger
naming the column. `migrate dev` drops them before the change and creates them again after:
with `--online` too, and a materialized view with its indexes. Each test checks the database
after dev, after the rollback (down.sql) and after deploying the migration again."""

from __future__ import annotations

from test_wf_down_views import with_hand_made_migration
from wf_helpers import rollback_and_deploy_again
from test_wf_rename_rebuild import PG_BODY, PG_OBJECTS, _assert_pg_objects_on

WIDENED = PG_BODY.replace("  age       Int?\n", "  age       BigInt?\n", 1)


def _dev_rollback_deploy(project, name: str, *flags: str, check) -> None:
    """`migrate dev` (with `flags`), rollback, deploy; `check(after_up: bool)` after each."""
    r = project.run("migrate", "dev", "--name", name, *flags)
    assert r.code == 0, r.both
    check(True)
    rollback_and_deploy_again(project, check)


def test_online_type_change_under_views_and_a_trigger(pg_project):
    """`--online` writes the same views and trigger handling, and the views are back before the
    concurrent index build (which may take long on a big table)."""
    project = with_hand_made_migration(pg_project, PG_BODY, "objects", PG_OBJECTS)
    project.query("""INSERT INTO "User" ("email", "age") VALUES ('a@x', NULL), ('b@x', 12)""")
    project.write_schema(WIDENED.replace("  updatedAt Int    @default(0)\n",
                                         "  updatedAt Int    @default(0)\n  @@index([age])\n", 1))

    def check(after_up: bool) -> None:
        _assert_pg_objects_on(project, "User", "bigint" if after_up else "integer")
        indexes = project.query("SELECT indexname FROM pg_indexes WHERE tablename = 'User' ORDER BY 1")
        assert ("User_age_idx",) in indexes if after_up else ("User_age_idx",) not in indexes

    _dev_rollback_deploy(project, "online", "--online", check=check)
    script = next(project.migrations.glob("*_online")).joinpath("migration.sql").read_text()
    order = ['DROP TRIGGER "User_touch"', 'DROP VIEW "Adults"', 'DROP VIEW "UserInfo"', 'TYPE BIGINT',
             'CREATE VIEW "UserInfo"', 'CREATE VIEW "Adults"', 'CREATE TRIGGER "User_touch"',
             'CREATE INDEX CONCURRENTLY "User_age_idx"']
    assert [script.index(text) for text in order] == sorted(script.index(text) for text in order), script


MATVIEWS = """CREATE MATERIALIZED VIEW "AgeCount" AS SELECT "age", count(*) AS "users" FROM "User" GROUP BY "age";
CREATE UNIQUE INDEX "AgeCount_age_key" ON "AgeCount" ("age");
CREATE INDEX "AgeCount_users_idx" ON "AgeCount" ("users" DESC);
CREATE VIEW "Crowded" AS SELECT "age" FROM "AgeCount" WHERE "users" > 1;
CREATE MATERIALIZED VIEW "Ages" AS SELECT "id", "age" FROM "User" WITH NO DATA;
"""


def test_type_change_under_materialized_views_keeps_them_and_their_indexes(pg_project):
    """The materialized views reading the column are dropped and created again with their
    indexes, filled (a never-filled one stays unfilled), and a view reading one comes back."""
    project = with_hand_made_migration(pg_project, PG_BODY, "matviews", MATVIEWS)
    project.query("""INSERT INTO "User" ("email", "age") VALUES ('a@x', 12), ('b@x', 12), ('c@x', 40)""")
    project.query('REFRESH MATERIALIZED VIEW "AgeCount"')
    project.write_schema(WIDENED)

    def check(after_up: bool) -> None:
        age_type = "bigint" if after_up else "integer"
        assert project.query("""SELECT c.relname, format_type(a.atttypid, a.atttypmod), c.relispopulated
                                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                                WHERE c.relkind = 'm' AND a.attname = 'age' ORDER BY 1""") == [
            ("AgeCount", age_type, True), ("Ages", age_type, False)]
        assert project.query("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'AgeCount' ORDER BY 1") == [
            ("AgeCount_age_key", 'CREATE UNIQUE INDEX "AgeCount_age_key" ON public."AgeCount" USING btree (age)'),
            ("AgeCount_users_idx", 'CREATE INDEX "AgeCount_users_idx" ON public."AgeCount" USING btree (users DESC)')]
        assert project.query('SELECT "age", "users" FROM "AgeCount" ORDER BY 1') == [(12, 2), (40, 1)]
        assert project.query('SELECT "age" FROM "Crowded"') == [(12,)]
        project.query('REFRESH MATERIALIZED VIEW CONCURRENTLY "AgeCount"')  # needs the unique index

    _dev_rollback_deploy(project, "bigint", check=check)
    script = next(project.migrations.glob("*_bigint")).joinpath("migration.sql").read_text()
    assert ('DROP VIEW "Crowded";\nDROP MATERIALIZED VIEW "Ages";\nDROP MATERIALIZED VIEW "AgeCount";\n'
            in script), script
