"""Soak runs of `migrate deploy` under faults: the scenarios of tests/reliability/scenarios.py
for many seeded trials per database, each on a fresh database. Prints a table and appends it to
bench/results.md (docs/reliability.md quotes the figures).

    python bench/soak_deploy.py --trials 20
    python bench/soak_deploy.py --trials 5 --db postgresql --scenario sigkill --scenario killed-waiting
    python bench/soak_deploy.py --quick          # 1 trial each, nothing recorded (CI)

Servers: LAMINA_TEST_POSTGRES / LAMINA_TEST_MYSQL as the test suite, else the local ones.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import random
import sys
import tempfile
import time
import traceback
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "workflow"), str(REPO / "tests" / "reliability")]

import scenarios  # noqa: E402
from tests.dburls import with_database  # noqa: E402
from wf_helpers import make_project  # noqa: E402

PG = os.environ.get("LAMINA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
MY = os.environ.get("LAMINA_TEST_MYSQL", "mysql://root@127.0.0.1:3306/mysql")

SCENARIOS = {  # name -> (function, keyword arguments, databases)
    "sigkill": (scenarios.sigkill_deploy, {"n": 50, "kills": 5}, ("sqlite", "postgresql", "mysql")),
    "concurrent-present": (scenarios.concurrent_deploys, {"procs": 8, "n": 6}, ("sqlite", "postgresql", "mysql")),
    "concurrent-absent": (scenarios.concurrent_deploys, {"procs": 8, "n": 6, "absent": True},
                          ("sqlite", "postgresql", "mysql")),
    "table-locked": (scenarios.table_locked, {}, ("sqlite", "postgresql", "mysql")),
    "killed-waiting": (scenarios.killed_while_waiting, {}, ("postgresql", "mysql")),
    "connection-killed": (scenarios.connection_killed, {}, ("postgresql", "mysql")),
}
DESCRIBE = {
    "sigkill": "SIGKILL at 5 random points of a 50-migration deploy, then deploy",
    "concurrent-present": "8 concurrent deploys, database present",
    "concurrent-absent": "8 concurrent deploys, database absent",
    "table-locked": "table locked by another session (--lock-timeout 2s), then deploy",
    "killed-waiting": "deploy SIGKILLed while waiting for a table lock, then deploy",
    "connection-killed": "server ends the connection mid-migration, then deploy",
}


def _server_database(provider: str):
    """(url of a fresh database, drop function)."""
    name = f"lamina_soak_{uuid.uuid4().hex[:10]}"
    if provider == "postgresql":
        import psycopg

        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(PG, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return with_database(PG, name), drop
    from wf_helpers import mysql_connect

    conn = mysql_connect(MY)
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}`")
    conn.close()

    def drop_mysql() -> None:
        c = mysql_connect(MY)
        with c.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        c.close()
    return with_database(MY, name), drop_mysql


def trial(provider: str, scenario: str, seed: int) -> tuple[bool, float, dict, str]:
    fn, kwargs, _ = SCENARIOS[scenario]
    with tempfile.TemporaryDirectory(prefix="lamina-soak-") as tmp:
        drop = None
        if provider == "sqlite":
            project = make_project(Path(tmp), "sqlite", "file:./dev.db")
        else:
            url, drop = _server_database(provider)
            project = make_project(Path(tmp), provider, url)
        start = time.perf_counter()
        try:
            figures = fn(project, random.Random(seed), **kwargs)
            return True, time.perf_counter() - start, figures, ""
        except Exception as exc:  # noqa: BLE001 - a failed trial is a figure, not the end of the run
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            return False, time.perf_counter() - start, {}, detail[:2000]
        finally:
            if drop is not None:
                drop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql", "mysql"])
    parser.add_argument("--scenario", action="append", choices=list(SCENARIOS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="one trial of each, nothing recorded")
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/results.md")
    args = parser.parse_args()
    trials = 1 if args.quick else args.trials
    dbs = args.db or ["sqlite", "postgresql", "mysql"]
    rows = []
    failures = []
    for scenario in args.scenario or list(SCENARIOS):
        for provider in dbs:
            if provider not in SCENARIOS[scenario][2]:
                continue
            ok = 0
            times: list[float] = []
            totals: dict[str, int] = {}
            for i in range(trials):
                passed, seconds, figures, detail = trial(provider, scenario, args.seed * 1000 + i)
                ok += passed
                times.append(seconds)
                for key, value in figures.items():
                    totals[key] = totals.get(key, 0) + int(value)
                if not passed:
                    failures.append(f"{scenario} / {provider} / trial {i}: {detail}")
                print(f"{scenario:20} {provider:11} trial {i + 1}/{trials}: {'ok' if passed else 'FAILED'} "
                      f"({seconds:.1f} s) {figures}", flush=True)
            extra = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(totals.items()))
            rows.append((DESCRIBE[scenario], provider, trials, ok, sum(times) / len(times), max(times), extra))
    table = ["| scenario | database | trials | passed | mean s/trial | max s | totals |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
    table += [f"| {d} | {p} | {t} | {ok} | {mean:.1f} | {mx:.1f} | {extra} |" for d, p, t, ok, mean, mx, extra in rows]
    print("\n".join(table))
    for f in failures:
        print("FAILED:", f)
    if not args.quick and not args.no_record:
        stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        with open(REPO / "bench" / "results.md", "a", encoding="utf-8") as fh:
            fh.write(f"\n## soak_deploy.py — {stamp}\n\n`python bench/soak_deploy.py --trials {trials} --seed {args.seed}`"
                     " (2 shared cores, other work running). A trial passes when every migration is applied exactly "
                     "once, every command exits as documented and the database is as expected.\n\n"
                     + "\n".join(table) + "\n")
            for f in failures:
                fh.write(f"\n- FAILED {' '.join(f.split())[:400]}")
            if failures:
                fh.write("\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
