"""Data migrations in Python (`migration.py` with `def upgrade(db)`): run after the folder's SQL,
atomically with it and its history row on PostgreSQL and SQLite, statement by statement on MySQL;
checksummed with the SQL; refused with --no-python; scaffolded by `migrate dev --create-only --python`."""

from __future__ import annotations

import hashlib
import shutil

from wf_helpers import REPO

PERSON = ('model Person {\n  id        Int     @id @default(autoincrement())\n  firstName String\n'
          '  lastName  String\n}\n')
WITH_FULL = PERSON.replace("  lastName  String\n", "  lastName  String\n  fullName  String?\n")
INIT = {
    "sqlite": 'CREATE TABLE "Person" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "firstName" TEXT NOT NULL, '
              '"lastName" TEXT NOT NULL);\n',
    "postgresql": 'CREATE TABLE "Person" ("id" SERIAL NOT NULL, "firstName" TEXT NOT NULL, "lastName" TEXT NOT NULL, '
                  'CONSTRAINT "Person_pkey" PRIMARY KEY ("id"));\n',
    "mysql": 'CREATE TABLE "Person" ("id" INTEGER NOT NULL AUTO_INCREMENT, "firstName" VARCHAR(191) NOT NULL, '
             '"lastName" VARCHAR(191) NOT NULL, PRIMARY KEY ("id")) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n',
}
ROWS = 'INSERT INTO "Person" ("firstName", "lastName") VALUES (\'ada\', \'lovelace\'), (\'alan\', \'turing\');\n'
ADD_FULL = 'ALTER TABLE "Person" ADD COLUMN "fullName" TEXT;\n'
BACKFILL = '''
def upgrade(db):
    q = "`" if db.provider == "mysql" else '"'  # identifiers as each database quotes them
    rows = db.query(f'SELECT {q}id{q}, {q}firstName{q}, {q}lastName{q} FROM {q}Person{q} ORDER BY {q}id{q}')
    for id, first, last in rows:
        db.execute(f'UPDATE {q}Person{q} SET {q}fullName{q} = ? WHERE {q}id{q} = ?', (f"{first.title()} {last.title()}", id))
'''
FAILING = '''
def upgrade(db):
    q = "`" if db.provider == "mysql" else '"'
    db.execute(f'UPDATE {q}Person{q} SET {q}firstName{q} = ?', ("changed",))
    rows = db.query(f'SELECT {q}id{q} FROM {q}Person{q}')
    raise ValueError(f"cannot backfill {len(rows)} rows")
'''


def _setup(p):
    p.write_schema(WITH_FULL)
    p.add_migration("20250101000000_init", INIT[p.provider] + ROWS)
    folder = p.add_migration("20250102000000_full_name", ADD_FULL)
    return folder


def _q(p, sql):
    return p.query(p.sql(sql))


def test_backfill_runs_with_the_sql_and_is_checksummed(project):
    p = project
    folder = _setup(p)
    (folder / "migration.py").write_text(BACKFILL)
    r = p.run("migrate", "deploy")
    assert r.code == 0, r.both
    assert "20250102000000_full_name" in r.out
    assert _q(p, 'SELECT "fullName" FROM "Person" ORDER BY "id"') == [("Ada Lovelace",), ("Alan Turing",)]
    expected = hashlib.sha256((folder / "migration.sql").read_bytes() + b"\n-- migration.py\n"
                              + (folder / "migration.py").read_bytes()).hexdigest()
    assert p.history()[1][:2] == ("20250102000000_full_name", expected)
    assert p.run("migrate", "status").code == 0
    # editing the Python after it was applied is an edit like any other
    (folder / "migration.py").write_text(BACKFILL + "# changed\n")
    r = p.run("migrate", "deploy")
    assert r.code == 1 and "20250102000000_full_name" in r.err and "modified after they were applied" in r.err


def test_failing_upgrade_leaves_nothing_behind(tx_project):
    p = tx_project
    folder = _setup(p)
    (folder / "migration.py").write_text(FAILING)
    r = p.run("migrate", "deploy")
    assert r.code == 1, r.both
    assert "P3018" in r.err and "20250102000000_full_name" in r.err
    assert "migration.py: upgrade() raised ValueError: cannot backfill 2 rows (line 6:" in r.err
    columns = ({row[1] for row in _q(p, 'PRAGMA table_info("Person")')} if p.provider == "sqlite" else
               {row[0] for row in _q(p, "SELECT column_name FROM information_schema.columns WHERE table_name = 'Person'")})
    assert "fullName" not in columns  # the schema change was rolled back
    assert _q(p, 'SELECT "firstName" FROM "Person" ORDER BY "id"') == [("ada",), ("alan",)]  # and the data change
    name, _, finished, rolled_back, logs, steps = p.history()[1]
    assert (name, finished, steps) == ("20250102000000_full_name", None, 0) and "ValueError" in logs
    # fixed, it is retried by the next deploy (the failed row is marked rolled back first)
    assert p.run("migrate", "resolve", "--rolled-back", "20250102000000_full_name").code == 0
    (folder / "migration.py").write_text(BACKFILL)
    assert p.run("migrate", "deploy").code == 0
    assert _q(p, 'SELECT "fullName" FROM "Person" ORDER BY "id"') == [("Ada Lovelace",), ("Alan Turing",)]


def test_failing_upgrade_on_mysql_is_reported_statement_by_statement(mysql_project):
    p = mysql_project
    folder = _setup(p)
    (folder / "migration.py").write_text(FAILING)
    r = p.run("migrate", "deploy")
    assert r.code == 1, r.both
    assert "Statement 2 of 2 failed; the 1 statement(s) before it were applied and were NOT rolled back" in r.err
    assert "upgrade(db) in migration.py" in r.err
    # MySQL has no transactional DDL: the column and the UPDATE before the exception stay
    assert ("fullName",) in _q(p, "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() "
                                  "AND table_name = 'Person'")
    assert _q(p, 'SELECT DISTINCT "firstName" FROM "Person"') == [("changed",)]
    name, _, finished, _, logs, steps = p.history()[1]
    assert finished is None and steps == 1
    # recovery as documented: fix the data by hand, mark it applied
    p.query(p.sql('UPDATE "Person" SET "fullName" = CONCAT("firstName", \' \', "lastName")'))
    assert p.run("migrate", "resolve", "--applied", "20250102000000_full_name").code == 0
    assert p.run("migrate", "status").code == 0


def test_no_python_refuses_before_applying_anything(sqlite_project):
    p = sqlite_project
    folder = _setup(p)
    (folder / "migration.py").write_text(BACKFILL)
    r = p.run("migrate", "deploy", "--no-python")
    assert r.code == 1, r.both
    assert "contain a migration.py and --no-python was given; nothing was applied" in r.err
    assert "- 20250102000000_full_name" in r.err
    assert p.history() == []


def test_python_only_folder_and_the_shadow_replay(sqlite_project):
    p = sqlite_project
    _setup(p)
    shutil.rmtree(p.migrations / "20250102000000_full_name")
    p.add_migration("20250102000000_full_name", ADD_FULL)
    data = p.migrations / "20250103000000_backfill"
    data.mkdir()
    (data / "migration.py").write_text(BACKFILL)  # no migration.sql: data only
    assert p.run("migrate", "deploy").code == 0
    assert _q(p, 'SELECT "fullName" FROM "Person" ORDER BY "id"') == [("Ada Lovelace",), ("Alan Turing",)]
    # migrate dev replays the folder (Python included) on its shadow database: no drift, nothing to do
    r = p.run("migrate", "dev", "--name", "noop")
    assert r.code == 0 and "Already in sync" in r.out, r.both


def test_dev_scaffolds_migration_py(sqlite_project):
    p = sqlite_project
    p.write_schema(PERSON)
    assert p.run("migrate", "dev", "--name", "init").code == 0
    r = p.run("migrate", "dev", "--python", "--name", "x")
    assert r.code == 2 and "--python needs --create-only" in r.err
    p.write_schema(WITH_FULL)
    r = p.run("migrate", "dev", "--create-only", "--python", "--name", "full_name")
    assert r.code == 0, r.both
    (folder,) = [d for d in p.migrations.iterdir() if d.name.endswith("_full_name")]
    assert f"Added {folder.name}/migration.py" in r.out
    assert "def upgrade(db):" in (folder / "migration.py").read_text()
    (folder / "migration.py").write_text(BACKFILL)
    p.query('INSERT INTO "Person" ("firstName", "lastName") VALUES (\'grace\', \'hopper\')')
    r = p.run("migrate", "dev", "--name", "full_name")
    assert r.code == 0, r.both
    assert p.query('SELECT "fullName" FROM "Person"') == [("Grace Hopper",)]
    # a data-only migration: no schema change, an empty migration.sql and the Python
    r = p.run("migrate", "dev", "--create-only", "--python", "--name", "data_only")
    assert r.code == 0, r.both
    (data,) = [d for d in p.migrations.iterdir() if d.name.endswith("_data_only")]
    assert (data / "migration.sql").read_text() == "-- This is an empty migration."


def test_crm_example_backfill(tmp_path):
    """examples/crm/data-migration: copied into the CRM, it backfills contacts.full_name from the seed's rows."""
    import subprocess
    import sys

    from wf_helpers import clean_env

    root = tmp_path / "crm"
    shutil.copytree(REPO / "examples" / "crm", root, ignore=shutil.ignore_patterns("*.db", "crm_client", ".env"))
    env = clean_env(DATABASE_URL="file:./dev.db")

    def lamina(*args):
        r = subprocess.run([sys.executable, "-m", "lamina", *args], cwd=root, env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
        return r

    lamina("migrate", "deploy")
    lamina("generate")  # the seed uses the client
    lamina("db", "seed")
    example = root / "data-migration"
    shutil.copytree(example / "20251101000000_contact_full_name",
                    root / "prisma" / "migrations" / "20251101000000_contact_full_name")
    schema = root / "prisma" / "schema.prisma"
    schema.write_text(schema.read_text().replace(
        '  lastName      String     @map("last_name")\n',
        '  lastName      String     @map("last_name")\n  fullName      String?    @map("full_name")\n'))
    lamina("migrate", "deploy")
    import sqlite3

    with sqlite3.connect(root / "prisma" / "dev.db") as conn:
        rows = conn.execute("SELECT first_name, last_name, full_name FROM contacts").fetchall()
    assert rows and all(full == f"{first} {last}" for first, last, full in rows)
    assert "The migrations produce the schema." in lamina("migrate", "check", "--no-git").stdout
    # rolled back: downgrade(db), then down.sql drops the column; the migration is pending again
    assert "Rolling back migration `20251101000000_contact_full_name`" in lamina("migrate", "rollback").stdout
    with sqlite3.connect(root / "prisma" / "dev.db") as conn:
        assert "full_name" not in {row[1] for row in conn.execute("PRAGMA table_info(contacts)")}
    lamina("migrate", "deploy")
    with sqlite3.connect(root / "prisma" / "dev.db") as conn:
        assert all(full == f"{first} {last}" for first, last, full in
                   conn.execute("SELECT first_name, last_name, full_name FROM contacts"))
