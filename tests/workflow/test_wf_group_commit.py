"""SQLite deploy commits runs of short migrations together (migrate/group_commit.py).

What a group must never change is what a deploy leaves: the same tables, the same history rows,
the same error, whether the migrations shared commits or not. Each case runs the same
migrations twice, once with a window long enough for all of them to share one commit and once
with no window (one commit each, as before groups), and compares the two databases."""

from __future__ import annotations

import pytest

from lamina.db.connection import connect
from lamina.errors import LaminaError
from lamina.migrate import group_commit
from lamina.migrate.deploy import apply_pending
from lamina.migrate.directory import list_migrations
from wf_helpers import commit_units, make_project

ONE_GROUP, NO_GROUP = 60.0, 0.0  # group_commit.WINDOW_S


def _deploy(tmp_path, name: str, migrations: list[tuple[str, str]], window: float, monkeypatch,
            foreign_keys: bool = False, python: dict[str, str] | None = None):
    """Apply `migrations` on a fresh SQLite project; (statements sent, error raised or None, project)."""
    folder = tmp_path / name
    folder.mkdir()
    project = make_project(folder, "sqlite", "file:./dev.db")
    for migration, sql in migrations:
        path = project.add_migration(migration, sql)
        if python and migration in python:
            (path / "migration.py").write_text(python[migration])
    monkeypatch.setattr(group_commit, "WINDOW_S", window)
    conn = connect(f"file:{project.root / 'prisma' / 'dev.db'}", create=True)
    if foreign_keys:  # as an application's connection settings may have it
        conn.execute("PRAGMA foreign_keys = ON")
    sent: list[str] = []
    run = conn._run

    def spy(sql, params, fetch):
        sent.append(sql)
        return run(sql, params, fetch)

    conn._run = spy  # type: ignore[method-assign]
    error = None
    try:
        apply_pending(conn, list_migrations(project.migrations))
    except LaminaError as exc:
        error = exc
    finally:
        conn.close()
    return sent, error, project


def _state(project) -> tuple:
    """The database as a deploy leaves it: its objects, and the history without ids and times."""
    objects = project.query("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
    rows = project.query("SELECT migration_name, checksum, finished_at IS NOT NULL, rolled_back_at IS NOT NULL, "
                         "logs, applied_steps_count FROM _prisma_migrations ORDER BY rowid")
    return objects, rows


def _same_outcome(tmp_path, monkeypatch, migrations, **kwargs):
    grouped = _deploy(tmp_path, "grouped", migrations, ONE_GROUP, monkeypatch, **kwargs)
    alone = _deploy(tmp_path, "alone", migrations, NO_GROUP, monkeypatch, **kwargs)
    assert _state(grouped[2]) == _state(alone[2])
    assert str(grouped[1]) == str(alone[1])
    return grouped, alone


MIGRATIONS = [("20250101000001_a", 'CREATE TABLE "a" ("id" INTEGER);\n'),
              ("20250101000002_b", 'CREATE TABLE "b" ("id" INTEGER);\nINSERT INTO "b" VALUES (2);\n'),
              ("20250101000003_c", 'CREATE TABLE "c" ("id" INTEGER);\n')]


def _creates_a_table(sql: str) -> bool:  # one of the migrations' tables, not the history's
    return sql.startswith('CREATE TABLE "') and "_prisma_migrations" not in sql


def test_short_migrations_share_one_commit(tmp_path, monkeypatch):
    (sent, error, project), (alone, _, _) = _same_outcome(tmp_path, monkeypatch, MIGRATIONS)
    assert error is None
    mine = [u for u in commit_units(sent) if any(_creates_a_table(s) for s in u)]
    assert len(mine) == 1 and [s.split()[0] for s in mine[0] if not s.startswith("SELECT")] == [
        "CREATE", "INSERT", "CREATE", "INSERT", "INSERT", "CREATE", "INSERT"]
    assert len([u for u in commit_units(alone) if any(_creates_a_table(s) for s in u)]) == 3
    assert [r[0] for r in project.history()] == [m for m, _ in MIGRATIONS]
    assert all(r[2] is not None and r[5] == 1 for r in project.history())


def test_a_failing_statement_leaves_what_one_commit_per_migration_leaves(tmp_path, monkeypatch):
    """The group is rolled back and its migrations applied one transaction each: the ones before
    the failure are applied, the failure is recorded (P3018), nothing after it runs."""
    migrations = MIGRATIONS[:2] + [("20250101000003_c", 'CREATE TABLE "c" ("id" INTEGER);\nCREATE TABLE "a" ("x" TEXT);\n'),
                                   ("20250101000004_d", 'CREATE TABLE "d" ("id" INTEGER);\n')]
    (sent, error, project), _ = _same_outcome(tmp_path, monkeypatch, migrations)
    assert error is not None and error.code == "P3018" and "table \"a\" already exists" in str(error)
    assert sent.count("ROLLBACK") >= 2  # the group's, then the failing migration's own
    assert project.tables() == {"_prisma_migrations", "a", "b"}
    rows = project.history()
    assert [(r[0], r[2] is not None) for r in rows] == [(migrations[0][0], True), (migrations[1][0], True),
                                                         (migrations[2][0], False)]


def test_a_failure_at_the_groups_commit_is_found_again_migration_by_migration(tmp_path, monkeypatch):
    """A deferred foreign key is checked at COMMIT, where a group cannot tell whose row broke it:
    applied one transaction each, the migration that inserted the row fails and is recorded."""
    migrations = [
        ("20250101000001_tables", 'CREATE TABLE "parent" ("id" INTEGER PRIMARY KEY);\n'
                                  'CREATE TABLE "child" ("id" INTEGER, "parent_id" INTEGER REFERENCES "parent" ("id") '
                                  'DEFERRABLE INITIALLY DEFERRED);\n'),
        ("20250101000002_orphan", 'INSERT INTO "child" VALUES (1, 99);\n'),
        ("20250101000003_more", 'CREATE TABLE "more" ("id" INTEGER);\n'),
    ]
    (sent, error, project), _ = _same_outcome(tmp_path, monkeypatch, migrations, foreign_keys=True)
    assert error is not None and error.code == "P3018" and "FOREIGN KEY constraint failed" in str(error)
    assert "20250101000002_orphan" in str(error)
    assert project.tables() == {"_prisma_migrations", "parent", "child"}
    assert project.query('SELECT COUNT(*) FROM "child"') == [(0,)]
    assert [(r[0], r[2] is not None) for r in project.history()] == [(migrations[0][0], True),
                                                                     (migrations[1][0], False)]


def test_python_and_pragma_migrations_commit_alone(tmp_path, monkeypatch):
    """A migration.py (unknown cost and side effects) and PRAGMAs (they last for the connection
    or the transaction) run in a transaction of their own; the runs around them are grouped."""
    migrations = [(f"2025010100000{i}_m{i}", f'CREATE TABLE "t{i}" ("id" INTEGER);\n') for i in range(1, 7)]
    migrations[2] = (migrations[2][0], "PRAGMA defer_foreign_keys = ON;\n" + migrations[2][1])
    python = {migrations[4][0]: "def upgrade(db):\n    db.execute('INSERT INTO \"t5\" VALUES (5)')\n"}
    (sent, error, project), _ = _same_outcome(tmp_path, monkeypatch, migrations, python=python)
    assert error is None
    units = [[int(s.split('"t')[1].split('"')[0]) for s in u if s.startswith('CREATE TABLE "t')]
             for u in commit_units(sent)]
    assert [u for u in units if u] == [[1, 2], [3], [4], [5], [6]]
    assert project.query('SELECT * FROM "t5"') == [(5,)]


@pytest.mark.parametrize("window", [ONE_GROUP, NO_GROUP])
def test_a_migration_another_deploy_applied_is_skipped(tmp_path, monkeypatch, window):
    """Another process applied the second migration between this deploy's look at the history and
    its lock (SQLite has no advisory lock): the group sees the row when it takes the lock."""
    from lamina.migrate import deploy, history

    sent, error, project = _deploy(tmp_path, "first", MIGRATIONS[:1], window, monkeypatch)
    diagnose = deploy.diagnose

    def diagnose_then_other_deploy(local, rows, **kwargs):  # after the history was read, before the lock
        with connect(f"file:{project.root / 'prisma' / 'dev.db'}") as other:
            other.execute('CREATE TABLE "b" ("id" INTEGER)')
            history.record_applied_in_transaction(other, MIGRATIONS[1][0], "0" * 64, history.now())
        return diagnose(local, rows, **kwargs)

    for name, sql in MIGRATIONS[1:]:
        project.add_migration(name, sql)
    monkeypatch.setattr(deploy, "diagnose", diagnose_then_other_deploy)
    with connect(f"file:{project.root / 'prisma' / 'dev.db'}") as conn:
        done = apply_pending(conn, list_migrations(project.migrations))
    assert [a.name for a in done] == [MIGRATIONS[2][0]]
    assert [r[0] for r in project.history()] == [m for m, _ in MIGRATIONS]


def test_a_lock_taken_before_the_group_is_waited_for_once(tmp_path, monkeypatch):
    """Another process takes the database's write lock after deploy read the history: the group's
    BEGIN EXCLUSIVE waits the lock timeout, then the migration fails as it would alone (P1002,
    nothing applied or recorded), without a second wait."""
    import sqlite3

    from lamina.migrate import deploy

    sent, error, project = _deploy(tmp_path, "first", MIGRATIONS[:1], ONE_GROUP, monkeypatch)
    for name, sql in MIGRATIONS[1:]:
        project.add_migration(name, sql)
    blocker = sqlite3.connect(project.root / "prisma" / "dev.db", isolation_level=None)
    diagnose = deploy.diagnose

    def diagnose_then_lock(local, rows, **kwargs):
        blocker.execute("BEGIN EXCLUSIVE")
        return diagnose(local, rows, **kwargs)

    monkeypatch.setattr(deploy, "diagnose", diagnose_then_lock)
    monkeypatch.setenv("LAMINA_LOCK_TIMEOUT", "1s")
    conn = connect(f"file:{project.root / 'prisma' / 'dev.db'}")
    begins: list[str] = []
    run = conn._run

    def spy(sql, params, fetch):
        if sql.startswith("BEGIN"):
            begins.append(sql)
        return run(sql, params, fetch)

    conn._run = spy  # type: ignore[method-assign]
    try:
        with pytest.raises(LaminaError) as failed:
            apply_pending(conn, list_migrations(project.migrations))
    finally:
        conn.close()
        blocker.execute("ROLLBACK")
        blocker.close()
    assert failed.value.code == "P1002"
    assert f"Migration `{MIGRATIONS[1][0]}` waited 1s for a lock held by another session" in str(failed.value)
    assert "Nothing of it was applied" in str(failed.value)
    assert begins.count("BEGIN EXCLUSIVE") == 2  # the history's check-and-create, then the group: no retry
    assert [r[0] for r in project.history()] == [MIGRATIONS[0][0]]
