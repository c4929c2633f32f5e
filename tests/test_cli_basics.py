"""The CLI skeleton: version, help listing every command of the spec, no tracebacks."""

from __future__ import annotations

import subprocess
import sys

from lamina import __version__


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lamina", *args], capture_output=True, text=True, cwd=cwd, timeout=60
    )


def test_version():
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"lamina {__version__}"


def test_help_lists_every_command_of_the_spec():
    top = run("--help").stdout
    for name in ("init", "migrate", "db", "generate", "validate", "format"):
        assert f"  {name} " in top
    migrate = run("migrate", "--help").stdout
    for name in ("dev", "deploy", "status", "reset", "resolve", "diff"):
        assert f"  {name} " in migrate
    db = run("db", "--help").stdout
    for name in ("push", "pull", "execute", "seed"):
        assert f"  {name} " in db


def test_missing_schema_is_a_clean_error(tmp_path):
    out = run("validate", cwd=tmp_path)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert "Could not find a schema.prisma file" in out.stderr
