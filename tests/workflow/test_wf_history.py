"""deploy / status / resolve / reset on hand-written migrations, SQLite, PostgreSQL and MySQL/MariaDB, real CLI.
(Hand-written SQL quotes names with `"`; `Project.add_migration` turns them into backticks on MySQL.)"""

from __future__ import annotations

import json

from wf_helpers import make_project, sha256

from lamina.migrate.deploy import MYSQL_NOTE
from tests.dburls import database_name, server_display, with_params

INIT = '-- CreateTable\nCREATE TABLE "User" (\n    "id" INTEGER NOT NULL PRIMARY KEY,\n    "email" TEXT NOT NULL\n);\n'
TWO = 'CREATE TABLE "T2" ("id" INTEGER);\nINSERT INTO "T2" VALUES (1);\n'
BAD = 'CREATE TABLE "T4" ("id" INTEGER);\nINSERT INTO "T4" VALUES (1);\nSELECT * FROM "does_not_exist";\n'

PENDING_TEXT = (
    "Following migration have not yet been applied:\n20250101000001_two\n\n"
    "To apply migrations in development run lamina migrate dev.\n"
    "To apply migrations in production run lamina migrate deploy.\n"
)


def datasource_line(project) -> str:
    if project.provider == "sqlite":
        return 'Datasource "db": SQLite database "dev.db" at "file:./dev.db"'
    name, server = database_name(project.url), server_display(project.url)
    if project.provider == "mysql":
        return f'Datasource "db": MySQL database "{name}" at "{server}"'
    return f'Datasource "db": PostgreSQL database "{name}", schema "public" at "{server}"'


def test_deploy_status_resolve_story(project):
    project.add_migration("20250101000000_init", INIT)
    r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert r.out.startswith(datasource_line(project) + "\n")
    note = f"\n{MYSQL_NOTE}\n" if project.provider == "mysql" else ""
    assert r.out.endswith(
        f"1 migration found in prisma/migrations\n{note}\n\nThe following migration(s) have been applied:\n\n"
        "migrations/\n  └─ 20250101000000_init/\n    └─ migration.sql\n\nAll migrations have been successfully applied.\n"
    )
    assert "Prisma schema loaded from prisma/schema.prisma." in r.err
    (name, checksum, finished, rolled, logs, steps), = project.history()
    assert (name, checksum, rolled, logs, steps) == (
        "20250101000000_init", sha256(project.migrations / "20250101000000_init/migration.sql"), None, None, 1)
    assert finished is not None

    r = project.run("migrate", "status")
    assert (r.code, r.out.split("\n", 1)[1]) == (0, "\n1 migration found in prisma/migrations\n\nDatabase schema is up to date!\n")

    r = project.run("migrate", "deploy")
    assert r.code == 0 and r.out.endswith("found in prisma/migrations\n\n\nNo pending migrations to apply.\n")

    project.add_migration("20250101000001_two", TWO)
    r = project.run("migrate", "status")
    assert r.code == 1
    assert r.out.endswith("2 migrations found in prisma/migrations\n" + PENDING_TEXT)
    assert json.loads(project.run("migrate", "status", "--json").out)["pending"] == ["20250101000001_two"]

    # a failing migration: nothing of it stays (atomic), a failed row is recorded;
    # MySQL (no transactional DDL): its first two statements stay, and the row says so
    mysql = project.provider == "mysql"
    project.add_migration("20250101000002_bad", BAD)
    r = project.run("migrate", "deploy")
    assert r.code == 1
    assert "Error: P3018\n\nA migration failed to apply." in r.err
    assert "Migration name: 20250101000002_bad" in r.err and "does_not_exist" in r.err
    assert ("T4" in project.tables()) == mysql and "T2" in project.tables()
    bad = [row for row in project.history() if row[0] == "20250101000002_bad"]
    assert len(bad) == 1 and bad[0][2] is None and bad[0][3] is None and "does_not_exist" in bad[0][4]
    assert bad[0][5] == (2 if mysql else 0)
    if mysql:
        assert "Statement 3 of 3 failed; the 2 statement(s) before it were applied and were NOT rolled back" in r.err
        assert "Failing statement:\nSELECT * FROM `does_not_exist`;" in bad[0][4]
        project.query('DROP TABLE "T4"')  # reverted by hand, as docs/workflow.md says

    r = project.run("migrate", "status")
    assert r.code == 1
    assert r.err.startswith("Prisma schema loaded from prisma/schema.prisma.\nFollowing migration have failed:\n20250101000002_bad\n\n")
    assert 'lamina migrate resolve --rolled-back "20250101000002_bad"' in r.err
    assert 'lamina migrate resolve --applied "20250101000002_bad"' in r.err

    r = project.run("migrate", "deploy")
    assert r.code == 1 and "Error: P3009\n\nmigrate found failed migrations in the target database" in r.err
    assert "The `20250101000002_bad` migration started at " in r.err and " UTC failed" in r.err

    # resolve's rules
    r = project.run("migrate", "resolve", "--applied", "20250101000001_two")
    assert r.code == 1 and "Error: P3008\n\nThe migration `20250101000001_two` is already recorded as applied in the database." in r.err
    r = project.run("migrate", "resolve", "--applied", "nope")
    assert r.code == 1 and "Error: P3017\n\nThe migration nope could not be found." in r.err
    r = project.run("migrate", "resolve", "--rolled-back", "20250101000001_two")
    assert r.code == 1 and "Error: P3012" in r.err
    r = project.run("migrate", "resolve", "--rolled-back", "20990101000000_never")
    assert r.code == 1 and "Error: P3011" in r.err

    r = project.run("migrate", "resolve", "--rolled-back", "20250101000002_bad")
    assert r.code == 0 and r.out.endswith("\nMigration 20250101000002_bad marked as rolled back.\n\n")
    assert [row[3] is not None for row in project.history() if row[0] == "20250101000002_bad"] == [True]
    assert project.run("migrate", "status").code == 1  # pending again

    # fix by hand (hotfix), then mark applied: a new row, started = finished, logs ''
    r = project.run("migrate", "resolve", "--applied", "20250101000002_bad")
    assert r.code == 0 and "Migration 20250101000002_bad marked as applied." in r.out
    rows = [row for row in project.history() if row[0] == "20250101000002_bad"]
    assert len(rows) == 2 and rows[1][4] == "" and rows[1][5] == 0 and rows[1][2] is not None
    r = project.run("migrate", "status")
    assert r.code == 0 and r.out.endswith("Database schema is up to date!\n"), r.both
    assert "T4" not in project.tables()

    # reset: refuses without a TTY, rebuilds with --force (the broken migration now fails again)
    r = project.run("migrate", "reset")
    assert r.code == 1 and "non-interactive" in r.err and "--force" in r.err
    (project.migrations / "20250101000002_bad/migration.sql").write_text(project.sql('CREATE TABLE "T4" ("id" INTEGER);\n'))
    r = project.run("migrate", "reset", "--force")
    assert r.code == 0, r.both
    assert "\nDatabase reset successful\n\nThe following migration(s) have been applied:\n\nmigrations/\n" in r.out
    assert {"User", "T2", "T4", "_prisma_migrations"} <= project.tables()
    assert [row[0] for row in project.history()] == ["20250101000000_init", "20250101000001_two", "20250101000002_bad"]
    assert project.query('SELECT COUNT(*) FROM "T2"') == [(1,)]


def test_edited_migration_checksums(project):
    folder = project.add_migration("20250101000000_init", INIT)
    assert project.run("migrate", "deploy").code == 0
    # CRLF checkout of the same file: not an edit
    (folder / "migration.sql").write_bytes(project.sql(INIT).replace("\n", "\r\n").encode())
    r = project.run("migrate", "status")
    assert r.code == 0 and "modified" not in r.err
    # a real edit: status warns (exit 0 as Prisma), deploy refuses unless --ignore-checksums
    (folder / "migration.sql").write_text(project.sql(INIT) + "-- edited\n")
    r = project.run("migrate", "status")
    assert r.code == 0 and "`20250101000000_init` was modified after it was applied" in r.err
    assert json.loads(project.run("migrate", "status", "--json").out)["edited"] == ["20250101000000_init"]
    project.add_migration("20250101000001_two", TWO)
    r = project.run("migrate", "deploy")
    assert r.code == 1 and "- 20250101000000_init" in r.err and "--ignore-checksums" in r.err
    assert "T2" not in project.tables()
    r = project.run("migrate", "deploy", "--ignore-checksums")
    assert r.code == 0 and "T2" in project.tables()


def test_unmanaged_and_diverged(project):
    # no history table, no migrations
    if project.provider == "postgresql":
        project.run("db", "execute", "--stdin", input="SELECT 1;")
    else:
        project.run("db", "execute", "--stdin", input="CREATE TABLE x (a int); DROP TABLE x;")
    r = project.run("migrate", "status")
    assert r.code == 1
    assert r.out.endswith("No migration found in prisma/migrations\n")
    assert r.err.endswith("The current database is not managed by Lamina (it has no _prisma_migrations table).\n\n"
                          "Read more about how to baseline an existing production database:\nhttps://pris.ly/d/migrate-baseline\n")
    # a non-empty unmanaged database: deploy refuses (P3005)
    assert project.run("db", "execute", "--stdin", input=project.sql('CREATE TABLE "legacy" ("id" INTEGER);')).code == 0
    project.add_migration("20250101000000_init", INIT)
    r = project.run("migrate", "deploy")
    assert r.code == 1 and "Error: P3005\n\nThe database schema is not empty." in r.err
    assert "User" not in project.tables()
    # baseline: mark applied, then deploy
    assert project.run("migrate", "resolve", "--applied", "20250101000000_init").code == 0
    assert project.run("migrate", "deploy").code == 0
    # diverged: a migration applied here is gone locally, another one is new
    project.add_migration("20250101000001_two", TWO)
    assert project.run("migrate", "deploy").code == 0
    (project.migrations / "20250101000001_two" / "migration.sql").unlink()
    (project.migrations / "20250101000001_two").rmdir()
    project.add_migration("20250101000002_other", "SELECT 1;\n")
    r = project.run("migrate", "status")
    assert r.code == 1
    assert r.out.endswith(
        "Your local migration history and the migrations table from your database are different:\n\n"
        "The last common migration is: 20250101000000_init\n\nThe migration have not yet been applied:\n"
        "20250101000002_other\n\nThe migration from the database are not found locally in prisma/migrations:\n"
        "20250101000001_two\n")


def test_provider_lock_mismatch(sqlite_project):
    p = sqlite_project
    p.add_migration("20250101000000_init", INIT)
    (p.migrations / "migration_lock.toml").write_text('provider = "postgresql"\n')
    r = p.run("migrate", "deploy")
    assert r.code == 1 and r.err.strip().startswith("Error: P3019")
    assert "`sqlite` specified in your schema does not match the one specified in the migration_lock.toml, `postgresql`" in r.err


def test_non_transactional_migration_is_said(pg_project):
    p = pg_project
    p.add_migration("20250101000000_init", INIT)
    p.add_migration("20250101000001_idx", 'CREATE INDEX CONCURRENTLY "User_email_idx" ON "User"("email");\n')
    r = p.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert "Note: `20250101000001_idx` was applied statement by statement, not in one transaction (contains CREATE INDEX CONCURRENTLY)." in r.out
    assert p.query("SELECT indexname FROM pg_indexes WHERE indexname = 'User_email_idx'") == [("User_email_idx",)]


def test_postgres_schema_param(pg_project):
    p = pg_project
    url = with_params(p.url, schema="tenant_a")
    p.add_migration("20250101000000_init", INIT)
    r = p.run("migrate", "deploy", url=url)
    assert r.code == 0, r.both
    assert ', schema "tenant_a" at ' in r.out
    assert p.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'tenant_a' ORDER BY 1") == [
        ("User",), ("_prisma_migrations",)]
    assert p.run("migrate", "status", url=url).code == 0
    assert p.run("migrate", "reset", "--force", url=url).code == 0
    assert p.query("SELECT count(*) FROM tenant_a._prisma_migrations") == [(1,)]


# `_prisma_migrations` as Prisma's MySQL connector creates it (prisma-engines' MySQL flavour;
# the real Prisma CLI has no MySQL connector on these machines, so it is written out here)
PRISMA_MYSQL_TABLE = """CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             DATETIME(3),
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          DATETIME(3),
    started_at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    applied_steps_count     INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4"""


def _history_columns(project) -> list[tuple]:
    return project.query(
        "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_KEY FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '_prisma_migrations' ORDER BY ORDINAL_POSITION")


def test_mysql_history_written_as_prisma_writes_it(mysql_project, tmp_path):
    import uuid

    p = mysql_project
    p.add_migration("20250101000000_init", INIT)
    p.add_migration("20250101000001_two", TWO)
    # the database as Prisma left it: its table, the migrations' SQL, rows with Prisma's values
    # (uuid4 ids, sha256 of the file, UTC DATETIME(3) times, 1 applied step, NULL logs)
    p.query(PRISMA_MYSQL_TABLE)
    prisma_columns = _history_columns(p)
    for name, started, finished in (("20250101000000_init", "2025-01-01 10:00:00.123", "2025-01-01 10:00:00.187"),
                                    ("20250101000001_two", None, "2025-01-02 08:30:00.001")):
        script = (p.migrations / name / "migration.sql").read_text()
        assert p.run("db", "execute", "--stdin", input=script).code == 0
        checksum = sha256(p.migrations / name / "migration.sql")
        if started is None:  # started_at from the column's default, CURRENT_TIMESTAMP(3)
            p.query("INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, "
                    f"applied_steps_count) VALUES ('{uuid.uuid4()}', '{checksum}', NOW(3), '{name}', NULL, NULL, 1)")
        else:
            p.query("INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, "
                    f"started_at, applied_steps_count) VALUES ('{uuid.uuid4()}', '{checksum}', '{finished}', '{name}', "
                    f"NULL, NULL, '{started}', 1)")
    r = p.run("migrate", "status")
    assert (r.code, r.out.split("\n", 1)[1]) == (0, "\n2 migrations found in prisma/migrations\n\nDatabase schema is up to date!\n"), r.both
    assert "modified" not in r.err
    # deploy then applies a new Lamina migration on top, in the same table
    p.add_migration("20250101000002_three", 'CREATE TABLE "T3" ("id" INTEGER);\n')
    r = p.run("migrate", "deploy")
    assert r.code == 0 and "20250101000002_three/" in r.out, r.both
    assert [row[0] for row in p.history()][-1] == "20250101000002_three"
    assert p.run("migrate", "status").code == 0

    # and the table Lamina creates is Prisma's, column for column
    (tmp_path / "other").mkdir()
    other = make_project(tmp_path / "other", "mysql", p.url)
    other.query("DROP TABLE _prisma_migrations")
    other.query('DROP TABLE "User"')
    other.query('DROP TABLE "T2"')
    other.query('DROP TABLE "T3"')
    other.add_migration("20250101000000_init", INIT)
    assert other.run("migrate", "deploy").code == 0
    assert _history_columns(other) == prisma_columns
    assert prisma_columns[-1] == ("applied_steps_count", "int(10) unsigned", "NO", "0", "")


def test_mysql_reset_empties_the_database(mysql_project):
    p = mysql_project
    p.add_migration("20250101000000_init", INIT)
    assert p.run("migrate", "deploy").code == 0
    p.query('CREATE VIEW "v" AS SELECT "id" FROM "User"')
    p.query('CREATE PROCEDURE "p"() SELECT 1')
    p.query('CREATE FUNCTION "f"() RETURNS INT DETERMINISTIC RETURN 1')
    p.query('CREATE TABLE "extra" ("id" INTEGER)')
    r = p.run("migrate", "reset", "--force")
    assert r.code == 0, r.both
    assert p.tables() == {"User", "_prisma_migrations"}
    assert p.query("SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()") == []
    assert p.run("migrate", "status").code == 0


def test_history_values_with_quotes_are_bound_not_pasted(project):
    """A migration's name is a folder name and may hold quotes and backslashes; the history row
    (written in the same round trip as the script on PostgreSQL) must store it exactly."""
    name = "20250101000000_it's_a \\ test"
    project.add_migration(name, INIT)
    r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert [row[0] for row in project.query("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL")] == [name]
    s = project.run("migrate", "status")
    assert s.code == 0, s.both
    assert "Database schema is up to date!" in s.out
