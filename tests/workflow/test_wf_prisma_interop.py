"""Interoperability with the real Prisma 7.10.1 CLI (../shared/anchors): a project moves
between Prisma and Lamina and both `migrate status` agree.

Prisma 7 rejects `url =` in the datasource block (it reads DATABASE_URL from its config),
so these schemas have no `url`; Lamina then takes DATABASE_URL from the environment, and a
relative SQLite path is relative to the project root, as Prisma 7 resolves it.
"""

from __future__ import annotations

import subprocess

import pytest

from wf_helpers import ANCHORS, Project, clean_env, sha256

from tests.conftest import unavailable
from tests.dburls import is_tcp, server_host

pytestmark = pytest.mark.skipif(not ANCHORS.is_file(), reason="../shared/anchors (the real Prisma CLI) is absent")

SCHEMA = """datasource db {{
  provider = "{provider}"
}}

model User {{
  id        String   @id @default(cuid())
  email     String   @unique
  name      String
  createdAt DateTime @default(now())
}}
"""


def prisma(project: Project, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ANCHORS), "-C", str(project.root), project.provider, *args], capture_output=True,
                          text=True, timeout=240, stdin=subprocess.DEVNULL, env=clean_env(DATABASE_URL=project.url))


def _project(tmp_path, provider: str, url: str) -> Project:
    root = tmp_path / "proj"
    (root / "prisma").mkdir(parents=True)
    p = Project(root, provider, url)
    p.schema.write_text(SCHEMA.format(provider=provider))
    return p


@pytest.fixture
def interop(tmp_path, postgres_url):
    # PostgreSQL only: each real-CLI run takes seconds, and SQLite was checked the same way by hand
    # (`_history` still handles it: change the fixture to `_project(tmp_path, "sqlite", "file:./dev.db")`).
    # Prisma's schema engine rejects a URL without a host ("Invalid URL"), such as the pgserver
    # wheel's Unix-socket URL (`postgresql://postgres@/db?host=/dir`): this test needs a TCP server.
    if not is_tcp(postgres_url):
        unavailable(f"the real Prisma CLI needs a PostgreSQL server over TCP, not the Unix socket at {server_host(postgres_url)}")
    return _project(tmp_path, "postgresql", postgres_url)


def _history(p: Project):
    if p.provider == "sqlite":
        import sqlite3

        with sqlite3.connect(p.root / "dev.db") as conn:
            return conn.execute("SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY started_at").fetchall()
    return [r[:3] for r in p.history()]


def test_lamina_then_prisma_then_lamina(interop):
    p = interop
    # Lamina creates and applies the first migration; Prisma agrees it is up to date
    r = p.run("migrate", "dev", "--name", "init")
    assert r.code == 0, r.both
    res = prisma(p, "migrate", "status")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "1 migration found in prisma/migrations\n\nDatabase schema is up to date!" in res.stdout
    # Prisma adds a migration on top (its own engine, its own rows) ...
    p.schema.write_text(SCHEMA.format(provider=p.provider).replace("  name      String\n", "  name      String\n  bio       String?\n"))
    res = prisma(p, "migrate", "dev", "--name", "add_bio")
    assert res.returncode == 0, res.stdout + res.stderr
    # ... which Lamina reads as in sync, with Prisma's checksums equal to the files'
    r = p.run("migrate", "status")
    assert r.code == 0 and r.out.endswith("2 migrations found in prisma/migrations\n\nDatabase schema is up to date!\n"), r.both
    for name, checksum, finished in _history(p):
        assert checksum == sha256(p.migrations / name / "migration.sql") and finished is not None
    r = p.run("migrate", "dev")
    assert r.code == 0 and "Already in sync" in r.out, r.both
    # Lamina adds the spec's avatar migration and deploys it; Prisma agrees again
    p.schema.write_text(p.schema.read_text().replace("  bio       String?\n", "  bio       String?\n  avatar    String?\n"))
    r = p.run("migrate", "dev", "--name", "add_user_avatar", "--create-only")
    assert r.code == 0, r.both
    r = p.run("migrate", "deploy")
    assert r.code == 0 and "_add_user_avatar/" in r.out, r.both
    res = prisma(p, "migrate", "status")
    assert res.returncode == 0 and "3 migrations found" in res.stdout and "Database schema is up to date!" in res.stdout, \
        res.stdout + res.stderr
    assert [row[0].split("_", 1)[1] for row in _history(p)] == ["init", "add_bio", "add_user_avatar"]


def test_prisma_reads_down_files_and_a_rolled_back_history(interop):
    """Issue 11: a folder with down.sql files and a history with a rolled-back migration:
    Prisma's `migrate status` agrees with Lamina's, and Prisma's deploy applies it again."""
    p = interop
    assert p.run("migrate", "dev", "--name", "init", "--skip-generate").code == 0
    p.schema.write_text(SCHEMA.format(provider=p.provider).replace("  name      String\n", "  name      String\n  bio       String?\n"))
    assert p.run("migrate", "dev", "--name", "add_bio", "--skip-generate").code == 0
    names = sorted(d.name for d in p.migrations.iterdir() if d.is_dir())
    assert all((p.migrations / n / "down.sql").is_file() for n in names)
    res = prisma(p, "migrate", "status")
    assert res.returncode == 0 and "2 migrations found" in res.stdout and "Database schema is up to date!" in res.stdout, \
        res.stdout + res.stderr
    r = p.run("migrate", "rollback")
    assert r.code == 0, r.both
    pending = f"Following migration have not yet been applied:\n{names[1]}\n"
    res = prisma(p, "migrate", "status")
    assert res.returncode == 1 and pending in res.stdout, res.stdout + res.stderr
    r = p.run("migrate", "status")
    assert r.code == 1 and pending in r.out, r.both
    res = prisma(p, "migrate", "deploy")
    assert res.returncode == 0, res.stdout + res.stderr
    assert p.run("migrate", "status").code == 0
    rows = p.query("SELECT migration_name, finished_at IS NOT NULL, rolled_back_at IS NOT NULL FROM _prisma_migrations "
                   "ORDER BY started_at")
    assert rows == [(names[0], True, False), (names[1], True, True), (names[1], True, False)]


def test_prisma_agrees_with_a_renamed_model_and_its_join_tables(interop):
    """Issue 11: after `--rename User=Person` carried the many-to-many tables along (a default one
    renamed, a named one kept; both with A and B swapped), real Prisma finds the database equal
    to the schema, with its own names and key order."""
    p = interop
    base = ("datasource db {\n  provider = \"postgresql\"\n}\n\n"
            "model User {\n  id    Int   @id\n  tags  Tag[]\n  likes Tag[] @relation(\"Likes\")\n}\n\n"
            "model Tag {\n  id     Int    @id\n  users  User[]\n  likers User[] @relation(\"Likes\")\n}\n")
    p.schema.write_text(base)
    assert p.run("migrate", "dev", "--name", "init", "--skip-generate").code == 0
    p.query('INSERT INTO "User" VALUES (1); INSERT INTO "Tag" VALUES (10); '
            'INSERT INTO "_TagToUser" VALUES (10, 1); INSERT INTO "_Likes" VALUES (10, 1)')
    p.schema.write_text(base.replace("model User {", "model Person {").replace("User[]", "Person[]"))
    r = p.run("migrate", "dev", "--name", "person", "--skip-generate", "--rename", "User=Person")
    assert r.code == 0, r.both
    res = prisma(p, "migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code")
    assert res.returncode == 0 and "No difference detected." in res.stdout, res.stdout + res.stderr
    res = prisma(p, "migrate", "status")
    assert res.returncode == 0 and "Database schema is up to date!" in res.stdout, res.stdout + res.stderr
    assert p.query('SELECT "A", "B" FROM "_PersonToTag"') == [(1, 10)]
    assert p.query('SELECT "A", "B" FROM "_Likes"') == [(1, 10)]
