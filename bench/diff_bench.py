"""`migrate diff --from-empty --to-schema-datamodel` of a generated 1,000-model schema.

Times (best of --repeat): the whole `lamina` command (a fresh process, as a user runs it),
and in process: load (parse + validate), calculate, diff, render; beside the real Prisma
CLI's `migrate diff --from-empty --to-schema ... --script` on the same schema when
`../shared/anchors` is present. Both providers. Prints the figures and appends them to
bench/results.md. Bar: < 1 s.

    python bench/diff_bench.py [--models 1000] [--repeat 3] [--no-prisma]
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PRISMA = HERE.parent.parent / "shared" / "anchors" / "prisma" / "prisma.sh"


def _generate(models: int, provider: str) -> str:
    spec = importlib.util.spec_from_file_location("parse_bench", HERE / "parse_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(models).replace('provider = "sqlite"', f'provider = "{provider}"')


def best(fn, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times), times


def child_cpu(cmd: list[str], repeat: int, env=None) -> float:
    """Best CPU time (user + system) of a child process: what the work costs, whatever the load."""
    import resource

    best_cpu = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best_cpu = min(best_cpu, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return best_cpu


def in_process(text: str, provider: str, repeat: int) -> dict[str, float]:
    from lamina.dialects import get_dialect
    from lamina.psl.load import parse_and_validate
    from lamina.sql.calculate import calculate
    from lamina.sql.diff import diff
    from lamina.sql.schema import SqlSchema

    dialect = get_dialect(provider)
    figures = {}
    figures["load"], _ = best(lambda: parse_and_validate([("schema.prisma", text)]), repeat)
    dm = parse_and_validate([("schema.prisma", text)])[2]
    figures["calculate"], _ = best(lambda: calculate(dm, dialect), repeat)
    schema = calculate(dm, dialect)
    figures["diff"], _ = best(lambda: diff(SqlSchema(), schema, dialect), repeat)
    migration = diff(SqlSchema(), schema, dialect)
    figures["render"], _ = best(lambda: dialect.render_script(migration), repeat)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-prisma", action="store_true")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, no Prisma, nothing recorded: a check that the script still runs (CI)")
    args = parser.parse_args()
    if args.quick:
        args.models, args.repeat, args.no_prisma = 10, 1, True
    lines = [f"- load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"]
    with tempfile.TemporaryDirectory() as tmp:
        for provider in ("sqlite", "postgresql"):
            path = Path(tmp) / f"{provider}.prisma"
            path.write_text(_generate(args.models, provider))
            cmd = [sys.executable, "-m", "lamina", "migrate", "diff", "--from-empty",
                   "--to-schema-datamodel", str(path), "--script"]
            lamina_s, runs = best(lambda: subprocess.run(cmd, check=True, capture_output=True), args.repeat)
            lamina_cpu = child_cpu(cmd, args.repeat)
            parts = in_process(path.read_text(), provider, args.repeat)
            line = (f"- {provider}: lamina migrate diff --from-empty, {args.models} models: best {lamina_s:.3f} s wall "
                    f"of {args.repeat} ({', '.join(f'{t:.3f}' for t in runs)}), {lamina_cpu:.3f} s CPU; in process: "
                    + ", ".join(f"{k} {v:.3f} s" for k, v in parts.items()))
            if PRISMA.exists() and not args.no_prisma:
                pcmd = [str(PRISMA), "-C", tmp, provider, "migrate", "diff", "--from-empty",
                        "--to-schema", str(path), "--script"]
                env = dict(os.environ, PRISMA_ANCHOR_SKIP_SETUP="1")
                prisma_s, _ = best(lambda: subprocess.run(pcmd, check=True, capture_output=True, env=env), args.repeat)
                prisma_cpu = child_cpu(pcmd, 1, env)
                line += (f"; prisma 7.10.1 same command: {prisma_s:.3f} s wall, {prisma_cpu:.3f} s CPU "
                         f"(lamina {prisma_s / lamina_s:.1f}x faster wall, {prisma_cpu / lamina_cpu:.1f}x CPU)")
            print(line)
            lines.append(line)
    if args.quick:
        return
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    with open(HERE / "results.md", "a", encoding="utf-8") as fh:
        fh.write(f"\n## diff_bench.py — {stamp}\n\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
