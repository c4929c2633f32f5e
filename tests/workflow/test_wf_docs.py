"""Every `lamina` command in docs/workflow.md runs, in the order a reader meets them,
on a SQLite project; the pre-commit hook is run as written."""

from __future__ import annotations

import re
import shlex
import subprocess

from wf_helpers import REPO, clean_env, make_project

DOC = REPO / "docs" / "workflow.md"

USER = """
model User {
  id        String   @id @default(cuid())
  email     String   @unique
  name      String
  createdAt DateTime @default(now())
}
"""
AVATAR = USER.replace("  name      String\n", "  name      String\n  avatar    String?  // new field\n")


def documented_commands() -> set[str]:
    text = DOC.read_text()
    blocks = re.findall(r"```(?:bash|yaml)\n(.*?)```", text, re.S)
    commands = set()
    for block in blocks:
        joined = re.sub(r"\\\n\s*", "", block)
        for line in joined.splitlines():
            line = line.strip()
            if line.startswith("echo"):
                continue
            m = re.search(r"(?:^|if ! )(lamina .*)$", line)
            if m:
                command = re.split(r" >/dev/null|; then| #", m.group(1))[0]
                commands.add(" ".join(command.split()))
    return commands


def test_every_documented_command_runs(tmp_path):
    p = make_project(tmp_path, "sqlite", "file:./dev.db", USER)
    (p.root / "pyproject.toml").write_text('[tool.lamina]\nseed = "python seed.py"\n')
    (p.root / "seed.py").write_text("print('seeded')\n")
    ran: set[str] = set()

    def lamina(command: str, code: int = 0, documented: str | None = None, **kw):
        r = p.run(*shlex.split(command)[1:], **kw)
        assert r.code == code, (command, r.both)
        ran.add(documented or command)
        return r

    # Development
    lamina("lamina migrate dev --name init", documented="lamina migrate dev --name <descriptive_name>")
    p.write_schema(AVATAR)
    r = lamina("lamina migrate dev --name add_user_avatar --create-only")
    (avatar,) = [d for d in p.migrations.iterdir() if d.name.endswith("_add_user_avatar")]
    assert (avatar / "migration.sql").read_text() == '-- AlterTable\nALTER TABLE "User" ADD COLUMN "avatar" TEXT;\n'
    r = lamina("lamina migrate dev --name add_user_avatar")
    assert f"Applying migration `{avatar.name}`" in r.out
    lamina("lamina generate")
    lamina("lamina migrate reset", input="y\n", env={"LAMINA_FORCE_INTERACTIVE": "1"})
    assert "seeded" in p.run("migrate", "reset", "--force").out

    # Production
    lamina("lamina migrate deploy")
    assert "Database schema is up to date!" in lamina("lamina migrate status").out
    assert "already in sync" in lamina("lamina db push").out

    # Troubleshooting: a failed migration, rolled back then fixed; another fixed by hand then marked applied
    p.add_migration("20990101000000_broken", 'CREATE TABLE "T2" ("id" INTEGER);\nSELECT * FROM "nope";\n')
    assert p.run("migrate", "deploy").code == 1
    assert "20990101000000_broken" in lamina("lamina migrate status", code=1).err
    lamina("lamina migrate resolve --rolled-back 20990101000000_broken",
           documented="lamina migrate resolve --rolled-back <migration_name>")
    (p.migrations / "20990101000000_broken" / "migration.sql").write_text('CREATE TABLE "T2" ("id" INTEGER);\n')
    lamina("lamina migrate deploy")
    p.add_migration("20990101000001_hotfix", 'CREATE TABLE "T3" ("id" INTEGER);\nSELECT * FROM "nope";\n')
    assert p.run("migrate", "deploy").code == 1
    (p.root / "fix.sql").write_text('CREATE TABLE "T3" ("id" INTEGER);\n')
    (p.migrations / "20990101000001_hotfix" / "migration.sql").write_text('CREATE TABLE "T3" ("id" INTEGER);\n')
    lamina("lamina db execute --file fix.sql")
    lamina("lamina migrate resolve --applied 20990101000001_hotfix",
           documented="lamina migrate resolve --applied <migration_name>")
    assert lamina("lamina migrate status").code == 0

    # Drift made by hand
    (p.root / "fix.sql").write_text('CREATE TABLE "Handmade" ("id" INTEGER);\n')
    lamina("lamina db execute --file fix.sql")
    assert lamina("lamina migrate dev", code=4).out.count("Handmade") == 1
    r = lamina("lamina migrate diff --from-schema-datasource prisma/schema.prisma "
               "--to-schema-datamodel prisma/schema.prisma --script")
    assert 'DROP TABLE "Handmade";' in r.out
    r = lamina("lamina migrate diff --from-migrations prisma/migrations --to-config-datasource")
    assert "[+] Added tables\n  - Handmade" in r.out
    lamina("lamina migrate reset --force")
    assert "Handmade" not in p.tables()
    assert "seeded" in lamina("lamina db seed").out

    # Renames: declared with --rename, the rows keep their values
    (p.root / "fix.sql").write_text('INSERT INTO "User" ("id", "email", "name", "avatar") VALUES (\'u1\', \'a@b.c\', \'A\', \'a.png\');\n')
    lamina("lamina db execute --file fix.sql")
    full_name = AVATAR.replace("  name      String\n", "  fullName  String\n")
    p.write_schema(full_name)
    assert p.run("migrate", "dev", "--name", "rename_to_full_name", "--rename", "User.name=fullName").code == 0
    p.write_schema(AVATAR)
    r = lamina("lamina migrate dev --name rename_full_name --rename User.fullName=name")
    assert p.query('SELECT name FROM "User"') == [("A",)]
    (renamed,) = [d.name for d in p.migrations.iterdir() if d.name.endswith("_rename_to_full_name")]

    # Rolling back with down.sql
    label, badge = "\nmodel Label {\n  id Int @id\n}\n", "\nmodel Badge {\n  id Int @id\n}\n"
    p.write_schema(AVATAR + label)
    assert p.run("migrate", "dev", "--name", "add_label").code == 0
    p.write_schema(AVATAR + label + badge)
    assert p.run("migrate", "dev", "--name", "add_badge").code == 0
    lamina("lamina migrate rollback")
    assert "Badge" not in p.tables() and "Label" in p.tables()
    lamina("lamina migrate rollback --steps 2")
    assert "Label" not in p.tables() and p.query('SELECT "fullName" FROM "User"') == [("A",)]
    assert lamina(f"lamina migrate rollback --to {renamed}", documented="lamina migrate rollback --to <migration_name>"
                  ).out.count("Nothing to roll back") == 1
    lamina("lamina migrate status", code=1)
    lamina("lamina migrate deploy")
    p.write_schema(USER + label + badge)
    assert p.run("migrate", "dev", "--name", "drop_avatar", "--accept-data-loss").code == 0
    assert "is irreversible" in lamina("lamina migrate rollback", code=1).err
    lamina("lamina migrate rollback --force")
    assert p.query('SELECT avatar FROM "User"') == [(None,)]  # the column is back, its values are not
    lamina("lamina migrate deploy")

    # CI
    assert lamina("lamina migrate lint").out == "No migration to lint (no pending migration).\n"
    lamina("lamina migrate diff --from-migrations prisma/migrations --to-schema prisma/schema.prisma --exit-code")

    # The pre-commit hook, as written, in a git repository
    hook = re.search(r"```bash\n(#!/usr/bin/env sh\n# \.git/hooks/pre-commit.*?)```", DOC.read_text(), re.S).group(1)
    env = clean_env(DATABASE_URL=p.url, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
                    GIT_COMMITTER_EMAIL="t@t")
    env["PATH"] = str(REPO / ".venv-none") + ":" + env["PATH"]

    def git(*args):
        subprocess.run(["git", *args], cwd=p.root, check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", "prisma")
    p.write_schema(USER + "\nmodel Tag {\n  id Int @id\n}\n")
    git("add", "prisma/schema.prisma")
    run_hook = lambda: subprocess.run(["sh", "-c", hook], cwd=p.root, capture_output=True, text=True, env=env)  # noqa: E731
    h = run_hook()
    assert h.returncode == 1 and "Schema changed but no migration created." in h.stdout
    lamina("lamina migrate dev --name add_tag")
    git("add", "prisma")
    assert run_hook().returncode == 0
    ran.add("lamina migrate diff --from-migrations prisma/migrations --to-schema prisma/schema.prisma --exit-code")
    ran.add("lamina migrate dev --name <migration_name>")

    missing = documented_commands() - ran
    assert not missing, f"documented but not exercised: {sorted(missing)}"
