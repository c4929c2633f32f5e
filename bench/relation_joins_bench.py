"""An include of 1,000 parents x 10 children, both relation load strategies (relationJoins).

`db.parent.find_many(include={"children": True}, relation_load_strategy=...)`:
- "query": one SELECT for the parents, one for the children (`WHERE parentId IN (...)`),
- "join": one statement (PostgreSQL LEFT JOIN LATERAL + JSONB_AGG; MariaDB correlated JSON_ARRAYAGG),
and the same include with `take: 3` and an order per parent (per-parent pagination: ROW_NUMBER()
with the query strategy, LIMIT inside the lateral subquery / JSON_ARRAYAGG with the join strategy).
PostgreSQL and MariaDB, each in a temporary database dropped at the end. Each figure is the best of
7 rounds (milliseconds per call, rounds interleaved so both strategies see the same load); the
results are checked equal. Appends to results.md.

    python bench/relation_joins_bench.py [--quick]
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SCHEMA = """
generator client {
  provider        = "lamina"
  output          = "../benchjoins___PROVIDER__"
  previewFeatures = ["relationJoins"]
}

datasource db {
  provider = "__PROVIDER__"
  url      = env("DATABASE_URL")
}

model Parent {
  id        Int      @id @default(autoincrement())
  name      String
  createdAt DateTime @default(now())
  children  Child[]
}

model Child {
  id       Int     @id @default(autoincrement())
  title    String
  rank     Int
  price    Decimal
  done     Boolean @default(false)
  parentId Int
  parent   Parent  @relation(fields: [parentId], references: [id])

  @@index([parentId])
}
"""

PG_SERVER = os.environ.get("LAMINA_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
MYSQL_SERVER = os.environ.get("LAMINA_TEST_MYSQL", "mysql://root@127.0.0.1:3306/mysql")
QUICK = "--quick" in sys.argv
PARENTS, CHILDREN = (100, 10) if QUICK else (1000, 10)
ROUNDS = 3 if QUICK else 7


def _database(provider: str) -> tuple[str, Any]:
    from tests.dburls import with_database

    name = f"lamina_bench_joins_{uuid.uuid4().hex[:8]}"
    if provider == "postgresql":
        import psycopg

        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(PG_SERVER, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return with_database(PG_SERVER, name), drop
    from lamina.db.connection import connect

    with connect(MYSQL_SERVER) as conn:
        conn.execute(f"CREATE DATABASE `{name}`")

    def drop_mysql() -> None:
        with connect(MYSQL_SERVER) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS `{name}`")

    return with_database(MYSQL_SERVER, name), drop_mysql


def run(provider: str, root: Path) -> list[str]:
    from tests.client.helpers import create_tables, generate

    url, drop = _database(provider)
    try:
        module, loaded = generate(SCHEMA, root / provider, f"benchjoins_{provider}", provider)
        create_tables(loaded, url)
        with module.Prisma(datasource={"url": url}) as db:
            now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
            db.parent.create_many(data=[{"name": f"p{i}", "createdAt": now} for i in range(PARENTS)])
            ids = [p.id for p in db.parent.find_many()]
            db.child.create_many(data=[{"title": f"c{i}-{j}", "rank": (i * 7 + j * 3) % 10, "price": f"{j}.25",
                                        "parentId": pid} for i, pid in enumerate(ids) for j in range(CHILDREN)])
            shapes = {
                "include children": {"children": True},
                "include children take 3 by rank desc": {"children": {"take": 3, "order_by": {"rank": "desc"}}},
            }
            lines = []
            for label, include in shapes.items():
                best = {"join": float("inf"), "query": float("inf")}
                results = {}
                for _ in range(ROUNDS):
                    for strategy in ("query", "join"):
                        start = time.perf_counter()
                        found = db.parent.find_many(include=include, relation_load_strategy=strategy)
                        best[strategy] = min(best[strategy], time.perf_counter() - start)
                        results[strategy] = found
                same = [p.model_dump() for p in results["join"]] == [p.model_dump() for p in results["query"]]
                n = sum(len(p.children or []) for p in results["join"])
                ratio = best["query"] / best["join"]
                lines.append(f"| {provider} | {label} | {len(results['join'])} x {n // max(len(results['join']), 1)} | "
                             f"{best['query'] * 1000:.1f} | {best['join'] * 1000:.1f} | {ratio:.2f}x | "
                             f"{'yes' if same else 'NO'} |")
            return lines
    finally:
        drop()


def main() -> None:
    header = ["| database | read | parents x children | query strategy (ms) | join strategy (ms) | query / join | "
              "same models |", "| --- | --- | --- | --- | --- | --- | --- |"]
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for provider in ("postgresql", "mysql"):
            try:
                lines += run(provider, Path(tmp))
            except Exception as exc:  # a server that is not there: say so, measure the other
                lines.append(f"| {provider} | not measured: {type(exc).__name__}: {str(exc).strip()[:120]} | | | | | |")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = (f"\n## relation_joins_bench.py — {when}\n\n"
            f"find_many of {PARENTS} parents with their {CHILDREN} children each, best of {ROUNDS} "
            f"(load average {load}){' --quick' if QUICK else ''}:\n\n" + "\n".join(header + lines) + "\n")
    print(text)
    if QUICK:  # quick runs check that the benchmark still runs; only full runs are recorded
        return
    with open(Path(__file__).parent / "results.md", "a", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
