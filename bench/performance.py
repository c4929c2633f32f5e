"""Every table of docs/performance.md in one run: the schema commands at 100 to 10,000 models
beside Prisma (scale_bench), repeat runs (repeat_bench), `find_many` of 100,000 rows beside the
raw drivers (large_results_bench) and the deploy of thousands of migrations beside each
database's client and Prisma (deploy_scale_bench). Each script runs in turn, prints its table,
appends it to results.md and writes it between its markers in docs/performance.md (--docs).
Run it on a quiet machine: the ratios are measured in the same rounds, the seconds are not
comparable between machines.

    python bench/performance.py [--only scale,repeat,large_results,deploy] [--quick]

`--quick` runs every script's quick mode instead (small sizes, nothing written): what CI runs,
through tests/test_bench_quick.py, so that none of them breaks unnoticed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = {
    "scale": ["scale_bench.py", "--sizes", "100,1000,5000,10000", "--repeat", "2"],
    "repeat": ["repeat_bench.py", "--sizes", "2000"],
    "large_results": ["large_results_bench.py"],
    "deploy": ["deploy_scale_bench.py", "--counts", "1000"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(RUNS), help="a comma-separated subset of: " + ", ".join(RUNS))
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    failed = []
    for name in args.only.split(","):
        script, *options = RUNS[name]
        command = [sys.executable, str(HERE / script), *(["--quick"] if args.quick else [*options, "--docs"])]
        print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
        if subprocess.run(command).returncode != 0:
            failed.append(name)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
