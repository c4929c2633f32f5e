"""Schema commands at scale, Lamina beside Prisma 7.10.1 in the same run: `validate`, `format` and
`migrate diff --from-empty --script` on generated schemas of N models (parse_bench.generate: 10
fields, an index and a relation each), whole processes as a user runs them.

For each size and command the two CLIs run alternately (--repeat rounds, so a noisy moment hits
both); the figures are each one's best wall time, its CPU time (user + system, of that run) and
its peak RSS (ru_maxrss from wait4). Lamina runs cold (`LAMINA_CACHE=0`); its repeat run (the
cache of lamina.cache warm) is a separate column. Prints a table and appends it to
bench/results.md. Prisma comes from ../shared/anchors/prisma/prisma.sh; without Node or the
anchors its columns say so.

`--mypyc-site DIR` adds a column for Lamina's optional compiled build (setup.py, LAMINA_MYPYC=1)
installed into DIR (`pip install --no-deps --target DIR dist/lamina-*.whl`): the same commands
run with DIR first on PYTHONPATH, in the same rounds.

    python bench/scale_bench.py [--sizes 100,1000,5000,10000] [--commands validate,format,migrate diff]
                                [--repeat 2] [--no-prisma] [--mypyc-site DIR] [--quick] [--docs]
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
PRISMA = HERE.parent.parent / "shared" / "anchors" / "prisma" / "prisma.sh"
COMMANDS = {
    "validate": (["validate", "--schema", "{schema}"], ["validate", "--schema", "{schema}"]),
    "format": (["format", "--schema", "{schema}"], ["format", "--schema", "{schema}"]),
    "migrate diff": (["migrate", "diff", "--from-empty", "--to-schema-datamodel", "{schema}", "--script"],
                     ["migrate", "diff", "--from-empty", "--to-schema", "{schema}", "--script"]),
}


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MiB) of one run of `cmd`."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:]}")
    proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def prisma_available() -> str | None:
    """None when Prisma can run here, else why not."""
    if not PRISMA.exists():
        return f"{PRISMA} not found"
    if shutil.which("node") is None:
        return "node not found"
    return None


def best(runs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    return min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs)


def measure(size: int, folder: Path, repeat: int, with_prisma: bool,
            commands: list[str], mypyc_site: str | None = None) -> dict[str, dict[str, tuple[float, float, float]]]:
    from parse_bench import generate

    text = generate(size).replace('provider = "sqlite"', 'provider = "postgresql"')
    schema = folder / f"s{size}.prisma"
    env = dict(os.environ, LAMINA_CACHE_DIR=str(folder / "cache"), PRISMA_ANCHOR_SKIP_SETUP="1")
    cold = dict(env, LAMINA_CACHE="0")
    compiled = dict(cold, PYTHONPATH=os.pathsep.join(filter(None, [mypyc_site, os.environ.get("PYTHONPATH")])))
    out: dict[str, dict[str, tuple[float, float, float]]] = {}
    for name in commands:
        lamina_args, prisma_args = COMMANDS[name]
        runs: dict[str, list] = {"lamina": [], "prisma": [], "lamina repeat": [], "lamina mypyc": []}
        for _ in range(repeat):
            schema.write_text(text)  # format rewrites it: every round starts from the same file
            runs["lamina"].append(timed([sys.executable, "-m", "lamina", *[a.format(schema=schema) for a in lamina_args]],
                                        folder, cold))
            if mypyc_site:
                schema.write_text(text)
                runs["lamina mypyc"].append(timed([sys.executable, "-m", "lamina", *[a.format(schema=schema) for a in lamina_args]],
                                                  folder, compiled))
            if with_prisma:
                schema.write_text(text)
                runs["prisma"].append(timed([str(PRISMA), "-C", str(folder), "postgresql",
                                             *[a.format(schema=schema) for a in prisma_args]], folder, env))
        schema.write_text(text)
        lamina_cmd = [sys.executable, "-m", "lamina", *[a.format(schema=schema) for a in lamina_args]]
        for _ in range(2):  # fill the cache: a first run only marks the schema, the second stores its entry
            timed(lamina_cmd, folder, env)
        for _ in range(repeat):
            runs["lamina repeat"].append(timed(lamina_cmd, folder, env))
        out[name] = {k: best(v) for k, v in runs.items() if v}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,5000,10000")
    parser.add_argument("--commands", default=",".join(COMMANDS), help="a comma-separated subset of: " + ", ".join(COMMANDS))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-prisma", action="store_true")
    parser.add_argument("--mypyc-site", help="a folder holding Lamina's compiled wheel installed with --target: adds its column")
    parser.add_argument("--quick", action="store_true", help="10 models, no Prisma, nothing recorded (CI)")
    parser.add_argument("--docs", action="store_true", help="also write the table into docs/performance.md")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.repeat, args.no_prisma = "10", 1, True
    why_not = "--no-prisma" if args.no_prisma else prisma_available()
    if why_not and not args.no_prisma:
        print(f"Prisma skipped: {why_not}")
    lines = ["Wall s / CPU s / peak MiB, best of the rounds. Lamina cold (LAMINA_CACHE=0) and repeated (cache warm).", "",
             "| models | command | Lamina cold | Prisma 7.10.1 | Prisma/Lamina wall (CPU) | Lamina repeat |"
             + (" Lamina mypyc cold | Prisma/mypyc wall (CPU) |" if args.mypyc_site else ""),
             "| ---: | --- | ---: | ---: | ---: | ---: |" + (" ---: | ---: |" if args.mypyc_site else "")]

    def cell(r: tuple[float, float, float]) -> str:
        return f"{r[0]:.2f} / {r[1]:.2f} / {r[2]:.0f}"

    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            figures = measure(size, Path(tmp), args.repeat, why_not is None, args.commands.split(","), args.mypyc_site)
            for name, r in figures.items():
                lam, rep = r["lamina"], r["lamina repeat"]
                if "prisma" in r:
                    pri = r["prisma"]
                    prisma, ratio = cell(pri), f"{pri[0] / lam[0]:.2f}x ({pri[1] / lam[1]:.2f}x)"
                else:
                    prisma, ratio = f"skipped ({why_not})", "—"
                line = f"| {size:,} | {name} | {cell(lam)} | {prisma} | {ratio} | {cell(rep)} |"
                if "lamina mypyc" in r:
                    mc = r["lamina mypyc"]
                    mc_ratio = f"{r['prisma'][0] / mc[0]:.2f}x ({r['prisma'][1] / mc[1]:.2f}x)" if "prisma" in r else "—"
                    line += f" {cell(mc)} | {mc_ratio} |"
                print(line, flush=True)
                lines.append(line)
    print("\n".join(lines))
    if not args.quick:
        report.record("scale", "scale_bench.py", lines, docs=args.docs)


if __name__ == "__main__":
    main()
