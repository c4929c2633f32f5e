"""The client's connection pool: concurrent queries on separate connections (threads and asyncio),
Prisma's URL parameters (`connection_limit`, `pool_timeout`, `socket_timeout`), interactive
transactions on one connection, and recovery when the server ends every connection at once."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import pymysql
import pytest

from lamina.client.runtime.pool import PoolSettings, physical_cpus
from lamina.db.url import parse_url
from tests.client.conftest import _mysql_params, empty_tables
from tests.dburls import with_params

SERVERS = ["postgresql", "mysql"]
SESSION_ID = {"postgresql": "SELECT pg_backend_pid() AS id", "mysql": "SELECT CONNECTION_ID() AS id"}
SLOW_SESSION_ID = {  # holds its connection for half a second, then says which one it was
    "postgresql": "SELECT pg_backend_pid() AS id, pg_sleep(0.5)::text AS slept",
    "mysql": "SELECT CONNECTION_ID() AS id, SLEEP(0.5) AS slept",
}


def _concurrently(n: int, work) -> list:
    """`work()` in n threads released together; their results."""
    start, results, failures = threading.Barrier(n), [None] * n, []

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = work()
        except Exception as exc:  # reported by the test
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    return results


@pytest.mark.parametrize("provider", SERVERS)
def test_concurrent_queries_from_threads_run_on_separate_connections(packages, provider, url):
    module, _ = packages(provider)
    db = module.Prisma(datasource={"url": with_params(url, connection_limit="5")})
    db.connect()
    try:
        ids = _concurrently(5, lambda: db.query_first(SLOW_SESSION_ID[provider])["id"])
        assert len(set(ids)) == 5  # five sessions at once, not one after another on one connection
        assert db.query_first(SESSION_ID[provider])["id"] in ids  # and they are kept for the next queries
        gauges = {g.key: g.value for g in db.get_metrics().gauges}
        assert gauges["prisma_pool_connections_open"] == 5
    finally:
        db.disconnect()


@pytest.mark.parametrize("provider", SERVERS)
def test_concurrent_queries_from_asyncio_run_on_separate_connections(packages, provider, url):
    module, _ = packages(provider, "asyncio")

    async def main() -> list:
        db = module.Prisma(datasource={"url": with_params(url, connection_limit="5")})
        await db.connect()
        try:
            rows = await asyncio.gather(*(db.query_first(SLOW_SESSION_ID[provider]) for _ in range(5)))
            return [r["id"] for r in rows]
        finally:
            await db.disconnect()

    assert len(set(asyncio.run(main()))) == 5


@pytest.mark.parametrize("provider", SERVERS)
def test_connection_limit_caps_the_sessions(packages, provider, url):
    module, _ = packages(provider)
    db = module.Prisma(datasource={"url": with_params(url, connection_limit="2")})
    db.connect()
    try:
        ids = _concurrently(5, lambda: db.query_first(SLOW_SESSION_ID[provider])["id"])
        assert len(set(ids)) == 2  # five queries, two connections: the others waited for one
    finally:
        db.disconnect()


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_pool_timeout_is_prismas_p2024(packages, provider, url):
    module, _ = packages(provider)
    db = module.Prisma(datasource={"url": with_params(url, connection_limit="1", pool_timeout="0.3")})
    db.connect()
    try:
        with db.tx() as tx:  # holds the only connection
            tx.user.create(data={"email": "a@x.io"})
            with pytest.raises(module.errors.DataError) as info:
                db.user.count()
        assert info.value.code == "P2024"
        assert str(info.value) == (
            "Timed out fetching a new connection from the connection pool. More info: "
            "http://pris.ly/d/connection-pool (Current connection pool timeout: 0.3, connection limit: 1)")
        assert db.user.count() == 1  # the transaction gave its connection back
    finally:
        db.disconnect()


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_async_pool_timeout_is_prismas_p2024(packages, provider, url):
    module, _ = packages(provider, "asyncio")

    async def main() -> None:
        db = module.Prisma(datasource={"url": with_params(url, connection_limit="1", pool_timeout="0.3")})
        await db.connect()
        try:
            async with db.tx() as tx:
                await tx.user.create(data={"email": "a@x.io"})
                with pytest.raises(module.errors.DataError, match="Timed out fetching a new connection") as info:
                    await db.user.count()
                assert info.value.code == "P2024"
            assert await db.user.count() == 1
        finally:
            await db.disconnect()

    asyncio.run(main())


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_a_transaction_waits_max_wait_for_a_connection_then_p2028(packages, provider, url):
    module, _ = packages(provider)
    db = module.Prisma(datasource={"url": with_params(url, connection_limit="1")})
    db.connect()
    try:
        with db.tx():  # holds the only connection
            with pytest.raises(module.errors.TransactionError,
                               match="^Transaction API error: Unable to start a transaction in the given time.$"):
                db.tx(max_wait=timedelta(milliseconds=200)).start()
        with db.tx(max_wait=200) as tx:  # milliseconds, as prisma-client-py takes them; free now
            tx.user.create(data={"email": "a@x.io"})
        assert db.user.count() == 1
    finally:
        db.disconnect()


@pytest.mark.parametrize("provider", SERVERS)
def test_a_transaction_keeps_one_connection_while_other_queries_use_others(packages, provider, url):
    module, _ = packages(provider)
    db = module.Prisma(datasource={"url": with_params(url, connection_limit="3")})
    db.connect()
    try:
        with db.tx() as tx:
            tx.user.create(data={"email": "a@x.io"})
            inside = {tx.query_first(SESSION_ID[provider])["id"] for _ in range(4)}
            outside = db.query_first(SESSION_ID[provider])["id"]
            assert db.user.count() == 0  # the other connection does not see the uncommitted row
            assert tx.user.count() == 1
        assert len(inside) == 1 and outside not in inside
        assert db.user.count() == 1
    finally:
        db.disconnect()


def _end_all_sessions(provider: str, url: str) -> int:
    """What a server restart does to the client: every one of its connections ended."""
    if provider == "postgresql":
        import psycopg

        with psycopg.connect(url.split("?")[0], autocommit=True) as conn:
            rows = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                                "application_name = 'lamina-client' AND datname = current_database()").fetchall()
        return len(rows)
    conn = pymysql.connect(autocommit=True, **_mysql_params(url))
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM information_schema.processlist WHERE db = %s AND id <> CONNECTION_ID()",
                        (url.split("?")[0].rsplit("/", 1)[1],))
            ids = [r[0] for r in cur.fetchall()]
            for i in ids:
                cur.execute(f"KILL {int(i)}")
        return len(ids)
    finally:
        conn.close()


@pytest.mark.parametrize("provider", SERVERS)
def test_after_the_server_ends_every_connection_one_query_fails_and_the_pool_recovers(packages, provider, url):
    module, _ = packages(provider)
    db = module.Prisma(datasource={"url": with_params(url, connection_limit="4")})
    db.connect()
    try:
        _concurrently(4, lambda: db.query_first(SLOW_SESSION_ID[provider]))  # four idle connections in the pool
        assert _end_all_sessions(provider, url) >= 4
        with pytest.raises(module.errors.EngineConnectionError, match="Server has closed the connection"):
            db.user.count()
        assert db.is_connected() is False
        # the other dead connections were dropped with it: the next queries do not meet them one by one
        assert [db.user.count() for _ in range(4)] == [0, 0, 0, 0]
        assert db.is_connected() is True
    finally:
        db.disconnect()


@pytest.mark.parametrize("provider", SERVERS)
def test_socket_timeout_ends_a_slow_query_with_p1008(packages, provider, url):
    module, _ = packages(provider)
    db = module.Prisma(datasource={"url": with_params(url, socket_timeout="0.5")})
    db.connect()
    try:
        slow = "SELECT pg_sleep(5)" if provider == "postgresql" else "SELECT SLEEP(5)"
        with pytest.raises(module.errors.DataError, match="timed out") as info:
            db.query_raw(slow)
        assert info.value.code == "P1008"
        assert db.user.count() == 0  # the client carries on
    finally:
        db.disconnect()


@pytest.mark.parametrize("value", ["0", "-1", "2.5", "many"])
def test_a_bad_connection_limit_is_a_clear_error(packages, databases, value):
    url = databases("sqlite")
    module, _ = packages("sqlite")
    db = module.Prisma(datasource={"url": with_params(url, connection_limit=value)})
    with pytest.raises(module.errors.EngineConnectionError, match="connection_limit"):
        db.connect()


def test_pool_settings_as_prisma_reads_them(tmp_path):
    default = PoolSettings.from_url(parse_url("postgresql://u@h/db"))
    assert default.limit == physical_cpus() * 2 + 1 and default.timeout == 10
    assert 1 <= physical_cpus()
    custom = PoolSettings.from_url(parse_url(
        "mysql://u@h/db?connection_limit=7&pool_timeout=0&max_connection_lifetime=60&max_idle_connection_lifetime=5"))
    assert (custom.limit, custom.timeout, custom.max_lifetime, custom.max_idle) == (7, None, 60, 5)
    # each connection to an in-memory SQLite database would see its own empty database
    assert PoolSettings.from_url(parse_url("file::memory:?connection_limit=9")).limit == 1
    assert PoolSettings.from_url(parse_url(f"file:{tmp_path}/dev.db?connection_limit=9")).limit == 9


def test_sqlite_readers_share_the_file_while_a_transaction_writes(packages, databases):
    url = databases("sqlite")
    empty_tables("sqlite", url)
    module, _ = packages("sqlite")
    db = module.Prisma(datasource={"url": with_params(url, connection_limit="3")})
    db.connect()
    try:
        db.user.create(data={"email": "a@x.io"})
        with db.tx() as tx:
            tx.user.create(data={"email": "b@x.io"})
            assert db.user.count() == 1  # another connection reads while the write transaction is open
        assert db.user.count() == 2
    finally:
        db.disconnect()


def _sqlite_pool(tmp_path, **params: str):
    """A DriverPool of real SQLite connections on a file, with the URL's pool settings."""
    from lamina.client.runtime import engine
    from lamina.client.runtime.pool import DriverPool

    url = parse_url(with_params(f"file:{tmp_path}/pool.db", **params))
    return DriverPool(lambda: engine.open_sync(url), PoolSettings.from_url(url))


def test_driver_pool_hands_every_connection_on_under_contention(tmp_path):
    # Borrowing and giving back take no lock when nobody waits: a waiter queued while a connection
    # is given back must still get it (else it would wait out pool_timeout and fail with P2024).
    pool = _sqlite_pool(tmp_path, connection_limit="2", pool_timeout="5")
    guard, borrowed, most = threading.Lock(), set(), [0]

    def work() -> int:
        for _ in range(300):
            driver = pool.acquire()
            with guard:
                assert driver not in borrowed  # never lent to two callers at once
                borrowed.add(driver)
                most[0] = max(most[0], len(borrowed))
            driver.query_one("SELECT 1", [])
            with guard:
                borrowed.discard(driver)
            pool.release(driver)
        return 300

    import sys

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch between almost any two bytecodes: the races happen
    try:
        assert sum(_concurrently(8, work)) == 2400
        assert most[0] <= 2 and pool.size() <= 2
    finally:
        sys.setswitchinterval(interval)
        pool.close()


def test_driver_pool_replaces_connections_past_their_lifetimes(tmp_path):
    import time

    pool = _sqlite_pool(tmp_path, max_connection_lifetime="0.2")
    first = pool.acquire()
    pool.release(first)
    assert pool.acquire() is first  # still young: the same connection
    pool.release(first)
    time.sleep(0.3)
    second = pool.acquire()
    assert second is not first and first.conn is None and pool.size() == 1  # the old one closed, not kept
    pool.release(second)
    pool.close()

    pool = _sqlite_pool(tmp_path, max_idle_connection_lifetime="0.2")
    busy = pool.acquire()
    time.sleep(0.3)  # in use all along: idle time counts from when it is given back
    pool.release(busy)
    assert pool.acquire() is busy
    pool.release(busy)
    time.sleep(0.3)
    fresh = pool.acquire()
    assert fresh is not busy and busy.conn is None
    pool.release(fresh)
    pool.close()


def test_driver_pool_closes_what_is_given_back_after_close(tmp_path):
    pool = _sqlite_pool(tmp_path)
    driver = pool.acquire()
    pool.close()
    pool.release(driver)
    assert driver.conn is None
    with pytest.raises(Exception, match="pool is closed"):
        pool.acquire()
