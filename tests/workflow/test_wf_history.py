"""deploy / status / resolve / reset on hand-written migrations, both dialects, real CLI."""

from __future__ import annotations

import json

from wf_helpers import sha256

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
    name = project.url.rsplit("/", 1)[1]
    return f'Datasource "db": PostgreSQL database "{name}", schema "public" at "127.0.0.1:5432"'


def test_deploy_status_resolve_story(project):
    project.add_migration("20250101000000_init", INIT)
    r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert r.out.startswith(datasource_line(project) + "\n")
    assert r.out.endswith(
        "1 migration found in prisma/migrations\n\n\nThe following migration(s) have been applied:\n\n"
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

    # a failing migration: nothing of it stays (atomic), a failed row is recorded
    project.add_migration("20250101000002_bad", BAD)
    r = project.run("migrate", "deploy")
    assert r.code == 1
    assert "Error: P3018\n\nA migration failed to apply." in r.err
    assert "Migration name: 20250101000002_bad" in r.err and "does_not_exist" in r.err
    assert "T4" not in project.tables() and "T2" in project.tables()
    bad = [row for row in project.history() if row[0] == "20250101000002_bad"]
    assert len(bad) == 1 and bad[0][2] is None and bad[0][3] is None and "does_not_exist" in bad[0][4] and bad[0][5] == 0

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
    (project.migrations / "20250101000002_bad/migration.sql").write_text('CREATE TABLE "T4" ("id" INTEGER);\n')
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
    (folder / "migration.sql").write_bytes(INIT.replace("\n", "\r\n").encode())
    r = project.run("migrate", "status")
    assert r.code == 0 and "modified" not in r.err
    # a real edit: status warns (exit 0 as Prisma), deploy refuses unless --ignore-checksums
    (folder / "migration.sql").write_text(INIT + "-- edited\n")
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
    assert r.err.endswith("The current database is not managed by Prisma Migrate.\n\n"
                          "Read more about how to baseline an existing production database:\nhttps://pris.ly/d/migrate-baseline\n")
    # a non-empty unmanaged database: deploy refuses (P3005)
    assert project.run("db", "execute", "--stdin", input='CREATE TABLE "legacy" ("id" INTEGER);').code == 0
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
    url = p.url + "?schema=tenant_a"
    p.add_migration("20250101000000_init", INIT)
    r = p.run("migrate", "deploy", url=url)
    assert r.code == 0, r.both
    assert ', schema "tenant_a" at ' in r.out
    assert p.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'tenant_a' ORDER BY 1") == [
        ("User",), ("_prisma_migrations",)]
    assert p.run("migrate", "status", url=url).code == 0
    assert p.run("migrate", "reset", "--force", url=url).code == 0
    assert p.query("SELECT count(*) FROM tenant_a._prisma_migrations") == [(1,)]


def test_mysql_deploy_status_resolve(tmp_path, mysql_url):
    from wf_helpers import Project

    root = tmp_path / "proj"
    (root / "prisma").mkdir(parents=True)
    p = Project(root, "mysql", mysql_url)
    (root / "prisma" / "schema.prisma").write_text(
        'datasource db {\n  provider = "mysql"\n  url      = env("DATABASE_URL")\n}\n')
    p.add_migration("20250101000000_init", "CREATE TABLE `User` (`id` INTEGER NOT NULL PRIMARY KEY);\n")
    p.add_migration("20250101000001_bad", "CREATE TABLE `T2` (`id` INTEGER);\nSELECT * FROM `nope`;\n")
    r = p.run("migrate", "deploy")
    assert r.code == 1 and "Migration name: 20250101000001_bad\n\nDatabase error code: 1146" in r.err
    assert p.run("migrate", "status").code == 1
    assert p.run("migrate", "resolve", "--rolled-back", "20250101000001_bad").code == 0
    (p.migrations / "20250101000001_bad" / "migration.sql").write_text("CREATE TABLE `T3` (`id` INTEGER);\n")
    r = p.run("migrate", "deploy")
    assert r.code == 0 and "Note: MySQL has no transactional DDL." in r.out, r.both
    r = p.run("migrate", "status")
    assert r.code == 0 and r.out.endswith("Database schema is up to date!\n")
