"""Behind a connection pooler: `directUrl` carries every migrate/db command past the pooler
(the client keeps `url`); `?pgbouncer=true` makes no server-side prepared statements; Lamina's
sessions are recognisable in pg_stat_activity."""

from __future__ import annotations

from wf_helpers import make_project

from lamina.db.connection import connect
from tests.dburls import with_params

DIRECT = 'datasource db {\n  provider  = "postgresql"\n  url       = env("DATABASE_URL")\n  directUrl = env("DIRECT_URL")\n}\n'
POOLER = "postgresql://app:s3cret@127.0.0.1:1/app?pgbouncer=true"  # nothing listens there


def test_migrate_commands_use_direct_url(tmp_path, postgres_url):
    p = make_project(tmp_path, "postgresql", POOLER)
    p.schema.write_text(DIRECT + "\nmodel User {\n  id Int @id\n}\n")
    env = {"DIRECT_URL": postgres_url}
    r = p.run("migrate", "dev", "--name", "init", "--skip-generate", env=env)
    assert r.code == 0, r.both
    assert p.run("migrate", "status", env=env).code == 0
    assert p.run("migrate", "deploy", env=env).code == 0
    assert "User" in p.tables(url=postgres_url)
    # without DIRECT_URL the schema cannot be read: a clear error naming the variable
    missing = p.run("migrate", "status")
    assert missing.code == 1 and "Environment variable not found: DIRECT_URL" in missing.err


def test_pgbouncer_and_application_name(postgres_url):
    with connect(postgres_url) as conn:
        assert conn.query("SELECT current_setting('application_name')") == [("lamina",)]
        assert conn.raw.prepare_threshold is not None
    with connect(with_params(postgres_url, pgbouncer="true", application_name="deployer")) as conn:
        assert conn.raw.prepare_threshold is None
        assert conn.query("SELECT current_setting('application_name')") == [("deployer",)]
