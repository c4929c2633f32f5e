"""Deploy stays linear in the number of migrations on PostgreSQL and MySQL too (the SQLite
recheck is in test_deploy_recheck.py): per migration, no statement of deploy visits the whole
history table, and the migrations folder is listed without a stat per folder."""

from __future__ import annotations

import os
import uuid

import pytest

from lamina.db.connection import connect
from lamina.migrate import history
from lamina.migrate.directory import list_migrations


@pytest.fixture
def pg_database(postgres_server):
    import psycopg

    name = f"lamina_deploytest_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_server.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgres_writes_its_history_row_once_after_the_script(pg_database):
    """The one-round-trip apply is BEGIN; script; INSERT the finished row; COMMIT: no statement of
    it reads or updates the history (finding the started row again, by name, once scanned every
    row for every migration: n² row visits over a deploy of n), and the row is the one Prisma
    leaves after a success."""
    from lamina.migrate.history import now

    conn = connect(pg_database)
    try:
        history.create_table(conn)
        for i in range(3):
            history.record_applied(conn, f"00{i}_old", "0" * 64)
        started = now()
        batch = history.applied_batch_sql(conn, "100_new", "a" * 64, 'CREATE TABLE "t" ("id" INT);', started)
        touching = [line for line in batch.splitlines() if "_prisma_migrations" in line]
        assert len(touching) == 1 and touching[0].startswith("INSERT INTO"), batch
        assert batch.index('CREATE TABLE "t"') < batch.index(touching[0]) < batch.index("COMMIT;")

        conn.execute_batch(batch)
        rows = {r.migration_name: r for r in history.read(conn)}
        new = rows["100_new"]
        assert new.is_applied and new.applied_steps_count == 1 and new.logs is None and new.rolled_back_at is None
        assert new.started_at == started and new.finished_at >= new.started_at and new.checksum == "a" * 64
        assert all(rows[f"00{i}_old"].applied_steps_count == 0 for i in range(3))  # untouched
    finally:
        conn.close()


def test_listing_the_migrations_folder_keeps_folders_only_in_name_order(tmp_path):
    for name in ("20240102000000_b", "20240101000000_a", ".hidden"):
        (tmp_path / name).mkdir()
    (tmp_path / "migration_lock.toml").write_text('provider = "sqlite"\n')
    (tmp_path / "20240103000000_link").symlink_to(tmp_path / "20240101000000_a")  # a link to a folder counts
    (tmp_path / "20240104000000_file").write_text("")
    found = list_migrations(tmp_path)
    assert [m.name for m in found] == ["20240101000000_a", "20240102000000_b", "20240103000000_link"]
    assert all(m.folder == tmp_path / m.name for m in found)


def test_listing_does_not_stat_each_folder(tmp_path, monkeypatch):
    for i in range(50):
        (tmp_path / f"2024{i:010d}_m{i}").mkdir()
    calls = []
    real_stat = os.stat

    def counting_stat(*args, **kwargs):
        calls.append(args[0])
        return real_stat(*args, **kwargs)

    monkeypatch.setattr(os, "stat", counting_stat)
    assert len(list_migrations(tmp_path)) == 50
    assert len(calls) < 5, calls
