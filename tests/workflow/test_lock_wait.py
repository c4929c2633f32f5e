"""`migrate deploy --wait-timeout` on a single PostgreSQL or MariaDB server: a second connection
holds the migration lock (Prisma's advisory key on PostgreSQL, Lamina's per-database GET_LOCK on
MariaDB). The deploy says who applies the migrations, waits as long as it was told (past
Prisma's wait), and gives up with P1002 naming the holder. Without the option the wait stays
Prisma's (test_locks.py checks Prisma's message).

Waits end by events (the deploy said it waits, the process exited); the one pause is what
makes the test's 1 s Prisma wait (PRISMA_SCHEMA_ENGINE_ADVISORY_LOCK_TIMEOUT) run out first."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import psycopg
import pytest

from wf_helpers import mysql_connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))

from scenarios import INIT, finish, spawn  # noqa: E402

TAG = "lamina otherhost pid 4242 since 2026-01-02T03:04:05Z"  # what a Lamina deployer sets (lock.py _owner_tag)


class Holder:
    """A second connection that holds the migration lock of the project's database."""

    def __init__(self, project) -> None:
        self.provider = project.provider
        if self.provider == "postgresql":
            self.conn = psycopg.connect(project.url, autocommit=True, application_name=TAG)
            self.conn.execute("SELECT pg_advisory_lock(72707369)")
            self.described = "otherhost pid 4242 since 2026-01-02 03:04:05 UTC"
        else:
            from lamina.migrate.lock import mysql_database_lock_name

            self.conn = mysql_connect(project.url)
            with self.conn.cursor() as cur:
                cur.execute("SELECT GET_LOCK(%s, 0)", (mysql_database_lock_name(project.url.rsplit("/", 1)[1]),))
                assert cur.fetchone() == (1,)
            self.described = f"MySQL connection {self.conn.thread_id()} (root@"

    def release(self) -> None:
        self.conn.close()


@pytest.fixture(params=["postgresql", "mysql"])
def project(request):
    p = request.getfixturevalue("pg_project" if request.param == "postgresql" else "mysql_project")
    p.add_migration(*INIT)
    return p


def _waiting_line(err_stream) -> str:
    """Read the deploy's stderr up to the line that says it waits (an event, not a duration)."""
    seen = []
    for line in err_stream:
        seen.append(line)
        if "waiting for it to finish" in line:
            return line
    raise AssertionError("the deploy never said it waits:\n" + "".join(seen))


def test_gives_up_after_the_wait_given_naming_the_holder(project):
    holder = Holder(project)
    try:
        r = project.run("migrate", "deploy", "--wait-timeout", "2s")
    finally:
        holder.release()
    assert r.code == 1 and "Traceback" not in r.both, r.both
    assert (f"The migrations of this database are being applied by {holder.described}") in r.err
    assert "waiting for it to finish (up to 2s; change it with --wait-timeout)." in r.err
    lock = ("postgres advisory lock (SELECT pg_advisory_lock(72707369))" if project.provider == "postgresql"
            else "MySQL lock (SELECT GET_LOCK('lamina_migrate:")
    assert f"Error: P1002\n\nTimed out after 2s (--wait-timeout) waiting for the migration lock, a {lock}" in r.err
    assert f": the migrations are being applied by {holder.described}" in r.err
    assert "t" not in project.tables()  # nothing applied
    assert project.run("migrate", "deploy").code == 0 and "t" in project.tables()


def test_waits_past_prismas_wait_when_told_and_applies_once_the_holder_is_done(project):
    holder = Holder(project)
    try:
        p = spawn(project, "migrate", "deploy", "--wait-timeout", "60s",
                  PRISMA_SCHEMA_ENGINE_ADVISORY_LOCK_TIMEOUT="1000")
        line = _waiting_line(p.stderr)
        assert f"being applied by {holder.described}" in line and "(up to 60s;" in line
        time.sleep(2)  # Prisma's wait (1 s here) is over: without --wait-timeout the deploy would have failed
        assert p.poll() is None
    finally:
        holder.release()
    code, out, err = finish(p)
    assert code == 0, out + err
    assert "All migrations have been successfully applied." in out
    assert "t" in project.tables()
    assert [row[0] for row in project.history() if row[2] is not None] == [INIT[0]]


def test_without_the_option_prismas_wait_and_message(project):
    holder = Holder(project)
    try:
        r = project.run("migrate", "deploy", env={"PRISMA_SCHEMA_ENGINE_ADVISORY_LOCK_TIMEOUT": "1000"})
    finally:
        holder.release()
    assert r.code == 1 and "Timeout: 1000ms. See https://pris.ly/d/migrate-advisory-locking for details." in r.err
    assert "(--wait-timeout)" not in r.err
    assert f"being applied by {holder.described}" in r.err  # said while it waited


def test_python_api_takes_the_wait(project):
    from lamina import api

    holder = Holder(project)
    try:
        with pytest.raises(api.LockTimeoutError) as caught:
            api.migrate_deploy(schema=project.schema, url=project.url, cwd=project.root, wait_timeout_ms=1500)
    finally:
        holder.release()
    assert caught.value.code == "P1002"
    assert str(caught.value).startswith("Timed out after 1500ms (--wait-timeout) waiting for the migration lock")
    assert f"the migrations are being applied by {holder.described}" in str(caught.value)
    from lamina.migrate.lock import lock_wait_ms, timeout_ms

    assert lock_wait_ms() == timeout_ms()  # the process's wait is back to Prisma's
    result = api.migrate_deploy(schema=project.schema, url=project.url, cwd=project.root, wait_timeout_ms=1500)
    assert result.applied == [INIT[0]]
