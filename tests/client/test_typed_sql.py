"""Typed SQL (`lamina generate --sql`, Prisma's typedSql preview feature): `prisma/sql/*.sql` with
`-- @param` annotations become typed functions of the generated client's `sql` module, described
by the database at generate time, run by `db.query_typed(...)` on the sync and asyncio clients."""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.client.conftest import _drop_pg, _mysql
from tests.client.test_generate import lamina, pyright
from tests.conftest import unavailable
from tests.dburls import with_database

SCHEMA = """generator client {
  provider        = "lamina"
  output          = "../%(package)s"
  interface       = "%(interface)s"
  previewFeatures = ["typedSql"]
}

datasource db {
  provider = "%(provider)s"
  url      = env("DATABASE_URL")
}

enum Role {
  USER
  ADMIN
}

model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  name      String?
  age       Int
  role      Role     @default(USER)
  balance   Decimal  @default(0)
  avatar    Bytes?
  active    Boolean  @default(true)
  createdAt DateTime @default(now())
  posts     Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}
"""

# The same queries in each database's placeholder style ($1 on PostgreSQL, ? on MySQL and SQLite).
QUERIES = {
    "users_older_than": """-- Users above an age, youngest first.
-- @param {Int} $1:minAge The youngest age listed is one more
SELECT id, email, name, age, role, balance, avatar, active, "createdAt"
FROM "User"
WHERE age > $1
ORDER BY age, id
""",
    "post_titles": """-- @param {String} $1:emailLike? A LIKE pattern; None lists everyone's
SELECT u.email AS email, p.title AS "title?"
FROM "User" u JOIN "Post" p ON p."authorId" = u.id
WHERE ($1 IS NULL OR u.email LIKE $1)
ORDER BY p.id
""",
}


def _dialect_sql(text: str, provider: str) -> str:
    if provider == "mysql":  # the annotations keep `$1`: they name the first `?`
        return "\n".join(line if line.startswith("--") else line.replace('"', "`").replace("$1", "?")
                         for line in text.split("\n"))
    if provider == "postgresql":
        return text.replace("($1 IS NULL", "($1::text IS NULL")
    return text.replace("($1 IS NULL OR u.email LIKE $1)", "(?1 IS NULL OR u.email LIKE ?1)")


def _params_for(provider: str, name: str) -> Any:
    """MySQL's `?` is positional: a parameter used twice is passed twice."""
    return provider == "mysql" and name == "post_titles"


@pytest.fixture
def project(request, tmp_path: Path):
    """(folder, provider, database URL) of a project whose tables exist (`lamina db push`)."""

    def make(provider: str, interface: str = "sync") -> tuple[Path, str, str]:
        package = f"typed_{provider}_{interface}_{uuid.uuid4().hex[:6]}"
        (tmp_path / "prisma" / "sql").mkdir(parents=True)
        (tmp_path / "prisma" / "schema.prisma").write_text(
            SCHEMA % {"package": package, "interface": interface, "provider": provider})
        for name, text in QUERIES.items():
            sql = _dialect_sql(text, provider)
            if _params_for(provider, name):
                sql = sql.replace("-- @param {String} $1:emailLike?", "-- @param {String} $1:emailLike?\n"
                                  "-- @param {String} $2:emailLikeAgain?")
            (tmp_path / "prisma" / "sql" / f"{name}.sql").write_text(sql)
        name = f"lamina_typed_{uuid.uuid4().hex[:10]}"
        if provider == "sqlite":
            url = f"file:{tmp_path / 'dev.db'}"
        elif provider == "postgresql":
            server = request.getfixturevalue("postgres_server")
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            request.addfinalizer(lambda: _drop_pg(server, name))
            url = with_database(server, name)
        else:
            server = request.getfixturevalue("mysql_server")
            _mysql(server, f"CREATE DATABASE `{name}`")
            request.addfinalizer(lambda: _mysql(server, f"DROP DATABASE IF EXISTS `{name}`"))
            url = with_database(server, name)
        (tmp_path / ".env").write_text(f"DATABASE_URL={url}\n")
        pushed = lamina("db", "push", "--skip-generate", cwd=tmp_path)
        assert pushed.returncode == 0, pushed.stderr
        return tmp_path, package, url

    return make


def _import(folder: Path, package: str) -> Any:
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    return importlib.import_module(package)


def _seed(db: Any) -> None:
    db.user.create(data={"email": "old@x.io", "name": "Old", "age": 70, "role": "ADMIN", "balance": Decimal("12.50"),
                         "avatar": b"\x00\x01", "createdAt": datetime(2020, 1, 2, 3, 4, 5, 6000, tzinfo=UTC),
                         "posts": {"create": [{"title": "First"}, {"title": "Second"}]}})
    db.user.create(data={"email": "young@x.io", "age": 20, "active": False})


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_generate_sql_and_query_typed(project, provider: str) -> None:
    folder, package, url = project(provider)
    result = lamina("generate", "--sql", cwd=folder)
    assert result.returncode == 0, result.stderr
    module = _import(folder, package)
    sql = importlib.import_module(f"{package}.sql")
    with module.Prisma(datasource={"url": url}) as db:
        _seed(db)
        rows = db.query_typed(sql.users_older_than(min_age=18))
        assert [r["email"] for r in rows] == ["young@x.io", "old@x.io"]
        old = rows[1]
        assert old == {"id": old["id"], "email": "old@x.io", "name": "Old", "age": 70, "role": module.enums.Role.ADMIN
                       if provider == "postgresql" else "ADMIN", "balance": Decimal("12.5"), "avatar": b"\x00\x01",
                       "active": True, "createdAt": datetime(2020, 1, 2, 3, 4, 5, 6000, tzinfo=UTC)}
        assert type(old["active"]) is bool and type(old["id"]) is int and rows[0]["name"] is None
        assert db.query_typed(sql.users_older_than(69)) == [old]
        args = ("old%", "old%") if provider == "mysql" else ("old%",)
        titles = db.query_typed(sql.post_titles(*args))
        assert titles == [{"email": "old@x.io", "title": "First"}, {"email": "old@x.io", "title": "Second"}]
        assert len(db.query_typed(sql.post_titles(*[None] * len(args)))) == 2
        with db.tx() as tx:  # a transaction's client runs typed queries on its own connection
            tx.user.create(data={"email": "ancient@x.io", "age": 120})
            assert [r["email"] for r in tx.query_typed(sql.users_older_than(100))] == ["ancient@x.io"]
    text = (folder / package / "sql.py").read_text()
    # column types come from the database: a NOT NULL column is not Optional, a nullable one is
    assert "'email': str" in text and "'name': Optional[str]" in text
    assert "def users_older_than(min_age: int) -> TypedQuery[UsersOlderThanRow]:" in text
    assert "min_age: The youngest age listed is one more" in text
    # `"title?"` makes the column nullable, as in Prisma
    assert "'title': Optional[str]" in text
    # a plain `lamina generate` keeps the typed SQL module
    again = lamina("generate", cwd=folder)
    assert again.returncode == 0 and (folder / package / "sql.py").read_text() == text



@pytest.mark.parametrize("provider", ["sqlite", "postgresql"])
def test_typed_sql_path_of_prisma_config(project, provider: str) -> None:
    """`typedSql: { path }` of prisma.config.ts, relative to the config's folder (as Prisma 7.10.1's
    `generate --sql` reads it): the functions come from that folder, not from prisma/sql."""
    folder, package, url = project(provider)
    (folder / "db").mkdir()
    (folder / "prisma" / "sql").rename(folder / "db" / "queries")
    (folder / "prisma" / "sql").mkdir()
    (folder / "prisma" / "sql" / "ignored.sql").write_text("SELECT 1 AS one\n")
    (folder / ".config").mkdir()
    (folder / ".config" / "prisma.ts").write_text(
        'import { defineConfig } from "prisma/config";\n'
        "// typedSql: { path: \"prisma/sql\" },\n"
        'export default defineConfig({\n  schema: "../prisma/schema.prisma",\n'
        "  typedSql: { path: '../db/queries' },\n});\n")
    result = lamina("generate", "--sql", cwd=folder)
    assert result.returncode == 0, result.stderr
    text = (folder / package / "sql.py").read_text()
    assert "one function per file of db/queries" in text and '"""db/queries/users_older_than.sql' in text
    assert "def ignored" not in text and "def post_titles(" in text
    module = _import(folder, package)
    sql = importlib.import_module(f"{package}.sql")
    with module.Prisma(datasource={"url": url}) as db:
        _seed(db)
        assert [r["email"] for r in db.query_typed(sql.users_older_than(min_age=18))] == ["young@x.io", "old@x.io"]


def test_asyncio_client(project) -> None:
    folder, package, url = project("postgresql", "asyncio")
    assert lamina("generate", "--sql", cwd=folder).returncode == 0
    module = _import(folder, package)
    sql = importlib.import_module(f"{package}.sql")

    async def main() -> list[Any]:
        async with module.Prisma(datasource={"url": url}) as db:
            await db.user.create(data={"email": "a@x.io", "age": 40})
            return await db.query_typed(sql.users_older_than(min_age=30))

    rows = asyncio.run(main())
    assert [(r["email"], r["age"]) for r in rows] == [("a@x.io", 40)]


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_a_file_that_does_not_prepare_names_file_and_line(project, provider: str) -> None:
    folder, package, _ = project(provider)
    assert lamina("generate", "--sql", cwd=folder).returncode == 0
    before = (folder / package / "sql.py").read_text()
    bad = folder / "prisma" / "sql" / "broken.sql"
    bad.write_text(_dialect_sql("-- @param {Int} $1:id\nSELECT id\nFROM \"User\"\nWHERE id = $1 AND nosuchcolumn = 1\n",
                                provider))
    result = lamina("generate", "--sql", cwd=folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = 4 if provider != "mysql" else None  # MySQL says no line for an unknown column
    where = f"{bad}:{line}" if line else str(bad)
    assert f"Error: Typed SQL: {where}: the statement does not prepare: " in result.stderr, result.stderr
    assert "nosuchcolumn" in result.stderr
    assert (folder / package / "sql.py").read_text() == before  # nothing half-written
    bad.write_text("SELECT id FROM\n\n  WHERE\n")
    syntax = lamina("generate", "--sql", cwd=folder)
    assert syntax.returncode == 1 and f"Error: Typed SQL: {bad}:3: the statement does not prepare: " in syntax.stderr


def test_annotation_and_feature_errors(project) -> None:
    folder, _, _ = project("sqlite")
    (folder / "prisma" / "sql" / "bad_type.sql").write_text("-- ok\n-- @param {Integer} $1:x\nSELECT ?\n")
    result = lamina("generate", "--sql", cwd=folder)
    assert result.returncode == 1
    assert f"Error: Typed SQL: {folder / 'prisma' / 'sql' / 'bad_type.sql'}:2: unknown type `Integer` in @param" in result.stderr
    (folder / "prisma" / "sql" / "bad_type.sql").write_text("-- @param {Int} $2:x\nSELECT ? AS a\n")
    result = lamina("generate", "--sql", cwd=folder)
    assert "@param $2 is annotated, but the statement has 1 parameter(s)." in result.stderr
    (folder / "prisma" / "sql" / "bad_type.sql").unlink()
    (folder / "prisma" / "sql" / "2fast.sql").write_text("SELECT 1 AS a\n")
    assert "`2fast` cannot be a Python function name" in lamina("generate", "--sql", cwd=folder).stderr
    (folder / "prisma" / "sql" / "2fast.sql").unlink()
    schema = folder / "prisma" / "schema.prisma"
    schema.write_text(schema.read_text().replace('  previewFeatures = ["typedSql"]\n', ""))
    off = lamina("generate", "--sql", cwd=folder)
    assert off.returncode == 1 and "`generate --sql` needs the typedSql preview feature" in off.stderr


def test_pyright_strict_on_typed_rows(project) -> None:
    version = subprocess.run([sys.executable, "-m", "pyright", "--version"], capture_output=True, text=True)
    if version.returncode != 0 or "pyright" not in version.stdout:
        unavailable(f"pyright cannot start: {(version.stdout + version.stderr).strip()[-300:]}")
    folder, package, _ = project("postgresql")
    assert lamina("generate", "--sql", cwd=folder).returncode == 0
    (folder / "usage.py").write_text(
        f"import datetime\nimport decimal\nfrom typing import Optional\n\nfrom {package} import Prisma, sql\n"
        f"from {package}.enums import Role\n\n\n"
        "def main() -> None:\n"
        "    with Prisma() as db:\n"
        "        for row in db.query_typed(sql.users_older_than(min_age=18)):\n"
        "            email: str = row['email']\n"
        "            name: Optional[str] = row['name']\n"
        "            when: datetime.datetime = row['createdAt']\n"
        "            money: decimal.Decimal = row['balance']\n"
        "            role: Role = row['role']\n"
        "            print(email, name, when, money, role)\n"
        "        titles = db.query_typed(sql.post_titles(None))\n"
        "        print([t['title'] for t in titles])\n"
    )
    good = pyright(folder, "usage.py")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "0 errors, 0 warnings, 0 informations" in good.stdout
    (folder / "bad.py").write_text(
        f"from {package} import Prisma, sql\n\n"
        "db = Prisma()\n"
        "rows = db.query_typed(sql.users_older_than(min_age='18'))\n"
        "name: str = rows[0]['name']\n"
        "print(rows[0]['nope'])\n"
    )
    bad = pyright(folder, "bad.py")
    assert bad.returncode == 1, bad.stdout
    assert 'Argument of type "Literal[\'18\']" cannot be assigned to parameter "min_age" of type "int"' in bad.stdout
    assert 'Type "str | None" is not assignable to declared type "str"' in bad.stdout
    assert '"nope" is not a defined key in "UsersOlderThanRow"' in bad.stdout
    # the asyncio client: `await db.query_typed(...)` has the same row type
    schema = folder / "prisma" / "schema.prisma"
    schema.write_text(schema.read_text().replace('interface       = "sync"', 'interface       = "asyncio"')
                      .replace(f"../{package}", f"../{package}_async"))
    assert lamina("generate", "--sql", cwd=folder).returncode == 0
    (folder / "usage_async.py").write_text(
        f"from {package}_async import Prisma, sql\n\n\n"
        "async def main() -> int:\n"
        "    async with Prisma() as db:\n"
        "        rows = await db.query_typed(sql.users_older_than(min_age=18))\n"
        "        age: int = rows[0]['age']\n"
        "        return age\n"
    )
    good_async = pyright(folder, "usage_async.py")
    assert good_async.returncode == 0 and "0 errors" in good_async.stdout, good_async.stdout
    (folder / "bad_async.py").write_text(
        f"from {package}_async import Prisma, sql\n\n\n"
        "async def main() -> str:\n"
        "    async with Prisma() as db:\n"
        "        rows = await db.query_typed(sql.users_older_than(min_age=18))\n"
        "        return rows[0]['age']\n"
    )
    bad_async = pyright(folder, "bad_async.py")
    assert bad_async.returncode == 1 and 'Type "int" is not assignable to return type "str"' in bad_async.stdout, \
        bad_async.stdout
