"""Read throughput with a PostgreSQL read replica: 32 threads reading through one client, with
1 primary + 1 streaming replica (`read_replicas=[...]`) against the primary alone.

Both servers are started here (tests/pg_replica.py: initdb, pg_basebackup -R) on this machine,
so they share its CPUs: a CPU-bound read cannot get faster by adding a server on the same
cores. Reads go to the replicas only (the primary is the fallback), as with Prisma's
extension: with one replica, the reads move off the primary, they do not spread over two
servers. Two workloads, each measured both ways with `connection_limit=8` per pool:
- `find_many` of 20 rows by an indexed range (CPU-bound on this machine);
- the same kind of read plus 5 ms of server-side waiting (`pg_sleep`, once per query, standing
  in for disk or network latency of a real server).
Reads per second, best of the rounds.

Neither workload loads the primary with anything but the reads, and one replica only moves
them: no gain is expected there (and none was measured). What a replica gives an application
is reads that do not queue behind its writes. The third workload measures that: WRITERS
threads run interactive transactions on the primary (UPDATE, 5 ms of application work inside
the transaction, UPDATE) while READERS threads read; reads per second and the readers' p50/p95
latency, for the primary alone with one pool (connection_limit=8), the primary alone with the
connections of both pools (16), and primary + 1 replica (8 + 8).
Appends to results.md unless --quick.

    python bench/replica_bench.py [--quick]
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

QUICK = "--quick" in sys.argv
READERS = 32
READS_EACH = 10 if QUICK else 60
ROUNDS = 1 if QUICK else 5
LIMIT = 8

SCHEMA = """
generator client {
  provider  = "lamina"
  output    = "__OUTPUT__"
  interface = "sync"
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Item {
  id    Int    @id
  name  String
  price Int
}
"""


def with_limit(url: str) -> str:
    return f"{url}?connection_limit={LIMIT}"


def run_together(count: int, work) -> float:
    """Seconds from the moment `count` threads running work() start together until the last ends."""
    start = threading.Barrier(count + 1)

    def begin() -> None:
        start.wait()
        work()

    threads = [threading.Thread(target=begin) for _ in range(count)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - began


def throughput(db, read) -> float:
    """Reads per second of READERS threads doing READS_EACH reads each (best of ROUNDS)."""
    best = 0.0
    for _ in range(ROUNDS):
        elapsed = run_together(READERS, lambda: [read(db, i) for i in range(READS_EACH)])
        best = max(best, READERS * READS_EACH / elapsed)
    return best


def cpu_read(db, i: int) -> None:
    db.item.find_many(where={"id": {"gte": (i * 97) % 9000}}, take=20, order={"id": "asc"})


def waiting_read(db, i: int) -> None:
    db.query_raw('SELECT id, name, price FROM "Item", (SELECT pg_sleep(0.005)) AS w WHERE id >= $1 ORDER BY id LIMIT 20',
                 (i * 97) % 9000)


WRITERS = 8
LOADED_READERS = 16


def under_writes(module, primary: str, replicas: list[str]) -> tuple[float, float, float, int, int]:
    """(reads/s, p50 ms, p95 ms, commits, failures) while WRITERS threads keep write transactions
    open on the primary."""
    db = module.Prisma(datasource={"url": primary}, read_replicas=replicas)
    db.connect()
    stop = threading.Event()
    commits, failures, latencies = [0], [0], []
    lock = threading.Lock()

    def write(n: int) -> None:
        while not stop.is_set():
            try:
                with db.tx() as tx:
                    tx.item.update(where={"id": 1 + n}, data={"price": {"increment": 1}})
                    time.sleep(0.005)  # the application's work inside the transaction
                    tx.item.update(where={"id": 5001 + n}, data={"price": {"increment": 1}})
                commits[0] += 1
            except Exception:  # noqa: BLE001 - e.g. P2028, no connection within max_wait: counted
                failures[0] += 1

    def read() -> None:
        mine = []
        for i in range(READS_EACH):
            began = time.perf_counter()
            cpu_read(db, i)
            mine.append(time.perf_counter() - began)
        with lock:
            latencies.extend(mine)

    try:
        cpu_read(db, 0)
        writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        for t in writers:
            t.start()
        time.sleep(0.5)  # the write load is running
        elapsed = run_together(LOADED_READERS, read)
        stop.set()
        for t in writers:
            t.join()
    finally:
        db.disconnect()
    latencies.sort()
    p50, p95 = latencies[len(latencies) // 2] * 1000, latencies[int(len(latencies) * 0.95)] * 1000
    return len(latencies) / elapsed, p50, p95, commits[0], failures[0]


def main() -> None:
    import pg_replica
    from lamina.db.connection import connect
    from lamina.db.url import parse_url
    from lamina.migrate.replicas import wait_for_replicas
    from tests.client.helpers import generate

    why = pg_replica.missing()
    if why:
        raise SystemExit(f"cannot start a primary + replica: {why}")
    lines = []
    with pg_replica.primary_and_replica() as pair, tempfile.TemporaryDirectory() as tmp:
        with psycopg.connect(pair.primary(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE app")
        with psycopg.connect(pair.primary("app"), autocommit=True) as conn:
            conn.execute('CREATE TABLE "Item" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL, "price" INTEGER NOT NULL)')
            conn.execute('INSERT INTO "Item" SELECT g, \'item \' || g, g % 100 FROM generate_series(1, 10000) g')
        with connect(pair.primary("app")) as primary:
            wait_for_replicas(primary, [parse_url(pair.replica("app"))], 60_000)
        module, _ = generate(SCHEMA, Path(tmp) / "replicabench", "replicabench_client", "postgresql")
        for label, read in (("find_many (CPU-bound here)", cpu_read), ("read + 5 ms server wait", waiting_read)):
            figures = {}
            for way, replicas in (("primary alone", None), ("primary + 1 replica", [with_limit(pair.replica("app"))])):
                db = module.Prisma(datasource={"url": with_limit(pair.primary("app"))}, read_replicas=replicas or [])
                db.connect()
                try:
                    read(db, 0)  # warm: the pools open
                    figures[way] = throughput(db, read)
                finally:
                    db.disconnect()
            alone, both = figures["primary alone"], figures["primary + 1 replica"]
            line = (f"{label}: {READERS} readers, connection_limit={LIMIT} per pool: primary alone {alone:.0f} reads/s, "
                    f"primary + 1 replica {both:.0f} reads/s ({both / alone:.2f}x)")
            print(line, flush=True)
            lines.append(f"- {line}")
        lines.append(f"- find_many while {WRITERS} writers keep 5 ms write transactions open on the primary, "
                     f"{LOADED_READERS} readers:")
        ways = (("primary alone, connection_limit=8", with_limit(pair.primary("app")), []),
                ("primary alone, connection_limit=16", pair.primary("app") + "?connection_limit=16", []),
                ("primary + 1 replica, 8 + 8", with_limit(pair.primary("app")), [with_limit(pair.replica("app"))]))
        runs: dict[str, list] = {way: [] for way, _, _ in ways}
        for _ in range(ROUNDS):  # interleaved, so that the machine's load changes hit every way alike
            for way, primary, replicas in ways:
                runs[way].append(under_writes(module, primary, replicas))
        for way, _, _ in ways:
            rate, p50, p95 = (statistics.median(r[k] for r in runs[way]) for k in range(3))
            commits, failures = sum(r[3] for r in runs[way]), sum(r[4] for r in runs[way])
            line = (f"  - {way}: {rate:.0f} reads/s, p50 {p50:.1f} ms, p95 {p95:.1f} ms (medians of {ROUNDS}; "
                    f"{commits} write transactions committed, {failures} failed)")
            print(line, flush=True)
            lines.append(line)
    if not QUICK:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        with open(REPO / "bench" / "results.md", "a") as f:
            f.write(f"\n## replica_bench.py — {stamp}\n\n" + "\n".join(lines)
                    + f"\n- both servers on this machine ({os.cpu_count()} CPUs, load average {load})\n")


if __name__ == "__main__":
    main()
