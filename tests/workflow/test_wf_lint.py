"""`lamina migrate lint`: each rule on a fixture migration, silence on the CRM init, suppression
comments, --fail-on exit codes, --format json, pending migrations, and migrate dev's report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lamina.migrate.lint import lint_script

REPO = Path(__file__).resolve().parents[2]

PG_FIXTURE = """/*
  Warnings:

  - You are about to alter the column `age` on the `User` table. The data in that column could be lost. The data in that column will be cast from `Text` to `Integer`.

*/
-- CreateTable
CREATE TABLE "Fresh" ("id" INTEGER NOT NULL, "userId" INTEGER NOT NULL);
CREATE INDEX "Fresh_userId_idx" ON "Fresh"("userId");
ALTER TABLE "Fresh" ADD CONSTRAINT "Fresh_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id");
DROP TABLE "Old";
ALTER TABLE "User" DROP COLUMN "bio";
ALTER TABLE "User" ALTER COLUMN "age" SET DATA TYPE INTEGER;
CREATE TYPE "Role_new" AS ENUM ('USER');
CREATE INDEX "User_email_idx" ON "User"("email");
ALTER TABLE "Post" ADD CONSTRAINT "Post_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id");
ALTER TABLE "User" ADD COLUMN "code" TEXT NOT NULL;
ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;
ALTER TABLE "User" ADD COLUMN "token" UUID DEFAULT gen_random_uuid();
ALTER TABLE "User" RENAME COLUMN "fullName" TO "name";
ALTER TABLE "Person" RENAME TO "Member";
"""

EXPECTED_PG = [
    ("L302", 11), ("L101", 11), ("L102", 12), ("L302", 12), ("L103", 13), ("L205", 13), ("L104", 14), ("L201", 15),
    ("L202", 16), ("L203", 17), ("L204", 18), ("L206", 19), ("L301", 20), ("L301", 21),
]

MYSQL_FIXTURE = """ALTER TABLE `User` MODIFY `age` INTEGER NOT NULL;
ALTER TABLE `User` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`, `org`);
ALTER TABLE `User` CONVERT TO CHARACTER SET utf8mb4;
ALTER TABLE `User` ADD COLUMN `x` INT, ALGORITHM=COPY;
"""


def _codes(findings):
    return sorted((f.code, f.line) for f in findings)


def test_each_rule_on_a_fixture():
    assert _codes(lint_script(PG_FIXTURE, "postgresql", "fixture")) == sorted(EXPECTED_PG)
    drop = [f.message for f in lint_script(PG_FIXTURE, "postgresql", "fixture") if f.line == 11]
    assert all('"Old";' not in m and ";:" not in m for m in drop) and any("DROP TABLE Old:" in m for m in drop), drop
    assert _codes(lint_script(MYSQL_FIXTURE, "mysql", "fixture")) == [("L401", 1), ("L402", 2), ("L403", 3), ("L404", 4)]
    # the locking rules are PostgreSQL's; a table created in the same migration is empty
    assert {f.code for f in lint_script(PG_FIXTURE, "sqlite")} == {"L101", "L102", "L103", "L104", "L301", "L302"}


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_silent_on_the_crm_init(provider):
    text = (REPO / "tests" / "engine" / "crm" / f"expected.{provider}.sql").read_text()
    assert lint_script(text, provider) == []


def test_suppression_comment():
    text = ('-- lamina-lint: ignore L101 the table was emptied in the previous release\nDROP TABLE "Old";\n'
            'DROP TABLE "Other"; -- lamina-lint: ignore L101, L302 reviewed\nDROP TABLE "Third";\n')
    assert _codes(lint_script(text, "postgresql")) == [("L101", 4), ("L302", 2), ("L302", 4)]


def _project(sqlite_project):
    p = sqlite_project
    p.write_schema("model User {\n  id    Int     @id\n  email String\n  bio   String?\n}\n")
    r = p.run("migrate", "dev", "--name", "init", "--skip-generate")
    assert r.code == 0, r.both
    return p


def test_cli_exit_codes_and_json(sqlite_project):
    p = _project(sqlite_project)
    folder = p.add_migration("20990101000000_drop_bio", 'ALTER TABLE "User" DROP COLUMN "bio";\n')
    r = p.run("migrate", "lint")  # the pending migration only
    assert r.code == 1
    assert r.out == (
        "20990101000000_drop_bio/migration.sql:1  L102 error  DROP COLUMN User.bio: the column's values are deleted.\n"
        '    ALTER TABLE "User" DROP COLUMN "bio";\n'
        "20990101000000_drop_bio/migration.sql:1  L302 warning  the column User.bio is dropped while code still "
        'deployed may use it.\n    ALTER TABLE "User" DROP COLUMN "bio";\n\n'
        "2 findings (1 error, 1 warning) in 1 migration.\n")
    data = json.loads(p.run("migrate", "lint", "--format", "json").out)
    assert [f["code"] for f in data["findings"]] == ["L102", "L302"] and data["failed"] is True
    (folder / "migration.sql").write_text('-- lamina-lint: ignore L102 bio was never read\n'
                                          'ALTER TABLE "User" DROP COLUMN "bio";\n')
    r = p.run("migrate", "lint")
    assert r.code == 0 and "1 finding (0 errors, 1 warning) in 1 migration." in r.out
    assert p.run("migrate", "lint", "--fail-on", "warning").code == 1
    (init,) = [d.name for d in p.migrations.iterdir() if d.name.endswith("_init")]
    r = p.run("migrate", "lint", init)
    assert r.code == 0 and r.out == "No finding in 1 migration.\n"


def test_migrate_dev_prints_the_findings(sqlite_project):
    p = _project(sqlite_project)
    p.write_schema("model User {\n  id    Int     @id\n  email String\n}\n")
    r = p.run("migrate", "dev", "--name", "drop_bio", "--skip-generate")
    assert r.code == 0, r.both
    assert "Lint (lamina migrate lint) of the new migration:" in r.err
    assert "L102 error  DROP COLUMN User.bio" in r.err or "L302" in r.err


def test_ci_recipe_on_the_crm(tmp_path):
    """The documented CI step: lint the migrations a release adds (here the CRM's, all pending)."""
    from wf_helpers import Project

    root = tmp_path / "crm"
    shutil.copytree(REPO / "examples" / "crm" / "prisma", root / "prisma", ignore=shutil.ignore_patterns("*.db"))
    p = Project(root, "sqlite", "file:./dev.db")
    r = p.run("migrate", "lint")
    assert r.code == 0, r.both
    assert r.out == "No finding in 1 migration.\n"


def test_migrate_dev_online_writes_the_safe_forms(pg_project):
    p = pg_project
    base = "model User {\n  id    Int    @id\n  email String\n}\n\nmodel Post {\n  id     Int @id\n  userId Int\n}\n"
    p.write_schema(base)
    assert p.run("migrate", "dev", "--name", "init", "--skip-generate").code == 0
    p.query("INSERT INTO \"User\" VALUES (1, 'a@b.c'); INSERT INTO \"Post\" VALUES (1, 1)")
    p.write_schema(base.replace("  email String\n", "  email String @unique\n  posts Post[]\n")
                   .replace("  userId Int\n", "  userId Int\n  user   User @relation(fields: [userId], references: [id])\n"))
    r = p.run("migrate", "dev", "--name", "online", "--skip-generate", "--online", "--accept-data-loss")
    assert r.code == 0, r.both
    (folder,) = [d for d in p.migrations.iterdir() if d.name.endswith("_online")]
    assert (folder / "migration.sql").read_text() == (
        "/*\n  Warnings:\n\n  - A unique constraint covering the columns `[email]` on the table `User` will be added. "
        "If there are existing duplicate values, this will fail.\n\n*/\n"
        '-- CreateIndex\nCREATE UNIQUE INDEX CONCURRENTLY "User_email_key" ON "User"("email");\n\n'
        '-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_userId_fkey" FOREIGN KEY ("userId") REFERENCES '
        '"User"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;\n'
        'ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_userId_fkey";\n')
    assert p.run("migrate", "lint", folder.name).code == 0
    assert "L201" not in p.run("migrate", "lint", folder.name, "--fail-on", "warning").out
    assert p.query("SELECT convalidated FROM pg_constraint WHERE conname = 'Post_userId_fkey'") == [(True,)]
    assert p.run("migrate", "status").code == 0
