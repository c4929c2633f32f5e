"""Concurrent deploys (advisory lock) and deploys killed with SIGKILL at random points.

On MySQL/MariaDB the same 12 migrations and 8 processes (the lock is GET_LOCK; ~2 s on MariaDB);
there is no transactional DDL, so a kill can land inside a migration and leave it half-applied,
and the rerun follows docs/workflow.md's recovery."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from wf_helpers import clean_env, recover_killed_mysql_deploy

N = 12


def _migrations(project, n: int, slow: bool) -> None:
    project.add_migration("20250101000000_log", 'CREATE TABLE "log" ("name" TEXT NOT NULL);\n')
    for i in range(1, n):
        sleep = ""
        if slow:  # ~30 ms of work, so that a kill can land inside a migration
            sleep = {"postgresql": "SELECT pg_sleep(0.03);\n", "mysql": "SELECT SLEEP(0.03);\n"}.get(
                project.provider,
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT count(*) FROM c;\n")
        project.add_migration(
            f"20250101{i:06d}_m{i}",
            f'CREATE TABLE "t{i}" ("id" INTEGER);\n{sleep}INSERT INTO "log" ("name") VALUES (\'m{i}\');\n'
            f'INSERT INTO "t{i}" VALUES ({i});\n',
        )


def _spawn(project, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lamina", *args], cwd=project.root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=clean_env(DATABASE_URL=project.url))


def _assert_applied_once(project, n: int) -> None:
    names = [row[0] for row in project.history()]
    assert len(names) == n and len(set(names)) == n, names
    assert all(row[2] is not None for row in project.history())  # all finished
    rows = project.query('SELECT "name" FROM "log" ORDER BY "name"')
    assert sorted(r[0] for r in rows) == sorted(f"m{i}" for i in range(1, n))
    assert project.run("migrate", "status").code == 0


def _count(project) -> int:
    """Rows in the history now; -1 while the database is locked (SQLite's EXCLUSIVE)."""
    try:
        if project.provider == "sqlite":
            import sqlite3

            with sqlite3.connect(project.root / "prisma" / "dev.db", timeout=0) as conn:
                return conn.execute("SELECT COUNT(*) FROM _prisma_migrations").fetchone()[0]
        return len(project.history())
    except Exception as exc:  # noqa: BLE001 - no database or table yet, or locked
        return -1 if "locked" in str(exc) else 0


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_eight_concurrent_deploys(dialect, request):
    project = request.getfixturevalue("pg_project" if dialect == "postgresql" else "mysql_project")
    n = N
    _migrations(project, n, slow=True)
    procs = [_spawn(project, "migrate", "deploy") for _ in range(8)]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    assert [code for code, _, _ in results] == [0] * 8, [e for _, _, e in results]
    applied_by = [out.count("    └─ migration.sql") for _, out, _ in results]
    assert sum(applied_by) == n  # each migration reported applied by exactly one process
    _assert_applied_once(project, n)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
def test_sigkill_then_rerun(dialect, request):
    project = request.getfixturevalue({"postgresql": "pg_project", "sqlite": "sqlite_project",
                                       "mysql": "mysql_project"}[dialect])
    n = N
    _migrations(project, n, slow=True)
    rng = random.Random(7)
    partial = []
    for _ in range(3):
        p = _spawn(project, "migrate", "deploy")
        # wait until it has committed a migration (it says so only then; a reader cannot see it
        # on SQLite, whose write lock passes from one group of migrations to the next without a
        # gap), then a bit more: the kill lands mid-deploy, most often inside a migration
        for line in p.stderr:  # type: ignore[union-attr]
            if line.startswith("Applied migration"):
                break
        time.sleep(rng.uniform(0, 0.1))
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
        p.wait()
        p.stdout.close()
        p.stderr.close()
        partial.append(len(project.history()) if _count(project) != 0 else 0)
        if dialect == "mysql":  # a kill inside a migration leaves it failed (P3009 until resolved)
            recover_killed_mysql_deploy(project)
    assert any(0 < c < n for c in partial), partial  # the kills did land mid-deploy
    r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    if dialect == "mysql":  # rolled-back rows stay in the history: count the applied ones
        live = [row for row in project.history() if row[3] is None]
        assert len(live) == n and len({row[0] for row in live}) == n and all(row[2] is not None for row in live)
        rows = project.query('SELECT "name" FROM "log" ORDER BY "name"')
        assert sorted(r[0] for r in rows) == sorted(f"m{i}" for i in range(1, n))
        assert project.run("migrate", "status").code == 0
    else:
        _assert_applied_once(project, n)


def test_failure_in_the_middle_leaves_nothing(tx_project):
    project = tx_project
    project.add_migration("20250101000000_init", 'CREATE TABLE "keep" ("id" INTEGER);\n')
    project.add_migration(
        "20250101000001_half",
        'CREATE TABLE "half" ("id" INTEGER);\nINSERT INTO "keep" VALUES (1);\nALTER TABLE "keep" ADD COLUMN "x" INTEGER;\n'
        'INSERT INTO "missing_table" VALUES (1);\nCREATE TABLE "never" ("id" INTEGER);\n',
    )
    r = project.run("migrate", "deploy")
    assert r.code == 1 and "P3018" in r.err
    assert project.tables() == {"keep", "_prisma_migrations"}
    assert project.query('SELECT COUNT(*) FROM "keep"') == [(0,)]
    if project.provider == "sqlite":
        cols = [row[1] for row in project.query('PRAGMA table_info("keep")')]
    else:
        cols = [row[0] for row in project.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'keep'")]
    assert cols == ["id"]


def test_concurrent_deploys_on_sqlite(sqlite_project):
    _migrations(sqlite_project, 6, slow=False)
    procs = [_spawn(sqlite_project, "migrate", "deploy") for _ in range(4)]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    assert [code for code, _, _ in results] == [0] * 4, [e for _, _, e in results]
    _assert_applied_once(sqlite_project, 6)


def test_failure_in_the_middle_on_mysql_records_how_far_it_got(mysql_project):
    project = mysql_project
    project.add_migration("20250101000000_init", 'CREATE TABLE "keep" ("id" INTEGER);\n')
    project.add_migration(
        "20250101000001_half",
        'CREATE TABLE "half" ("id" INTEGER);\nINSERT INTO "keep" VALUES (1);\nALTER TABLE "keep" ADD COLUMN "x" INTEGER;\n'
        'INSERT INTO "missing_table" VALUES (1);\nCREATE TABLE "never" ("id" INTEGER);\n',
    )
    r = project.run("migrate", "deploy")
    assert r.code == 1 and "P3018" in r.err
    # no transactional DDL: the first three statements stay, and the history says exactly that
    assert project.tables() == {"keep", "half", "_prisma_migrations"}
    assert project.query('SELECT COUNT(*) FROM "keep"') == [(1,)]
    (name, _c, finished, rolled, logs, steps), = [row for row in project.history() if row[0] == "20250101000001_half"]
    assert (finished, rolled, steps) == (None, None, 3)
    assert "Statement 4 of 5 failed; the 3 statement(s) before it were applied and were NOT rolled back" in logs
    assert "Failing statement:\nINSERT INTO `missing_table` VALUES (1);" in logs and "Database error code: 1146" in logs
    assert logs in r.err  # what the user saw is what the row keeps
    assert project.run("migrate", "deploy").code == 1  # P3009 until resolved
    # recovery (docs/workflow.md): revert by hand, mark rolled back, fix the file, deploy again
    project.query('DROP TABLE "half"')
    project.query('DELETE FROM "keep"')
    project.query('ALTER TABLE "keep" DROP COLUMN "x"')
    assert project.run("migrate", "resolve", "--rolled-back", name).code == 0
    project.add_migration(name, 'CREATE TABLE "half" ("id" INTEGER);\nALTER TABLE "keep" ADD COLUMN "x" INTEGER;\n')
    r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert project.tables() == {"keep", "half", "_prisma_migrations"}
    assert project.run("migrate", "status").code == 0


def test_mysql_lock_held_elsewhere_times_out_with_p1002(mysql_project):
    from wf_helpers import mysql_connect

    project = mysql_project
    project.add_migration("20250101000000_init", 'CREATE TABLE "keep" ("id" INTEGER);\n')
    holder = mysql_connect(project.url)
    try:
        with holder.cursor() as cur:
            # Prisma's lock name is server-wide: another test's deploy (the other xdist worker) may
            # hold it for a moment, so wait for it rather than take "not granted" for granted.
            cur.execute("SELECT GET_LOCK('prisma_migrate', 60)")
            assert cur.fetchone() == (1,)
        r = project.run("migrate", "deploy", env={"PRISMA_SCHEMA_ENGINE_ADVISORY_LOCK_TIMEOUT": "1000"})
        assert r.code == 1 and "Error: P1002" in r.err and "Timeout: 1000ms." in r.err, r.both
        assert "keep" not in project.tables()
    finally:
        holder.close()
    assert project.run("migrate", "deploy").code == 0 and "keep" in project.tables()
