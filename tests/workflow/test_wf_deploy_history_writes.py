"""How deploy writes `_prisma_migrations` around each migration, and what an interruption leaves.

On MySQL every history write is a commit of its own: a migration's finished mark goes in one
transaction with the next migration's started row (history.FinishChain), and the last mark is
written even when something after it fails. On every database, a process killed in the middle
of a deploy leaves the history as specified: every migration before the one running finished,
the running one not recorded (PostgreSQL, SQLite: its transaction is rolled back) or left
unfinished (MySQL: at most one such row), nothing after it.
"""

from __future__ import annotations

import pytest

from lamina.db.connection import DatabaseError, connect
from lamina.db.split import split_statements
from lamina.migrate import group_commit
from lamina.migrate.deploy import apply_pending
from lamina.migrate.directory import list_migrations
from wf_helpers import commit_units

MIGRATIONS = [(f"2025010100000{i}_m{i}", f'CREATE TABLE "t{i}" ("id" INTEGER);\n') for i in range(1, 4)]


def _history_kind(sql: str) -> str | None:
    word = sql.split()[0].upper()  # INSERT (started) or UPDATE (finished)
    return word if "_prisma_migrations" in sql and word in ("INSERT", "UPDATE") else None


def test_mysql_writes_a_finished_mark_with_the_next_started_row(mysql_project):
    for name, sql in MIGRATIONS:
        mysql_project.add_migration(name, sql)
    conn = connect(mysql_project.url)
    seen: list[str] = []
    run, together = conn._run, conn.execute_in_one_transaction

    def spy(sql, params, fetch):
        seen.append(sql)
        return run(sql, params, fetch)

    def spy_together(statements):  # one round trip: its statements
        seen.extend(["BEGIN", *(sql for sql, _ in statements), "COMMIT"])
        return together(statements)

    conn._run = spy  # type: ignore[method-assign]
    conn.execute_in_one_transaction = spy_together  # type: ignore[method-assign]
    try:
        done = apply_pending(conn, list_migrations(mysql_project.migrations))
    finally:
        conn.close()
    assert [a.name for a in done] == [name for name, _ in MIGRATIONS]
    units = [u for u in commit_units(seen) if any(_history_kind(s) or s.startswith("CREATE TABLE `t") for s in u)]
    shape = [[_history_kind(s) or "DDL" for s in unit] for unit in units]
    # 3 migrations: 4 commits of history writes, where each written alone would make 6
    assert shape == [["INSERT"], ["DDL"], ["UPDATE", "INSERT"], ["DDL"], ["UPDATE", "INSERT"], ["DDL"], ["UPDATE"]], shape
    rows = mysql_project.history()
    assert [(r[0], r[3], r[4], r[5]) for r in rows] == [(name, None, None, 1) for name, _ in MIGRATIONS]
    assert all(r[2] is not None for r in rows)  # finished
    started = mysql_project.query("SELECT migration_name, started_at, finished_at FROM _prisma_migrations "
                                  "ORDER BY started_at, migration_name")
    for (_, _, finished), (_, next_started, _) in zip(started, started[1:]):
        assert finished <= next_started  # the mark carries the time the migration ended


def test_mysql_writes_the_last_finished_mark_when_a_later_step_fails(mysql_project):
    """The mark of the last applied migration is pending when the deploy stops for another
    reason (here the caller's reporter raises, as a Ctrl-C would): it is still written."""
    for name, sql in MIGRATIONS:
        mysql_project.add_migration(name, sql)

    def report(event):
        if event.kind == "applied" and event.migration == MIGRATIONS[1][0]:
            raise KeyboardInterrupt

    conn = connect(mysql_project.url)
    try:
        with pytest.raises(KeyboardInterrupt):
            apply_pending(conn, list_migrations(mysql_project.migrations), report=report)
    finally:
        conn.close()
    rows = mysql_project.history()
    assert [r[0] for r in rows] == [MIGRATIONS[0][0], MIGRATIONS[1][0]]
    assert all(r[2] is not None and r[5] == 1 for r in rows), rows  # both finished
    r = mysql_project.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert [row[0] for row in mysql_project.history()] == [name for name, _ in MIGRATIONS]


def test_a_transactional_migration_writes_its_row_once_at_the_end(tx_project, monkeypatch):
    """PostgreSQL and SQLite: inside each migration's transaction, after its statements, one
    INSERT of the finished row (nobody could see a started row before the commit, so it is not
    written and then updated: one statement less per migration). The rows are those Prisma leaves.
    On SQLite the three short migrations share one commit (group_commit.py; a window long
    enough for them whatever the machine's load)."""
    monkeypatch.setattr(group_commit, "WINDOW_S", 60.0)
    for name, sql in MIGRATIONS:
        tx_project.add_migration(name, sql)
    url = tx_project.url if tx_project.provider != "sqlite" else f"file:{tx_project.root / 'prisma' / 'dev.db'}"
    conn = connect(url, create=True)
    sent: list[str] = []
    run, batch = conn._run, getattr(conn, "execute_batch", None)

    def spy(sql, params, fetch):
        sent.append(sql)
        return run(sql, params, fetch)

    def spy_batch(script):  # PostgreSQL's one round trip: its statements
        sent.extend(split_statements(script, "postgresql"))
        return batch(script)

    conn._run = spy  # type: ignore[method-assign]
    if batch is not None:
        conn.execute_batch = spy_batch  # type: ignore[method-assign]
    try:
        apply_pending(conn, list_migrations(tx_project.migrations))
    finally:
        conn.close()
    units = [u for u in commit_units(sent) if any(s.startswith('CREATE TABLE "t') for s in u)]
    shape = [[_history_kind(s) or "DDL" for s in unit if _history_kind(s) or s.startswith('CREATE TABLE "t')]
             for unit in units]
    expected = [["DDL", "INSERT"]] * 3 if tx_project.provider == "postgresql" else [["DDL", "INSERT"] * 3]
    assert shape == expected, shape
    rows = tx_project.history()
    assert [(r[0], r[3], r[4], r[5]) for r in rows] == [(name, None, None, 1) for name, _ in MIGRATIONS]
    assert all(r[2] is not None for r in rows)


KILL = "import os, signal\n\n\ndef upgrade(db):\n    os.kill(os.getpid(), signal.SIGKILL)\n"


def test_a_deploy_killed_in_its_third_migration_leaves_the_history_as_specified(project):
    """SIGKILL inside migration 3 of 4 (its migration.py, after its SQL ran)."""
    names = [f"2025010100000{i}_m{i}" for i in range(1, 5)]
    for i, name in enumerate(names, 1):
        folder = project.add_migration(name, f'CREATE TABLE "t{i}" ("id" INTEGER);\n')
        if i == 3:
            (folder / "migration.py").write_text(KILL)
    r = project.run("migrate", "deploy")
    assert r.code == -9, r.both
    rows = project.history()
    applied = [(row[0], row[3], row[4], row[5]) for row in rows if row[2] is not None]
    assert applied == [(names[0], None, None, 1), (names[1], None, None, 1)], rows
    unfinished = [row for row in rows if row[2] is None]
    tables = project.tables()
    if project.provider == "mysql":  # no transactional DDL: its SQL stays, its row unfinished, without logs
        assert [(row[0], row[3], row[4], row[5]) for row in unfinished] == [(names[2], None, None, 0)]
        assert {"t1", "t2", "t3"} <= tables and "t4" not in tables
        r = project.run("migrate", "deploy")
        assert r.code == 1 and "P3009" in r.both and names[2] in r.both, r.both
    else:  # its transaction was rolled back with its row: the next deploy applies it and the 4th
        assert unfinished == [] and {"t1", "t2"} <= tables and not {"t3", "t4"} & tables
        (project.migrations / names[2] / "migration.py").unlink()
        r = project.run("migrate", "deploy")
        assert r.code == 0, r.both
        assert [row[0] for row in project.history()] == names


def test_mysql_sends_chained_history_writes_in_one_round_trip(mysql_url):
    """Connection.execute_in_one_transaction on MySQL: one multi-statement query (BEGIN, the
    writes, COMMIT) with every value bound by the driver's escaping (quotes, backslashes, `%`, `?`
    and a statement separator stay data); a failing statement rolls back the ones before it."""
    conn = connect(mysql_url)
    try:
        conn.execute("CREATE TABLE h (id INTEGER PRIMARY KEY, v TEXT)")
        sent: list[str] = []
        raw_query = conn.raw.query

        def count_queries(sql, unbuffered=False):
            sent.append(sql)
            return raw_query(sql, unbuffered)

        conn.raw.query = count_queries
        nasty = "it's \\ 100% ? \"; DROP TABLE h; --"
        conn.execute_in_one_transaction([("INSERT INTO h VALUES (?, ?)", (1, nasty)), ("UPDATE h SET v = CONCAT(v, ?) WHERE id = ?", ("!", 1))])
        assert len(sent) == 1  # one round trip
        assert conn.query("SELECT id, v FROM h") == [(1, nasty + "!")]
        with pytest.raises(DatabaseError) as failed:
            conn.execute_in_one_transaction([("INSERT INTO h VALUES (?, ?)", (2, "two")), ("INSERT INTO h VALUES (?, ?)", (1, "dup"))])
        assert failed.value.db_code == "1062"  # duplicate key
        assert conn.query("SELECT id, v FROM h") == [(1, nasty + "!")]  # the first INSERT was rolled back
        conn.execute("INSERT INTO h VALUES (3, 'still usable')")
        assert conn.query("SELECT COUNT(*) FROM h") == [(2,)]
    finally:
        conn.close()
