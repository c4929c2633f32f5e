"""Fault scenarios for `migrate deploy`, shared by the fast tests (tests/reliability) and
the long soak runs (bench/soak_deploy.py). Each takes a fresh Project (tests/workflow/
wf_helpers.py) and a seeded random.Random, runs the real CLI in subprocesses, asserts the
outcome on the database, and returns figures about the run.

Waits end by events (a session is blocked, a process exited, rows appeared), never by a
measured duration."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflow"))

from wf_helpers import TEST_PASSWORDS, clean_env, mysql_connect, recover_killed_mysql_deploy  # noqa: E402

# -- helpers -----------------------------------------------------------------------------


def spawn(project, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lamina", *args], cwd=project.root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=clean_env(DATABASE_URL=project.url, **env))


def finish(p: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    out, err = p.communicate(timeout=timeout)
    leaked = [pw for pw in TEST_PASSWORDS if pw in out or pw in err]  # as Project.run checks
    assert not leaked, f"password {leaked} printed:\n{out}{err}"
    return p.returncode, out, err


def wait_for(predicate, what: str, limit: float = 60.0):
    deadline = time.time() + limit
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"never happened: {what}")


class Blocker:
    """Another session with an open transaction that read table `t` (PostgreSQL, MySQL) or holds
    the database file's write lock (SQLite). `id`: its pid / connection id."""

    def __init__(self, project, table: str = "t") -> None:
        self.project = project
        if project.provider == "postgresql":
            self.conn = psycopg.connect(project.url, autocommit=True, application_name="blocking-session")
            self.id = self.conn.info.backend_pid
            self.conn.execute("BEGIN")
            self.conn.execute(f'SELECT * FROM "{table}"').fetchall()
        elif project.provider == "mysql":
            self.conn = mysql_connect(project.url)
            self.id = self.conn.thread_id()
            with self.conn.cursor() as cur:
                cur.execute("BEGIN")
                cur.execute(f"SELECT * FROM `{table}`")
                cur.fetchall()
        else:
            self.conn = sqlite3.connect(project.root / "prisma" / "dev.db", isolation_level=None)
            self.id = None
            self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self.project.provider == "mysql":
            with self.conn.cursor() as cur:
                cur.execute("ROLLBACK")
        else:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001 - ended by the test (--end-sessions)
            pass


def blocked_sessions(project, blocker: Blocker) -> list[int]:
    """The sessions waiting for a lock `blocker` holds (PostgreSQL, MySQL)."""
    if project.provider == "postgresql":
        return [r[0] for r in project.query(
            f"SELECT pid FROM pg_stat_activity WHERE {int(blocker.id)} = ANY(pg_blocking_pids(pid))")]
    return [r[0] for r in project.query(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for table metadata lock%' "
        f"AND ID <> {int(blocker.id)} AND DB = DATABASE()")]


def running(project, fragment: str) -> list[int]:
    """The other sessions on this database whose current statement contains `fragment`."""
    if project.provider == "postgresql":
        return [r[0] for r in project.query(
            f"SELECT pid FROM pg_stat_activity WHERE query LIKE '%{fragment}%' AND pid <> pg_backend_pid() "
            "AND datname = current_database()")]
    return [r[0] for r in project.query(
        f"SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '%{fragment}%' AND ID <> CONNECTION_ID() "
        "AND DB = DATABASE()")]


def columns(project, table: str = "t") -> list[str]:
    if project.provider == "sqlite":
        return [r[1] for r in project.query(f'PRAGMA table_info("{table}")')]
    schema = "DATABASE()" if project.provider == "mysql" else "'public'"
    return [r[0] for r in project.query(
        f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' "
        f"AND table_schema = {schema} ORDER BY ordinal_position")]


def live_history(project) -> list[tuple]:
    """History rows not rolled back."""
    return [row for row in project.history() if row[3] is None]


def assert_each_applied_once(project, names: list[str]) -> None:
    live = live_history(project)
    assert sorted(row[0] for row in live) == sorted(names), live
    assert all(row[2] is not None for row in live), live  # all finished
    r = project.run("migrate", "status")
    assert r.code == 0, r.both


# -- a deploy of many migrations killed at random points ------------------------------------

PAUSE = {"postgresql": "SELECT pg_sleep(0.004);\n", "mysql": "SELECT SLEEP(0.004);\n",
         "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000) SELECT count(*) FROM c;\n"}


def write_numbered(project, n: int, pause: bool = False) -> list[str]:
    """n migrations; each creates a table and logs its number, so that a double application
    fails and a missing one shows. `pause`: a few ms of database work in each,
    so that a deploy of 50 lasts long enough for kills to land inside it."""
    names = ["20250101000000_log"]
    project.add_migration(names[0], 'CREATE TABLE "log" ("name" TEXT NOT NULL);\n')
    wait = PAUSE.get(project.provider, "") if pause else ""
    for i in range(1, n):
        name = f"20250101{i:06d}_m{i}"
        project.add_migration(name, f'CREATE TABLE "t{i}" ("id" INTEGER);\n{wait}INSERT INTO "log" ("name") VALUES (\'m{i}\');\n')
        names.append(name)
    return names


def _history_count(project) -> int:
    """Rows in the history now; -1 while SQLite's database is locked, 0 before there is one."""
    try:
        if project.provider == "sqlite":
            with sqlite3.connect(project.root / "prisma" / "dev.db", timeout=0) as conn:
                return conn.execute("SELECT COUNT(*) FROM _prisma_migrations").fetchone()[0]
        return len(project.history())
    except Exception as exc:  # noqa: BLE001 - no database or table yet, or locked
        return -1 if "locked" in str(exc) else 0


def sigkill_deploy(project, rng: random.Random, n: int = 50, kills: int = 3) -> dict:
    """Kill `kills` deploys of n migrations at random points, then deploy again: every migration
    applied exactly once, with no manual step on PostgreSQL and SQLite (on MySQL exactly the
    documented one). Returns {"mid_deploy": kills that landed with some but not all applied,
    "manual_steps": MySQL recoveries}."""
    names = write_numbered(project, n, pause=True)
    mid = manual = 0
    for _ in range(kills):
        before = _history_count(project)
        p = spawn(project, "migrate", "deploy")
        # once it applies (rows grew, or SQLite's file is locked), kill it a random moment later
        deadline = time.time() + 30
        while p.poll() is None and _history_count(project) in (0, before) and time.time() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.1))
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
        p.communicate()
        count = len(live_history(project)) if _history_count(project) > 0 else 0
        mid += 0 < count < n
        if project.provider == "mysql":
            manual += recover_killed_mysql_deploy(project)
    r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert_each_applied_once(project, names)
    logged = sorted(row[0] for row in project.query('SELECT "name" FROM "log"'))
    assert logged == sorted(f"m{i}" for i in range(1, n)), logged
    return {"mid_deploy": mid, "manual_steps": manual}


# -- concurrent deploys ------------------------------------------------------------------------

def concurrent_deploys(project, rng: random.Random, procs: int = 8, n: int = 6, absent: bool = False) -> dict:
    """`procs` deploys at once, on a database that exists or not: all exit 0, each migration
    applied (and reported applied) exactly once."""
    names = write_numbered(project, n)
    if absent:
        if project.provider == "sqlite":
            (project.root / "prisma" / "dev.db").unlink(missing_ok=True)
        else:
            project.drop_database(project.url)
    runs = [spawn(project, "migrate", "deploy") for _ in range(procs)]
    results = [finish(p) for p in runs]
    assert [code for code, _, _ in results] == [0] * procs, [(code, err) for code, _, err in results]
    reported = sum(out.count("    └─ migration.sql") for _, out, _ in results)
    assert reported == n, reported
    assert_each_applied_once(project, names)
    return {"processes": procs}


# -- locks and lost connections --------------------------------------------------------------

INIT = ("20250101000000_init", 'CREATE TABLE "t" ("id" INTEGER);\nINSERT INTO "t" VALUES (1);\n')
ALTER = ("20250101000001_alter", 'ALTER TABLE "t" ADD COLUMN "x" INTEGER;\n')


def deployed_with_pending_alter(project) -> None:
    project.add_migration(*INIT)
    r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    project.add_migration(*ALTER)


def table_locked(project, rng: random.Random, timeout: str = "2s") -> dict:
    """Another session holds table `t`: the deploy gives up after the lock timeout having applied
    nothing, and the next deploy (the session gone) applies the migration with no manual step."""
    deployed_with_pending_alter(project)
    blocker = Blocker(project)
    try:
        r = project.run("migrate", "deploy", "--lock-timeout", timeout)
    finally:
        blocker.release()
        blocker.close()
    assert r.code == 1 and "Error: P1002" in r.err and "Traceback" not in r.both, f"exit code {r.code}\n{r.both}"
    assert columns(project) == ["id"]
    r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert columns(project) == ["id", "x"]
    assert_each_applied_once(project, [INIT[0], ALTER[0]])
    return {}


def killed_while_waiting(project, rng: random.Random) -> dict:
    """SIGKILL a deploy blocked on a table lock: its server session ends with it (never applies
    the migration later); the next deploy applies it exactly once (MySQL: after the documented
    `resolve --rolled-back`, its history row being unfinished)."""
    deployed_with_pending_alter(project)
    blocker = Blocker(project)
    manual = 0
    try:
        p = spawn(project, "migrate", "deploy")
        wait_for(lambda: blocked_sessions(project, blocker), "the deploy waits for the table")
        p.kill()
        p.communicate()
        wait_for(lambda: not blocked_sessions(project, blocker), "the killed deploy's session ended", 30)
    finally:
        blocker.release()
        blocker.close()
    assert columns(project) == ["id"]
    r = project.run("migrate", "deploy")
    if project.provider == "mysql" and r.code == 1 and "P3009" in r.err:
        assert project.run("migrate", "resolve", "--rolled-back", ALTER[0]).code == 0
        manual += 1
        r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert columns(project) == ["id", "x"]
    assert_each_applied_once(project, [INIT[0], ALTER[0]])
    return {"manual_steps": manual}


SLOW = {"postgresql": "SELECT pg_sleep(60);", "mysql": "SELECT SLEEP(60);"}


def connection_killed(project, rng: random.Random) -> dict:
    """The server ends the deploy's session while a migration runs a slow statement: P1017 names
    the migration and the reason; PostgreSQL keeps nothing of it (the next deploy applies it),
    MySQL keeps the statements before it and says how to resolve."""
    project.add_migration(*INIT)
    name = "20250101000001_slow"
    project.add_migration(name, f'CREATE TABLE "u" ("id" INTEGER);\n{SLOW[project.provider]}\nCREATE TABLE "v" ("id" INTEGER);\n')
    p = spawn(project, "migrate", "deploy")
    session = wait_for(lambda: running(project, SLOW[project.provider].rstrip(";")), "the migration runs")[0]
    project.query(f"SELECT pg_terminate_backend({session})" if project.provider == "postgresql" else f"KILL {session}")
    code, out, err = finish(p)
    assert code == 1 and "Error: P1017" in err and f"`{name}`" in err and "Traceback" not in err, \
        f"exit code {code}\n{out}{err}"
    fixed = 'CREATE TABLE "u" ("id" INTEGER);\nCREATE TABLE "v" ("id" INTEGER);\n'
    if project.provider == "postgresql":
        assert project.tables() == {"t", "_prisma_migrations"}
    else:
        assert project.tables() == {"t", "u", "_prisma_migrations"}
        project.query('DROP TABLE "u"')
        assert project.run("migrate", "resolve", "--rolled-back", name).code == 0
    project.add_migration(name, fixed)
    r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert project.tables() == {"t", "u", "v", "_prisma_migrations"}
    assert_each_applied_once(project, [INIT[0], name])
    return {}
