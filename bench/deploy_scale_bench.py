"""`lamina migrate deploy` of thousands of one-table migrations on SQLite, beside the `sqlite3`
command-line client running the same SQL, one transaction per migration as deploy applies them.

For each --counts N: a fresh database each run; the figures are wall and CPU time (of the child
process) and the per-migration cost, so that growth faster than the count shows as a rising
per-migration figure. (PostgreSQL's deploy against `psql -f` is in workflow_bench.py.)
Prints a table and appends it to bench/results.md.

    python bench/deploy_scale_bench.py [--counts 1000,3000] [--quick]
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMA = 'datasource db {\n  provider = "sqlite"\n  url = "file:./dev.db"\n}\n'


def sql_of(i: int) -> str:
    return f'-- CreateTable\nCREATE TABLE "T{i}" (\n    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    "name" TEXT NOT NULL\n);\n'


def project(root: Path, count: int) -> None:
    migrations = root / "prisma" / "migrations"
    migrations.mkdir(parents=True)
    (root / "prisma" / "schema.prisma").write_text(SCHEMA)
    (migrations / "migration_lock.toml").write_text('provider = "sqlite"\n')
    for i in range(count):
        folder = migrations / f"2024{i:010d}_m{i}"
        folder.mkdir()
        (folder / "migration.sql").write_text(sql_of(i))
    (root / "all.sql").write_text("".join(f"BEGIN;\n{sql_of(i)}COMMIT;\n" for i in range(count)))


def timed(cmd: list[str], cwd: Path, stdin: Path | None = None) -> tuple[float, float]:
    started = time.perf_counter()
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as fh:
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=fh, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:]}")
    proc.stderr.close()
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", default="1000,3000")
    parser.add_argument("--quick", action="store_true", help="20 migrations, nothing recorded (CI)")
    args = parser.parse_args()
    if args.quick:
        args.counts = "20"
    sqlite3_cli = shutil.which("sqlite3")
    lines = [f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs", "",
             "| migrations | lamina deploy s (CPU) | ms per migration | sqlite3 CLI s (CPU) | lamina/sqlite3 wall |",
             "| ---: | ---: | ---: | ---: | ---: |"]
    with tempfile.TemporaryDirectory() as tmp:
        for count in (int(c) for c in args.counts.split(",")):
            root = Path(tmp) / str(count)
            project(root, count)
            wall, cpu = timed([sys.executable, "-m", "lamina", "migrate", "deploy"], root)
            if sqlite3_cli:
                cli_wall, cli_cpu = timed([sqlite3_cli, str(root / "cli.db")], root, stdin=root / "all.sql")
                cli, ratio = f"{cli_wall:.2f} ({cli_cpu:.2f})", f"{wall / cli_wall:.2f}x"
            else:
                cli, ratio = "sqlite3 not found", "—"
            line = f"| {count:,} | {wall:.2f} ({cpu:.2f}) | {wall / count * 1000:.2f} | {cli} | {ratio} |"
            print(line, flush=True)
            lines.append(line)
    print("\n".join(lines))
    if args.quick:
        return
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    with open(HERE / "results.md", "a", encoding="utf-8") as fh:
        fh.write(f"\n## deploy_scale_bench.py — {stamp}\n\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
