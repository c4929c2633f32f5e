"""The project's folders as Prisma 7.10.1 finds them (`lamina.project.project_paths`): the
`schema`, `migrations.path`, `views.path` and `typedSql.path` of prisma.config.ts, relative to
the config file's folder, else `migrations/`, `views/` and `sql/` in the schema's folder."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from wf_helpers import ANCHORS, clean_env

from lamina.project import locate_schema, project_paths

SCHEMA = 'datasource db {\n  provider = "sqlite"\n}\n\nmodel User {\n  id    Int    @id\n  email String\n}\n'


def _paths(root: Path) -> dict[str, str]:
    paths = project_paths(locate_schema(None, root))
    return {k: Path(v).relative_to(root).as_posix() for k, v in vars(paths).items()}


def test_defaults_are_in_the_schemas_folder(tmp_path):
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SCHEMA)
    assert _paths(tmp_path) == {"migrations": "prisma/migrations", "views": "prisma/views", "typed_sql": "prisma/sql"}
    # A folder of .prisma files is its own root (Prisma's schemaRootDir): prisma/schema/sql, not prisma/sql.
    (tmp_path / "prisma" / "schema").mkdir()
    (tmp_path / "prisma" / "schema.prisma").rename(tmp_path / "prisma" / "schema" / "main.prisma")
    (tmp_path / "pyproject.toml").write_text('[tool.lamina]\nschema = "prisma/schema"\n')
    assert _paths(tmp_path) == {"migrations": "prisma/schema/migrations", "views": "prisma/schema/views",
                                "typed_sql": "prisma/schema/sql"}


def test_prisma_config_paths_are_relative_to_the_config_file(tmp_path):
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "schema.prisma").write_text(SCHEMA)
    (tmp_path / ".config").mkdir()
    (tmp_path / ".config" / "prisma.ts").write_text(
        'import { defineConfig } from "prisma/config";\n'
        "// views: { path: \"commented/out\" },\n"
        "export default defineConfig({\n"
        '  schema: "../db/schema.prisma", /* typedSql: { path: "x" } */\n'
        '  datasource: { url: "postgresql://u@h//db" },\n'
        "  migrations: { seed: `tsx seed.ts`, path: '../db/migrations' },\n"
        "  views: { path: process.env.VIEWS ?? \"not/a/literal\" },\n"
        '  "typedSql": { "path": `../db/queries` },\n'
        "});\n")
    assert locate_schema(None, tmp_path).path == tmp_path / "db" / "schema.prisma"
    assert _paths(tmp_path) == {"migrations": "db/migrations", "views": "db/views", "typed_sql": "db/queries"}
    # prisma.config.ts in the project folder comes before .config/prisma.ts (c12's order)
    (tmp_path / "prisma.config.ts").write_text('export default {\n  schema: "db",\n  views: { path: "v" },\n}\n')
    assert _paths(tmp_path) == {"migrations": "db/migrations", "views": "v", "typed_sql": "db/sql"}
    # [tool.lamina] comes first, relative to the project folder
    (tmp_path / "pyproject.toml").write_text('[tool.lamina]\nmigrations = "m"\ntyped_sql = "q"\n')
    assert _paths(tmp_path) == {"migrations": "m", "views": "v", "typed_sql": "q"}


def test_a_missing_schema_of_prisma_config_is_prismas_error(tmp_path):
    (tmp_path / "prisma.config.ts").write_text('export default { schema: "nope/x.prisma" }\n')
    from lamina.errors import LaminaError

    with pytest.raises(LaminaError) as info:
        locate_schema(None, tmp_path)
    assert str(info.value) == (f"Could not load schema from `{tmp_path / 'nope' / 'x.prisma'}` provided by the Prisma "
                               "config file: file or directory not found")


def test_migrate_dev_uses_the_schema_and_migrations_of_prisma_config(sqlite_project):
    p = sqlite_project
    p.schema.unlink()
    (p.root / "db").mkdir()
    (p.root / "db" / "app.prisma").write_text(SCHEMA)
    (p.root / "prisma.config.ts").write_text(
        'export default {\n  schema: "db/app.prisma",\n  migrations: { path: "db/history" },\n'
        '  datasource: { url: "file:./dev.db" },\n};\n')
    r = p.run("migrate", "dev", "--name", "init", url="file:./dev.db")
    assert r.code == 0, r.both
    assert "Prisma schema loaded from db/app.prisma." in r.err
    [migration] = [m.name for m in (p.root / "db" / "history").iterdir() if m.is_dir()]
    assert migration.endswith("_init") and (p.root / "db" / "history" / "migration_lock.toml").is_file()
    assert not (p.root / "db" / "migrations").exists() and not (p.root / "prisma" / "migrations").exists()
    r = p.run("migrate", "status", url="file:./dev.db")
    assert r.code == 0 and "1 migration found in db/history" in r.out, r.both
    if ANCHORS.is_file():  # the real Prisma 7.10.1 reads the same config the same way
        res = subprocess.run([str(ANCHORS), "-C", str(p.root), "sqlite", "migrate", "status"], capture_output=True,
                             text=True, timeout=240, stdin=subprocess.DEVNULL, env=clean_env())
        assert res.returncode == 0, res.stdout + res.stderr
        # (Prisma's status always says "found in prisma/migrations"; Lamina names the folder it read)
        assert "1 migration found in prisma/migrations\n\nDatabase schema is up to date!" in res.stdout


def test_diff_from_the_datasource_finds_the_database_migrate_dev_made(sqlite_project):
    """A schema without `url` (Prisma 7) and DATABASE_URL=file:./dev.db: the file is in the
    project folder for `migrate dev`, and `migrate diff --from-config-datasource` reads that same
    file (it looked in the schema's folder: P1003)."""
    p = sqlite_project
    p.schema.write_text(SCHEMA)
    assert p.run("migrate", "dev", "--name", "init", url="file:./dev.db").code == 0
    assert (p.root / "dev.db").is_file() and not (p.root / "prisma" / "dev.db").exists()
    for side in ("--from-config-datasource", "--from-schema-datasource"):
        args = (side, "prisma/schema.prisma") if side == "--from-schema-datasource" else (side,)
        r = p.run("migrate", "diff", *args, "--to-schema", "prisma/schema.prisma", "--exit-code", url="file:./dev.db")
        assert (r.code, r.out) == (0, "No difference detected.\n\n\n"), r.both  # Prisma's CLI adds two newlines
