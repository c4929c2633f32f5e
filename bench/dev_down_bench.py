"""`lamina migrate dev` on the CRM example (SQLite), with the down migration it writes and
verifies on the shadow database (up, down, up again).

Each run: a fresh copy of examples/crm/prisma, `migrate deploy` of its init migration, one
schema change (a column on Org and a new model), then `lamina migrate dev --name change
--skip-generate` timed as a subprocess (wall clock, interpreter start included). Best and
median of N runs; the bar (issue 11) is 1 s.

    python bench/dev_down_bench.py [--runs 7] [--quick]

Figures are printed and appended to bench/results.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(root: Path, *args: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one `lamina` run."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI",)}
    env["DATABASE_URL"] = "file:./dev.db"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "lamina", *args], cwd=root, env=env, capture_output=True, text=True,
                       stdin=subprocess.DEVNULL)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise SystemExit(f"lamina {' '.join(args)} failed:\n{p.stdout}{p.stderr}")
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def one_run() -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="dev-down-") as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "examples" / "crm" / "prisma", root / "prisma",
                        ignore=shutil.ignore_patterns("*.db", "*.db-journal"))
        _run(root, "migrate", "deploy")
        schema = root / "prisma" / "schema.prisma"
        text = schema.read_text().replace("model Org {", "model Org {\n  motto String?", 1)
        schema.write_text(text + "\nmodel Memo {\n  id   Int    @id\n  text String\n}\n")
        took = _run(root, "migrate", "dev", "--name", "change", "--skip-generate")
        (folder,) = [d for d in (root / "prisma" / "migrations").iterdir() if d.name.endswith("_change")]
        assert (folder / "down.sql").is_file()
        return took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="one run, recorded nowhere (CI checks it still runs)")
    args = ap.parse_args()
    runs = 1 if args.quick else args.runs
    results = [one_run() for _ in range(runs)]
    times = [w for w, _ in results]
    cpu = min(c for _, c in results)
    best, median = min(times), statistics.median(times)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = (f"\n## dev_down_bench.py — {stamp}\n\n"
            f"`lamina migrate dev` on the CRM (SQLite, 13 models; one column and one model added), writing and "
            f"verifying down.sql on the shadow database: best {best * 1000:.0f} ms, median {median * 1000:.0f} ms "
            f"wall over {runs} runs (interpreter start included), best CPU {cpu * 1000:.0f} ms; bar 1 s: "
            f"{'met' if best < 1 else 'NOT met'} (wall).\n")
    print(text)
    if not args.quick and os.environ.get("LAMINA_BENCH_NO_RECORD") != "1":
        with open(REPO / "bench" / "results.md", "a", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
