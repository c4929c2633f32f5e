"""The client on large results: `find_many()` of 100,000 rows beside the raw driver, and `stream()`.

A 5-column table (`id`, `name`, `email`, `score`, `createdAt`) of --rows rows, read whole by:
the raw driver with rows as dicts (psycopg with `dict_row`, sqlite3 with a dict row factory,
PyMySQL's `DictCursor`; on PostgreSQL also psycopg's `dict_row` in binary format, as Lamina reads
such a table: `runtime/pg_results.py`), Lamina's `find_many()` (typed models, as prisma-client-py returns), and
Lamina's `stream(batch_size=1000)` iterated without keeping the models. Each contender runs in
its own process, --rounds times, the contenders alternating (a noisy moment hits them alike):
the figures are the best wall and CPU time of --repeat reads per process, and the growth of the
process's peak RSS (VmHWM) during the first one, the memory the result costs (driver buffers
included, which tracemalloc would not see); best of the rounds. Prints a table with the ratios
and appends it to bench/results.md.

    python bench/large_results_bench.py [--rows 100000] [--repeat 3] [--rounds 3] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

SCHEMA = """
generator client {
  provider = "lamina"
  output   = "../largeclient___PROVIDER__"
}

datasource db {
  provider = "__PROVIDER__"
  url      = env("DATABASE_URL")
}

model Row {
  id        Int      @id @default(autoincrement())
  name      String
  email     String
  score     Float
  createdAt DateTime @default(now())
}
"""
CONTENDERS = ("raw", "find_many", "stream")
BINARY_RAW = "raw_binary"  # PostgreSQL only: psycopg's dict_row with binary=True
SELECT = {"sqlite": 'SELECT "id", "name", "email", "score", "createdAt" FROM "Row"',
          "postgresql": 'SELECT "id", "name", "email", "score", "createdAt" FROM "Row"',
          "mysql": "SELECT `id`, `name`, `email`, `score`, `createdAt` FROM `Row`"}
RAW_NAME = {"sqlite": "sqlite3 (dict row factory)", "postgresql": "psycopg (dict_row)", "mysql": "PyMySQL (DictCursor)"}


def peak_rss_kib() -> int:
    """This process's peak RSS: VmHWM (ru_maxrss would include the parent's, kept across exec)."""
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# ---------------------------------------------------------------- one contender, in its own process


def raw_reader(provider: str, url: str, contender: str = "raw"):
    if provider == "sqlite":
        conn = sqlite3.connect(url.removeprefix("file:"), isolation_level=None)
        # the dict row factory of sqlite3's documentation, with dict(zip()) (a little faster than its comprehension)
        conn.row_factory = lambda cursor, row: dict(zip([c[0] for c in cursor.description], row))
        return lambda: conn.execute(SELECT[provider]).fetchall()
    if provider == "postgresql":
        import psycopg
        from psycopg.rows import dict_row

        conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        binary = contender == BINARY_RAW
        return lambda: conn.execute(SELECT[provider], binary=binary).fetchall()
    import pymysql

    from client_bench import mysql_connect

    conn = mysql_connect(url.rsplit("/", 1)[1])

    def read():
        with conn.cursor(pymysql.cursors.DictCursor) as cur:
            cur.execute(SELECT[provider])
            return cur.fetchall()

    return read


def lamina_reader(provider: str, url: str, package_root: str, contender: str):
    import importlib

    sys.path.insert(0, package_root)
    module = importlib.import_module(f"largeclient_{provider}")
    db = module.Prisma(datasource={"url": url})
    db.connect()
    if contender == "find_many":
        return db.row.find_many

    def drain() -> int:
        count = 0
        for _ in db.row.stream(batch_size=1000):
            count += 1
        return count

    return drain


def child(provider: str, contender: str, url: str, package_root: str, repeat: int) -> None:
    read = raw_reader(provider, url, contender) if contender.startswith("raw") else \
        lamina_reader(provider, url, package_root, contender)
    before = peak_rss_kib()
    walls, cpus = [], []
    for i in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = read()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
        if i == 0:
            grown = peak_rss_kib() - before
            rows = result if isinstance(result, int) else len(result)
        del result
    print(json.dumps({"wall": min(walls), "cpu": min(cpus), "rss_mib": grown / 1024, "rows": rows}))


# ---------------------------------------------------------------- the run


def prepare(provider: str, url: str, root: Path, rows: int) -> None:
    from tests.client.helpers import create_tables, generate

    module, loaded = generate(SCHEMA, root, f"largeclient_{provider}", provider)
    create_tables(loaded, url)
    db = module.Prisma(datasource={"url": url})
    db.connect()
    for start in range(0, rows, 5000):
        db.row.create_many(data=[{"name": f"name {i}", "email": f"user{i}@example.com", "score": i / 7}
                                 for i in range(start, min(rows, start + 5000))])
    db.disconnect()


def measure(provider: str, url: str, root: Path, repeat: int, rounds: int) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    contenders = CONTENDERS + ((BINARY_RAW,) if provider == "postgresql" else ())
    for _ in range(rounds):
        for contender in contenders:
            cmd = [sys.executable, __file__, "--child", provider, contender, url, str(root), str(repeat)]
            p = subprocess.run(cmd, capture_output=True, text=True, check=True,
                               env=dict(os.environ, PYTHONPATH=str(root)))
            got = json.loads(p.stdout.strip().splitlines()[-1])
            best = out.setdefault(contender, got)
            for key in ("wall", "cpu", "rss_mib"):
                best[key] = min(best[key], got[key])
    return out


def binary_cells(r: dict[str, dict[str, float]]) -> str:
    """The raw binary read's time and find_many's CPU ratio to it (PostgreSQL), else dashes."""
    b = r.get(BINARY_RAW)
    if b is None:
        return "- | -"
    return f"{b['wall']:.3f} ({b['cpu']:.3f}) | {r['find_many']['cpu'] / b['cpu']:.2f}x"


def databases(tmp: Path):
    """(provider, URL, cleanup) for SQLite, PostgreSQL and MySQL/MariaDB (scratch databases)."""
    from contextlib import ExitStack

    from client_bench import MYSQL_SERVER, PG_SERVER, mysql_admin, pg_admin, scratch_database
    from tests.dburls import with_database

    stack = ExitStack()
    found = [("sqlite", f"file:{tmp / 'large.db'}")]
    found.append(("postgresql", with_database(PG_SERVER, stack.enter_context(scratch_database(pg_admin, '"', " WITH (FORCE)")))))
    found.append(("mysql", with_database(MYSQL_SERVER, stack.enter_context(scratch_database(mysql_admin, "`")))))
    return found, stack


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3, help="processes per contender, alternating")
    parser.add_argument("--quick", action="store_true", help="1,000 rows, nothing recorded (CI)")
    parser.add_argument("--docs", action="store_true", help="also write the table into docs/performance.md")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.repeat, args.rounds = 1000, 1, 1
    lines = [f"{args.rows:,} rows of 5 columns, read whole; best of {args.repeat} reads "
             f"x {args.rounds} alternating processes each.", "",
             "| database | raw driver | raw s (CPU) | find_many s (CPU) | find_many/raw wall (CPU) | raw MiB "
             "| find_many MiB | find_many/raw memory | stream(1000) s | stream MiB | raw binary s (CPU) | find_many/raw binary CPU |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    with tempfile.TemporaryDirectory() as tmp:
        found, stack = databases(Path(tmp))
        with stack:
            for provider, url in found:
                root = Path(tmp) / provider
                prepare(provider, url, root, args.rows)
                r = measure(provider, url, root, args.repeat, args.rounds)
                raw, many, streamed = r["raw"], r["find_many"], r["stream"]
                assert raw["rows"] == many["rows"] == streamed["rows"] == args.rows, r
                lines.append(
                    f"| {provider} | {RAW_NAME[provider]} | {raw['wall']:.3f} ({raw['cpu']:.3f}) "
                    f"| {many['wall']:.3f} ({many['cpu']:.3f}) | {many['wall'] / raw['wall']:.2f}x "
                    f"({many['cpu'] / raw['cpu']:.2f}x) "
                    f"| {raw['rss_mib']:.1f} | {many['rss_mib']:.1f} | {many['rss_mib'] / max(raw['rss_mib'], 0.1):.2f}x "
                    f"| {streamed['wall']:.3f} | {streamed['rss_mib']:.1f} | {binary_cells(r)} |")
    print("\n".join(lines))
    if not args.quick:
        import report  # bench/report.py

        report.record("large_results", "large_results_bench.py", lines, docs=args.docs)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        provider, contender, url, package_root, repeat = sys.argv[2:7]
        child(provider, contender, url, package_root, int(repeat))
    else:
        main()
