"""migration.py's `db.client` (the generated client on the migration's own connection and
transaction) and `downgrade(db)`, run by `migrate rollback` before the folder's down.sql."""

from __future__ import annotations

from test_wf_python_migrations import ADD_FULL, INIT, ROWS, WITH_FULL

GENERATOR = 'generator client {\n  provider = "lamina"\n  interface = "sync"\n}\n'
CLIENT_BACKFILL = '''
def upgrade(db):
    for person in db.client.person.find_many(order={"id": "asc"}):
        db.client.person.update(where={"id": person.id},
                                data={"fullName": f"{person.firstName.title()} {person.lastName.title()}"})
'''
CLIENT_FAILING = '''
def upgrade(db):
    count = db.client.person.update_many(where={}, data={"firstName": "changed"})
    assert db.client.person.count(where={"firstName": "changed"}) == count == 2  # its own writes, seen
    raise ValueError("stop")
'''
# upgrade after the SQL adds fullName; downgrade before down.sql drops it (it reads the column)
UPPER = '''
def upgrade(db):
    for person in db.client.person.find_many():
        db.client.person.update(where={"id": person.id}, data={"lastName": person.lastName.upper()})


def downgrade(db):
    for person in db.client.person.find_many():
        db.client.person.update(where={"id": person.id}, data={"lastName": person.lastName.lower()})
'''
FAILING_DOWNGRADE = '''

def downgrade(db):  # replaces UPPER's: lowers the names, then fails
    db.client.person.update_many(where={}, data={"lastName": "lowered"})
    raise RuntimeError("no")
'''
NO_DOWNGRADE = '''
def upgrade(db):
    pass
'''
DOWN_FULL = 'ALTER TABLE "Person" DROP COLUMN "fullName";\n'


def _project(p, python: str):
    p.write_schema(GENERATOR + WITH_FULL)
    p.add_migration("20250101000000_init", INIT[p.provider] + ROWS)
    # the column as Prisma types String? (MySQL: VARCHAR(191)), so that the history has no drift
    add = ADD_FULL.replace("TEXT", "VARCHAR(191)") if p.provider == "mysql" else ADD_FULL
    folder = p.add_migration("20250102000000_full_name", add)
    (folder / "migration.py").write_text(python)
    r = p.run("generate")
    assert r.code == 0, r.both
    return folder


def _q(p, sql):
    return p.query(p.sql(sql))


def test_db_client_backfills_in_the_migration(project):
    p = project
    _project(p, CLIENT_BACKFILL)
    r = p.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert _q(p, 'SELECT "fullName" FROM "Person" ORDER BY "id"') == [("Ada Lovelace",), ("Alan Turing",)]
    assert p.run("migrate", "status").code == 0


def test_db_client_writes_are_rolled_back_with_the_migration(tx_project):
    p = tx_project
    _project(p, CLIENT_FAILING)
    r = p.run("migrate", "deploy")
    assert r.code == 1 and "P3018" in r.err, r.both
    assert "migration.py: upgrade() raised ValueError: stop" in r.err
    # the client's UPDATE ran in the migration's transaction: it went with the column
    assert _q(p, 'SELECT "firstName" FROM "Person" ORDER BY "id"') == [("ada",), ("alan",)]
    columns = ({row[1] for row in _q(p, 'PRAGMA table_info("Person")')} if p.provider == "sqlite" else
               {row[0] for row in _q(p, "SELECT column_name FROM information_schema.columns "
                                        "WHERE table_name = 'Person'")})
    assert "fullName" not in columns


def test_db_client_without_a_generated_client_says_so(sqlite_project):
    p = sqlite_project
    _project(p, CLIENT_BACKFILL)
    import shutil

    shutil.rmtree(p.root / "lamina_client")
    r = p.run("migrate", "deploy")
    assert r.code == 1
    assert "db.client: the client is not generated at" in r.err and "Run `lamina generate` first" in r.err


def test_rollback_runs_downgrade_before_down_sql(project):
    p = project
    folder = _project(p, UPPER)
    (folder / "down.sql").write_text(p.sql(DOWN_FULL))
    assert p.run("migrate", "deploy").code == 0
    assert _q(p, 'SELECT "lastName" FROM "Person" ORDER BY "id"') == [("LOVELACE",), ("TURING",)]
    r = p.run("migrate", "rollback")
    assert r.code == 0, r.both
    assert "Rolling back migration `20250102000000_full_name`" in r.out
    assert _q(p, 'SELECT "lastName" FROM "Person" ORDER BY "id"') == [("lovelace",), ("turing",)]
    name, _, finished, rolled_back, _, _ = p.history()[1]
    assert name == "20250102000000_full_name" and finished is not None and rolled_back is not None
    assert p.run("migrate", "status").code == 1  # pending again
    assert p.run("migrate", "deploy").code == 0  # and applied again: upgrade runs once more
    assert _q(p, 'SELECT "lastName" FROM "Person" ORDER BY "id"') == [("LOVELACE",), ("TURING",)]


def test_rollback_refuses_a_python_migration_without_downgrade(sqlite_project):
    p = sqlite_project
    folder = _project(p, NO_DOWNGRADE)
    (folder / "down.sql").write_text(DOWN_FULL)
    assert p.run("migrate", "deploy").code == 0
    r = p.run("migrate", "rollback")
    assert r.code == 1
    assert ("The migration `20250102000000_full_name` has a migration.py without `def downgrade(db)`, so Lamina "
            "cannot undo its data change. Nothing was rolled back.") in r.err
    assert "Traceback" not in r.err
    assert p.history()[1][3] is None  # still applied
    assert "fullName" in {row[1] for row in _q(p, 'PRAGMA table_info("Person")')}


def test_a_failing_downgrade_changes_nothing(tx_project):
    p = tx_project
    folder = _project(p, UPPER + FAILING_DOWNGRADE)
    (folder / "down.sql").write_text(DOWN_FULL)
    assert p.run("migrate", "deploy").code == 0
    r = p.run("migrate", "rollback")
    assert r.code == 1 and "downgrade() raised RuntimeError: no" in r.err, r.both
    assert "nothing of it was applied" in r.err
    assert _q(p, 'SELECT "lastName" FROM "Person" ORDER BY "id"') == [("LOVELACE",), ("TURING",)]
    assert p.history()[1][3] is None


def test_data_only_python_migration_rolls_back_without_down_sql(sqlite_project):
    p = sqlite_project
    _project(p, NO_DOWNGRADE)
    data = p.migrations / "20250103000000_upper"
    data.mkdir()
    (data / "migration.py").write_text(UPPER)  # no migration.sql, no down.sql: downgrade is the whole inverse
    assert p.run("migrate", "deploy").code == 0
    assert _q(p, 'SELECT "lastName" FROM "Person" ORDER BY "id"') == [("LOVELACE",), ("TURING",)]
    r = p.run("migrate", "rollback")
    assert r.code == 0, r.both
    assert _q(p, 'SELECT "lastName" FROM "Person" ORDER BY "id"') == [("lovelace",), ("turing",)]


# Written when it was the newest migration, replayed once a later one added a column to Person:
# the client (generated from the current schema) must not read or return whole Person rows.
HISTORICAL = '''
def upgrade(db):
    people = db.client.person.find_many(select={"id": True, "firstName": True, "lastName": True})
    for person in people:
        db.client.person.update_many(where={"id": person.id},
                                     data={"fullName": f"{person.firstName.title()} {person.lastName.title()}"})
'''
ADD_AGE = 'ALTER TABLE "Person" ADD COLUMN "age" INTEGER;\n'


def test_an_older_client_migration_with_select_replays_after_later_columns(project):
    p = project
    _project(p, HISTORICAL)
    p.add_migration("20250103000000_age", ADD_AGE)
    p.write_schema(GENERATOR + WITH_FULL.replace("  fullName  String?\n", "  fullName  String?\n  age       Int?\n"))
    assert p.run("generate").code == 0  # the client knows "age", which migration 2 runs before
    r = p.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert _q(p, 'SELECT "fullName" FROM "Person" ORDER BY "id"') == [("Ada Lovelace",), ("Alan Turing",)]
    # migrate dev replays the history, migration.py included, on its shadow database: no drift
    r = p.run("migrate", "dev", "--name", "noop")
    assert r.code == 0 and "Already in sync" in r.out, r.both


def test_a_whole_model_read_in_an_older_migration_says_why(sqlite_project):
    p = sqlite_project
    _project(p, CLIENT_BACKFILL)  # find_many() and update(): every column of Person, "age" included
    p.add_migration("20250103000000_age", ADD_AGE)
    p.write_schema(GENERATOR + WITH_FULL.replace("  fullName  String?\n", "  fullName  String?\n  age       Int?\n"))
    assert p.run("generate").code == 0
    r = p.run("migrate", "deploy")
    assert r.code == 1 and "P3018" in r.err
    assert "upgrade() raised RawQueryError: no such column: t0.age" in r.err
    assert "db.client is the client generated from the current schema: a migration that is not the newest reads " \
           "with select= the fields that existed then" in r.err


def test_batch_runs_in_the_migration_and_tx_is_refused(sqlite_project):
    p = sqlite_project
    folder = _project(p, '''
def upgrade(db):
    with db.client.batch_() as batch:
        batch.person.update_many(where={}, data={"fullName": "batched"})
    assert db.client.person.count(where={"fullName": "batched"}) == 2
''')
    assert p.run("migrate", "deploy").code == 0
    assert _q(p, 'SELECT DISTINCT "fullName" FROM "Person"') == [("batched",)]
    p.add_migration("20250103000000_tx", "")
    (p.migrations / "20250103000000_tx" / "migration.py").write_text('''
def upgrade(db):
    with db.client.tx() as tx:
        tx.person.update_many(where={}, data={"fullName": "tx"})
''')
    r = p.run("migrate", "deploy")
    assert r.code == 1 and "migration.py: db.client.tx() cannot be used in migration.py" in r.err, r.both
    assert "AttributeError" not in r.err
