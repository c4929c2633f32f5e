"""The client's connections under faults: the server ending a connection, interactive transaction
timeouts that roll back at the timeout, SQLite write transactions, PostgreSQL session settings."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import psycopg
import pytest

from tests.client.conftest import _mysql_params
from tests.dburls import with_params

SERVERS = ["postgresql", "mysql"]


def _admin(provider: str, url: str, sql: str) -> list:
    """`sql` on a separate administrative connection (the "other session" of each test)."""
    if provider == "postgresql":
        with psycopg.connect(url, autocommit=True) as conn:
            return conn.execute(sql).fetchall() if sql.lstrip().upper().startswith("SELECT") else (conn.execute(sql) and [])
    import pymysql

    conn = pymysql.connect(autocommit=True, **_mysql_params(url))
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return list(cur.fetchall())
    finally:
        conn.close()


def _backend_id(client, provider: str) -> int:
    sql = "SELECT pg_backend_pid() AS id" if provider == "postgresql" else "SELECT CONNECTION_ID() AS id"
    return int(client.query_first(sql)["id"]) if not asyncio.iscoroutinefunction(client.query_first) else 0


def _kill(provider: str, url: str, backend: int) -> None:
    if provider == "postgresql":
        _admin(provider, url, f"SELECT pg_terminate_backend({backend})")
    else:
        _admin(provider, url, f"KILL {backend}")


@pytest.mark.parametrize("provider", SERVERS)
def test_sync_client_survives_the_server_ending_its_connection(packages, provider, url):
    module, _ = packages(provider)
    errors = module.errors
    db = module.Prisma(datasource={"url": with_params(url, connection_limit="1")})  # the next query meets the dead one
    db.connect()
    try:
        db.user.create(data={"email": "a@x.io"})
        _kill(provider, url, _backend_id(db, provider))
        # The query that meets the dead connection fails clearly (it is not silently retried) ...
        with pytest.raises(errors.EngineConnectionError, match="Server has closed the connection"):
            db.user.create(data={"email": "b@x.io"})
        assert db.is_connected() is False  # ... the client says so ...
        assert db.user.count() == 1  # ... and the next query opens a new connection
        assert db.is_connected() is True
        _kill(provider, url, _backend_id(db, provider))
        with pytest.raises(errors.EngineConnectionError):
            db.user.find_unique(where={"email": "a@x.io"})  # the hot path too
        db.connect()  # connect() after a lost connection opens a new one
        assert db.is_connected() is True and db.user.find_unique(where={"email": "a@x.io"}) is not None
    finally:
        db.disconnect()


@pytest.mark.parametrize("provider", SERVERS)
def test_async_client_survives_the_server_ending_its_connection(packages, provider, url):
    module, _ = packages(provider, "asyncio")
    errors = module.errors

    async def main() -> None:
        db = module.Prisma(datasource={"url": with_params(url, connection_limit="1")})
        await db.connect()
        try:
            sql = "SELECT pg_backend_pid() AS id" if provider == "postgresql" else "SELECT CONNECTION_ID() AS id"
            await db.user.create(data={"email": "a@x.io"})
            _kill(provider, url, int((await db.query_first(sql))["id"]))
            with pytest.raises(errors.EngineConnectionError, match="Server has closed the connection"):
                await db.user.create(data={"email": "b@x.io"})
            assert db.is_connected() is False
            assert await db.user.count() == 1
            assert db.is_connected() is True
        finally:
            await db.disconnect()

    asyncio.run(main())


@pytest.mark.parametrize("provider", SERVERS)
def test_a_transaction_whose_connection_died_is_not_continued_elsewhere(packages, provider, url):
    module, _ = packages(provider)
    db = module.Prisma(datasource={"url": url})
    db.connect()
    try:
        with pytest.raises(module.errors.EngineConnectionError):
            with db.tx() as tx:
                tx.user.create(data={"email": "a@x.io"})
                _kill(provider, url, _backend_id(tx, provider))
                tx.user.create(data={"email": "b@x.io"})
        assert db.user.count() == 0  # nothing of the transaction was committed, on any connection
    finally:
        db.disconnect()


# ---------------------------------------------------------------- interactive transaction timeouts


def _other_writer(module, url: str, done: threading.Event, errors: list) -> None:
    other = module.Prisma(datasource={"url": url})
    other.connect()
    try:
        other.user.update(where={"email": "a@x.io"}, data={"name": "other"})
    except Exception as exc:  # reported to the test
        errors.append(exc)
    finally:
        other.disconnect()
        done.set()


@pytest.mark.parametrize("provider", SERVERS)
def test_sync_tx_timeout_rolls_back_at_the_timeout(packages, provider, url):
    module, _ = packages(provider)
    db = module.Prisma(datasource={"url": url})
    db.connect()
    try:
        db.user.create(data={"email": "a@x.io", "name": "first"})
        done, errors = threading.Event(), []
        with pytest.raises(module.errors.TransactionExpiredError):
            with db.tx(timeout=300) as tx:  # milliseconds, as prisma-client-py takes them
                tx.user.update(where={"email": "a@x.io"}, data={"name": "tx"})  # holds the row lock
                writer = threading.Thread(target=_other_writer, args=(module, url, done, errors))
                writer.start()
                # The body runs on; the other writer is unblocked by the rollback at the timeout,
                # long before this wait would give up.
                assert done.wait(30), "the other writer stayed blocked behind an expired transaction"
                tx.user.count()  # the expired transaction cannot be used any more
        writer.join()
        assert errors == []
        assert db.user.find_unique_or_raise(where={"email": "a@x.io"}).name == "other"
    finally:
        db.disconnect()


@pytest.mark.parametrize("provider", SERVERS)
def test_async_tx_timeout_rolls_back_at_the_timeout(packages, provider, url):
    module, _ = packages(provider, "asyncio")
    sync_module, _ = packages(provider)

    async def main() -> None:
        db = module.Prisma(datasource={"url": url})
        await db.connect()
        try:
            await db.user.create(data={"email": "a@x.io", "name": "first"})
            done, errors = threading.Event(), []
            with pytest.raises(module.errors.TransactionExpiredError):
                async with db.tx(timeout=300) as tx:
                    await tx.user.update(where={"email": "a@x.io"}, data={"name": "tx"})
                    writer = threading.Thread(target=_other_writer, args=(sync_module, url, done, errors))
                    writer.start()
                    assert await asyncio.to_thread(done.wait, 30), "the other writer stayed blocked"
                    await tx.user.count()
            writer.join()
            assert errors == []
            assert (await db.user.find_unique_or_raise(where={"email": "a@x.io"})).name == "other"
        finally:
            await db.disconnect()

    asyncio.run(main())


# ---------------------------------------------------------------- SQLite write transactions


def test_sqlite_transactions_that_read_then_write_wait_for_each_other(packages, databases):
    from tests.client.conftest import empty_tables

    url = databases("sqlite")
    empty_tables("sqlite", url)
    module, _ = packages("sqlite")
    db = module.Prisma(datasource={"url": url})
    db.connect()
    db.user.create(data={"email": "a@x.io", "points": 0})
    first_read, second_read = threading.Event(), threading.Event()
    failures: list = []

    def first() -> None:
        try:
            with db.tx() as tx:
                tx.user.find_unique(where={"email": "a@x.io"})
                first_read.set()
                second_read.wait(2)  # with BEGIN IMMEDIATE the second waits at its BEGIN instead
                tx.user.update(where={"email": "a@x.io"}, data={"points": {"increment": 1}})
        except Exception as exc:
            failures.append(exc)

    def second() -> None:
        first_read.wait(30)
        try:
            with db.tx() as tx:
                tx.user.find_unique(where={"email": "a@x.io"})
                second_read.set()
                tx.user.update(where={"email": "a@x.io"}, data={"points": {"increment": 1}})
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert failures == []
        assert db.user.find_unique_or_raise(where={"email": "a@x.io"}).points == 2
    finally:
        db.disconnect()


def test_sqlite_locked_database_is_a_clear_error(packages, databases):
    from tests.client.conftest import empty_tables

    url = databases("sqlite")
    empty_tables("sqlite", url)
    module, _ = packages("sqlite")
    blocker = sqlite3.connect(url.removeprefix("file:"), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    db = module.Prisma(datasource={"url": url + "?socket_timeout=0.1"})
    db.connect()
    try:
        with pytest.raises(module.errors.DataError, match="the SQLite database is locked by another connection") as info:
            db.user.create(data={"email": "a@x.io"})
        assert info.value.code == "P1008"
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        db.disconnect()


# ---------------------------------------------------------------- PostgreSQL session settings


def test_postgres_application_name_and_pgbouncer(packages, databases):
    from tests.client.conftest import empty_tables

    url = databases("postgresql")
    empty_tables("postgresql", url)
    module, _ = packages("postgresql")
    db = module.Prisma(datasource={"url": with_params(url, pgbouncer="true")})
    db.connect()
    try:
        assert db.query_first("SELECT current_setting('application_name') AS a")["a"] == "lamina-client"
        for _ in range(10):  # psycopg prepares a statement on its 5th run unless told not to
            db.user.find_unique(where={"email": "a@x.io"})
        assert db.query_first("SELECT count(*) AS n FROM pg_prepared_statements")["n"] == 0
    finally:
        db.disconnect()
    plain = module.Prisma(datasource={"url": with_params(url, connection_limit="1")})  # all ten on one connection
    plain.connect()
    try:
        for _ in range(10):
            plain.user.find_unique(where={"email": "a@x.io"})
        assert plain.query_first("SELECT count(*) AS n FROM pg_prepared_statements")["n"] > 0  # the test can fail
    finally:
        plain.disconnect()
