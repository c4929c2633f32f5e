"""MySQL/MariaDB describer and pull, on DDL written the way Prisma's MySQL migrations are
(backticks, `VARCHAR(191)`, `DATETIME(3)`, inline enums, utf8mb4_unicode_ci)."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest

from lamina.dialects.mysql import describe as my
from lamina.introspect import introspect
from lamina.sql.schema import (
    Column,
    ColumnArity,
    ColumnDefault,
    DefaultKind,
    ForeignKey,
    ForeignKeyAction,
    Index,
    IndexColumn,
    IndexKind,
    PrimaryKey,
)

DDL = [
    """CREATE TABLE `User` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(191) NOT NULL,
    `name` VARCHAR(191) NULL,
    `role` ENUM('USER', 'ADMIN') NOT NULL DEFAULT 'USER',
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `score` DOUBLE NOT NULL DEFAULT 1.5,
    `active` BOOLEAN NOT NULL DEFAULT true,
    `amount` DECIMAL(65, 30) NOT NULL DEFAULT 0,
    `data` JSON NULL,
    `blob` LONGBLOB NULL,
    `note` VARCHAR(191) NOT NULL DEFAULT 'it''s',
    `u` INTEGER UNSIGNED NULL,
    `title` VARCHAR(50) NULL,

    UNIQUE INDEX `User_email_key`(`email`),
    INDEX `User_name_score_idx`(`name` DESC, `score`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci""",
    """CREATE TABLE `Post` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `authorId` INTEGER NOT NULL,
    `_prisma_like` INTEGER NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci""",
    "ALTER TABLE `Post` ADD CONSTRAINT `Post_authorId_fkey` FOREIGN KEY (`authorId`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
    "CREATE TABLE `_prisma_migrations` (`id` VARCHAR(36) NOT NULL, PRIMARY KEY (`id`))",
    "CREATE VIEW `v_users` AS SELECT `id` FROM `User`",
]


@pytest.fixture
def mysql_conn(mysql_url):
    import pymysql

    parts = urlsplit(mysql_url)
    conn = pymysql.connect(
        host=parts.hostname, port=parts.port or 3306, user=unquote(parts.username or "root"),
        password=unquote(parts.password or ""), database=parts.path.lstrip("/"), autocommit=True,
    )
    with conn.cursor() as cur:
        for statement in DDL:
            cur.execute(statement)
    yield conn
    conn.close()


class Counting:
    def __init__(self, conn):
        self.conn, self.count = conn, 0

    def cursor(self):
        outer = self
        inner = self.conn.cursor()

        class Cursor:
            def execute(self, *args):
                outer.count += 1
                return inner.execute(*args)

            def fetchall(self):
                return inner.fetchall()

        return Cursor()


def test_mysql_describe(mysql_conn):
    counting = Counting(mysql_conn)
    schema = my.describe(counting)
    assert counting.count == my.QUERY_COUNT
    assert [t.name for t in schema.tables] == ["Post", "User"]
    user = schema.table("User")
    cols = {c.name: c for c in user.columns}
    req, null, expr = ColumnArity.REQUIRED, ColumnArity.NULLABLE, DefaultKind.EXPRESSION
    assert cols["id"] == Column("id", "INTEGER", req, None, True, "Int")
    assert cols["email"] == Column("email", "VARCHAR(191)", req, family="String")
    assert cols["role"] == Column("role", "ENUM('USER', 'ADMIN')", req, ColumnDefault(expr, "'USER'"), family="Enum:User_role")
    assert cols["createdAt"] == Column("createdAt", "DATETIME(3)", req, ColumnDefault(expr, "CURRENT_TIMESTAMP(3)"), family="DateTime")
    assert cols["active"] == Column("active", "BOOLEAN", req, ColumnDefault(expr, "true"), family="Boolean")
    assert cols["amount"] == Column("amount", "DECIMAL(65, 30)", req, ColumnDefault(expr, "0"), family="Decimal")
    assert cols["data"] == Column("data", "JSON", null, family="Json")
    assert cols["note"].default == ColumnDefault(expr, "'it''s'")
    assert cols["u"].type == "INTEGER UNSIGNED" and cols["blob"].type == "LONGBLOB"
    assert user.primary_key == PrimaryKey((IndexColumn("id"),), None)
    assert user.indexes == (
        Index("User_email_key", (IndexColumn("email"),), IndexKind.UNIQUE),
        Index("User_name_score_idx", (IndexColumn("name", "DESC"), IndexColumn("score"))),
    )
    post = schema.table("Post")
    assert post.indexes == ()  # the index MySQL made for the foreign key is not Prisma's
    assert post.foreign_keys == (
        ForeignKey("Post_authorId_fkey", ("authorId",), "User", ("id",), ForeignKeyAction.RESTRICT, ForeignKeyAction.CASCADE),
    )
    assert schema.enums == ()  # inline on MySQL: the values are in the column type
    assert [(o.kind, o.name) for o in schema.opaque] == [("view", "v_users")]


def test_mysql_pull(mysql_conn):
    config = 'datasource db {\n  provider = "mysql"\n}\n'
    text = introspect(my.describe(mysql_conn), "mysql", [("schema.prisma", config)]).text
    assert text == config + """
model Post {
  id           Int  @id @default(autoincrement())
  authorId     Int
  prisma_like  Int? @map("_prisma_like")
  User         User @relation(fields: [authorId], references: [id])
}

model User {
  id        Int       @id @default(autoincrement())
  email     String    @unique
  name      String?
  role      User_role @default(USER)
  createdAt DateTime  @default(now())
  score     Float     @default(1.5)
  active    Boolean   @default(true)
  amount    Decimal   @default(0)
  data      Json?
  blob      Bytes?
  note      String    @default("it's")
  u         Int?      @db.UnsignedInt
  title     String?   @db.VarChar(50)
  Post      Post[]

  @@index([name(sort: Desc), score])
}

enum User_role {
  USER
  ADMIN
}
""".replace("id           Int  @id", "id          Int  @id").replace("authorId     Int", "authorId    Int").replace(
        "prisma_like  Int?", "prisma_like Int?").replace("User         User", "User        User")


def test_mysql_reintrospection_keeps_enum_and_field_names(mysql_conn):
    previous = """datasource db {
  provider = "mysql"
}

model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  name      String?
  role      Role     @default(USER)
  createdAt DateTime @default(now())
  score     Float    @default(1.5)
  active    Boolean  @default(true)
  amount    Decimal  @default(0)
  data      Json?
  blob      Bytes?
  note      String   @default("it's")
  u         Int?     @db.UnsignedInt
  title     String?  @db.VarChar(50)
  posts     Post[]

  @@index([name(sort: Desc), score])
}

model Post {
  id        Int  @id @default(autoincrement())
  authorId  Int
  legacy    Int? @map("_prisma_like")
  author    User @relation(fields: [authorId], references: [id])
}

enum Role {
  USER
  ADMIN
}
"""
    text = introspect(my.describe(mysql_conn), "mysql", [("schema.prisma", previous)]).text
    assert "  role      Role     @default(USER)\n" in text
    assert "  posts     Post[]\n" in text
    assert "  legacy   Int? @map(\"_prisma_like\")\n" in text
    assert "  author   User @relation(fields: [authorId], references: [id])\n" in text
    assert "enum Role {\n  USER\n  ADMIN\n}\n" in text and "User_role" not in text
    assert text.index("model User") < text.index("model Post")


def test_mysql_cli_pull(mysql_conn, mysql_url, tmp_path):
    import subprocess
    import sys

    (tmp_path / "prisma").mkdir()
    schema = tmp_path / "prisma" / "schema.prisma"
    schema.write_text(f'datasource db {{\n  provider = "mysql"\n  url      = "{mysql_url}"\n}}\n')
    done = subprocess.run([sys.executable, "-m", "lamina", "db", "pull"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "✔ Introspected 2 models and wrote them into prisma/schema.prisma in " in done.stdout
    text = schema.read_text()
    assert "model User {" in text and "enum User_role {" in text and f'url      = "{mysql_url}"' in text


def _crm_mysql_source() -> str:
    from pathlib import Path

    from tests.engine.anchor import for_provider

    text = (Path(__file__).resolve().parents[2] / "examples/crm/prisma/schema.prisma").read_text()
    return for_provider(text.replace('provider = "sqlite"', 'provider = "postgresql"'), "mysql")


def test_mysql_describe_matches_calculator_and_pull_round_trips(mysql_conn):
    """The CRM created from empty by Lamina's MySQL script describes to no difference from
    the calculated schema; pulled (fresh and re-introspected) it diffs empty too."""
    from lamina.db.split import split_statements
    from lamina.dialects import get_dialect
    from lamina.psl.load import parse_and_validate
    from lamina.sql.calculate import calculate
    from lamina.sql.diff import diff
    from tests.engine.helpers import EMPTY, schema_of

    with mysql_conn.cursor() as cur:
        for table in ("Post", "User", "_prisma_migrations"):
            cur.execute(f"DROP TABLE IF EXISTS `{table}`")
        cur.execute("DROP VIEW IF EXISTS `v_users`")
    source = _crm_mysql_source()
    dialect = get_dialect("mysql")
    calculated = schema_of(source, "mysql")
    with mysql_conn.cursor() as cur:
        for statement in split_statements(dialect.render_script(diff(EMPTY, calculated, dialect))):
            if statement.strip():
                cur.execute(statement)
    described = my.describe(mysql_conn)
    assert diff(described, calculated, dialect).is_empty
    for previous in ('datasource db {\n  provider = "mysql"\n}\n', source):
        pulled = introspect(described, "mysql", [("schema.prisma", previous)]).text
        _ast, diagnostics, datamodel = parse_and_validate([("schema.prisma", pulled)])
        assert datamodel is not None, [d.message for d in diagnostics.errors]
        left = diff(described, calculate(datamodel, dialect), dialect)
        assert left.is_empty, pulled + dialect.render_script(left)
    assert "  role           Role           @default(MEMBER)\n" in pulled


def test_mysql_pull_prints_zero_fractional_seconds(mysql_conn):
    """A DATETIME, TIMESTAMP or TIME column without fractional seconds is `(0)`: Prisma's db pull
    prints `@db.Timestamp(0)` (its schemas do), and its diff tells a bare `@db.Timestamp` from it."""
    with mysql_conn.cursor() as cur:
        cur.execute("CREATE TABLE `Stamp` (`id` INTEGER NOT NULL, `at` TIMESTAMP(0) NULL, `on` DATETIME NOT NULL,"
                    " `t` TIME NULL, `ms` DATETIME(3) NULL, `us` TIMESTAMP(6) NULL, PRIMARY KEY (`id`))")
    config = 'datasource db {\n  provider = "mysql"\n}\n'
    text = introspect(my.describe(mysql_conn), "mysql", [("schema.prisma", config)]).text
    assert """model Stamp {
  id Int       @id
  at DateTime? @db.Timestamp(0)
  on DateTime  @db.DateTime(0)
  t  DateTime? @db.Time(0)
  ms DateTime?
  us DateTime? @db.Timestamp(6)
}
""" in text
