"""Read replicas in the client (`read_replicas=[...]`, LAMINA_READ_REPLICAS, `db.primary()`) on a
real PostgreSQL primary with a streaming replica the test starts (tests/pg_replica.py). Routing is
shown deterministically: with the replica's replay paused, a row written through the client is
not on the replica, so a read that sees it ran on the primary and one that does not ran on the
replica."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import psycopg
import pytest

from tests.client.helpers import create_tables
from tests.conftest import unavailable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pg_replica  # noqa: E402

CLOSED = "postgresql://postgres:s3cret@127.0.0.1:1/app?connect_timeout=2"  # nothing listens on port 1


@pytest.fixture(scope="module")
def pair(packages):
    why = pg_replica.missing()
    if why:
        unavailable(f"no PostgreSQL primary + replica can be started: {why}")
    with pg_replica.primary_and_replica() as started:
        with psycopg.connect(started.primary(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE app")
        create_tables(packages("postgresql")[1], started.primary("app"))
        yield started


@pytest.fixture
def paused(pair):
    """The replica's replay paused for the test (resumed afterwards), the tables empty."""
    with psycopg.connect(pair.primary("app"), autocommit=True) as conn:
        conn.execute('TRUNCATE "User" CASCADE')
    _wait_replayed(pair)
    with psycopg.connect(pair.replica(), autocommit=True) as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
    try:
        yield pair
    finally:
        with psycopg.connect(pair.replica(), autocommit=True) as conn:
            conn.execute("SELECT pg_wal_replay_resume()")


def _wait_replayed(pair) -> None:
    from lamina.db.connection import connect
    from lamina.db.url import parse_url
    from lamina.migrate.replicas import wait_for_replicas

    with connect(pair.primary("app")) as primary:
        wait_for_replicas(primary, [parse_url(pair.replica("app"))], 60_000)


def test_reads_go_to_the_replica_writes_and_primary_reads_to_the_primary(packages, paused):
    module, _ = packages("postgresql")
    pair = paused
    db = module.Prisma(datasource={"url": pair.primary("app")}, read_replicas=[pair.replica("app")])
    db.connect()
    try:
        db.user.create(data={"email": "new@example.com"})  # a write: the primary
        assert db.user.find_unique(where={"email": "new@example.com"}) is None  # a read: the replica (paused)
        assert db.user.find_many() == [] and db.user.count() == 0
        assert db.query_raw('SELECT count(*) AS n FROM "User"') == [{"n": 0}]
        assert db.primary().user.find_unique(where={"email": "new@example.com"}) is not None
        with db.primary():
            assert db.user.count() == 1 and len(db.user.find_many()) == 1
        assert db.user.count() == 0  # outside the block: the replica again
        with db.tx() as tx:  # a transaction reads what it (and the primary) has
            assert tx.user.count() == 1
        assert db.execute_raw('UPDATE "User" SET name = $1', "x") == 1  # raw writes: the primary
        assert db.query_first("SELECT pg_is_in_recovery() AS r") == {"r": True}
        assert db.primary().query_first("SELECT pg_is_in_recovery() AS r") == {"r": False}
    finally:
        db.disconnect()


def test_environment_form_round_robin_and_fallback_to_the_primary(packages, paused, monkeypatch):
    module, _ = packages("postgresql")
    pair = paused
    # a replica that cannot be reached is skipped; the reachable one serves; with none, the primary
    monkeypatch.setenv("LAMINA_READ_REPLICAS", f"{CLOSED},{pair.replica('app')}")
    db = module.Prisma(datasource={"url": pair.primary("app")})
    db.connect()
    try:
        db.user.create(data={"email": "a@example.com"})
        assert [db.query_first("SELECT pg_is_in_recovery() AS r")["r"] for _ in range(4)] == [True] * 4
        assert db.user.count() == 0
    finally:
        db.disconnect()
    only_down = module.Prisma(datasource={"url": pair.primary("app")}, read_replicas=[CLOSED])
    only_down.connect()
    try:
        assert only_down.user.count() == 1  # no replica answers: the primary
    finally:
        only_down.disconnect()
    with pytest.raises(Exception, match="is a mysql URL; the datasource is postgresql"):
        module.Prisma(datasource={"url": pair.primary("app")}, read_replicas=["mysql://root:s3cret@h/db"]).connect()


def test_each_replica_has_its_own_pool(packages, paused):
    module, _ = packages("postgresql")
    pair = paused
    db = module.Prisma(datasource={"url": pair.primary("app")}, read_replicas=[pair.replica("app")])
    db.connect()
    try:
        db.user.count()
        assert db._replicas._pools[0] is not None and db._replicas._pools[0] is not db._driver
        with psycopg.connect(pair.replica(), autocommit=True) as conn:
            apps = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = 'app' "
                                "AND application_name = 'lamina-client'").fetchone()[0]
        assert apps >= 1
    finally:
        db.disconnect()


def test_asyncio_client(packages, paused):
    module, _ = packages("postgresql", "asyncio")
    pair = paused

    async def main() -> None:
        db = module.Prisma(datasource={"url": pair.primary("app")}, read_replicas=[pair.replica("app")])
        await db.connect()
        try:
            await db.user.create(data={"email": "async@example.com"})
            assert await db.user.find_unique(where={"email": "async@example.com"}) is None
            assert await db.primary().user.find_unique(where={"email": "async@example.com"}) is not None
            async with db.primary():
                assert await db.user.count() == 1
            assert await db.user.count() == 0
            async with db.tx() as tx:
                assert await tx.user.count() == 1
            results = await asyncio.gather(*(db.user.count() for _ in range(8)))
            assert results == [0] * 8
        finally:
            await db.disconnect()

    asyncio.run(main())
