"""How deploy writes `_prisma_migrations` around each migration, and what an interruption leaves.

On MySQL every history write is a commit of its own: runs of migrations go to the server in one
query each (pipeline.py), with a migration's finished mark in one transaction with the next
migration's started row; a failure or an interruption stops the server where it is. On every database, a process killed in the middle
of a deploy leaves the history as specified: every migration before the one running finished,
the running one not recorded (PostgreSQL, SQLite: its transaction is rolled back) or left
unfinished (MySQL: at most one such row), nothing after it.
"""

from __future__ import annotations

import threading
import time

import pytest

from lamina.db.connection import DatabaseError, connect
from lamina.db.split import split_statements
from lamina.errors import LaminaError
from lamina.migrate import group_commit, pipeline
from lamina.migrate.deploy import apply_pending
from lamina.migrate.directory import list_migrations
from wf_helpers import commit_units, wait_until_no_deploy_runs

MIGRATIONS = [(f"2025010100000{i}_m{i}", f'CREATE TABLE "t{i}" ("id" INTEGER);\n') for i in range(1, 4)]


def _history_kind(sql: str) -> str | None:
    word = sql.split()[0].upper()  # INSERT (started) or UPDATE (finished)
    return word if "_prisma_migrations" in sql and word in ("INSERT", "UPDATE") else None


def _spy_on_queries(conn) -> list[list[str]]:
    """Every query the connection sends, as the list of its statements."""
    sent: list[list[str]] = []
    run, together, results_of = conn._run, conn.execute_in_one_transaction, conn.results_of

    def spy(sql, params, fetch):
        sent.append([sql])
        return run(sql, params, fetch)

    def spy_together(statements):
        sent.append(["BEGIN", *(sql for sql, _ in statements), "COMMIT"])
        return together(statements)

    def spy_results_of(statements):
        sent.append(list(statements))
        return results_of(statements)

    conn._run, conn.execute_in_one_transaction, conn.results_of = spy, spy_together, spy_results_of
    return sent


def _shape(statements: list[str]) -> list[str]:
    return [_history_kind(s) or s.split()[0].upper() for s in statements]


def _numbered(project, *scripts: str) -> list[str]:
    """Migrations m1, m2... with these scripts, `None` for `CREATE TABLE "t<i>"`; their names."""
    names = []
    for i, script in enumerate(scripts, 1):
        names.append(f"2025010100000{i}_m{i}")
        project.add_migration(names[-1], script or f'CREATE TABLE "t{i}" ("id" INTEGER);\n')
    return names


def test_mysql_sends_runs_of_migrations_in_one_query_with_chained_history_writes(mysql_project, monkeypatch):
    """pipeline.py: the first migration goes alone (its time plans the next query's length),
    then the next ones in one query, each between its started row and its finished mark, and a
    mark in one transaction with the next migration's started row: one history commit per
    migration and one per query, and one round trip per query."""
    monkeypatch.setattr(pipeline, "WINDOW_S", 60.0)  # whatever the machine's load: one query for the rest
    for name, sql in MIGRATIONS:
        mysql_project.add_migration(name, sql)
    conn = connect(mysql_project.url)
    sent = _spy_on_queries(conn)
    try:
        done = apply_pending(conn, list_migrations(mysql_project.migrations))
    finally:
        conn.close()
    assert [a.name for a in done] == [name for name, _ in MIGRATIONS]
    queries = [_shape(q) for q in sent if any("CREATE TABLE `t" in s for s in q)]
    assert queries == [
        ["INSERT", "CREATE", "UPDATE"],
        ["INSERT", "CREATE", "BEGIN", "UPDATE", "INSERT", "COMMIT", "CREATE", "UPDATE"],
    ], queries
    units = commit_units([s for q in sent if any("CREATE TABLE `t" in s for s in q) for s in q])
    assert [[_history_kind(s) or "DDL" for s in unit] for unit in units] == [
        ["INSERT"], ["DDL"], ["UPDATE"], ["INSERT"], ["DDL"], ["UPDATE", "INSERT"], ["DDL"], ["UPDATE"]]
    rows = mysql_project.history()
    assert [(r[0], r[3], r[4], r[5]) for r in rows] == [(name, None, None, 1) for name, _ in MIGRATIONS]
    assert all(r[2] is not None for r in rows)  # finished
    times = mysql_project.query("SELECT started_at, finished_at, UTC_TIMESTAMP(3) FROM _prisma_migrations "
                                "ORDER BY started_at, migration_name")
    for (started, finished, now), (next_started, _, _) in zip(times, times[1:] + [(times[-1][2], None, None)]):
        assert started <= finished <= next_started <= now  # the server's clock, in order


def test_a_failure_inside_a_query_stops_the_server_there_and_is_recorded(mysql_project, monkeypatch):
    """Migration 3's second statement fails inside the query that holds migrations 2-4: the
    server runs nothing after it; migration 2 is applied and finished, 3 failed with how far it
    got (its first statement stays), 4 not started."""
    monkeypatch.setattr(pipeline, "WINDOW_S", 60.0)
    names = _numbered(mysql_project, None, None, 'CREATE TABLE "t3" ("id" INTEGER);\nINSERT INTO "nope" VALUES (1);\n'
                                                 'CREATE TABLE "x3" ("id" INTEGER);\n', None)
    r = mysql_project.run("migrate", "deploy")
    assert r.code == 1, r.both
    assert "P3018" in r.err and f"Migration name: {names[2]}" in r.err and "Statement 2 of 3 failed" in r.err, r.err
    assert "Applied migration 2/4" in r.err and "Applied migration 4/4" not in r.err, r.err
    assert mysql_project.tables() == {"_prisma_migrations", "t1", "t2", "t3"}
    rows = mysql_project.history()
    assert [(row[0], row[2] is not None, row[5]) for row in rows] == [
        (names[0], True, 1), (names[1], True, 1), (names[2], False, 1)]
    assert "Statement 2 of 3 failed" in rows[2][4] and "nope" in rows[2][4]


def test_mysql_an_interruption_stops_the_query_on_the_server(mysql_project, monkeypatch):
    """The deploy is interrupted (here the caller's reporter raises, as a Ctrl-C would) while
    the server runs a query that holds more migrations: the server's query is stopped (KILL
    QUERY), not left to run on, and the history tells what ran: every migration before the
    interrupted one finished, the interrupted one left failed without logs (as after any
    interruption on MySQL), nothing after it."""
    monkeypatch.setattr(pipeline, "WINDOW_S", 60.0)
    names = _numbered(mysql_project, None, None, 'SELECT SLEEP(3);\nCREATE TABLE "t3" ("id" INTEGER);\n', None)

    def report(event):
        if event.kind == "applying" and event.migration == names[2]:
            raise KeyboardInterrupt

    conn = connect(mysql_project.url)
    try:
        with pytest.raises(KeyboardInterrupt):
            apply_pending(conn, list_migrations(mysql_project.migrations), report=report)
    finally:
        conn.close()
    wait_until_no_deploy_runs(mysql_project)  # a query left to run would go on to create t3 after SLEEP(3)
    assert mysql_project.tables() == {"_prisma_migrations", "t1", "t2"}
    rows = mysql_project.history()
    assert [(row[0], row[2] is not None, row[4]) for row in rows] == [
        (names[0], True, None), (names[1], True, None), (names[2], False, None)], rows
    r = mysql_project.run("migrate", "deploy")
    assert r.code == 1 and "P3009" in r.err and names[2] in r.err and "No error was recorded" in r.err, r.both
    assert mysql_project.run("migrate", "resolve", "--rolled-back", names[2]).code == 0
    r = mysql_project.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert mysql_project.tables() == {"_prisma_migrations", "t1", "t2", "t3", "t4"}


def test_mysql_a_connection_lost_inside_a_query_names_the_migrations_sent_with_it(mysql_project, monkeypatch):
    """The server ends the deploy's session (KILL) while migration 2 of a query holding 2 and 3
    runs: P1017 names migration 2 and its statement, says that migration 3 was sent in the same
    request, and the history records migration 2 as failed with that text; 3 did not run."""
    monkeypatch.setattr(pipeline, "WINDOW_S", 60.0)
    names = _numbered(mysql_project, None, 'SELECT SLEEP(20);\nCREATE TABLE "t2" ("id" INTEGER);\n', None)

    def kill_the_sleeper():
        deadline = time.time() + 30
        while time.time() < deadline:
            ids = mysql_project.query("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '%SLEEP(20)%' "
                                      "AND ID <> CONNECTION_ID()")
            if ids:
                mysql_project.query(f"KILL {ids[0][0]}")
                return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_the_sleeper)
    killer.start()
    conn = connect(mysql_project.url)
    try:
        with pytest.raises(LaminaError) as lost:
            apply_pending(conn, list_migrations(mysql_project.migrations))
    finally:
        conn.close()
        killer.join()
    text = lost.value.render()
    assert lost.value.code == "P1017" and f"`{names[1]}` (statement 1 of 2)" in text, text
    assert "The 1 migration(s) after it were sent to the server in the same request" in text, text
    wait_until_no_deploy_runs(mysql_project)
    assert mysql_project.tables() == {"_prisma_migrations", "t1"}
    rows = mysql_project.history()
    assert [(row[0], row[2] is not None, row[5]) for row in rows] == [(names[0], True, 1), (names[1], False, 0)]
    assert "statement 1 of 2" in rows[1][4]


def test_mysql_migrations_that_go_alone_keep_the_chain(mysql_project, monkeypatch):
    """A migration with a CALL or (MariaDB) an anonymous compound statement, which may give
    several results, or with a migration.py runs alone between runs sent together; every row
    ends finished, in order."""
    monkeypatch.setattr(pipeline, "WINDOW_S", 60.0)
    mariadb = "MariaDB" in mysql_project.query("SELECT VERSION()")[0][0]
    block = ('BEGIN NOT ATOMIC INSERT INTO "t1" VALUES (2); SELECT 1; SELECT 2; END;\n' if mariadb
             else 'INSERT INTO "t1" VALUES (2);\n')
    names = _numbered(mysql_project, None, 'CREATE PROCEDURE fill() BEGIN INSERT INTO "t1" VALUES (1); SELECT 1; END;\n',
                      None, "CALL fill();\n", None, None, block, None)
    (mysql_project.migrations / names[4] / "migration.py").write_text("def upgrade(db):\n    db.execute('INSERT INTO t5 VALUES (5)')\n")
    conn = connect(mysql_project.url)
    sent = _spy_on_queries(conn)
    together: list[list[str]] = []
    results_of = conn.results_of
    conn.results_of = lambda statements: together.append(list(statements)) or results_of(statements)
    try:
        apply_pending(conn, list_migrations(mysql_project.migrations))
    finally:
        conn.close()
    alone = ["CALL fill();", mysql_project.sql(block).strip()]
    assert not any(s in alone for q in together for s in q), together
    assert all([s] in sent for s in alone), sent
    assert len(together) >= 3  # runs between them
    rows = mysql_project.history()
    assert [(row[0], row[2] is not None, row[5]) for row in rows] == [(name, True, 1) for name in names], rows
    assert mysql_project.query('SELECT COUNT(*) FROM "t1"') == [(2,)]
    assert mysql_project.query('SELECT "id" FROM "t5"') == [(5,)]


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
