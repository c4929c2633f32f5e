"""Run prisma-client-py's own database test suite against the client `lamina generate` writes.

prisma-client-py (https://github.com/RobertCraigie/prisma-client-py) tests its generated client
with `databases/tests` (interface = "asyncio") and `databases/sync_tests` (interface = "sync"),
on a schema rendered from `databases/templates/schema.prisma.jinja2`, leaving out per database
the test files of features it does not support (`databases/constants.py`). This script does
the same with Lamina in place of prisma-client-py and its engine, for each database and
interface:

1. render the template for the database (the suite's own configuration, repeated below),
2. `lamina generate` (the unchanged generator block has no `output`, so the package `prisma`
   is installed into the Python environment that runs the suite),
3. `lamina db push --force-reset` on a fresh database,
4. pytest on the interface's test folder with the database's exclusions,

and prints passed/failed/error counts per database and interface. Nothing of the suite is kept
in this repository: point `--suite` at a checkout of prisma-client-py.

The Python given by `--python` needs Lamina importable and the suite's test dependencies:
    python -m venv /tmp/pcpvenv
    /tmp/pcpvenv/bin/pip install -e . pydantic==2.8.2 pytest==8.1.2 pytest-asyncio==0.21.1 \
        pytest-mock==3.11.1 syrupy==4.8.0 dirty-equals==0.8.0 distro jinja2
    python bench/prisma_client_py_suite.py --suite ../prisma-client-py --python /tmp/pcpvenv/bin/python

Servers: PostgreSQL and MariaDB from LAMINA_TEST_POSTGRES / LAMINA_TEST_MYSQL
(defaults: postgresql://postgres@127.0.0.1:5432/postgres and mysql://root@127.0.0.1:3306).
A whole run appends its figures to results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

# The suite's per-database configuration (databases/constants.py: CONFIG_MAPPING), as data.
CONFIGS = {
    "postgresql": {
        "id": "postgresql", "name": "PostgreSQL", "env_var": "POSTGRESQL_URL", "bools_are_ints": False,
        "default_date_func": "CURRENT_DATE", "autoincrement_id": "Int @id @default(autoincrement())",
        "unsupported_features": [],
    },
    "sqlite": {
        "id": "sqlite", "name": "SQLite", "env_var": "SQLITE_URL", "bools_are_ints": False,
        "default_date_func": "", "autoincrement_id": "Int @id @default(autoincrement())",
        "unsupported_features": ["enum", "json", "date", "arrays", "create_many_skip_duplicates",
                                 "case_sensitivity", "full_text_search"],
    },
    "mariadb": {
        "id": "mysql", "name": "MariaDB", "env_var": "MARIADB_URL", "bools_are_ints": True,
        "default_date_func": "CURRENT_DATE", "autoincrement_id": "Int @id @default(autoincrement())",
        "unsupported_features": ["arrays", "case_sensitivity", "full_text_search"],
    },
}

# Test files per feature (databases/constants.py: FEATURES_MAPPING), relative to the tests folder;
# a trailing "/" stands for every entry of that folder.
FEATURES = {
    "enum": ["test_enum.py", "test_arrays/test_enum.py"],
    "json": ["types/test_json.py", "test_arrays/test_json.py", "types/raw_queries/test_json.py"],
    "arrays": ["arrays/", "types/raw_queries/arrays/"],
    "array_push": ["arrays/push/"],
    "json_arrays": ["arrays/test_json.py", "arrays/push/test_json.py"],
    "transactions": ["test_transactions.py"],
    "date": [],
    "create_many_skip_duplicates": ["test_create_many_skip_duplicates.py"],
    "raw_queries": ["test_raw_queries.py", "types/raw_queries/"],
    "case_sensitivity": ["test_case_sensitivity.py"],
    "full_text_search": ["test_full_text_search.py"],
}

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


class Config:
    """What the template reads: the configuration's fields and `supports_feature`."""

    def __init__(self, data: dict) -> None:
        self.__dict__.update(data)

    def supports_feature(self, feature: str) -> bool:
        return feature not in self.unsupported_features


def excluded(tests_dir: Path, features: list[str]) -> list[str]:
    out = []
    for feature in features:
        for entry in FEATURES[feature]:
            if entry.endswith("/"):
                folder = tests_dir / entry
                out += [str(p) for p in folder.iterdir()] if folder.is_dir() else []
            else:
                out.append(str(tests_dir / entry))
    return out


def database_url(db: str, work: Path) -> tuple[str, object]:
    """A fresh database for one run: (URL, a function dropping it)."""
    name = f"pcp_{uuid.uuid4().hex[:10]}"
    if db == "sqlite":
        return f"file:{work / 'suite.db'}", lambda: None
    if db == "postgresql":
        import psycopg

        server = os.environ.get("LAMINA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return server.rsplit("/", 1)[0] + f"/{name}", drop
    import pymysql

    server = os.environ.get("LAMINA_TEST_MYSQL", "mysql://root@127.0.0.1:3306")
    from urllib.parse import urlsplit

    u = urlsplit(server)
    params = {"host": u.hostname, "port": u.port or 3306, "user": u.username or "root", "password": u.password or ""}

    def sql(text: str) -> None:
        conn = pymysql.connect(autocommit=True, **params)
        try:
            conn.cursor().execute(text)
        finally:
            conn.close()

    sql(f"CREATE DATABASE `{name}`")
    return f"{u.scheme}://{u.netloc}/{name}", lambda: sql(f"DROP DATABASE IF EXISTS `{name}`")


def run_one(suite: Path, python: str, db: str, interface: str, pytest_args: list[str], keep: bool) -> dict:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    config = CONFIGS[db]
    work = Path(tempfile.mkdtemp(prefix=f"pcp_{db}_{interface}_"))
    # The suite imports `databases.*` and `lib.*` from the checkout's root.
    shutil.copytree(suite / "databases", work / "databases")
    shutil.copytree(suite / "lib", work / "lib")
    (work / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\nmarkers =\n  prisma\n  persist_data\n")
    env_t = Environment(trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined, keep_trailing_newline=True,
                        loader=FileSystemLoader(work / "databases" / "templates"))
    schema = work / "schema" / "schema.prisma"
    schema.parent.mkdir()
    schema.write_text(env_t.get_template("schema.prisma.jinja2").render(
        config=Config(config), for_async=interface == "asyncio",
        partial_generator=str(work / "databases" / "partials.py"),
    ))
    url, drop = database_url(db, work)
    env = dict(os.environ, PRISMA_DATABASE=db, DATABASE_CONFIG=json.dumps(config), **{config["env_var"]: url})
    env.pop("PYTEST_ADDOPTS", None)
    lamina = [python, "-m", "lamina"]
    try:
        for step in (["generate", f"--schema={schema}"],
                     ["db", "push", "--force-reset", "--accept-data-loss", "--skip-generate", f"--schema={schema}"]):
            done = subprocess.run(lamina + step, cwd=work, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                return {"setup_error": f"lamina {step[0]}: {done.stdout}{done.stderr}"}
        # As the suite runs itself: from `databases/`, every test folder but the other interface's.
        tests = work / "databases" / ("tests" if interface == "asyncio" else "sync_tests")
        other = work / "databases" / ("sync_tests" if interface == "asyncio" else "tests")
        ignores = [f"--ignore={p}" for p in [*excluded(tests, config["unsupported_features"]), other]]
        report = work / "report.xml"
        done = subprocess.run(
            [python, "-m", "pytest", *ignores, "-p", "no:cacheprovider", "-q", "--continue-on-collection-errors", "-o", "console_output_style=classic",
             f"--junitxml={report}", *pytest_args],
            cwd=work / "databases", env=env, capture_output=True, text=True,
        )
        counts = {"passed": 0, "failed": 0, "error": 0, "skipped": 0, "failures": []}
        if report.exists():
            for case in ET.parse(report).getroot().iter("testcase"):
                node = f"{case.get('classname')}::{case.get('name')}"
                kinds = [c.tag for c in case]
                if "failure" in kinds:
                    counts["failed"] += 1
                    counts["failures"].append(node)
                elif "error" in kinds:
                    counts["error"] += 1
                    counts["failures"].append(node)
                elif "skipped" in kinds:
                    counts["skipped"] += 1
                else:
                    counts["passed"] += 1
        counts["output"] = done.stdout[-20000:] + done.stderr[-5000:]
        return counts
    finally:
        drop()
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--suite", required=True, type=Path, help="a checkout of prisma-client-py")
    ap.add_argument("--python", default=sys.executable, help="the Python that runs the suite")
    ap.add_argument("--databases", default="sqlite,postgresql,mariadb")
    ap.add_argument("--interfaces", default="sync,asyncio")
    ap.add_argument("--failures", action="store_true", help="list the failing tests")
    ap.add_argument("--output", action="store_true", help="print pytest's output")
    ap.add_argument("--keep", action="store_true", help="keep the work folders")
    ap.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = ap.parse_args()
    total_pass = total_run = 0
    rows = []
    for db in args.databases.split(","):
        for interface in args.interfaces.split(","):
            r = run_one(args.suite.resolve(), args.python, db, interface, args.pytest_args, args.keep)
            if "setup_error" in r:
                print(f"{db:<11} {interface:<8} setup failed: {r['setup_error']}")
                continue
            ran = r["passed"] + r["failed"] + r["error"]
            total_pass += r["passed"]
            total_run += ran
            rate = 100.0 * r["passed"] / ran if ran else 0.0
            rows.append(f"{db:<11} {interface:<8} {r['passed']:>5} / {ran:<5} passed ({rate:.1f}%), "
                        f"{r['failed']} failed, {r['error']} errors, {r['skipped']} skipped")
            print(rows[-1], flush=True)
            if args.output:
                print(r["output"])
            if args.failures:
                for node in r["failures"]:
                    print("   ", node)
    if total_run:
        rows.append(f"{'all':<20} {total_pass:>5} / {total_run:<5} passed ({100.0 * total_pass / total_run:.1f}%)")
        print(rows[-1])
        if not args.pytest_args:  # a whole run: dated figures in results.md, as every bench script
            import datetime

            stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            with open(HERE / "results.md", "a", encoding="utf-8") as out:
                out.write(f"\n## prisma_client_py_suite.py — {stamp}\n\nprisma-client-py's database tests passed "
                          "(of those that run) against `lamina generate`'s `prisma`:\n\n```\n" + "\n".join(rows) + "\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
