"""The README's Quick start: its first command, as written, on a copy of the CRM example."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert commands[0].startswith("pip install -e . && ")
    assert "pytest" in commands[1]


def test_main_job_runs_the_development_flow_on_the_crm_example(tmp_path):
    main_job = quick_start_commands()[0].removeprefix("pip install -e . && ")
    shutil.copytree(
        REPO / "examples" / "crm",
        tmp_path / "examples" / "crm",
        ignore=shutil.ignore_patterns("*.db", "*.db-journal", ".env", "crm_client", "__pycache__"),
    )
    # `lamina` must be the one of this interpreter's environment.
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("DATABASE_URL", None)
    first = subprocess.run(["bash", "-c", main_job], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Traceback" not in first.stderr
    assert "The following migration(s) have been applied:" in first.stdout
    assert "20251026090416_init" in first.stdout
    assert first.stdout.rstrip().endswith("Database schema is up to date!")
    assert (tmp_path / "examples/crm/prisma/dev.db").is_file()
    rows = sqlite3.connect(tmp_path / "examples/crm/prisma/dev.db").execute(
        "SELECT migration_name, finished_at IS NOT NULL FROM _prisma_migrations"
    ).fetchall()
    assert rows == [("20251026090416_init", 1)]
    assert "Seeded the demo org: 1 orgs, 3 users, 3 companies, 4 contacts, 3 deals, 4 tasks" in first.stdout

    again = subprocess.run(["bash", "-c", main_job], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Already in sync" in again.stdout
    assert again.stdout.rstrip().endswith("Database schema is up to date!")
    # The seed is idempotent: the second run left the same demo org.
    db = sqlite3.connect(tmp_path / "examples/crm/prisma/dev.db")
    assert db.execute('SELECT COUNT(*) FROM "deals"').fetchone() == (3,)
    assert db.execute('SELECT COUNT(*) FROM "users"').fetchone() == (3,)
    # No new migration was created by either run.
    assert sorted(p.name for p in (tmp_path / "examples/crm/prisma/migrations").iterdir() if p.is_dir()) == [
        "20251026090416_init"
    ]
