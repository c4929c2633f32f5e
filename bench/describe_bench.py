"""Describe a 1,000-table PostgreSQL database: time and query count, beside Prisma's `db pull`.

Creates a temporary database (1,000 tables with a serial key, text/varchar/timestamp
columns, a unique index, a plain index and a foreign key to the previous table), describes it
with `lamina.dialects.postgres.describe` (best of 3, counting queries), runs the real Prisma
CLI's `db pull --print` on the same database when `../shared/anchors` is present, prints the
figures, appends them to bench/results.md and drops the database.

    python bench/describe_bench.py [--tables 1000] [--no-prisma] [--mysql]

`--mysql` also describes the same 1,000 tables on MariaDB/MySQL at 127.0.0.1:3306 (Prisma's
CLI cannot run MySQL here, so that figure stands alone).
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

SERVER = os.environ.get("LAMINA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
HERE = Path(__file__).resolve().parent
PRISMA = HERE.parent.parent / "shared" / "anchors" / "prisma" / "prisma.sh"


class Counting:
    def __init__(self, conn):
        self.conn, self.count = conn, 0

    def execute(self, *args, **kwargs):
        self.count += 1
        return self.conn.execute(*args, **kwargs)


def build(url: str, tables: int) -> None:
    parts = []
    for i in range(tables):
        ref = f', "prevId" INTEGER REFERENCES "t{i - 1}"("id") ON DELETE SET NULL' if i else ""
        parts.append(
            f'CREATE TABLE "t{i}" ("id" SERIAL PRIMARY KEY, "name" TEXT NOT NULL, "code" VARCHAR(32), '
            f'"createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP{ref});'
            f'CREATE UNIQUE INDEX "t{i}_code_key" ON "t{i}"("code");'
            f'CREATE INDEX "t{i}_name_idx" ON "t{i}"("name");'
        )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("".join(parts))


def mysql_figure(tables: int) -> str:
    import pymysql

    from lamina.dialects.mysql.describe import describe

    name = f"lamina_bench_{uuid.uuid4().hex[:8]}"
    admin = pymysql.connect(host="127.0.0.1", user="root", autocommit=True)
    try:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}`")
            cur.execute(f"USE `{name}`")
            for i in range(tables):
                ref = f", `prevId` INTEGER NULL, CONSTRAINT `t{i}_prevId_fkey` FOREIGN KEY (`prevId`) REFERENCES `t{i - 1}`(`id`)" if i else ""
                cur.execute(
                    f"CREATE TABLE `t{i}` (`id` INTEGER NOT NULL AUTO_INCREMENT, `name` VARCHAR(191) NOT NULL, "
                    f"`code` VARCHAR(32) NULL, `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3){ref}, "
                    f"UNIQUE INDEX `t{i}_code_key`(`code`), INDEX `t{i}_name_idx`(`name`), PRIMARY KEY (`id`)) "
                    "DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                )
        conn = pymysql.connect(host="127.0.0.1", user="root", database=name)
        counting = CountingCursor(conn)
        times = []
        for _ in range(3):
            counting.count = 0
            start = time.perf_counter()
            described = describe(counting)
            times.append(time.perf_counter() - start)
        conn.close()
        assert len(described.tables) == tables
        return (f"describe {tables} MariaDB tables: best {min(times):.3f} s of 3 "
                f"({', '.join(f'{t:.3f}' for t in times)}), {counting.count} queries")
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


class CountingCursor:
    """A PyMySQL connection whose cursors count the statements they run."""

    def __init__(self, conn):
        self.conn, self.count = conn, 0

    def cursor(self):
        outer, inner = self, self.conn.cursor()

        class Cursor:
            def execute(self, *args):
                outer.count += 1
                return inner.execute(*args)

            def fetchall(self):
                return inner.fetchall()

        return Cursor()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--no-prisma", action="store_true")
    parser.add_argument("--mysql", action="store_true")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, no Prisma, nothing recorded: a check that the script still runs (CI)")
    args = parser.parse_args()
    if args.quick:
        args.tables, args.no_prisma = 20, True

    from lamina.dialects.postgres.describe import describe

    name = f"lamina_bench_{uuid.uuid4().hex[:8]}"
    head = SERVER.rpartition("/")[0]
    url = f"{head}/{name}"
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        build(url, args.tables)
        times, count, described = [], 0, None
        for _ in range(3):
            with psycopg.connect(url) as conn:
                counting = Counting(conn)
                start = time.perf_counter()
                described = describe(counting)
                times.append(time.perf_counter() - start)
                count = counting.count
        assert described is not None and len(described.tables) == args.tables
        from lamina.introspect import introspect

        start = time.perf_counter()
        with psycopg.connect(url) as conn:
            text = introspect(describe(conn), "postgresql", [("schema.prisma", 'datasource db {\n  provider = "postgresql"\n}\n')]).text
        pull_time = time.perf_counter() - start

        prisma_time = None
        if PRISMA.exists() and not args.no_prisma:
            with tempfile.TemporaryDirectory() as work:
                (Path(work) / "prisma").mkdir()
                (Path(work) / "prisma" / "schema.prisma").write_text('datasource db {\n  provider = "postgresql"\n}\n')
                subprocess.run([str(PRISMA), "-C", work, "postgresql", "--version"], capture_output=True, timeout=300)
                start = time.perf_counter()
                done = subprocess.run(
                    [str(PRISMA), "-C", work, "postgresql", "db", "pull", "--print"],
                    capture_output=True, text=True, timeout=600, env={**os.environ, "DATABASE_URL": url},
                )
                prisma_time = time.perf_counter() - start
                if done.returncode != 0 or "model t999" not in done.stdout and args.tables == 1000:
                    print("prisma db pull failed:", done.stderr[-500:])
                    prisma_time = None

        best = min(times)
        lines = [
            f"describe {args.tables} PostgreSQL tables: best {best:.3f} s of 3 "
            f"({', '.join(f'{t:.3f}' for t in times)}), {count} queries (constant: {count} for any table count)",
            f"lamina db pull (describe + introspect + render, {text.count(chr(10))} lines): {pull_time:.3f} s",
        ]
        if prisma_time is not None:
            lines.append(f"prisma 7.10.1 db pull --print on the same database: {prisma_time:.3f} s "
                         f"(lamina describe is {prisma_time / best:.1f}x faster, whole pull {prisma_time / pull_time:.1f}x)")
        if args.mysql:
            lines.append(mysql_figure(args.tables))
        for line in lines:
            print(line)
        if args.quick:
            return
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        with open(HERE / "results.md", "a", encoding="utf-8") as f:
            f.write(f"\n## describe_bench.py — {stamp}\n\n" + "".join(f"- {line}\n" for line in lines))
    finally:
        with psycopg.connect(SERVER, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
