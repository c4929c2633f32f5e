"""Output problems never decide a command's outcome: a console that cannot encode what Lamina
prints (cp1252, a C locale) gets ASCII, and a closed stdout (`| head -c1`) is ignored; the
deploy's work decides the exit code."""

from __future__ import annotations

import subprocess
import sys

from wf_helpers import clean_env

INIT = 'CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY);\n'
TWO = 'CREATE TABLE "Post" ("id" INTEGER NOT NULL PRIMARY KEY);\n'


def _two_migrations(project) -> None:
    project.add_migration("20250101000000_init", INIT)
    project.add_migration("20250101000001_two", TWO)


def test_deploy_on_a_cp1252_console_applies_and_exits_0(project):
    _two_migrations(project)
    r = project.run("migrate", "deploy", env={"PYTHONIOENCODING": "cp1252"})
    assert r.code == 0, r.both
    assert "internal error" not in r.both
    assert "  +- 20250101000001_two/\n    +- migration.sql" in r.out  # box drawing degraded to ASCII
    assert {"User", "Post"} <= project.tables()


def test_deploy_into_a_closed_pipe_applies_and_exits_0(project):
    _two_migrations(project)
    env = clean_env(DATABASE_URL=project.url)
    p = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m lamina migrate deploy | head -c1 >/dev/null; exit ${{PIPESTATUS[0]}}'],
        cwd=project.root, env=env, capture_output=True, text=True, timeout=60,
    )
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr and "Exception ignored" not in p.stderr
    assert [row[0] for row in project.history() if row[2] is not None] == ["20250101000000_init", "20250101000001_two"]


def test_deploy_logs_one_line_per_migration_without_a_terminal(project):
    _two_migrations(project)
    r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    lines = [line for line in r.err.splitlines() if line.startswith("Applied migration")]
    assert [line.split(" in ")[0] for line in lines] == [
        "Applied migration 1/2 `20250101000000_init`", "Applied migration 2/2 `20250101000001_two`"]
    assert all(line.endswith("ms") for line in lines)
    assert "Applied migration" not in r.out  # stdout keeps Prisma's text


def test_force_color_and_no_color(tmp_path):
    from wf_helpers import make_project

    p = make_project(tmp_path, "sqlite", "file:./dev.db")
    p.write_schema("model A {\n  id Int @id\n  oops\n}\n")
    plain = p.run("validate")
    assert plain.code == 1 and "\x1b[" not in plain.err
    forced = p.run("validate", env={"FORCE_COLOR": "1"})
    assert forced.code == 1 and "\x1b[1;91merror\x1b[0m" in forced.err, forced.err
    assert "\x1b[" not in p.run("validate", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).err
