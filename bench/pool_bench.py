"""Concurrent queries through one client: the connection pool's reason to exist.

Five queries that each take 0.2 s on the server (`pg_sleep`, `SLEEP`), started at once from
threads (sync client) and from asyncio tasks (asyncio client), on PostgreSQL and MySQL/MariaDB:
with the pool (`connection_limit=5`), with one connection (`connection_limit=1`, what the client
did before it had a pool), and with the raw driver on five connections of its own (the floor).
Seconds for all five, median of the rounds. Appends to results.md (not in --quick mode).

    python bench/pool_bench.py [--quick]
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SCHEMA = """
generator client {
  provider             = "lamina"
  output               = "__OUTPUT__"
  interface            = "__INTERFACE__"
}

datasource db {
  provider = "__PROVIDER__"
  url      = env("DATABASE_URL")
}

model Item {
  id Int @id
}
"""

QUICK = "--quick" in sys.argv
SLEEP = 0.05 if QUICK else 0.2
CONCURRENT = 5
ROUNDS = 1 if QUICK else 5
SERVERS = {
    "postgresql": os.environ.get("LAMINA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"),
    "mysql": os.environ.get("LAMINA_TEST_MYSQL", "mysql://root@127.0.0.1:3306/mysql"),
}
SLOW = {"postgresql": f"SELECT pg_sleep({SLEEP})::text AS slept", "mysql": f"SELECT SLEEP({SLEEP}) AS slept"}


def timed(fn) -> float:
    """Median seconds of `fn()` over the rounds."""
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_threads(work) -> None:
    threads = [threading.Thread(target=work) for _ in range(CONCURRENT)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def with_limit(url: str, limit: int) -> str:
    return f"{url}{'&' if '?' in url else '?'}connection_limit={limit}"


def raw_floor(provider: str, url: str) -> float:
    """The driver on five connections opened beforehand, one per thread."""
    if provider == "postgresql":
        import psycopg

        conns = [psycopg.connect(url, autocommit=True) for _ in range(CONCURRENT)]
    else:
        import pymysql

        from tests.conftest import _mysql_params

        conns = [pymysql.connect(autocommit=True, **_mysql_params(url)) for _ in range(CONCURRENT)]
    try:
        def run() -> None:
            threads = [threading.Thread(target=lambda c=c: c.cursor().execute(SLOW[provider])) for c in conns]
            for t in threads:
                t.start()
            for t in threads:
                t.join()

        return timed(run)
    finally:
        for c in conns:
            c.close()


def lamina_threads(module, url: str, limit: int) -> float:
    db = module.Prisma(datasource={"url": with_limit(url, limit)})
    db.connect()
    try:
        in_threads(lambda: db.query_raw(SLOW[db._active_provider]))  # warm: the pool opens its connections
        return timed(lambda: in_threads(lambda: db.query_raw(SLOW[db._active_provider])))
    finally:
        db.disconnect()


def lamina_asyncio(module, url: str, limit: int) -> float:
    async def main() -> float:
        db = module.Prisma(datasource={"url": with_limit(url, limit)})
        await db.connect()
        try:
            async def five() -> None:
                await asyncio.gather(*(db.query_raw(SLOW[db._active_provider]) for _ in range(CONCURRENT)))

            await five()
            times = []
            for _ in range(ROUNDS):
                start = time.perf_counter()
                await five()
                times.append(time.perf_counter() - start)
            return statistics.median(times)
        finally:
            await db.disconnect()

    return asyncio.run(main())


def main() -> None:
    from tests.client.helpers import generate

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for provider, url in SERVERS.items():
            sync_module, _ = generate(SCHEMA, Path(tmp) / f"{provider}_sync", f"poolbench_{provider}_sync", provider)
            async_module, _ = generate(SCHEMA, Path(tmp) / f"{provider}_async", f"poolbench_{provider}_async",
                                       provider, "asyncio")
            floor = raw_floor(provider, url)
            for label, run, module in (("threads", lamina_threads, sync_module), ("asyncio", lamina_asyncio, async_module)):
                pooled, single = run(module, url, CONCURRENT), run(module, url, 1)
                rows.append((provider, label, floor, pooled, single))
    report(rows)


def report(rows: list[tuple[str, str, float, float, float]]) -> None:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"## pool_bench.py — {stamp}{' (quick)' if QUICK else ''}", "",
             f"{CONCURRENT} concurrent queries of {SLEEP:g} s each through one client; seconds for all of them (median of "
             f"{ROUNDS}). Goal: the pool as fast as the raw driver on {CONCURRENT} connections (about {SLEEP:g} s).", "",
             "| database | from | raw driver, 5 connections | Lamina, pool of 5 | Lamina, 1 connection | pool/raw |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    for provider, label, floor, pooled, single in rows:
        lines.append(f"| {provider} | {label} | {floor:.3f} | {pooled:.3f} | {single:.3f} | {pooled / floor:.2f}x |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not QUICK:
        with open(Path(__file__).parent / "results.md", "a", encoding="utf-8") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
