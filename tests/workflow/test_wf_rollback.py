"""down.sql beside every migration `migrate dev` writes, and `migrate rollback`."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

V1 = """
model User {
  id    Int    @id @default(autoincrement())
  email String @unique
}
"""
V2 = V1.replace("  email String @unique\n", "  email String @unique\n  bio   String?\n")
V3 = V2 + "\nmodel Tag {\n  id   Int    @id\n  name String\n}\n"


def _dirs(project) -> list[str]:
    return sorted(p.name for p in project.migrations.iterdir() if p.is_dir())


def _dev(project, schema: str, name: str, *extra: str):
    project.write_schema(schema)
    r = project.run("migrate", "dev", "--name", name, "--skip-generate", *extra)
    assert r.code == 0, r.both
    return r


def _columns(project, table: str) -> set[str]:
    if project.provider == "sqlite":
        return {r[1] for r in project.query(f'PRAGMA table_info("{table}")')}
    return {r[0] for r in project.query(
        f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}'"
        + (" AND table_schema = DATABASE()" if project.provider == "mysql" else " AND table_schema = 'public'"))}


def test_rollback_then_deploy(project):
    _dev(project, V1, "init")
    _dev(project, V2, "add_bio")
    _dev(project, V3, "add_tag")
    for d in _dirs(project):
        assert (project.migrations / d / "down.sql").is_file()
    project.query(project.sql("INSERT INTO \"User\" (email, bio) VALUES ('ann@x.io', 'hi')"))

    r = project.run("migrate", "rollback", "--steps", "2")
    assert r.code == 0, r.both
    init, add_bio, add_tag = _dirs(project)
    assert f"Rolling back migration `{add_tag}`\nRolling back migration `{add_bio}`\n" in r.out
    assert "Tag" not in project.tables() and "bio" not in _columns(project, "User")
    assert project.query(project.sql('SELECT email FROM "User"')) == [("ann@x.io",)]  # rows kept

    history = {row[0]: row for row in project.history()}
    assert history[add_tag][2] is not None and history[add_tag][3] is not None  # finished, then rolled back
    assert history[init][3] is None
    s = project.run("migrate", "status")
    assert s.code == 1
    assert f"Following migrations have not yet been applied:\n{add_bio}\n{add_tag}\n" in s.out

    d = project.run("migrate", "deploy")
    assert d.code == 0, d.both
    assert project.run("migrate", "status").code == 0
    assert "Tag" in project.tables() and "bio" in _columns(project, "User")
    r = project.run("migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code")
    assert r.code == 0, r.both


def test_rollback_to(sqlite_project):
    project = sqlite_project
    _dev(project, V1, "init")
    _dev(project, V2, "add_bio")
    _dev(project, V3, "add_tag")
    init = _dirs(project)[0]
    r = project.run("migrate", "rollback", "--to", init)
    assert r.code == 0, r.both
    assert project.tables() >= {"User"} and "Tag" not in project.tables()
    r = project.run("migrate", "rollback", "--to", init)
    assert r.code == 0 and f"Nothing to roll back: `{init}` is the last applied migration." in r.out
    r = project.run("migrate", "rollback", "--to", "nope")
    assert r.code == 1 and "`--to nope`: no applied migration has that name." in r.err


def test_refuses_a_migration_without_down(sqlite_project):
    project = sqlite_project
    _dev(project, V1, "init")
    project.add_migration("20990101000000_by_hand", 'CREATE TABLE "Hand" ("id" INTEGER NOT NULL PRIMARY KEY);\n')
    assert project.run("migrate", "deploy").code == 0
    r = project.run("migrate", "rollback")
    assert r.code == 1
    assert ("The migration `20990101000000_by_hand` has no down.sql (it was written by hand, or by Prisma), so Lamina "
            "cannot roll it back. Nothing was rolled back.") in r.err
    assert "Hand" in project.tables()
    assert all(row[3] is None for row in project.history())


def test_irreversible_down_needs_force(tx_project):
    project = tx_project
    _dev(project, V2, "init")
    _dev(project, V1, "drop_bio", "--accept-data-loss")
    drop = _dirs(project)[1]
    down = (project.migrations / drop / "down.sql").read_text()
    assert "-- Irreversible: the column `User.bio` is dropped: its values are not restored.\n" in down
    r = project.run("migrate", "rollback")
    assert r.code == 1
    assert f"The down migration of `{drop}` is irreversible:\n  - the column `User.bio` is dropped" in r.err
    assert "bio" not in _columns(project, "User")
    r = project.run("migrate", "rollback", "--force")
    assert r.code == 0, r.both
    assert "bio" in _columns(project, "User")


def test_a_failing_down_changes_nothing(tx_project):
    project = tx_project
    _dev(project, V1, "init")
    _dev(project, V3, "add_bio_and_tag")
    folder = project.migrations / _dirs(project)[1]
    down = folder / "down.sql"
    down.write_text(down.read_text() + '\nDROP TABLE "NoSuchTable";\n')
    r = project.run("migrate", "rollback")
    assert r.code == 1
    assert f"The down migration of `{folder.name}` failed." in r.err
    assert "nothing of it was applied" in r.err
    assert "Tag" in project.tables() and "bio" in _columns(project, "User")
    assert project.run("migrate", "status").code == 0


def test_crm_last_two_migrations_roll_back_and_redeploy(tmp_path):
    """The CRM example with two more migrations: roll both back, deploy again, in sync."""
    from wf_helpers import Project

    root = tmp_path / "crm"
    shutil.copytree(REPO / "examples" / "crm" / "prisma", root / "prisma",
                    ignore=shutil.ignore_patterns("*.db", "*.db-journal"))
    project = Project(root, "sqlite", "file:./dev.db")
    original = project.schema.read_text()
    assert project.run("migrate", "deploy").code == 0
    project.schema.write_text(original.replace("model Org {", "model Org {\n  motto String?", 1))
    r = project.run("migrate", "dev", "--name", "org_motto", "--skip-generate")
    assert r.code == 0, r.both
    project.schema.write_text(project.schema.read_text() + "\nmodel Memo {\n  id   Int    @id\n  text String\n}\n")
    r = project.run("migrate", "dev", "--name", "memo", "--skip-generate")
    assert r.code == 0, r.both
    assert len(_dirs(project)) == 3
    r = project.run("migrate", "rollback", "--steps", "2")
    assert r.code == 0, r.both
    assert "Memo" not in project.tables()
    assert "motto" not in {row[1] for row in project.query('PRAGMA table_info("Org")')}
    assert project.run("migrate", "status").code == 1
    assert project.run("migrate", "deploy").code == 0
    assert project.run("migrate", "status").code == 0
    r = project.run("migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code")
    assert r.code == 0, r.both
