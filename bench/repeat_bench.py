"""Repeat runs on an unchanged schema: `generate`, `migrate dev` (SQLite, nothing to change) and
`migrate diff --from-empty --script`, the first run (cache folder empty) against the repeat run
(the repeat-run cache of lamina.cache warm), and the repeat run with `LAMINA_CACHE=0`, on the
CRM example and on generated schemas of N models (parse_bench.generate: 10 fields, an index
and a relation each). Whole processes as a user runs them; wall seconds, best of --repeat
rounds, and CPU seconds (user + system). Prints a table and appends it to bench/results.md.

    python bench/repeat_bench.py [--sizes 2000,5000] [--repeat 2] [--quick] [--docs]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import report  # noqa: E402 - bench/report.py, beside this script
CRM = HERE.parent / "examples" / "crm" / "prisma" / "schema.prisma"
COMMANDS = {
    "generate": ["generate", "--schema", "prisma/schema.prisma"],
    "migrate dev": ["migrate", "dev", "--skip-generate", "--skip-seed", "--schema", "prisma/schema.prisma"],
    "migrate diff": ["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
}


def project(folder: Path, schema_text: str) -> Path:
    (folder / "prisma").mkdir(parents=True)
    (folder / "prisma" / "schema.prisma").write_text(schema_text)
    return folder


def generated(models: int) -> str:
    from parse_bench import generate

    return generate(models).replace('provider = "sqlite"\n}', 'provider = "sqlite"\n  url      = "file:./dev.db"\n}', 1)


def crm() -> str:
    return CRM.read_text().replace('env("DATABASE_URL")', '"file:./dev.db"').replace(
        'output    = "../crm_client"', 'output    = "../client"')


def timed(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall s, CPU s) of one run: CPU (user + system, from wait4) is what a loaded machine
    disturbs least."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "lamina", *args], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    error = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"lamina {' '.join(args)} failed: {error[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(r[0] for r in runs), min(r[1] for r in runs)


def measure(name: str, schema_text: str, repeat: int) -> dict[str, tuple[tuple[float, float], ...]]:
    """command -> (first run, repeat run with the cache, repeat run with LAMINA_CACHE=0), each
    (wall s, CPU s)."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="lamina-repeat-") as tmp:
        folder = project(Path(tmp) / name, schema_text)
        cache = Path(tmp) / "cache"
        env = dict(os.environ, LAMINA_CACHE_DIR=str(cache))
        # the database exists and is in sync: every measured `migrate dev` has nothing to do
        timed(COMMANDS["migrate dev"] + ["--name", "init"], folder, dict(env, LAMINA_CACHE="0"))
        for command, args in COMMANDS.items():
            firsts, repeats, offs = [], [], []
            for _ in range(repeat):
                shutil.rmtree(cache, ignore_errors=True)
                first = timed(args, folder, env)
                # The cache stores a large result from a schema's second run on (the first only
                # leaves a marker; lamina.cache.put_object_on_repeat): repeat until a run adds
                # no entry, which is then a repeat answered from the cache.
                for _attempt in range(4):
                    stored = entries(cache)
                    again = timed(args, folder, env)
                    if entries(cache) == stored:
                        break
                firsts.append(first)
                repeats.append(again)
                offs.append(timed(args, folder, dict(env, LAMINA_CACHE="0")))
            out[command] = (best(firsts), best(repeats), best(offs))
    return out


def entries(cache: Path) -> set[str]:
    return {p.name for p in cache.iterdir()} if cache.is_dir() else set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,5000")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="the CRM and 200 models, one round (CI)")
    parser.add_argument("--docs", action="store_true", help="also write the table into docs/performance.md")
    args = parser.parse_args()
    sizes = [200] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    repeat = 1 if args.quick else args.repeat
    cases = [("CRM (13 models)", crm())] + [(f"{n:,} models", generated(n)) for n in sizes]
    lines = ["| schema | command | first run | repeat (cache) | repeat (LAMINA_CACHE=0) | speed-up (CPU) |",
             "|---|---|---|---|---|---|"]
    for label, text in cases:
        for command, (first, again, off) in measure(label.split()[0].replace(",", ""), text, repeat).items():
            cells = " | ".join(f"{wall:.2f} / {cpu:.2f}" for wall, cpu in (first, again, off))
            lines.append(f"| {label} | `{command}` | {cells} | {off[1] / again[1]:.1f}x |")
            print(lines[-1], flush=True)
    if not args.quick:
        intro = ("Wall s / CPU s (user + system), best of the rounds. `migrate dev` on SQLite with nothing to change "
                 "(the database is described every run); speed-up = repeat without the cache / repeat with it.")
        report.record("repeat", "repeat_bench.py", [intro, "", *lines], docs=args.docs)


if __name__ == "__main__":
    main()
