"""`lamina migrate check`: schema vs migrations (drift), edited and out-of-order migrations
against git, with no database server: SQLite in memory, PostgreSQL on a private pgserver."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from wf_helpers import REPO, make_project

USER = 'model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n}\n'
WITH_NAME = USER.replace("  email String @unique\n", "  email String @unique\n  name  String?\n")
NOWHERE = {"sqlite": "file:./dev.db", "postgresql": "postgresql://nobody@127.0.0.1:9/nowhere",
           "mysql": "mysql://nobody@127.0.0.1:9/nowhere"}
INIT_SQL = {
    "sqlite": 'CREATE TABLE "User" (\n    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    "email" TEXT NOT NULL\n);\n'
              'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n',
    "postgresql": 'CREATE TABLE "User" (\n    "id" SERIAL NOT NULL,\n    "email" TEXT NOT NULL,\n\n'
                  '    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\n);\n'
                  'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n',
}
ADD_NAME = {"sqlite": 'ALTER TABLE "User" ADD COLUMN "name" TEXT;\n',
            "postgresql": 'ALTER TABLE "User" ADD COLUMN "name" TEXT;\n'}


def change_sql(p, before: str, after: str) -> str:
    """The migration SQL from schema body `before` to `after` (computed, no database)."""
    from lamina import api
    from wf_helpers import HEADER

    old, new = p.root / "before.prisma", p.root / "after.prisma"
    old.write_text(HEADER[p.provider] + before)
    new.write_text(HEADER[p.provider] + after)
    try:
        return api.migrate_diff(from_schema=old, to_schema=new, script=True).text
    finally:
        old.unlink()
        new.unlink()


def git(root, *args):
    subprocess.run(["git", "-c", "user.email=t@x.io", "-c", "user.name=t", *args], cwd=root, check=True,
                   capture_output=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def committed(request, tmp_path):
    """A project whose first migration is committed to git; no database server in its URL."""
    provider = request.param
    p = make_project(tmp_path, provider, NOWHERE[provider], USER)
    p.add_migration("20250101000000_init", INIT_SQL[provider])
    git(p.root, "init", "-q")
    git(p.root, "add", ".")
    git(p.root, "commit", "-q", "-m", "init")
    return p


def test_agreeing_project_passes(committed):
    r = committed.run("migrate", "check")
    assert r.code == 0, r.both
    assert r.out == "\n1 migration checked (files compared with git HEAD).\nThe migrations produce the schema.\n"


def test_drift_fails(committed):
    p = committed
    p.write_schema(WITH_NAME)  # a schema change without its migration
    r = p.run("migrate", "check")
    assert r.code == 1, r.both
    assert "[drift] The migrations do not produce the schema" in r.out
    assert "[+] Added column `name`" in r.out or "name" in r.out
    assert r.out.rstrip().endswith("1 problem found.")
    p.add_migration("20250102000000_add_name", ADD_NAME[p.provider])
    assert p.run("migrate", "check").code == 0


def test_edited_migration_fails(committed):
    p = committed
    sql = p.migrations / "20250101000000_init" / "migration.sql"
    sql.write_text(sql.read_text() + "-- a comment added after the commit\n")
    r = p.run("migrate", "check")
    assert r.code == 1, r.both
    assert "[edited] The migration `20250101000000_init` was edited after it was committed" in r.out
    assert p.run("migrate", "check", "--no-git").code == 0  # the schema still agrees
    sql.write_bytes(sql.read_bytes().replace(b"-- a comment added after the commit\n", b"").replace(b"\n", b"\r\n"))
    assert p.run("migrate", "check").code == 0  # only line endings differ (a Windows checkout): not an edit


def test_out_of_order_branch_merge_fails(committed):
    p = committed
    p.write_schema(WITH_NAME)
    p.add_migration("20250301000000_add_name", ADD_NAME[p.provider])
    git(p.root, "add", ".")
    git(p.root, "commit", "-q", "-m", "main: add name")
    # a branch made its migration before main's, and is merged now
    tagged = WITH_NAME + 'model Tag {\n  id Int @id\n}\n'
    p.write_schema(tagged)
    p.add_migration("20250201000000_tags", change_sql(p, WITH_NAME, tagged))
    r = p.run("migrate", "check")
    assert r.code == 1, r.both
    assert ("[out_of_order] The migration `20250201000000_tags` is new but sorts before "
            "`20250301000000_add_name`, which HEAD already has") in r.out
    shutil.move(p.migrations / "20250201000000_tags", p.migrations / "20250401000000_tags")
    assert p.run("migrate", "check").code == 0


def test_crm_passes_without_a_server(tmp_path):
    root = tmp_path / "crm"
    shutil.copytree(REPO / "examples" / "crm", root, ignore=shutil.ignore_patterns("*.db", "crm_client", ".env"))
    p = make_project(tmp_path, "sqlite", "file:./dev.db")
    p.root = root
    r = p.run("migrate", "check")
    assert r.code == 0, r.both
    assert "1 migration checked" in r.out and "The migrations produce the schema." in r.out
    assert "not compared with version control" in r.err or "compared with git" in r.out


def test_outside_git_says_so(tmp_path):
    p = make_project(tmp_path, "sqlite", "file:./dev.db", USER)
    p.add_migration("20250101000000_init", INIT_SQL["sqlite"])
    r = p.run("migrate", "check", env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert r.code == 0, r.both
    assert "Note: The migration files were not compared with version control" in r.err


def test_mysql_needs_a_shadow_url(tmp_path):
    p = make_project(tmp_path, "mysql", NOWHERE["mysql"], USER)
    r = p.run("migrate", "check")
    assert r.code == 1 and "--shadow-database-url" in r.err and "Traceback" not in r.err


def test_mysql_with_a_shadow_database(tmp_path, mysql_url):
    p = make_project(tmp_path, "mysql", NOWHERE["mysql"], USER)
    p.add_migration("20250101000000_init",
                    "CREATE TABLE `User` (\n    `id` INTEGER NOT NULL AUTO_INCREMENT,\n    `email` VARCHAR(191) NOT NULL,\n\n"
                    "    UNIQUE INDEX `User_email_key`(`email`),\n    PRIMARY KEY (`id`)\n"
                    ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n")
    r = p.run("migrate", "check", "--no-git", "--shadow-database-url", mysql_url)
    assert r.code == 0, r.both
    p.write_schema(WITH_NAME)
    assert p.run("migrate", "check", "--no-git", "--shadow-database-url", mysql_url).code == 1


def test_edited_migration_py_fails(tmp_path):
    p = make_project(tmp_path, "sqlite", NOWHERE["sqlite"], USER)
    folder = p.add_migration("20250101000000_init", INIT_SQL["sqlite"])
    (folder / "migration.py").write_text("def upgrade(db):\n    pass\n")
    git(p.root, "init", "-q")
    git(p.root, "add", ".")
    git(p.root, "commit", "-q", "-m", "init")
    assert p.run("migrate", "check").code == 0
    (folder / "migration.py").write_text("def upgrade(db):\n    db.execute('SELECT 1')\n")
    r = p.run("migrate", "check")
    assert r.code == 1, r.both
    assert "[edited] The migration `20250101000000_init` was edited after it was committed (HEAD has another " \
           "migration.py)" in r.out
