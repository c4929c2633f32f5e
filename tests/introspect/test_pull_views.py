"""`db pull` with the views preview feature: `view` blocks and the views folder, compared with
what the real Prisma 7.10.1 CLI wrote for the same databases (data/views/pull_*, recorded by
record_views.py), and the view SQL layout on 76 definitions (data/views/sql_*: the database's
text in, Prisma's file out). MariaDB, which the offline Prisma CLI cannot reach, is checked
for the behaviour: blocks, enums, files, a schema that validates."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from lamina.introspect.view_sql import format_view_sql, sqlite_view_query

DATA = Path(__file__).parent / "data" / "views"
PG_SQL = sorted((DATA / "sql_postgresql").glob("*.in"))
SQLITE_SQL = sorted((DATA / "sql_sqlite").glob("*.in"))
# sqlparser (inside Prisma) reads these only in part and Prisma writes the truncated query, or
# not at all and Prisma writes the CREATE VIEW text as it is; Lamina writes the whole query.
SQLITE_TRUNCATED_BY_PRISMA = {"s19": "stops at GLOB", "s22": "stops at ISNULL", "t05": "rejects <<"}


@pytest.mark.parametrize("case", PG_SQL, ids=[c.stem for c in PG_SQL])
def test_postgres_view_sql_layout_as_prisma(case):
    assert format_view_sql(case.read_text()) == case.with_suffix(".out").read_text()


@pytest.mark.parametrize("case", SQLITE_SQL, ids=[c.stem for c in SQLITE_SQL])
def test_sqlite_view_sql_layout_as_prisma(case):
    got = format_view_sql(sqlite_view_query(case.read_text()))
    if case.stem in SQLITE_TRUNCATED_BY_PRISMA:
        assert got != case.with_suffix(".out").read_text()
        assert got.startswith("SELECT") and got.endswith(";")
        return
    assert got == case.with_suffix(".out").read_text()


def test_layout_rules():
    assert format_view_sql("select a, b from t where x = 1 and y in (1, 2)") == (
        "SELECT\n  a,\n  b\nFROM\n  t\nWHERE\n  x = 1\n  AND y IN (1, 2)")
    # BETWEEN's AND stays on the line; a long group opens a block; LIMIT keeps its commas inline
    assert format_view_sql("SELECT x BETWEEN 1 AND 2 FROM t LIMIT 1, 2") == "SELECT\n  x BETWEEN 1 AND 2\nFROM\n  t\nLIMIT\n  1, 2"
    assert format_view_sql("SELECT f(aaaaaaaaaa, bbbbbbbbbb, cccccccccc, dddddddddd, eeeeeeeeee)") == (
        "SELECT\n  f(\n    aaaaaaaaaa,\n    bbbbbbbbbb,\n    cccccccccc,\n    dddddddddd,\n    eeeeeeeeee\n  )")
    assert sqlite_view_query('CREATE VIEW IF NOT EXISTS "v" (a, b) AS select x != 1 y, cast(z as text) from t -- c') == (
        "SELECT x <> 1 AS y, CAST(z AS TEXT) FROM t;")


def _lamina(cwd: Path, *args: str, url: str) -> subprocess.CompletedProcess:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CI")}
    env["DATABASE_URL"] = url
    return subprocess.run([sys.executable, "-m", "lamina", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def _warnings(stdout: str) -> str:
    if "*** WARNING ***" not in stdout:
        return ""
    block = stdout[stdout.index("*** WARNING ***"):]
    return block[:block.index("Run ")].rstrip("\n") + "\n"


def _prepare(case: Path, tmp_path: Path) -> Path:
    (tmp_path / "prisma").mkdir()
    shutil.copy(case / "schema.prisma", tmp_path / "prisma" / "schema.prisma")
    if (case / "views_before").is_dir():
        shutil.copytree(case / "views_before", tmp_path / "prisma" / "views")
    return tmp_path


def _check_against_prisma(case: Path, work: Path, result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr
    assert (work / "prisma" / "schema.prisma").read_text() == (case / "expected.prisma").read_text()
    assert _tree(work / "prisma" / "views") == _tree(case / "expected_views")
    assert _warnings(result.stdout) == (case / "expected_warnings.txt").read_text()


@pytest.mark.parametrize("name", ["pull_pg_reintrospect", "pull_pg_enum_comment", "pull_pg_multischema"])
def test_postgres_pull_views_as_prisma(name, postgres_url, tmp_path):
    case = DATA / name
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute((case / "setup.sql").read_text())
    work = _prepare(case, tmp_path)
    _check_against_prisma(case, work, _lamina(work, "db", "pull", url=postgres_url))


@pytest.mark.parametrize("name", ["pull_sqlite_reintrospect", "pull_sqlite_view_relations"])
def test_sqlite_pull_views_as_prisma(name, tmp_path):
    case = DATA / name
    work = _prepare(case, tmp_path)
    with sqlite3.connect(work / "dev.db") as conn:
        conn.executescript((case / "setup.sql").read_text())
    _check_against_prisma(case, work, _lamina(work, "db", "pull", url="file:./dev.db"))
    # Pulled twice: nothing changes.
    again = _lamina(work, "db", "pull", url="file:./dev.db")
    assert again.returncode == 0
    assert (work / "prisma" / "schema.prisma").read_text() == (case / "expected.prisma").read_text()


SQLITE_HEAD = 'generator client {\n  provider        = "prisma-client-js"\n  previewFeatures = [%s]\n}\n\ndatasource db {\n  provider = "sqlite"\n}\n'


def _sqlite_project(tmp_path: Path, features: str) -> Path:
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SQLITE_HEAD % features)
    with sqlite3.connect(tmp_path / "dev.db") as conn:
        conn.executescript("CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, a TEXT);"
                           "CREATE VIEW v1 AS SELECT id, a FROM t;")
    return tmp_path


def test_views_folder_from_prisma_config_and_cleanup(tmp_path):
    """`views: { path }` in prisma.config.ts (as Prisma 7 reads it); files of dropped views are
    deleted and empty folders removed, other files stay; `--print` writes the files too."""
    work = _sqlite_project(tmp_path, '"views"')
    (work / "prisma.config.ts").write_text('export default {\n  schema: "prisma/schema.prisma",\n  views: { path: "db/myviews" },\n};\n')
    assert _lamina(work, "db", "pull", "--print", url="file:./dev.db").returncode == 0
    assert _tree(work / "db" / "myviews") == {"main/v1.sql": "SELECT\n  id,\n  a\nFROM\n  t;"}
    (work / "db" / "myviews" / "readme.txt").write_text("keep")
    with sqlite3.connect(work / "dev.db") as conn:
        conn.execute("DROP VIEW v1")
    assert _lamina(work, "db", "pull", url="file:./dev.db").returncode == 0
    assert _tree(work / "db" / "myviews") == {"readme.txt": "keep"}
    assert "view " not in (work / "prisma" / "schema.prisma").read_text()


def test_views_folder_from_pyproject_and_removed_when_empty(tmp_path):
    work = _sqlite_project(tmp_path, '"views"')
    (work / "pyproject.toml").write_text('[tool.lamina]\nviews = "sqlviews"\n')
    assert _lamina(work, "db", "pull", url="file:./dev.db").returncode == 0
    assert (work / "sqlviews" / "main" / "v1.sql").is_file()
    with sqlite3.connect(work / "dev.db") as conn:
        conn.execute("DROP VIEW v1")
    assert _lamina(work, "db", "pull", url="file:./dev.db").returncode == 0
    assert not (work / "sqlviews").exists()


def test_without_the_preview_feature_views_are_left_alone(tmp_path):
    work = _sqlite_project(tmp_path, "")
    result = _lamina(work, "db", "pull", url="file:./dev.db")
    assert result.returncode == 0
    assert "view " not in (work / "prisma" / "schema.prisma").read_text()
    assert not (work / "prisma" / "views").exists()


def test_mariadb_pull_views(mysql_url, tmp_path):
    import pymysql

    from tests.conftest import _mysql_params
    from tests.dburls import database_name

    conn = pymysql.connect(autocommit=True, database=database_name(mysql_url), **_mysql_params(mysql_url))
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE `User` (id INT PRIMARY KEY AUTO_INCREMENT, email VARCHAR(191) NOT NULL, "
                    "name VARCHAR(50), role ENUM('A','B') NOT NULL DEFAULT 'A')")
        cur.execute("CREATE VIEW v1 AS SELECT id, email, upper(name) AS uname, role FROM `User` WHERE id > 1")
    conn.close()
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SQLITE_HEAD.replace("sqlite", "mysql") % '"views"')
    result = _lamina(tmp_path, "db", "pull", url=mysql_url)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "prisma" / "schema.prisma").read_text()
    assert "view v1 {\n  id    Int\n  email String\n  uname String? @db.VarChar(50)\n  role  v1_role\n}" in text
    assert "enum v1_role {\n  A\n  B\n}" in text
    sql = (tmp_path / "prisma" / "views" / database_name(mysql_url) / "v1.sql").read_text()
    db = database_name(mysql_url)
    assert sql.startswith(f"SELECT\n  `{db}`.`User`.`id` AS `id`,\n") and f"FROM\n  `{db}`.`User`\nWHERE\n" in sql
    assert _lamina(tmp_path, "validate", url=mysql_url).returncode == 0


def test_multi_file_schema_views_go_back_to_their_file(tmp_path):
    """A folder of .prisma files (as Prisma 7.10.1 did on the same database): a known view stays
    in its file, a new one goes to introspected.prisma; the SQL goes to <folder>/views/."""
    folder = tmp_path / "prisma" / "schema"
    folder.mkdir(parents=True)
    (folder / "main.prisma").write_text(SQLITE_HEAD % '"views"')
    other = 'model t {\n  id Int @id @default(autoincrement())\n}\n\nview v1 {\n  id Int @unique\n}\n'
    (folder / "other.prisma").write_text(other)
    with sqlite3.connect(tmp_path / "dev.db") as conn:
        conn.executescript("CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT);"
                           "CREATE VIEW v1 AS SELECT id FROM t; CREATE VIEW v2 AS SELECT id FROM t;")
    result = _lamina(tmp_path, "db", "pull", "--schema", "prisma/schema", url="file:./dev.db")
    assert result.returncode == 0, result.stderr
    assert (folder / "other.prisma").read_text() == other
    assert (folder / "introspected.prisma").read_text() == "view v2 {\n  id Int?\n}\n"
    assert _tree(folder / "views") == {"main/v1.sql": "SELECT\n  id\nFROM\n  t;", "main/v2.sql": "SELECT\n  id\nFROM\n  t;"}


def test_a_database_with_views_only_is_not_empty(tmp_path):
    """As Prisma 7.10.1: no P4001, 'Introspected 0 model and wrote it', the view block written."""
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SQLITE_HEAD % '"views"')
    with sqlite3.connect(tmp_path / "dev.db") as conn:
        conn.execute("CREATE VIEW v AS SELECT 1 AS x")
    result = _lamina(tmp_path, "db", "pull", url="file:./dev.db")
    assert result.returncode == 0, result.stderr
    assert "✔ Introspected 0 model and wrote it into prisma/schema.prisma in " in result.stdout
    assert (tmp_path / "prisma" / "schema.prisma").read_text().endswith('\nview v {\n  x Unsupported("")?\n}\n')
    assert _warnings(result.stdout) == (
        "*** WARNING ***\n\nThese fields are not supported by Prisma Client, because Prisma currently does not "
        'support their types:\n  - View: "v", field: "x", original data type: ""\n')
