"""A Prisma 7 project keeps its database URL in prisma.config.ts (`datasource.url`, with
`shadowDatabaseUrl`), not in the schema: Lamina reads it there as Prisma 7.10.1 does, and
starts each command with Prisma's `Loaded Prisma config from prisma.config.ts.` line."""

from __future__ import annotations

import os
import subprocess

import pytest

from wf_helpers import ANCHORS, clean_env

from lamina.errors import LaminaError
from lamina.migrate.datasource import load_datasource
from lamina.project import locate_schema

PRISMA7_SCHEMA = 'datasource db {\n  provider = "sqlite"\n}\n\nmodel User {\n  id    Int    @id\n  email String\n}\n'
IMPORTS = 'import "dotenv/config";\nimport { defineConfig, env } from "prisma/config";\n\n'


def _project(tmp_path, datasource: str):
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(PRISMA7_SCHEMA)
    (tmp_path / "prisma.config.ts").write_text(
        IMPORTS + 'export default defineConfig({\n  schema: "prisma/schema.prisma",\n'
        f"  datasource: {{ {datasource} }},\n}});\n")
    return tmp_path


def _lamina(root, *args, **env):
    return subprocess.run(["lamina", *args], cwd=root, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, env=clean_env(**env))


def _datasource(root, monkeypatch, **env):
    monkeypatch.chdir(root)
    for name in ("DATABASE_URL", "SHADOW_DATABASE_URL", "APP_DB", "APP_SHADOW"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_datasource(locate_schema(None, root))


def test_a_literal_url_in_the_config_is_the_database(tmp_path):
    root = _project(tmp_path, 'url: "file:./data/app.db"')
    (root / "data").mkdir()
    r = _lamina(root, "db", "push")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stderr.startswith("Loaded Prisma config from prisma.config.ts.\n\nPrisma schema loaded from "
                               "prisma/schema.prisma.\n"), r.stderr
    assert 'Datasource "db": SQLite database "app.db" at "file:./data/app.db"' in r.stdout
    assert (root / "data" / "app.db").is_file() and not (root / "prisma" / "data").exists()
    if ANCHORS.is_file():  # the real Prisma 7.10.1 reads the same config to the same database
        # the config imports prisma/config (and dotenv): the anchor's own node_modules has both
        anchor_dir = os.environ.get("PRISMA_ANCHOR_DIR", "/tmp/anchors/prisma")
        (root / "node_modules").symlink_to(os.path.join(anchor_dir, "node_modules"))
        res = subprocess.run([str(ANCHORS), "-C", str(root), "sqlite", "migrate", "status"], capture_output=True,
                             text=True, timeout=240, stdin=subprocess.DEVNULL, env=clean_env())
        lamina = _lamina(root, "migrate", "status")
        assert res.stdout.splitlines()[0] == lamina.stdout.splitlines()[0], (res.stdout, lamina.stdout)
        assert res.stderr.startswith("Loaded Prisma config from prisma.config.ts.\n\nPrisma schema loaded from")


@pytest.mark.parametrize("expression,env,expected", [
    ('env("APP_DB")', {"APP_DB": "file:./from-env.db"}, "from-env.db"),
    ("env<Env>('APP_DB')", {"APP_DB": "file:./typed.db"}, "typed.db"),
    ("process.env.APP_DB", {"APP_DB": "file:./process.db"}, "process.db"),
    ('process.env["APP_DB"]!', {"APP_DB": "file:./index.db"}, "index.db"),
    ('process.env.APP_DB ?? "file:./fallback.db"', {}, "fallback.db"),
    ("process.env.APP_DB", {"DATABASE_URL": "file:./database-url.db"}, "database-url.db"),  # undefined: DATABASE_URL
    ("process.env.APP_DB || undefined", {"DATABASE_URL": "file:./unset.db"}, "unset.db"),  # the anchors' own config
])
def test_the_config_url_forms_prisma_projects_use(tmp_path, monkeypatch, expression, env, expected):
    root = _project(tmp_path, f"url: {expression}")
    ds = _datasource(root, monkeypatch, **env)
    assert ds.url.database == expected
    assert ds.url.path == root / expected  # relative to the config file's folder, as Prisma's


def test_a_missing_env_variable_is_prismas_config_error(tmp_path):
    root = _project(tmp_path, 'url: env("APP_DB")')
    r = _lamina(root, "migrate", "status", DATABASE_URL="file:./not-this.db")
    assert r.returncode == 1
    assert r.stderr == (
        "Loaded Prisma config from prisma.config.ts.\n\n"
        f'Error: Failed to load config file "{root}" as a TypeScript/JavaScript module. '
        "Error: PrismaConfigEnvError: Cannot resolve environment variable: APP_DB.\n")
    assert not (root / "prisma" / "not-this.db").exists() and not (root / "not-this.db").exists()


def test_the_shadow_database_url_comes_from_the_config(tmp_path, monkeypatch):
    root = _project(tmp_path, 'url: "file:./dev.db", shadowDatabaseUrl: env("APP_SHADOW")')
    ds = _datasource(root, monkeypatch, APP_SHADOW="file:./shadow.db", SHADOW_DATABASE_URL="file:./not-this.db")
    assert ds.shadow_url == "file:./shadow.db"


def test_code_lamina_cannot_evaluate_is_a_clear_error(tmp_path, monkeypatch):
    root = _project(tmp_path, "url: buildUrl(process.env)")
    with pytest.raises(LaminaError) as info:
        _datasource(root, monkeypatch, DATABASE_URL="file:./dev.db")
    assert str(info.value) == (
        "Lamina cannot evaluate `datasource.url` in prisma.config.ts (`buildUrl(process.env)`): it reads a string, "
        'env("NAME") or process.env.NAME there. Write it in one of those forms, or give the URL in the schema\'s '
        "datasource block.")


def test_no_url_anywhere_says_where_to_put_it(tmp_path):
    root = _project(tmp_path, "")
    r = _lamina(root, "migrate", "status")
    assert r.returncode == 1
    assert ("The datasource `db` has no `url`, prisma.config.ts has no `datasource.url` and DATABASE_URL is not set.\n"
            'Add `datasource: { url: env("DATABASE_URL") }` to prisma.config.ts and set DATABASE_URL (e.g. in .env).'
            ) in r.stderr


def test_the_seed_command_of_the_config_runs(tmp_path):
    root = _project(tmp_path, 'url: "file:./dev.db"')
    (root / "seed.py").write_text("open('seeded.txt', 'w').write('yes')\n")
    text = (root / "prisma.config.ts").read_text()
    (root / "prisma.config.ts").write_text(text.replace("  datasource:", '  migrations: { seed: "python seed.py" },\n  datasource:'))
    r = _lamina(root, "db", "seed")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Running seed command `python seed.py` ..." in r.stdout
    assert (root / "seeded.txt").read_text() == "yes"


def test_config_option_names_another_config_file(tmp_path):
    root = _project(tmp_path, 'url: "file:./here.db"')
    (root / "ops").mkdir()
    (root / "ops" / "prisma.staging.ts").write_text(
        'export default {\n  schema: "../prisma/schema.prisma",\n  datasource: { url: "file:./staging.db" },\n}\n')
    r = _lamina(root, "db", "push", "--config", "ops/prisma.staging.ts")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stderr.startswith("Loaded Prisma config from ops/prisma.staging.ts.\n\nPrisma schema loaded from "
                               "prisma/schema.prisma.\n"), r.stderr
    assert (root / "ops" / "staging.db").is_file() and not (root / "here.db").exists()
    r = _lamina(root, "validate", "--config", "nope.ts")
    assert r.returncode == 1 and f'Config file not found at "{root / "nope.ts"}"' in r.stderr, r.stderr
