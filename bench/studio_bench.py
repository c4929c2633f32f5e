"""`lamina studio` on a large table: milliseconds per page over HTTP (the real server, end to end).

A 100,000-row table on SQLite and PostgreSQL; pages of 50 rows: the first, one in the middle
(OFFSET 50,000), the last, sorted by an unindexed text column, and filtered with `contains`.
Median of 5 requests each. Goal: under 200 ms per page
(sorting by a column without an index sorts the whole table, in the studio as in any client). Appends to results.md (not in --quick).

    python bench/studio_bench.py [--quick]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SCHEMA = """
generator client {
  provider = "lamina"
  output   = "__OUTPUT__"
}

datasource db {
  provider = "__PROVIDER__"
  url      = env("DATABASE_URL")
}

model Item {
  id        Int      @id @default(autoincrement())
  name      String
  category  String
  price     Float
  createdAt DateTime @default(now())
}
"""

QUICK = "--quick" in sys.argv
ROWS = 5_000 if QUICK else 100_000
REPEAT = 2 if QUICK else 5
PG_SERVER = os.environ.get("LAMINA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def fill(provider: str, url: str, loaded: object) -> None:
    from tests.client.helpers import create_tables

    create_tables(loaded, url)
    now = dt.datetime(2026, 1, 1)
    rows = [(f"item {i:06d} {uuid.uuid4().hex[:8]}", f"cat{i % 37}", i * 0.5, now) for i in range(ROWS)]
    if provider == "sqlite":
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("file:"))
        conn.executemany('INSERT INTO "Item" ("name", "category", "price", "createdAt") VALUES (?, ?, ?, ?)',
                         [(n, c, p, int(t.timestamp() * 1000)) for n, c, p, t in rows])
        conn.commit()
        conn.close()
    else:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn, conn.cursor().copy(
                'COPY "Item" ("name", "category", "price", "createdAt") FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)


def serve(loaded: object, url: str) -> tuple[str, str, object]:
    import uvicorn

    from lamina.studio.app import create_app
    from lamina.studio.data import Studio

    studio = Studio.open(loaded, url)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = uuid.uuid4().hex
    app = create_app(studio, token, {f"127.0.0.1:{port}"})
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", token, (server, studio)


def timed(base: str, token: str, path: str) -> float:
    request = urllib.request.Request(base + path, headers={"Cookie": f"lamina_studio_token={token}"})
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        with urllib.request.urlopen(request) as response:
            assert response.status == 200 and b"Page " in response.read()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(provider: str, url: str, root: Path) -> dict[str, float]:
    from tests.client.helpers import generate

    _, loaded = generate(SCHEMA, root / provider, f"studiobench_{provider}", provider)
    fill(provider, url, loaded)
    base, token, (server, studio) = serve(loaded, url)
    middle = ROWS // 50 // 2
    pages = {
        "first page": "/model/Item",
        f"page {middle} (offset {middle * 50 - 50:,})": f"/model/Item?page={middle}",
        "last page": f"/model/Item?page={ROWS // 50}",
        "sorted by id (the primary key), desc": "/model/Item?sort=id&dir=desc",
        "sorted by name (no index: a full sort), desc": "/model/Item?sort=name&dir=desc",
        "filter name contains": "/model/Item?" + urllib.parse.urlencode({"where": json.dumps({"name": {"contains": "99"}})}),
    }
    try:
        return {label: timed(base, token, path) for label, path in pages.items()}
    finally:
        server.should_exit = True  # type: ignore[attr-defined]
        studio.close()  # type: ignore[attr-defined]


def main() -> None:
    import psycopg

    from tests.dburls import with_database

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        results["SQLite"] = run("sqlite", f"file:{root / 'studio.db'}", root)
        name = f"lamina_studio_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            results["PostgreSQL"] = run("postgresql", with_database(PG_SERVER, name), root)
        finally:
            with psycopg.connect(PG_SERVER, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"## studio_bench.py — {stamp}{' (quick)' if QUICK else ''}", "",
             f"`lamina studio`, a {ROWS:,}-row table, 50 rows per page, ms per page over HTTP (median of {REPEAT}). "
             "Goal: under 200 ms.", "", "| page | " + " | ".join(results) + " |",
             "| --- | " + " | ".join("---:" for _ in results) + " |"]
    for label in next(iter(results.values())):
        lines.append(f"| {label} | " + " | ".join(f"{r[label]:.0f}" for r in results.values()) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not QUICK:
        with open(Path(__file__).parent / "results.md", "a", encoding="utf-8") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
