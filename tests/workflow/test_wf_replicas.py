"""`migrate deploy --wait-replicas` on a real PostgreSQL primary with a streaming replica that the
test starts (tests/pg_replica.py): the deploy returns only once the replica has replayed the
migrations, says per replica how far behind it is when it has not (replay paused), and the same
through the Python call."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.conftest import unavailable
from wf_helpers import clean_env, make_project

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))

import pg_replica  # noqa: E402
from scenarios import wait_for  # noqa: E402


@pytest.fixture(scope="module")
def pair():
    why = pg_replica.missing()
    if why:
        unavailable(f"no PostgreSQL primary + replica can be started: {why}")
    with pg_replica.primary_and_replica() as started:
        with psycopg.connect(started.primary(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE app")
        yield started


def _replica_tables(pair) -> set[str]:
    with psycopg.connect(pair.replica("app")) as conn:
        return {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


def _replay(pair, what: str) -> None:
    with psycopg.connect(pair.replica(), autocommit=True) as conn:
        conn.execute(f"SELECT pg_wal_replay_{what}()")


def test_deploy_waits_for_the_replica_to_replay(tmp_path, pair):
    p = make_project(tmp_path, "postgresql", pair.primary("app"))
    p.add_migration("20250101000000_a", 'CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);')
    r = p.run("migrate", "deploy", "--wait-replicas", pair.replica("app"))
    assert r.code == 0, r.both
    assert f"Replica {pair.replica('app')}: has replayed the migrations (WAL " in r.out
    assert "a" in _replica_tables(pair)

    _replay(pair, "pause")
    try:
        p.add_migration("20250102000000_b", 'CREATE TABLE "b" ("id" INTEGER PRIMARY KEY);')
        late = p.run("migrate", "deploy", "--wait-replicas", pair.replica("app"), "--replica-timeout", "1s")
        assert late.code == 1 and "Traceback" not in late.both
        assert "Error: Not every replica has replayed the migrations within 1s:" in late.err
        assert (f"  Replica {pair.replica('app')}: is " in late.err
                and "(replay is paused: SELECT pg_wal_replay_resume() on it)" in late.err), late.err
        assert "b" in p.tables() and "b" not in _replica_tables(pair)  # applied on the primary only

        # deploy with nothing pending still waits for the replica; it returns only after replay resumes
        waiting = subprocess.Popen([sys.executable, "-m", "lamina", "migrate", "deploy", "--wait-replicas",
                                    pair.replica("app")], cwd=p.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, env=clean_env(DATABASE_URL=p.url))

        def polling():
            with psycopg.connect(pair.replica(), autocommit=True) as conn:
                return conn.execute("SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_is_wal_replay_paused%' "
                                    "AND pid <> pg_backend_pid()").fetchall()

        wait_for(polling, "the deploy polls the paused replica")
        assert waiting.poll() is None  # replay is paused: it cannot have finished
    finally:
        _replay(pair, "resume")
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, out + err
    assert "No pending migrations to apply." in out and "has replayed the migrations" in out
    assert "b" in _replica_tables(pair)


def test_python_call_and_bad_input(tmp_path, pair):
    from lamina import api

    p = make_project(tmp_path, "postgresql", pair.primary("app"))
    states = api.migrate_wait_replicas([pair.replica("app")], schema=p.schema, url=pair.primary("app"))
    assert [s.caught_up for s in states] == [True]
    with pytest.raises(api.LaminaError, match="is not a replica"):
        api.migrate_wait_replicas([pair.primary("app")], schema=p.schema, url=pair.primary("app"), timeout_ms=0)
    bad = p.run("migrate", "deploy", "--wait-replicas", "mysql://root:s3cret@h/db")
    assert bad.code == 1 and "read replicas are PostgreSQL streaming replicas" in bad.err and "****" in bad.err
    unset = p.run("migrate", "deploy", "--wait-replicas", "env:NO_SUCH_REPLICAS")
    assert unset.code == 1 and "`NO_SUCH_REPLICAS` is not set" in unset.err
