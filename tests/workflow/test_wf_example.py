"""The CRM example: its committed init migration is what the engine produces today, and
it runs on MariaDB. The spec's development flow on SQLite is tests/test_quickstart.py (the README's
main job, as written)."""

from __future__ import annotations

import shutil
from decimal import Decimal

from wf_helpers import REPO, Project

CRM = REPO / "examples" / "crm"
INIT = CRM / "prisma" / "migrations" / "20251026090416_init" / "migration.sql"


def test_committed_init_migration_is_the_engines(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "file:./dev.db")
    from lamina.migrate.engine import load_target
    from lamina.project import locate_schema
    from lamina.sql.diff import diff
    from lamina.sql.schema import SqlSchema

    target = load_target(locate_schema(CRM / "prisma" / "schema.prisma"))
    script = target.dialect.render_script(diff(SqlSchema(), target.schema, target.dialect))
    assert INIT.read_text() == script
    assert (CRM / "prisma" / "migrations" / "migration_lock.toml").read_text().endswith('provider = "sqlite"\n')


def test_crm_on_mariadb(tmp_path, mysql_url):
    """The CRM schema with provider "mysql": migrate dev writes Prisma's MySQL from-empty script
    (tests/engine/crm/expected.mysql.sql), then status, diff --from-migrations, reset agree."""
    root = tmp_path / "crm"
    shutil.copytree(CRM, root, ignore=shutil.ignore_patterns("dev.db*", "crm_client", "__pycache__", ".env", "migrations"))
    schema = root / "prisma" / "schema.prisma"
    schema.write_text(schema.read_text().replace('provider = "sqlite"', 'provider = "mysql"', 1))
    p = Project(root, "mysql", mysql_url)
    r = p.run("migrate", "dev", "--name", "init", "--skip-generate", "--skip-seed")
    assert r.code == 0, r.both
    (init,) = p.migrations.glob("*_init/migration.sql")
    assert init.read_text() == (REPO / "tests" / "engine" / "crm" / "expected.mysql.sql").read_text()
    assert (p.migrations / "migration_lock.toml").read_text().endswith('provider = "mysql"\n')
    r = p.run("migrate", "status")
    assert r.code == 0 and r.out.endswith("Database schema is up to date!\n"), r.both
    r = p.run("migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma",
              "--exit-code")
    assert (r.code, r.out) == (0, "No difference detected.\n\n\n"), r.both  # Prisma's CLI adds two newlines
    r = p.run("migrate", "dev", "--skip-generate")
    assert r.code == 0 and r.out.endswith("Already in sync, no schema change or pending migration was found.\n"), r.both
    r = p.run("migrate", "reset", "--force", "--skip-seed", "--skip-generate")
    assert r.code == 0 and "Database reset successful" in r.out, r.both
    assert p.run("migrate", "status").code == 0


def test_crm_seed_runs_through_the_client_on_every_database(tmp_path, request):
    """examples/crm/seed.py is written with the generated client, so the same file seeds SQLite,
    PostgreSQL and MySQL/MariaDB (it used double-quoted SQL, which MySQL rejects); twice, with
    the same rows after the second run."""
    for provider in ("sqlite", "postgresql", "mysql"):
        url = "file:./dev.db" if provider == "sqlite" else request.getfixturevalue(
            "postgres_url" if provider == "postgresql" else "mysql_url")
        root = tmp_path / provider
        shutil.copytree(CRM, root, ignore=shutil.ignore_patterns("dev.db*", "crm_client", "__pycache__", ".env", "migrations"))
        schema = root / "prisma" / "schema.prisma"
        schema.write_text(schema.read_text().replace('provider = "sqlite"', f'provider = "{provider}"', 1))
        p = Project(root, provider, url)
        r = p.run("db", "push", "--skip-generate")
        assert r.code == 0, r.both
        assert p.run("generate").code == 0
        for _ in range(2):
            seeded = p.run("db", "seed")
            assert seeded.code == 0, seeded.both
            assert "Seeded the demo org: 1 orgs, 3 users, 3 companies, 4 contacts, 3 deals, 4 tasks" in seeded.out
        counts = p.query('SELECT (SELECT COUNT(*) FROM "users"), (SELECT COUNT(*) FROM "deals"), '
                         '(SELECT SUM("amount") FROM "deals"), (SELECT COUNT(*) FROM "tasks" WHERE "deal_id" IS NOT NULL)')
        assert [(u, d, Decimal(str(total)), t) for u, d, total, t in counts] == [(3, 3, Decimal("70400.50"), 4)]
