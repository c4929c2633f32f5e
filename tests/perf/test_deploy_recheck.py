"""SQLite deploy's recheck (history.AppliedMeanwhile): inside each migration's BEGIN EXCLUSIVE it
sees a migration another process applied meanwhile, ignores rolled-back rows, and reads only the
rows written since its previous look, so deploying n migrations stays linear."""

from __future__ import annotations

from lamina.db.connection import connect
from lamina.migrate import history


def test_applied_meanwhile_sees_new_rows_only_once(tmp_path):
    conn = connect(f"file:{tmp_path / 'dev.db'}", create=True)
    try:
        assert history.AppliedMeanwhile()(conn, "x") is False  # no history table yet
        history.create_table(conn)
        recheck = history.AppliedMeanwhile()
        assert recheck(conn, "001_a") is False
        history.record_started(conn, "001_a", "0" * 64)  # another deploy, between two of ours
        rolled = history.record_started(conn, "002_b", "0" * 64)
        conn.execute(f"UPDATE {history.table_name(conn)} SET rolled_back_at = ? WHERE id = ?",
                     ("2026-01-01T00:00:00.000+00:00", rolled))
        assert recheck(conn, "001_a") is True
        assert recheck(conn, "002_b") is False  # rolled back: still to apply
        seen = recheck.last_rowid
        assert recheck(conn, "003_c") is False
        assert recheck.last_rowid == seen  # nothing new: nothing read again
    finally:
        conn.close()


def test_sqlite_deploy_of_many_migrations(tmp_path):
    """300 migrations deploy, each once, and a second deploy applies nothing."""
    import subprocess
    import sys

    migrations = tmp_path / "prisma" / "migrations"
    migrations.mkdir(parents=True)
    (tmp_path / "prisma" / "schema.prisma").write_text('datasource db {\n  provider = "sqlite"\n  url = "file:./dev.db"\n}\n')
    (migrations / "migration_lock.toml").write_text('provider = "sqlite"\n')
    for i in range(300):
        folder = migrations / f"2024{i:010d}_m{i}"
        folder.mkdir()
        (folder / "migration.sql").write_text(f'CREATE TABLE "T{i}" ("id" INTEGER NOT NULL PRIMARY KEY);\n')
    run = [sys.executable, "-m", "lamina", "migrate", "deploy"]
    first = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    second = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0 and "No pending migrations to apply." in second.stdout + second.stderr
    conn = connect(f"file:{tmp_path / 'prisma' / 'dev.db'}")
    try:
        assert conn.query(f"SELECT COUNT(*), COUNT(DISTINCT migration_name) FROM {history.table_name(conn)}") == [(300, 300)]
    finally:
        conn.close()
