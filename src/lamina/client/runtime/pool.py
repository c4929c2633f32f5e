"""The client's connection pool, configured by Prisma's URL parameters.

Every operation borrows one connection for as long as it runs (all its statements, and its
transaction if it has one) and gives it back; an interactive transaction keeps its connection
from `start()` to commit or rollback. So concurrent queries of one client (threads, asyncio
tasks) run in parallel on up to `connection_limit` connections, and wait in line beyond that.

- PostgreSQL: psycopg_pool (sync and asyncio); the pool opens and health-manages connections.
- SQLite and MySQL: `DriverPool`, a small pool of driver connections; under asyncio each
  operation runs whole in a worker thread with a connection borrowed there.

Settings, as Prisma reads them from the URL: `connection_limit` (default: physical CPUs * 2 + 1;
an in-memory SQLite database always 1, as each connection would see its own database),
`pool_timeout` (seconds to wait for a free connection, default 10, 0 = no limit; then P2024),
`connect_timeout` (5 s), `max_connection_lifetime` and `max_idle_connection_lifetime`.

A connection the server ended fails the query that found it (`ConnectionLostError`, never
retried) and is not given back: the pool drops the other idle connections too (a server restart
ends them all) and opens new ones as they are needed; `alive()` is false until a query succeeds.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Generator

from . import engine
from .errors import ConnectionLostError, DataError, EngineConnectionError, PrismaError

Stmt = tuple[str, list[Any]]
Hook = Callable[[Any], None]  # run on every new connection's driver (metrics, statement logging)

DEFAULT_POOL_TIMEOUT = 10.0


def physical_cpus() -> int:
    """Physical cores, as Prisma counts them for its default pool size (logical CPUs where the
    platform does not say)."""
    with contextlib.suppress(OSError):
        cores = set()
        phys = core = ""
        with open("/proc/cpuinfo") as info:
            for line in info:
                key, _, value = line.partition(":")
                key, value = key.strip(), value.strip()
                if key == "physical id":
                    phys = value
                elif key == "core id":
                    core = value
                    cores.add((phys, core))
        if cores:
            return len(cores)
    return os.cpu_count() or 1


@dataclass(frozen=True)
class PoolSettings:
    limit: int
    timeout: float | None  # seconds to wait for a free connection; None: no limit
    max_lifetime: float | None
    max_idle: float | None

    @classmethod
    def from_url(cls, url: Any) -> "PoolSettings":
        limit = engine.url_number(url, "connection_limit", None)
        if limit is not None and (limit < 1 or limit != int(limit)):
            raise EngineConnectionError(
                f"The database URL's `connection_limit` must be a whole number of at least 1, not {url.params['connection_limit']!r}.")
        if url.provider == "sqlite" and url.path is None:
            limit = 1
        timeout = engine.url_number(url, "pool_timeout", DEFAULT_POOL_TIMEOUT)
        return cls(
            limit=int(limit) if limit is not None else physical_cpus() * 2 + 1,
            timeout=timeout or None,
            max_lifetime=engine.url_number(url, "max_connection_lifetime", None) or None,
            max_idle=engine.url_number(url, "max_idle_connection_lifetime", None) or None,
        )

    def timeout_error(self, waited: float | None = None) -> DataError:
        return DataError(
            "Timed out fetching a new connection from the connection pool. More info: http://pris.ly/d/connection-pool "
            f"(Current connection pool timeout: {waited or self.timeout or 0:g}, connection limit: {self.limit})",
            code="P2024")


# ---------------------------------------------------------------- the pools' own bookkeeping


class _Waiter:
    """One caller waiting for a connection: handed a driver, or leave to open one."""

    __slots__ = ("event", "driver", "may_open")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.driver: Any = None
        self.may_open = False


class DriverPool:
    """Driver connections for SQLite and MySQL: up to `limit`, opened when needed, the most
    recently used given out first (the others age out), waiting callers served in arrival order.

    Borrowing an idle connection when nobody waits, and giving one back when nobody waits, take no
    lock: `deque.pop()` and `append()` are atomic in CPython, and this is every query's path. The
    lock guards the rest (opening, waiting, closing). A release that appends without the lock
    and a caller that starts waiting under it cannot miss each other: the releaser looks for
    waiters after appending, the waiter looks at the idle connections again after queueing."""

    def __init__(self, open_driver: Callable[[], engine.SyncDriver], settings: PoolSettings) -> None:
        self._open_driver = open_driver
        self.settings = settings
        self._aging = bool(settings.max_idle or settings.max_lifetime)  # else no clock is read per query
        self._lock = threading.Lock()
        self._idle: deque[engine.SyncDriver] = deque()  # the most recently returned at the right
        self._waiting: deque[_Waiter] = deque()
        self._size = 0  # connections open or being opened
        self._closed = False
        first = self._new()  # the first one now: an unreachable server fails connect()
        first.idle_since = first.born  # type: ignore[attr-defined]
        self._idle.append(first)
        self._size = 1

    def _new(self) -> engine.SyncDriver:
        driver = self._open_driver()
        driver.reconnect = False  # a dead connection is replaced by the pool, never reopened in place
        driver.born = time.monotonic()  # type: ignore[attr-defined]
        return driver

    def _usable(self, driver: engine.SyncDriver) -> bool:
        if driver.conn is None:
            return False
        if not self._aging:
            return True
        s, now = self.settings, time.monotonic()
        return not (s.max_idle and now - driver.idle_since > s.max_idle) \
            and not (s.max_lifetime and now - driver.born > s.max_lifetime)  # type: ignore[attr-defined]

    def acquire(self, timeout: float | None = None) -> engine.SyncDriver:
        """A connection; waits up to `timeout` seconds (default: the pool's) for one to be free."""
        if not self._waiting and not self._closed:  # the fast path: an idle connection, nobody before us
            try:
                driver = self._idle.pop()
            except IndexError:
                pass
            else:
                if self._usable(driver):
                    return driver
                self._discard(driver)
        return self._acquire_locked(timeout)

    def _acquire_locked(self, timeout: float | None) -> engine.SyncDriver:
        waiter = None
        with self._lock:
            if self._closed:
                raise PrismaError("The client's connection pool is closed (the client was disconnected).")
            self._serve_waiters()  # those who came first
            while not self._waiting:
                try:
                    driver = self._idle.pop()  # may race with a fast-path borrower: atomic, no check-then-pop
                except IndexError:
                    break
                if self._usable(driver):
                    return driver
                _close_quietly(driver)
                self._free_place()
            if self._size < self.settings.limit and not self._waiting:
                self._size += 1
            else:
                waiter = _Waiter()
                self._waiting.append(waiter)
                self._serve_waiters()  # a connection given back without the lock since we looked
        if waiter is not None:
            if not waiter.event.wait(timeout or self.settings.timeout):
                with self._lock:
                    if not waiter.event.is_set():
                        self._waiting.remove(waiter)
                        raise self.settings.timeout_error(timeout)
            if waiter.driver is not None:
                return waiter.driver  # type: ignore[no-any-return]
        try:  # a free place: open a connection (outside the lock: it takes a round trip or more)
            return self._new()
        except BaseException:
            self._give_back_place()
            raise

    def _serve_waiters(self) -> None:
        """Under the lock: idle connections to the waiters, first come first served (an expired one
        is closed and its place given to the waiter, who opens a new one)."""
        while self._waiting:
            try:
                driver = self._idle.pop()
            except IndexError:
                return
            if self._usable(driver):
                waiter = self._waiting.popleft()
                waiter.driver = driver
                waiter.event.set()
            else:
                _close_quietly(driver)
                self._free_place()

    def release(self, driver: engine.SyncDriver) -> None:
        driver.reconnect = False
        if driver.conn is None:  # the server ended it
            self._give_back_place()
            return
        if self._aging:
            driver.idle_since = time.monotonic()  # type: ignore[attr-defined]
        self._idle.append(driver)
        if self._waiting or self._closed:  # read after the append: see the class's note
            with self._lock:
                if self._closed:
                    self._close_idle()
                else:
                    self._serve_waiters()

    def _discard(self, driver: engine.SyncDriver) -> None:
        """An idle connection found dead or too old: closed, its place freed."""
        _close_quietly(driver)
        self._give_back_place()

    def _give_back_place(self) -> None:
        with self._lock:
            self._free_place()

    def _free_place(self) -> None:
        """Under the lock: a connection closed or failed to open; its place goes to the first
        waiter, who opens a new one, if anyone waits."""
        if self._waiting:
            waiter = self._waiting.popleft()
            waiter.may_open = True
            waiter.event.set()
        else:
            self._size -= 1

    def size(self) -> int:
        return self._size

    def _take_idle(self) -> list[engine.SyncDriver]:
        """Under the lock: every idle connection, out of the pool (each pop is atomic, so a
        connection borrowed at the same moment is never also taken here)."""
        taken = []
        while True:
            try:
                taken.append(self._idle.pop())
            except IndexError:
                return taken

    def purge(self) -> None:
        """After a lost connection: the idle ones are likely dead too (a restarted server)."""
        with self._lock:
            idle = self._take_idle()
            for _ in idle:
                self._free_place()
        for driver in idle:
            _close_quietly(driver)

    def _close_idle(self) -> None:
        for driver in self._take_idle():
            _close_quietly(driver)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle = self._take_idle()
        for driver in idle:
            _close_quietly(driver)


def _close_quietly(driver: engine.SyncDriver) -> None:
    with contextlib.suppress(Exception):
        driver.close()


class _FirstConnection:
    """Hands psycopg_pool a connection made before the pool (so that connect() fails with the
    server's own reason, not a pool timeout); every later one is a fresh connection."""

    def __init__(self, first: Any) -> None:
        self.first = first

    def take(self) -> Any:
        conn, self.first = self.first, None
        return conn


def _pg_connection_class(base: Any, first: _FirstConnection) -> Any:
    if asyncio.iscoroutinefunction(base.connect):
        class AsyncLaminaConnection(base):  # type: ignore[misc]
            @classmethod
            async def connect(cls, conninfo: str = "", **kwargs: Any) -> Any:
                return first.take() or await super().connect(conninfo, **kwargs)

        return AsyncLaminaConnection

    class LaminaConnection(base):  # type: ignore[misc]
        @classmethod
        def connect(cls, conninfo: str = "", **kwargs: Any) -> Any:
            return first.take() or super().connect(conninfo, **kwargs)

    return LaminaConnection


def _psycopg_pool_args(settings: PoolSettings, kwargs: dict[str, Any]) -> dict[str, Any]:
    args: dict[str, Any] = {
        "kwargs": kwargs, "min_size": 1, "max_size": settings.limit, "open": False, "name": engine.APPLICATION_NAME,
        "timeout": settings.timeout if settings.timeout is not None else 10 ** 9,
    }
    if settings.max_lifetime:
        args["max_lifetime"] = settings.max_lifetime
    if settings.max_idle:
        args["max_idle"] = settings.max_idle
    return args


def _driver_of(conn: Any, make: Callable[[Any], Any], hooks: list[Hook]) -> Any:
    """The driver that goes with a psycopg_pool connection: made on its first use, kept on it."""
    driver = conn.__dict__.get("_lamina_driver")
    if driver is None:
        driver = conn._lamina_driver = make(conn)
        for hook in hooks:
            hook(driver)
    driver.reconnect = False  # a dead connection is replaced by the pool, never reopened in place
    return driver


class PgPool:
    """psycopg_pool's ConnectionPool; each connection carries its `PostgresDriver`."""

    def __init__(self, url: Any, settings: PoolSettings, hooks: list[Hook]) -> None:
        import psycopg
        import psycopg_pool

        self.settings = settings
        self._url = url
        self._hooks = hooks
        self._pool_timeout = psycopg_pool.PoolTimeout
        kwargs = engine.pg_connect_kwargs(url)
        first = _FirstConnection(None)
        cls = _pg_connection_class(psycopg.Connection, first)
        try:
            first.first = cls.connect(**kwargs)
        except psycopg.Error as exc:
            raise engine.unreachable(url, exc) from None
        self._pool = psycopg_pool.ConnectionPool(connection_class=cls, **_psycopg_pool_args(settings, kwargs))
        # wait for the pool to take that first connection in, or the first query would open a second one
        self._pool.open(wait=True, timeout=max(url.connect_timeout, 1))

    def acquire(self, timeout: float | None = None) -> engine.SyncDriver:
        try:
            conn = self._pool.getconn(timeout)
        except self._pool_timeout:
            raise self.settings.timeout_error(timeout) from None
        return _driver_of(conn, lambda c: engine.PostgresDriver(self._url, c), self._hooks)  # type: ignore[no-any-return]

    def release(self, driver: engine.SyncDriver) -> None:
        self._pool.putconn(driver.pooled)  # type: ignore[attr-defined]  # a closed one is replaced by the pool

    def purge(self) -> None:
        self._pool.check()

    def size(self) -> int:
        return int(self._pool.get_stats().get("pool_size", 0))

    def close(self) -> None:
        self._pool.close()


# ---------------------------------------------------------------- what the client holds


class SyncPool:
    """The client's connections, used as one driver: each call borrows a connection."""

    reconnect = True

    def __init__(self, url: Any, timestamps: str, hooks: list[Hook]) -> None:
        self.url = url
        self.d = engine.dialect_for(url, timestamps)
        self.settings = PoolSettings.from_url(url)
        self._lost = False
        if url.provider == "postgresql":
            self._pool: Any = PgPool(url, self.settings, hooks)
        else:
            def open_driver() -> engine.SyncDriver:
                driver = engine.open_sync(url, timestamps)
                for hook in hooks:
                    hook(driver)
                return driver

            self._pool = DriverPool(open_driver, self.settings)
        self.acquire = self._pool.acquire

    @property
    def begin(self) -> str:
        return "BEGIN IMMEDIATE" if self.url.provider == "sqlite" else "BEGIN"

    def release(self, driver: engine.SyncDriver) -> None:
        if not driver.alive():
            self._lost = True
        self._pool.release(driver)

    def _call(self, method: str, *args: Any) -> Any:
        """`method` of a borrowed connection (written out, not a context manager: this is every query's path)."""
        pool = self._pool
        driver = pool.acquire()
        try:
            result = getattr(driver, method)(*args)
        except ConnectionLostError:
            self._lost = True
            pool.release(driver)
            pool.purge()
            raise
        except BaseException:
            pool.release(driver)
            raise
        self._lost = False
        pool.release(driver)
        return result

    def execute(self, sql: str, params: list[Any], make_row: engine.MakeRow | None = None) -> tuple[list[Any], int]:
        return self._call("execute", sql, params, make_row)  # type: ignore[no-any-return]

    def query_one(self, sql: str, params: list[Any]) -> Any:
        return self._call("query_one", sql, params)

    def query_named(self, sql: str, params: list[Any]) -> tuple[list[str], list[Any]]:
        return self._call("query_named", sql, params)  # type: ignore[no-any-return]

    def run(self, gen: Generator[Stmt, Any, Any]) -> Any:
        return self._call("run", gen)

    def run_atomic(self, gen: Generator[Stmt, Any, Any]) -> Any:
        return self._call("run_atomic", gen)

    def alive(self) -> bool:
        return not self._lost

    def revive(self) -> None:
        self._lost = False

    def size(self) -> int:
        """Connections open or being opened (Prisma's `prisma_pool_connections_open`)."""
        return self._pool.size()  # type: ignore[no-any-return]

    def close(self) -> None:
        self._pool.close()


class AsyncPgPool:
    """psycopg_pool's AsyncConnectionPool; each connection carries its `AsyncPostgresDriver`."""

    reconnect = True
    begin = "BEGIN"

    def __init__(self, url: Any, hooks: list[Hook]) -> None:
        self.url = url
        self.d = engine.dialect_for(url)
        self.settings = PoolSettings.from_url(url)
        self._hooks = hooks
        self._lost = False

    async def open(self) -> None:
        import psycopg
        import psycopg_pool

        self._pool_timeout = psycopg_pool.PoolTimeout
        kwargs = engine.pg_connect_kwargs(self.url)
        first = _FirstConnection(None)
        cls = _pg_connection_class(psycopg.AsyncConnection, first)
        try:
            first.first = await cls.connect(**kwargs)
        except psycopg.Error as exc:
            raise engine.unreachable(self.url, exc) from None
        self._pool = psycopg_pool.AsyncConnectionPool(connection_class=cls, **_psycopg_pool_args(self.settings, kwargs))
        await self._pool.open(wait=True, timeout=max(self.url.connect_timeout, 1))  # as PgPool

    async def acquire(self, timeout: float | None = None) -> engine.AsyncPostgresDriver:
        try:
            conn = await self._pool.getconn(timeout)
        except self._pool_timeout:
            raise self.settings.timeout_error(timeout) from None
        return _driver_of(conn, lambda c: engine.AsyncPostgresDriver(self.url, c), self._hooks)  # type: ignore[no-any-return]

    async def release(self, driver: engine.AsyncPostgresDriver) -> None:
        if not driver.alive():
            self._lost = True
        await self._pool.putconn(driver.pooled)

    @contextlib.asynccontextmanager
    async def _borrowed(self) -> Any:
        driver = await self.acquire()
        try:
            yield driver
        except ConnectionLostError:
            self._lost = True
            await self._pool.putconn(driver.pooled)
            await self._pool.check()
            raise
        except BaseException:
            await self._pool.putconn(driver.pooled)
            raise
        self._lost = False
        await self._pool.putconn(driver.pooled)

    async def execute(self, sql: str, params: list[Any], make_row: engine.MakeRow | None = None) -> tuple[list[Any], int]:
        async with self._borrowed() as driver:
            return await driver.execute(sql, params, make_row)  # type: ignore[no-any-return]

    async def query_named(self, sql: str, params: list[Any]) -> tuple[list[str], list[Any]]:
        async with self._borrowed() as driver:
            return await driver.query_named(sql, params)  # type: ignore[no-any-return]

    async def run(self, gen: Generator[Stmt, Any, Any]) -> Any:
        async with self._borrowed() as driver:
            return await driver.run(gen)

    async def run_atomic(self, gen: Generator[Stmt, Any, Any]) -> Any:
        async with self._borrowed() as driver:
            return await driver.run_atomic(gen)

    def alive(self) -> bool:
        return not self._lost

    def revive(self) -> None:
        self._lost = False

    def size(self) -> int:
        return int(self._pool.get_stats().get("pool_size", 0))

    async def close(self) -> None:
        await self._pool.close()


class AsyncThreadPool:
    """SQLite and MySQL under asyncio: each operation runs whole in a worker thread, on a
    connection of the sync pool borrowed there."""

    reconnect = True

    def __init__(self, url: Any, timestamps: str, hooks: list[Hook]) -> None:
        self.url = url
        self._timestamps = timestamps
        self._hooks = hooks

    async def open(self) -> None:
        self.sync = await asyncio.to_thread(SyncPool, self.url, self._timestamps, self._hooks)
        self.d = self.sync.d
        self.begin = self.sync.begin
        self.settings = self.sync.settings

    async def acquire(self, timeout: float | None = None) -> engine.AsyncThreadDriver:
        return engine.AsyncThreadDriver(await asyncio.to_thread(self.sync.acquire, timeout))

    async def release(self, driver: engine.AsyncThreadDriver) -> None:
        self.sync.release(driver.sync)

    async def execute(self, sql: str, params: list[Any], make_row: engine.MakeRow | None = None) -> tuple[list[Any], int]:
        return await asyncio.to_thread(self.sync.execute, sql, params, make_row)

    async def query_named(self, sql: str, params: list[Any]) -> tuple[list[str], list[Any]]:
        return await asyncio.to_thread(self.sync.query_named, sql, params)

    async def run(self, gen: Generator[Stmt, Any, Any]) -> Any:
        return await asyncio.to_thread(self.sync.run, gen)

    async def run_atomic(self, gen: Generator[Stmt, Any, Any]) -> Any:
        return await asyncio.to_thread(self.sync.run_atomic, gen)

    def alive(self) -> bool:
        return self.sync.alive()

    def revive(self) -> None:
        self.sync.revive()

    def size(self) -> int:
        return self.sync.size()

    async def close(self) -> None:
        self.sync.close()


def open_sync(url: Any, timestamps: str, hooks: list[Hook]) -> SyncPool:
    engine.check_provider(url)
    return SyncPool(url, timestamps, hooks)


async def open_async(url: Any, timestamps: str, hooks: list[Hook]) -> Any:
    engine.check_provider(url)
    pool: Any = AsyncPgPool(url, hooks) if url.provider == "postgresql" else AsyncThreadPool(url, timestamps, hooks)
    await pool.open()
    return pool
