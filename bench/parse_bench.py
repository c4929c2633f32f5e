"""Parse + validate a generated 1,000-model schema; `lamina --version` beside `python -c pass`.

Each model has 10 fields (one a relation to the previous model, plus its back-relation list)
and an `@@index`. Times (best of --repeat): parse, validate (when `lamina.psl.validate`
exists), parse + validate, format; the real Prisma CLI's `validate` on the same schema when
`../shared/anchors` is present. Prints the figures and appends them to bench/results.md.

    python bench/parse_bench.py [--models 1000] [--repeat 5] [--no-prisma] [--no-record]
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PRISMA = HERE.parent.parent / "shared" / "anchors" / "prisma" / "prisma.sh"


def generate(models: int) -> str:
    parts = ['generator client {\n  provider = "lamina"\n}\n\ndatasource db {\n  provider = "sqlite"\n}\n']
    for i in range(models):
        prev, nxt = (i - 1) % models, (i + 1) % models
        parts.append(
            f"model M{i} {{\n"
            "  id        Int      @id @default(autoincrement())\n"
            "  name      String\n"
            "  email     String   @unique\n"
            "  age       Int?\n"
            "  score     Float    @default(0)\n"
            "  active    Boolean  @default(true)\n"
            "  createdAt DateTime @default(now())\n"
            "  updatedAt DateTime @updatedAt\n"
            "  prevId    Int?\n"
            f"  prev      M{prev}?  @relation(fields: [prevId], references: [id])\n"
            f"  nexts     M{nxt}[]\n"
            "\n"
            "  @@index([name, createdAt])\n"
            "}\n"
        )
    return "\n".join(parts)


def best(fn, repeat: int) -> tuple[float, float, list[float]]:
    """Best wall time, best CPU time of this process, and every wall time. On a shared,
    loaded machine the CPU time is the figure to read: wall time then mostly measures waiting."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - started_cpu)
        walls.append(time.perf_counter() - started)
    return min(walls), min(cpus), walls


def wall(cmd: list[str], repeat: int) -> float:
    return best(lambda: subprocess.run(cmd, check=True, capture_output=True), repeat)[0]


def load_average() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-prisma", action="store_true")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to results.md")
    parser.add_argument("--quick", action="store_true", 
                        help="small sizes, no Prisma, nothing recorded: a check that the script still runs (CI)")
    args = parser.parse_args()
    if args.quick:
        args.models, args.repeat, args.no_prisma, args.no_record = 20, 1, True, True

    from lamina.psl.format import format_schema
    from lamina.psl.parser import parse_schema

    try:
        from lamina.psl.validate import validate
    except ImportError:
        validate = None

    text = generate(args.models)
    sources = [("schema.prisma", text)]
    _, diagnostics = parse_schema(sources)
    assert not diagnostics.errors, diagnostics.errors[:3]
    lines = [
        f"- schema: {args.models} models, {text.count(chr(10))} lines, {len(text) // 1024} KiB; load average {load_average()}"
    ]

    parse_time, parse_cpu, parse_all = best(lambda: parse_schema(sources), args.repeat)
    lines.append(
        f"- parse: best {parse_time:.3f} s wall, {parse_cpu:.3f} s CPU, of {args.repeat} "
        f"({', '.join(f'{t:.3f}' for t in parse_all)})"
    )
    if validate is not None:

        def parse_and_validate():
            ast, diags = parse_schema(sources)
            return validate(ast, diags), diags

        datamodel, diags = parse_and_validate()
        status = "valid" if datamodel is not None and not diags.errors else f"{len(diags.errors)} errors"
        total, total_cpu, total_all = best(parse_and_validate, args.repeat)
        lines.append(
            f"- parse + validate: best {total:.3f} s wall, {total_cpu:.3f} s CPU, of {args.repeat} "
            f"({', '.join(f'{t:.3f}' for t in total_all)}); validate alone ~{total_cpu - parse_cpu:.3f} s CPU; "
            f"schema {status}; bar < 0.5 s: {'met' if total < 0.5 else 'NOT met'} (wall), "
            f"{'met' if total_cpu < 0.5 else 'NOT met'} (CPU)"
        )
    else:
        lines.append("- validate: lamina.psl.validate not available yet")
    fmt_time, fmt_cpu, _ = best(lambda: format_schema(sources), max(1, args.repeat // 2))
    lines.append(f"- format: best {fmt_time:.3f} s wall, {fmt_cpu:.3f} s CPU")

    version = wall([sys.executable, "-m", "lamina", "--version"], args.repeat)
    baseline = wall([sys.executable, "-c", "pass"], args.repeat)
    lines.append(
        f"- `python -m lamina --version`: {version * 1000:.0f} ms wall; `python -c pass`: {baseline * 1000:.0f} ms "
        f"(overhead {1000 * (version - baseline):.0f} ms); bar < 150 ms: {'met' if version < 0.15 else 'NOT met'}"
    )

    if PRISMA.exists() and not args.no_prisma:
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "prisma").mkdir()
            (Path(tmp) / "prisma" / "schema.prisma").write_text(text)
            started = time.perf_counter()
            result = subprocess.run([str(PRISMA), "-C", tmp, "sqlite", "validate"], capture_output=True, text=True)
            elapsed = time.perf_counter() - started
        outcome = "valid" if result.returncode == 0 else f"exit {result.returncode}"
        lines.append(f"- prisma 7.10.1 `validate` on the same schema (whole CLI run): {elapsed:.3f} s ({outcome})")

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    report = f"\n## parse_bench.py — {stamp}\n\n" + "\n".join(lines) + "\n"
    print(report)
    if not args.no_record:
        with open(HERE / "results.md", "a", encoding="utf-8") as fh:
            fh.write(report)


if __name__ == "__main__":
    main()
