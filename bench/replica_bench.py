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
Reads per second, best of the rounds. Appends to results.md unless --quick.

    python bench/replica_bench.py [--quick]
"""

from __future__ import annotations

import datetime as dt
import os
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
ROUNDS = 1 if QUICK else 3
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


def throughput(db, read) -> float:
    """Reads per second of READERS threads doing READS_EACH reads each (best of ROUNDS)."""
    best = 0.0
    for _ in range(ROUNDS):
        start = threading.Barrier(READERS + 1)

        def work() -> None:
            start.wait()
            for i in range(READS_EACH):
                read(db, i)

        threads = [threading.Thread(target=work) for _ in range(READERS)]
        for t in threads:
            t.start()
        start.wait()
        began = time.perf_counter()
        for t in threads:
            t.join()
        best = max(best, READERS * READS_EACH / (time.perf_counter() - began))
    return best


def cpu_read(db, i: int) -> None:
    db.item.find_many(where={"id": {"gte": (i * 97) % 9000}}, take=20, order={"id": "asc"})


def waiting_read(db, i: int) -> None:
    db.query_raw('SELECT id, name, price FROM "Item", (SELECT pg_sleep(0.005)) AS w WHERE id >= $1 ORDER BY id LIMIT 20',
                 (i * 97) % 9000)


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
    if not QUICK:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        with open(REPO / "bench" / "results.md", "a") as f:
            f.write(f"\n## replica_bench.py — {stamp}\n\n" + "\n".join(lines)
                    + f"\n- both servers on this machine ({os.cpu_count()} CPUs, load average {load})\n")


if __name__ == "__main__":
    main()
