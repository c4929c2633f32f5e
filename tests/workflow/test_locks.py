"""Deploys and resets that meet another session's locks: the lock timeout, who blocks, a
deploy killed while waiting, the migration lock's holder (P1002), MySQL's server-wide
lock, and a connection the server ends in the middle of a migration.

Every wait here ends by an event (a session appears blocked, a process exits), never by a
measured duration; the lock timeouts are short only so that the tests finish quickly."""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg
import pytest

from wf_helpers import mysql_connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))

from scenarios import ALTER, INIT, Blocker, columns as _columns, wait_for as _wait_for  # noqa: E402
from scenarios import blocked_sessions as _blocked_sessions, deployed_with_pending_alter as _deployed  # noqa: E402
from scenarios import SLOW, running, spawn as _spawn  # noqa: E402


def _fixture(request, dialect):
    return request.getfixturevalue({"postgresql": "pg_project", "sqlite": "sqlite_project",
                                    "mysql": "mysql_project"}[dialect])


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
def test_lock_timeout_names_the_blocker_and_applies_nothing(dialect, request):
    project = _fixture(request, dialect)
    _deployed(project)
    blocker = Blocker(project)
    try:
        r = project.run("migrate", "deploy", "--lock-timeout", "3s")
    finally:
        blocker.release()
        blocker.close()
    assert r.code == 1, r.both
    assert "Error: P1002" in r.err and "waited 3s for a lock held by another session and gave up" in r.err, r.err
    assert "Traceback" not in r.both
    if dialect == "postgresql":  # reported while waiting, and in the error
        assert "Waiting for a lock held by another session" in r.err
        assert f"pid {blocker.id} (application 'blocking-session'" in r.err
        assert 'last query: SELECT * FROM "t"' in r.err
        assert f"SELECT pg_terminate_backend(<pid>)" in r.err
    if dialect == "mysql":
        assert "Waiting for table metadata lock -- held by one of: connection " f"{blocker.id}" in r.err, r.err
    if dialect == "sqlite":
        assert "SQLite cannot say which process holds the database file's lock" in r.err
    assert _columns(project) == ["id"]  # nothing of it applied
    if dialect != "sqlite":  # (SQLite could not even read the history: nothing recorded)
        rows = [row for row in project.history() if row[0] == ALTER[0]]
        assert len(rows) == 1 and rows[0][2] is None and rows[0][3] is not None, rows  # failed, rolled back
        assert "lock timeout" in rows[0][4]
    r = project.run("migrate", "deploy")  # the blocker is gone: applied with no manual step
    assert r.code == 0, r.both
    assert _columns(project) == ["id", "x"]
    assert project.run("migrate", "status").code == 0


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_deploy_killed_while_waiting_never_applies_later(dialect, request):
    project = _fixture(request, dialect)
    _deployed(project)
    blocker = Blocker(project)
    try:
        p = _spawn(project, "migrate", "deploy")  # the default lock timeout (60 s)
        waiting = _wait_for(lambda: _blocked_sessions(project, blocker), "the deploy waits for the table")
        p.kill()
        p.wait()
        p.stdout.close()
        p.stderr.close()
        # the killed deploy's session ends with it (it neither waits on nor applies anything later)
        _wait_for(lambda: not _blocked_sessions(project, blocker), "the killed deploy's session ended", 30)
        if dialect == "postgresql":
            assert project.query(f"SELECT count(*) FROM pg_stat_activity WHERE pid = {waiting[0]}") == [(0,)]
    finally:
        blocker.release()
        blocker.close()
    assert _columns(project) == ["id"]
    r = project.run("migrate", "deploy")
    if dialect == "mysql":  # no transactional DDL: the interrupted migration needs docs/workflow.md's step
        assert r.code == 1 and "Error: P3009" in r.err, r.both
        assert "No error was recorded for it: the process applying it was killed or lost its connection" in r.err
        assert project.run("migrate", "resolve", "--rolled-back", ALTER[0]).code == 0
        r = project.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert _columns(project) == ["id", "x"]
    live = [row for row in project.history() if row[0] == ALTER[0] and row[3] is None]
    assert len(live) == 1 and live[0][2] is not None, project.history()  # applied exactly once
    assert project.run("migrate", "status").code == 0


def test_p1002_names_the_holder_of_the_migration_lock(pg_project):
    project = pg_project
    project.add_migration(*INIT)
    holder = psycopg.connect(project.url, autocommit=True, application_name="other-deployer")
    try:
        holder.execute("SELECT pg_advisory_lock(72707369)")  # Prisma's key
        pid = holder.info.backend_pid
        r = project.run("migrate", "deploy", env={"PRISMA_SCHEMA_ENGINE_ADVISORY_LOCK_TIMEOUT": "3000"})
    finally:
        holder.close()
    assert r.code == 1 and "Error: P1002" in r.err and "Timeout: 3000ms." in r.err, r.both
    assert f"held by PostgreSQL session pid {pid} (application 'other-deployer', client " in r.err, r.err
    assert f"SELECT pg_terminate_backend({pid});" in r.err
    assert "Waiting for a lock held by another session" in r.err  # said while it waited
    assert "t" not in project.tables()
    assert project.run("migrate", "deploy").code == 0 and "t" in project.tables()


def test_mysql_p1002_names_the_holder(mysql_project):
    project = mysql_project
    project.add_migration(*INIT)
    holder = mysql_connect(project.url)
    try:
        with holder.cursor() as cur:
            # Prisma's lock name is server-wide: another test's deploy (the other xdist worker) may
            # hold it for a moment, so wait for it rather than take "not granted" for granted.
            cur.execute("SELECT GET_LOCK('prisma_migrate', 60)")
            assert cur.fetchone()[0] == 1
        r = project.run("migrate", "deploy", env={"PRISMA_SCHEMA_ENGINE_ADVISORY_LOCK_TIMEOUT": "1000"})
        assert r.code == 1 and "Error: P1002" in r.err, r.both
        assert f"is held by MySQL connection {holder.thread_id()} (" in r.err and f"KILL {holder.thread_id()};" in r.err
    finally:
        holder.close()


def test_mysql_deploy_waits_for_a_deploy_on_another_database(mysql_project):
    """Prisma's lock name is server-wide: a deploy on another database holding it makes this one
    wait (saying so) rather than fail after 10 s; LAMINA_MYSQL_LOCK=database does not wait at all."""
    project = mysql_project
    project.add_migration(*INIT)
    other = project.sibling("_other")
    project.server_execute(f'CREATE DATABASE "{other.rsplit("/", 1)[1].split("?")[0]}"')
    holder = mysql_connect(other)
    try:
        with holder.cursor() as cur:
            # Prisma's lock name is server-wide: another test's deploy (the other xdist worker) may
            # hold it for a moment, so wait for it rather than take "not granted" for granted.
            cur.execute("SELECT GET_LOCK('prisma_migrate', 60)")
            assert cur.fetchone()[0] == 1
        r = project.run("migrate", "deploy", env={"PRISMA_SCHEMA_ENGINE_ADVISORY_LOCK_TIMEOUT": "1000",
                                                  "LAMINA_MYSQL_LOCK": "database"})
        assert r.code == 0, r.both  # in parallel with the other database's deploy
        project.add_migration(*ALTER)
        p = _spawn(project, "migrate", "deploy", PRISMA_SCHEMA_ENGINE_ADVISORY_LOCK_TIMEOUT="1000")
        # it keeps waiting past Prisma's 10 s... until the other deploy ends
        seen = ""
        while "Waiting for Prisma's server-wide" not in seen and p.poll() is None:
            seen += p.stderr.readline()
        assert "Waiting for Prisma's server-wide migration lock `prisma_migrate`, held by a migration of another " \
               f"database on this server (database {other.rsplit('/', 1)[1]})" in seen, seen
        holder.close()
        code = p.wait(timeout=60)
        out, err = p.stdout.read(), p.stderr.read()
        p.stdout.close()
        p.stderr.close()
        assert code == 0, out + err
        assert _columns(project) == ["id", "x"]
    finally:
        if holder.open:
            holder.close()
        project.drop_database(other)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
def test_reset_says_what_it_waits_for_and_ends_sessions_only_when_asked(dialect, request):
    project = _fixture(request, dialect)
    _deployed(project)
    blocker = Blocker(project)
    try:
        r = project.run("migrate", "reset", "--force", "--skip-seed", "--skip-generate", "--lock-timeout", "2s")
        assert r.code == 1 and "Error: P1002" in r.err and "The reset waited 2s" in r.err, r.both
        assert ("--end-sessions" in r.err) == (dialect != "sqlite")  # SQLite: another process's lock on the file
        assert "t" in project.tables() and project.query('SELECT COUNT(*) FROM "t"') == [(1,)]  # nothing dropped
        if dialect == "postgresql":
            assert f"pid {blocker.id} (application 'blocking-session'" in r.err
        if dialect == "sqlite":
            return
        r = project.run("migrate", "reset", "--force", "--end-sessions", "--skip-seed", "--skip-generate")
        assert r.code == 0, r.both
        assert "Ended the other sessions on the schema: " in r.out
        assert _columns(project) == ["id", "x"]  # reset and migrated again
        if dialect == "postgresql":
            assert project.query(f"SELECT count(*) FROM pg_stat_activity WHERE pid = {blocker.id}") == [(0,)]
        else:
            assert project.query(f"SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID = {blocker.id}") == [(0,)]
    finally:
        blocker.close()


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_reset_killed_while_waiting_never_drops_later(dialect, request):
    project = _fixture(request, dialect)
    _deployed(project)
    blocker = Blocker(project)
    try:
        p = _spawn(project, "migrate", "reset", "--force", "--skip-seed", "--skip-generate")
        _wait_for(lambda: _blocked_sessions(project, blocker), "the reset waits for the schema")
        p.kill()
        p.wait()
        p.stdout.close()
        p.stderr.close()
        _wait_for(lambda: not _blocked_sessions(project, blocker), "the killed reset's session ended", 30)
    finally:
        blocker.release()
        blocker.close()
    assert project.query('SELECT COUNT(*) FROM "t"') == [(1,)]


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_connection_lost_mid_migration_names_migration_statement_and_reason(dialect, request):
    project = _fixture(request, dialect)
    project.add_migration(*INIT)
    name = "20250101000001_slow"
    project.add_migration(name, f'CREATE TABLE "u" ("id" INTEGER);\n{SLOW[dialect]}\nCREATE TABLE "v" ("id" INTEGER);\n')
    p = _spawn(project, "migrate", "deploy")
    session = _wait_for(lambda: running(project, SLOW[dialect].rstrip(";")), "the migration runs")[0]
    project.query(f"SELECT pg_terminate_backend({session})" if dialect == "postgresql" else f"KILL {session}")
    code = p.wait(timeout=60)
    out, err = p.stdout.read(), p.stderr.read()
    p.stdout.close()
    p.stderr.close()
    assert code == 1, out + err
    assert "Error: P1017" in err and f"lost while applying migration `{name}`" in err, err
    assert "Traceback" not in err
    if dialect == "postgresql":
        assert "(its 3 statement(s) ran in one transaction)" in err
        assert "Reason given: FATAL: terminating connection due to administrator command" in err, err
        assert "nothing of this migration was applied or recorded" in err
        assert project.tables() == {"t", "_prisma_migrations"}
        assert [row[0] for row in project.history()] == [INIT[0]]
        project.add_migration(name, 'CREATE TABLE "u" ("id" INTEGER);\nCREATE TABLE "v" ("id" INTEGER);\n')
        assert project.run("migrate", "deploy").code == 0
        assert project.tables() == {"t", "u", "v", "_prisma_migrations"}
    else:
        assert "(statement 2 of 3)" in err and "Statement:\nSELECT SLEEP(60);" in err, err
        assert "Reason given: " in err and "Reason given: \n" not in err
        assert f"lamina migrate resolve --rolled-back {name}" in err
        assert "it is recorded as failed with this error" in err  # on a new connection
        assert project.tables() == {"t", "u", "_prisma_migrations"}
        (_n, _c, finished, rolled, logs, steps), = [row for row in project.history() if row[0] == name]
        assert (finished, rolled, steps) == (None, None, 1) and "(statement 2 of 3)" in logs


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_status_reports_a_migration_being_applied_not_failed(dialect, request):
    """An unfinished row while another deploy holds the migration lock is in progress, not failed."""
    project = _fixture(request, dialect)
    project.add_migration(*INIT)
    # statement by statement (MySQL always; PostgreSQL because of VACUUM), so its row is visible while it runs
    vacuum = "VACUUM;\n" if dialect == "postgresql" else ""
    project.add_migration("20250101000001_slow", f"{vacuum}{SLOW[dialect]}\n")
    p = _spawn(project, "migrate", "deploy")
    try:
        _wait_for(lambda: running(project, SLOW[dialect].rstrip(";")), "the migration runs")
        r = project.run("migrate", "status")
        assert r.code == 1 and "Migration being applied right now by " in r.err, r.both
        assert "20250101000001_slow" in r.err and "have failed" not in r.err
        if dialect == "postgresql":  # the deployer's host and pid, from its application_name
            import socket

            assert f"Migration being applied right now by {socket.gethostname()[:20]} pid {p.pid} since " in r.err
    finally:
        p.kill()
        p.communicate()


def test_dev_applies_pending_migrations_under_the_lock_timeout(pg_project):
    project = pg_project
    _deployed(project)
    project.write_schema('model t {\n  id Int @id\n  x Int?\n}\n')
    blocker = Blocker(project)
    try:
        r = project.run("migrate", "dev", "--lock-timeout", "2s", "--skip-generate", "--skip-seed")
    finally:
        blocker.release()
        blocker.close()
    assert r.code == 1 and "Error: P1002" in r.err and "waited 2s for a lock held by another session" in r.err, r.both
    assert _columns(project) == ["id"]
