"""Every benchmark in bench/ still runs: each script's `--quick` mode (small sizes, no Prisma,
nothing recorded), against the same servers as the suite. A benchmark that nobody runs rots
(client_bench.py once imported a test helper that no longer existed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# script -> (extra arguments, the servers it needs)
QUICK = {
    "parse_bench.py": ([], ()),
    "diff_bench.py": ([], ()),
    "describe_bench.py": ([], ("postgres_server",)),
    "workflow_bench.py": ([], ("postgres_server", "mysql_server")),
    "client_bench.py": ([], ("postgres_server", "mysql_server")),
    "soak_deploy.py": ([], ("postgres_server", "mysql_server")),
    "pool_bench.py": ([], ("postgres_server", "mysql_server")),
    "large_results_bench.py": ([], ("postgres_server", "mysql_server")),
    "scale_bench.py": ([], ()),
    "deploy_scale_bench.py": ([], ("postgres_server", "mysql_server")),
    "studio_bench.py": ([], ("postgres_server",)),
    "fleet_bench.py": ([], ("postgres_server",)),
    "replica_bench.py": ([], ()),  # starts its own primary + replica
    "relation_joins_bench.py": ([], ("postgres_server", "mysql_server")),
    "dev_down_bench.py": ([], ()),
    "repeat_bench.py": ([], ()),
}


def test_every_benchmark_has_a_quick_run_here():
    scripts = {p.name for p in (REPO / "bench").glob("*.py")}
    # acceptance runs that install third-party packages, or compare with Prisma on a project you
    # check out or on generated schemas and databases (differential_prisma.py, differential_pull.py:
    # the real CLI, minutes), are not
    # benchmarks and never run here; report.py is the benches' recorder and performance.py runs
    # four of them (checked below)
    not_benchmarks = {"litellm_acceptance.py", "prisma_client_py_suite.py", "real_history_compare.py", "real_history_mysql.py",
                      "differential_prisma.py", "differential_pull.py", "report.py", "performance.py"}
    assert scripts - not_benchmarks == set(QUICK)


def test_the_performance_run_names_options_its_scripts_take():
    """bench/performance.py runs each script with its options and --docs: each must accept them."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from performance import RUNS
    finally:
        sys.path.pop(0)
    for script, *options in RUNS.values():
        usage = subprocess.run([sys.executable, str(REPO / "bench" / script), "--help"], cwd=REPO,
                               capture_output=True, text=True, timeout=120)
        assert usage.returncode == 0, usage.stderr
        for option in [o for o in options if o.startswith("--")] + ["--docs"]:
            assert option in usage.stdout, f"{script} has no {option}"
    docs = (REPO / "docs" / "performance.md").read_text()
    for name in RUNS:
        assert docs.count(f"<!-- bench:{name} -->") == docs.count(f"<!-- /bench:{name} -->") == 1, name


@pytest.mark.parametrize("script", sorted(QUICK))
def test_benchmark_quick_mode_runs(script, request):
    args, servers = QUICK[script]
    env = dict(os.environ)
    if "postgres_server" in servers:
        pg = request.getfixturevalue("postgres_server")
        env.update(LAMINA_TEST_POSTGRES=pg, LAMINA_BENCH_POSTGRES=pg)
    if "mysql_server" in servers:
        env["LAMINA_TEST_MYSQL"] = request.getfixturevalue("mysql_server")
    before = (REPO / "bench" / "results.md").read_bytes()
    p = subprocess.run([sys.executable, str(REPO / "bench" / script), "--quick", *args],
                       cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, (p.stdout + p.stderr)[-3000:]
    assert p.stdout.strip(), "a benchmark prints its figures"
    assert (REPO / "bench" / "results.md").read_bytes() == before, "quick runs record nothing"
