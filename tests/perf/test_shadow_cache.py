"""The shadow replay's repeat-run cache (migrate/shadow_replay.py): on SQLite a repeat
`migrate dev` reads the schema the migrations make from the cache instead of replaying them,
and still finds drift, writes and verifies new migrations, and replays an edited history."""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path

import pytest

from tests.perf.test_repeat_cache import entries, forge, run

SCHEMA = """datasource db {
  provider = "sqlite"
  url      = "file:./dev.db"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
}
"""
WITH_NAME = SCHEMA.replace("email String @unique", "email String @unique\n  name  String?")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SCHEMA)
    first = dev(tmp_path, "--name", "init")
    assert first.returncode == 0, first.stderr
    return tmp_path


def dev(project: Path, *args: str, **env: str):
    return run(project, "migrate", "dev", "--skip-generate", *args, **env)


def warm(project: Path) -> Path:
    """Two repeat runs: the first leaves a marker, the second stores the entry."""
    for _ in range(2):
        again = dev(project)
        assert again.returncode == 0, again.stderr
        assert "Already in sync" in again.stdout
    [entry] = entries(project, "shadow")
    return entry


def test_a_repeat_run_reads_the_replayed_schema_from_the_cache(project):
    entry = warm(project)
    from lamina.sql.schema import SqlSchema

    forge(entry, pickle.dumps(SqlSchema(tables=[])))  # "the migrations make no table"
    forged = dev(project)
    assert forged.returncode == 4  # the database then has drifted from the history
    assert "[+] Added tables\n  - User" in forged.stdout + forged.stderr


def test_drift_is_still_found_with_a_warm_cache(project):
    warm(project)
    with sqlite3.connect(project / "prisma" / "dev.db") as db:
        db.execute('CREATE TABLE "Extra" ("id" INTEGER PRIMARY KEY)')
    drifted = dev(project)
    assert drifted.returncode == 4
    assert "[+] Added tables\n  - Extra" in drifted.stdout + drifted.stderr


def test_a_new_migration_replays_what_the_cache_answered(project):
    warm(project)
    (project / "prisma" / "schema.prisma").write_text(WITH_NAME)
    added = dev(project, "--name", "name")  # its down migration is verified on the shadow, which needs "User"
    assert added.returncode == 0, added.stderr
    [folder] = [p for p in (project / "prisma" / "migrations").iterdir() if p.name.endswith("_name")]
    assert 'ALTER TABLE "User" ADD COLUMN "name" TEXT;' in (folder / "migration.sql").read_text()
    assert (folder / "down.sql").is_file()
    with sqlite3.connect(project / "prisma" / "dev.db") as db:
        columns = [row[1] for row in db.execute('PRAGMA table_info("User")')]
    assert columns == ["id", "email", "name"]
    assert "Already in sync" in dev(project).stdout


def test_an_edited_migration_is_not_answered_from_the_cache(project):
    entry = warm(project)
    forge(entry, pickle.dumps("never read"))
    [folder] = [p for p in (project / "prisma" / "migrations").iterdir() if p.is_dir()]
    script = folder / "migration.sql"
    script.write_text(script.read_text() + "\n-- a comment changes the checksum\n")
    edited = dev(project)
    assert edited.returncode == 4  # Prisma's "was modified after it was applied"
    assert "was modified after it was applied" in edited.stdout + edited.stderr


def test_no_cache_without_it(project):
    warm_env = {"LAMINA_CACHE": "0"}
    for _ in range(3):
        assert dev(project, **warm_env).returncode == 0
    assert entries(project, "shadow") == []
