"""Record what the real Prisma 7.10.1 CLI writes for the `db pull` view cases in data/views/pull_*.

    python tests/introspect/record_views.py [CASE...]

Each case folder has `setup.sql` (run on a fresh PostgreSQL database or SQLite file, by the
folder name), `schema.prisma` (the schema before the pull) and optionally `views_before/` (the
views folder before it). Written: `expected.prisma`, `expected_views/` (the views folder after)
and `expected_warnings.txt` (the CLI's warning block). Needs ../shared/anchors (Node) and the
PostgreSQL server of the tests.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
CASES = HERE / "data" / "views"
PRISMA_SH = HERE.parents[1].parent / "shared" / "anchors" / "prisma" / "prisma.sh"
PG_SERVER = os.environ.get("LAMINA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def warnings_of(stdout: str) -> str:
    """The `*** WARNING ***` block of `db pull`'s output, without the CLI's own last line."""
    if "*** WARNING ***" not in stdout:
        return ""
    block = stdout[stdout.index("*** WARNING ***"):]
    return block[:block.index("Run ")].rstrip("\n") + "\n"


def record(case: Path) -> None:
    provider = "sqlite" if "sqlite" in case.name else "postgresql"
    with tempfile.TemporaryDirectory(prefix="views-") as tmp:
        work = Path(tmp)
        (work / "prisma").mkdir()
        shutil.copy(case / "schema.prisma", work / "prisma" / "schema.prisma")
        if (case / "views_before").is_dir():
            shutil.copytree(case / "views_before", work / "prisma" / "views")
        env = dict(os.environ, PRISMA_ANCHOR_SKIP_SETUP="1")
        if provider == "sqlite":
            with sqlite3.connect(work / "dev.db") as conn:
                conn.executescript((case / "setup.sql").read_text())
            env["DATABASE_URL"] = "file:./dev.db"
        else:
            name = f"views_{case.name}"
            with psycopg.connect(PG_SERVER, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            url = PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute((case / "setup.sql").read_text())
            env["DATABASE_URL"] = url.replace("postgres@", "postgres:postgres@")
        proc = subprocess.run([str(PRISMA_SH), "-C", str(work), provider, "db", "pull"], capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise SystemExit(f"{case.name}: prisma failed\n{proc.stdout}{proc.stderr}")
        shutil.copy(work / "prisma" / "schema.prisma", case / "expected.prisma")
        shutil.rmtree(case / "expected_views", ignore_errors=True)
        if (work / "prisma" / "views").is_dir():
            shutil.copytree(work / "prisma" / "views", case / "expected_views")
        (case / "expected_warnings.txt").write_text(warnings_of(proc.stdout))
        print("recorded", case.name)


if __name__ == "__main__":
    names = sys.argv[1:]
    for case in sorted(CASES.glob("pull_*")):
        if not names or case.name in names:
            record(case)
