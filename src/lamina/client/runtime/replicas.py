"""Read replicas: `Prisma(read_replicas=[url, ...])`, or LAMINA_READ_REPLICAS (comma-separated).

Beside the pools, not inside the query builder: the client asks `ReplicaSet.read()` to run a
read (find_*, count, group_by, query_raw) made outside a transaction; everything else (writes,
interactive and batch transactions, execute_raw) stays on the primary's pool.

- Each replica has its own pool (pool.py), opened on first use, so that a replica that is down
  when the client connects costs nothing until it is needed.
- Round robin over the replicas; a replica whose connection fails (cannot connect, connection
  lost, no free connection in time) is skipped for BACKOFF_S and the read goes to the next one,
  then to the primary. A read is safe to run again: it changed nothing.
- `db.primary()` forces the primary for reads that must see the latest write (as
  `@prisma/extension-read-replicas`' `$primary()`): a view of the client, or a context
  (`with db.primary(): ...`) that covers the current thread or asyncio task (a ContextVar).
"""

from __future__ import annotations

import contextvars
import itertools
import os
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from .errors import DataError, EngineConnectionError, PrismaError

READS = frozenset({"find_unique", "find_many", "find_first", "count", "group_by"})
BACKOFF_S = 5.0
ENV = "LAMINA_READ_REPLICAS"

FORCE_PRIMARY: contextvars.ContextVar[bool] = contextvars.ContextVar("lamina_force_primary", default=False)

T = TypeVar("T")


def replica_urls(given: Sequence[str] | str | None, primary: Any) -> list[Any]:
    """The replicas' parsed URLs: `given`, else LAMINA_READ_REPLICAS; each must be the primary's provider."""
    from lamina.db.url import mask, parse_url

    if given is None:
        given = os.environ.get(ENV, "")
    if isinstance(given, str):
        given = [part for part in given.split(",")]
    urls = []
    for text in (t.strip() for t in given):
        if not text:
            continue
        try:
            url = parse_url(text)
        except Exception as exc:  # LaminaError from the URL parser (it masks passwords)
            raise PrismaError(f"read_replicas: {exc}") from None
        if url.provider != primary.provider:
            raise PrismaError(f"read_replicas: `{mask(text)}` is a {url.provider} URL; the datasource is "
                              f"{primary.provider}.")
        urls.append(url)
    return urls


def _failed(exc: BaseException) -> bool:
    """A replica's connection problem (the read may go elsewhere), not a problem of the query."""
    return isinstance(exc, EngineConnectionError) or (isinstance(exc, DataError) and getattr(exc, "code", "") == "P2024")


class _Rotation:
    def __init__(self, count: int) -> None:
        self._next = itertools.count()
        self._down: list[float] = [0.0] * count
        self.count = count

    def order(self) -> list[int]:
        """Replica indexes to try, starting with the next in turn, skipping those that just failed."""
        start = next(self._next) % self.count
        now = time.monotonic()
        return [i % self.count for i in range(start, start + self.count) if self._down[i % self.count] <= now]

    def failed(self, i: int) -> None:
        self._down[i] = time.monotonic() + BACKOFF_S


class ReplicaSet:
    """The sync client's replicas: `read(run)` runs `run(pool)` on a replica's pool, or the primary's."""

    def __init__(self, urls: list[Any], open_pool: Callable[[Any], Any], primary: Any) -> None:
        self.urls = urls
        self._open = open_pool
        self.primary = primary
        self._pools: list[Any] = [None] * len(urls)
        self._opening = threading.Lock()
        self._rotation = _Rotation(len(urls))

    def _pool(self, i: int) -> Any:
        if self._pools[i] is None:
            with self._opening:
                if self._pools[i] is None:
                    self._pools[i] = self._open(self.urls[i])
        return self._pools[i]

    def read(self, run: Callable[[Any], T]) -> T:
        for i in self._rotation.order():
            try:
                return run(self._pool(i))
            except Exception as exc:
                if not _failed(exc):
                    raise
                self._rotation.failed(i)
        return run(self.primary)

    def close(self) -> None:
        for p in self._pools:
            if p is not None:
                p.close()
        self._pools = [None] * len(self.urls)


class AsyncReplicaSet:
    """The asyncio client's replicas (pools opened with `await`)."""

    def __init__(self, urls: list[Any], open_pool: Callable[[Any], Awaitable[Any]], primary: Any) -> None:
        import asyncio

        self.urls = urls
        self._open = open_pool
        self.primary = primary
        self._pools: list[Any] = [None] * len(urls)
        self._opening = asyncio.Lock()
        self._rotation = _Rotation(len(urls))

    async def _pool(self, i: int) -> Any:
        if self._pools[i] is None:
            async with self._opening:
                if self._pools[i] is None:
                    self._pools[i] = await self._open(self.urls[i])
        return self._pools[i]

    async def read(self, run: Callable[[Any], Awaitable[T]]) -> T:
        for i in self._rotation.order():
            try:
                return await run(await self._pool(i))
            except Exception as exc:
                if not _failed(exc):
                    raise
                self._rotation.failed(i)
        return await run(self.primary)

    async def close(self) -> None:
        for p in self._pools:
            if p is not None:
                await p.close()
        self._pools = [None] * len(self.urls)
