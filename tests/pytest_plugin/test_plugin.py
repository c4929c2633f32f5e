"""The pytest plugin (`lamina.testing`, entry point pytest11) as a user meets it: a project made
with `lamina init`, its own tests run by pytest with two xdist workers, on SQLite and PostgreSQL;
and the pytest-alembic-style migration tests on the CRM example and on a drifted copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.dburls import with_database, with_params

REPO = Path(__file__).resolve().parents[2]

MODELS = """
model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  author   User   @relation(fields: [authorId], references: [id])
  authorId Int
}
"""
ASYNC_GENERATOR = """
generator async_client {
  provider  = "lamina"
  output    = "../async_client"
  interface = "asyncio"
}
"""

USER_TESTS = '''
import asyncio

import pytest


@pytest.mark.parametrize("n", range(6))
def test_each_test_starts_empty(lamina_client, n):
    assert lamina_client.user.count() == 0
    user = lamina_client.user.create(data={"email": f"u{n}@x.io", "posts": {"create": [{"title": "hi"}]}})
    assert user.id == 1  # identities restart too
    assert lamina_client.post.count() == 1


def test_async_client(lamina_async_client):
    async def body():
        async with lamina_async_client as db:
            await db.user.create(data={"email": "async@x.io"})
            return await db.user.count()

    assert asyncio.run(body()) == 1


@pytest.mark.parametrize("n", range(3))
def test_connection_rolled_back(lamina_db, n):
    assert lamina_db.query('SELECT count(*) FROM "User"') == [(0,)]
    lamina_db.execute('INSERT INTO "User" (email) VALUES (?)', (f"raw{n}@x.io",))
    assert lamina_db.query('SELECT count(*) FROM "User"') == [(1,)]


def test_database_is_migrated(lamina_database):
    assert len(lamina_database.applied) == 1 and lamina_database.applied[0].endswith("_init")


def test_worker_database(lamina_url):
    import os

    assert os.environ["PYTEST_XDIST_WORKER"] in lamina_url
'''


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "LAMINA_TEST_")) and k not in ("DATABASE_URL", "CI")}
    env.update(extra)
    return env


def _run(cwd: Path, *args: str, env: dict[str, str], timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _pytest(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return _run(cwd, sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args, env=env)


def _new_project(root: Path, provider: str, url: str) -> dict[str, str]:
    env = _env(DATABASE_URL=url)
    init = _run(root, sys.executable, "-m", "lamina", "init", "--datasource-provider", provider, env=env)
    assert init.returncode == 0, init.stderr
    schema = root / "prisma" / "schema.prisma"
    schema.write_text(schema.read_text() + ASYNC_GENERATOR + MODELS)
    dev = _run(root, sys.executable, "-m", "lamina", "migrate", "dev", "--name", "init", env=env)
    assert dev.returncode == 0, dev.stdout + dev.stderr
    (root / "tests").mkdir()
    (root / "tests" / "test_users.py").write_text(USER_TESTS)
    return env


@pytest.mark.timeout(900)
def test_new_sqlite_project_runs_its_tests_on_two_workers(tmp_path):
    env = _new_project(tmp_path, "sqlite", "file:./dev.db")
    dev_db = tmp_path / "prisma" / "dev.db"
    before = dev_db.read_bytes()
    r = _pytest(tmp_path, env, "-n", "2")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "12 passed" in r.stdout
    assert dev_db.read_bytes() == before  # the development database is never touched


@pytest.mark.timeout(900)
def test_new_postgres_project_runs_its_tests_on_two_workers(tmp_path, postgres_server):
    name = f"plugin_{uuid.uuid4().hex[:8]}"
    url = with_database(postgres_server, name)
    try:
        env = _new_project(tmp_path, "postgresql", url)
        r = _pytest(tmp_path, env, "-n", "2")
        assert r.returncode == 0, r.stdout + r.stderr
        assert "12 passed" in r.stdout
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            left = {row[0] for row in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                                   (name + "%",))}
        # the workers' databases are dropped; the template stays for the next run
        assert len(left) == 2 and name in left and any("_tpl_" in d for d in left), left
        # a second run reuses the template
        r = _pytest(tmp_path, env, "-n", "2")
        assert r.returncode == 0, r.stdout + r.stderr
        # another PostgreSQL schema (?schema=) gets a template of its own, the old one is dropped
        r = _pytest(tmp_path, env, "-n", "2", "--lamina-url", with_params(url, schema="tenant"))
        assert r.returncode == 0, r.stdout + r.stderr
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            templates = [row[0] for row in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                                        (name + "\\_tpl\\_%",))]
        assert len(templates) == 1 and templates[0] not in left, (templates, left)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            for (db,) in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (name + "%",)).fetchall():
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


MIGRATION_TESTS = "from lamina.testing.migration_tests import *  # noqa: F401,F403\n"


def _crm_copy(root: Path) -> Path:
    crm = REPO / "examples" / "crm"
    shutil.copytree(crm / "prisma", root / "prisma", ignore=shutil.ignore_patterns("*.db", "*.db-journal"))
    (root / "tests").mkdir()
    (root / "tests" / "test_migrations.py").write_text(MIGRATION_TESTS)
    return root


def test_migration_tests_pass_on_the_crm(tmp_path):
    root = _crm_copy(tmp_path)
    r = _pytest(root, _env(), "-rs")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 passed, 1 skipped" in r.stdout and "no migration has a down.sql" in r.stdout


def test_migration_tests_fail_on_a_drifted_schema(tmp_path):
    root = _crm_copy(tmp_path)
    schema = root / "prisma" / "schema.prisma"
    schema.write_text(schema.read_text().replace("model Org {\n", "model Org {\n  plan String?\n", 1))
    r = _pytest(root, _env())
    assert r.returncode == 1, r.stdout + r.stderr
    assert "1 failed, 1 passed, 1 skipped" in r.stdout
    assert "test_lamina_migrations_produce_the_schema" in r.stdout
    assert "The migrations do not produce the schema" in r.stdout and "plan" in r.stdout


def test_migration_tests_fail_on_a_broken_migration(tmp_path):
    root = _crm_copy(tmp_path)
    broken = root / "prisma" / "migrations" / "20990101000000_broken"
    broken.mkdir()
    (broken / "migration.sql").write_text('ALTER TABLE "nope" ADD COLUMN "x" TEXT;\n')
    r = _pytest(root, _env())
    assert r.returncode == 1
    assert "Migration `20990101000000_broken` does not apply" in r.stdout


def test_down_migrations_round_trip(tmp_path):
    root = _crm_copy(tmp_path)
    add = root / "prisma" / "migrations" / "20990101000000_add_plan"
    add.mkdir()
    (add / "migration.sql").write_text('ALTER TABLE "orgs" ADD COLUMN "plan" TEXT;\n')
    (add / "down.sql").write_text('ALTER TABLE "orgs" DROP COLUMN "plan";\n')
    (root / "tests" / "test_migrations.py").write_text(
        "def test_round_trip(lamina_migrations):\n    assert lamina_migrations.check_down_round_trip() == 1\n")
    assert _pytest(root, _env()).returncode == 0
    (add / "down.sql").write_text('SELECT 1;\n')  # does not undo it
    r = _pytest(root, _env())
    assert r.returncode == 1 and "does not undo the migration" in r.stdout, r.stdout


def test_upgrade_with_data(tmp_path):
    root = _crm_copy(tmp_path)
    add = root / "prisma" / "migrations" / "20990101000000_org_label"
    add.mkdir()
    (add / "migration.sql").write_text('ALTER TABLE "orgs" ADD COLUMN "label" TEXT;\n'
                                       'UPDATE "orgs" SET "label" = upper("slug");\n')
    (root / "tests" / "test_migrations.py").write_text('''
def test_label_backfilled(lamina_migrations):
    conn = lamina_migrations.upgrade_with_data(
        "20251026090416_init",
        "INSERT INTO orgs (id, name, slug, created_at, updated_at) VALUES ('o1', 'Acme', 'acme', 0, 0)",
    )
    assert conn.query("SELECT label FROM orgs") == [("ACME",)]
    assert lamina_migrations.applied()[-1] == "20990101000000_org_label"
''')
    r = _pytest(root, _env())
    assert r.returncode == 0, r.stdout + r.stderr


def test_no_schema_is_a_usage_error_only_for_tests_that_use_the_fixtures(tmp_path):
    (tmp_path / "test_plain.py").write_text("def test_plain():\n    pass\n")
    assert _pytest(tmp_path, _env()).returncode == 0  # the plugin is inert
    (tmp_path / "test_db.py").write_text("def test_db(lamina_db):\n    pass\n")
    r = _pytest(tmp_path, _env())
    assert r.returncode != 0 and "found no schema.prisma" in r.stdout + r.stderr


def test_postgres_schema_without_url_says_what_to_set(tmp_path):
    env = _env()
    _run(tmp_path, sys.executable, "-m", "lamina", "init", "--datasource-provider", "postgresql", env=env)
    (tmp_path / ".env").unlink()
    (tmp_path / "test_db.py").write_text("def test_db(lamina_db):\n    pass\n")
    r = _pytest(tmp_path, env)
    assert r.returncode == 1 and "--lamina-url" in r.stdout, r.stdout


@pytest.mark.timeout(900)
def test_crm_example_tests(tmp_path):
    """examples/crm/tests: the example project's own tests, on the plugin, with two workers."""
    root = tmp_path / "crm"
    shutil.copytree(REPO / "examples" / "crm", root, ignore=shutil.ignore_patterns("*.db", "crm_client", ".env",
                                                                                   "__pycache__"))
    r = _pytest(root, _env(), "-n", "2", "-rs")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "8 passed, 1 skipped" in r.stdout, r.stdout


@pytest.mark.timeout(900)
def test_new_mysql_project_runs_its_tests_on_two_workers(tmp_path, mysql_server):
    import pymysql

    from tests.conftest import _mysql_params

    name = f"plugin_{uuid.uuid4().hex[:8]}"
    try:
        env = _new_project(tmp_path, "mysql", with_database(mysql_server, name))
        (tmp_path / "tests" / "test_users.py").write_text(USER_TESTS.replace('"User"', "`User`"))
        r = _pytest(tmp_path, env, "-n", "2")
        assert r.returncode == 0, r.stdout + r.stderr
        assert "12 passed" in r.stdout
    finally:
        conn = pymysql.connect(autocommit=True, **_mysql_params(mysql_server))
        try:
            with conn.cursor() as cur:
                cur.execute("SHOW DATABASES LIKE %s", (name + "%",))
                for (db,) in cur.fetchall():
                    cur.execute(f"DROP DATABASE IF EXISTS `{db}`")
        finally:
            conn.close()
