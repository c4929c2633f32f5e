"""Describers against real databases built from the DDL the real Prisma 7.10.1 CLI writes
(`migrate diff --from-empty --script`, stored in data/)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from lamina.dialects.postgres import describe as pg
from lamina.dialects.sqlite import describe as lite
from lamina.sql.predicates import pg_key
from lamina.sql.schema import (
    Column,
    ColumnArity,
    ColumnDefault,
    DefaultKind,
    EnumType,
    ForeignKey,
    ForeignKeyAction,
    Index,
    IndexColumn,
    IndexKind,
    PrimaryKey,
)

from tests.introspect.test_pull import CRM_POSTGRES_SQL, CRM_SQLITE_SQL

DATA = Path(__file__).parent / "data"
EXPR = DefaultKind.EXPRESSION
REQ, NULL, LIST = ColumnArity.REQUIRED, ColumnArity.NULLABLE, ColumnArity.LIST


class Counting:
    """A connection wrapper counting the queries the describer sends."""

    def __init__(self, conn):
        self.conn, self.count = conn, 0

    def execute(self, *args, **kwargs):
        self.count += 1
        return self.conn.execute(*args, **kwargs)


def _sqlite(tmp_path, script: str) -> sqlite3.Connection:
    conn = sqlite3.connect(tmp_path / "dev.db")
    conn.executescript(script)
    return conn


def test_sqlite_feature_schema(tmp_path):
    conn = _sqlite(tmp_path, (DATA / "feat_sqlite.sql").read_text())
    schema = lite.describe(conn)
    assert [t.name for t in schema.tables] == ["User", "Post", "Category", "Pair", "_CategoryToPost"]
    user = schema.table("User")
    assert user.column("id") == Column("id", "INTEGER", REQ, None, True, "Int")
    assert user.column("score") == Column("score", "REAL", REQ, ColumnDefault(EXPR, "1.5"), family="Float")
    assert user.column("active").default == ColumnDefault(EXPR, "true")
    assert user.column("note").default == ColumnDefault(EXPR, "'it''s'")
    assert user.column("createdAt") == Column("createdAt", "DATETIME", REQ, ColumnDefault(EXPR, "CURRENT_TIMESTAMP"), family="DateTime")
    assert user.column("data") == Column("data", "JSONB", NULL, family="Json")
    assert user.column("blob").family == "Bytes" and user.column("amount").type == "DECIMAL"
    assert user.primary_key == PrimaryKey((IndexColumn("id"),), None)
    assert user.indexes == (
        Index("User_email_key", (IndexColumn("email"),), IndexKind.UNIQUE),
        Index("User_name_age_idx", (IndexColumn("name", "DESC"), IndexColumn("age"))),
    )
    assert user.foreign_keys == (
        ForeignKey("User_managerId_fkey", ("managerId",), "User", ("id",), ForeignKeyAction.SET_NULL, ForeignKeyAction.CASCADE),
    )
    post = schema.table("Post")
    assert post.column("id") == Column("id", "BIGINT", REQ, None, False, "BigInt")  # no AUTOINCREMENT on BIGINT
    assert schema.table("Pair").primary_key == PrimaryKey((IndexColumn("a"), IndexColumn("b")), None)
    assert schema.table("Pair").column("c").default.kind is DefaultKind.DBGENERATED
    join = schema.table("_CategoryToPost")
    assert [i.name for i in join.indexes] == ["_CategoryToPost_AB_unique", "_CategoryToPost_B_index"]
    assert [fk.name for fk in join.foreign_keys] == ["_CategoryToPost_B_fkey", "_CategoryToPost_A_fkey"]
    assert schema.opaque == ()


def test_sqlite_opaque_objects_and_history_table(tmp_path):
    conn = _sqlite(
        tmp_path,
        """
        CREATE TABLE "_prisma_migrations" ("id" TEXT PRIMARY KEY NOT NULL);
        CREATE TABLE "T" ("id" INTEGER NOT NULL PRIMARY KEY, "n" INTEGER CHECK ("n" > 0));
        CREATE INDEX "T_partial" ON "T"("n") WHERE "n" > 5;
        CREATE INDEX "T_expr" ON "T"(("n" + 1));
        CREATE VIEW "V" AS SELECT "id" FROM "T";
        CREATE TRIGGER "trg" AFTER INSERT ON "T" BEGIN SELECT 1; END;
        """,
    )
    schema = lite.describe(conn)
    assert [t.name for t in schema.tables] == ["T"]
    # a partial index is an index with its predicate as written (partialIndexes); SQLite keeps the text
    assert [(i.name, i.predicate) for i in schema.table("T").indexes] == [("T_partial", '"n" > 5')]
    assert sorted((o.kind, o.name) for o in schema.opaque) == [
        ("check", "T_check"), ("expression_index", "T_expr"), ("trigger", "trg"), ("view", "V"),
    ]


def test_postgres_feature_schema(pg_db):
    conn = pg_db((DATA / "feat_pg.sql").read_text())
    counting = Counting(conn)
    schema = pg.describe(counting)
    assert counting.count == pg.QUERY_COUNT == 7
    # by name, as Prisma's describer lists them (they were created User, Post, Category, ...)
    assert [t.name for t in schema.tables] == ["Category", "Pair", "Post", "User", "_CategoryToPost"]
    assert schema.enums == (EnumType("Status", ("draft", "published", "ARCHIVED")),)
    user = schema.table("User")
    cols = {c.name: c for c in user.columns}
    assert cols["id"] == Column("id", "INTEGER", REQ, ColumnDefault(DefaultKind.SEQUENCE, "User_id_seq"), True, "Int")
    assert cols["name"] == Column("name", "VARCHAR(255)", NULL, family="String")
    assert cols["score"] == Column("score", "DOUBLE PRECISION", REQ, ColumnDefault(EXPR, "1.5"), family="Float")
    assert cols["amount"] == Column("amount", "DECIMAL(10,2)", REQ, ColumnDefault(EXPR, "0"), family="Decimal")
    assert cols["tags"] == Column("tags", "TEXT[]", LIST, family="String")
    assert cols["status"] == Column("status", '"Status"', REQ, ColumnDefault(EXPR, "'draft'"), family="Enum:Status", enum="Status")
    assert cols["createdAt"] == Column("createdAt", "TIMESTAMP(3)", REQ, ColumnDefault(EXPR, "CURRENT_TIMESTAMP"), family="DateTime")
    assert cols["birthday"].type == "DATE" and cols["uid"].type == "UUID" and cols["data"].type == "JSONB"
    assert cols["note"].default == ColumnDefault(EXPR, "'it''s'")
    assert cols["big"].default == ColumnDefault(EXPR, "42")
    assert user.primary_key == PrimaryKey((IndexColumn("id"),), "User_pkey")
    assert user.indexes == (
        Index("User_email_key", (IndexColumn("email"),), IndexKind.UNIQUE),
        Index("User_name_age_idx", (IndexColumn("name", "DESC"), IndexColumn("age"))),
    )
    assert schema.table("Post").column("id") == Column("id", "BIGINT", REQ, ColumnDefault(DefaultKind.SEQUENCE, "Post_id_seq"), True, "BigInt")
    assert schema.table("Post").foreign_keys == (
        ForeignKey("Post_authorId_fkey", ("authorId",), "User", ("id",), ForeignKeyAction.CASCADE, ForeignKeyAction.CASCADE),
    )
    assert schema.table("Pair").column("c").default == ColumnDefault(DefaultKind.DBGENERATED, "gen_random_uuid()")
    assert schema.table("_CategoryToPost").primary_key.name == "_CategoryToPost_AB_pkey"
    assert schema.sequences == () and schema.opaque == ()


DEFAULT_SPELLINGS = [
    ("text[] DEFAULT ARRAY['a', 'b']::TEXT[]", "ARRAY['a', 'b']::TEXT[]"),
    ("integer[] DEFAULT ARRAY[1, 2]::INTEGER[]", "ARRAY[1, 2]::INTEGER[]"),
    ("text[] DEFAULT ARRAY[]::TEXT[]", "ARRAY[]::TEXT[]"),
    ("integer DEFAULT -1", "-1"),
    ("double precision DEFAULT -2.5", "-2.5"),
    ("jsonb DEFAULT '{\"a\": 1}'", "'{\"a\": 1}'"),
    ("bigint DEFAULT 9999999999", "9999999999"),
    ("timestamp(3) DEFAULT now()", "CURRENT_TIMESTAMP"),
    ("boolean DEFAULT false", "false"),
    ('"Status" DEFAULT \'draft\'', "'draft'"),
    ('"Status"[] DEFAULT ARRAY[\'draft\']::"Status"[]', 'ARRAY[\'draft\']::"Status"[]'),
]
# Date/time and uuid constants stay the catalog's text, as Prisma 7.10.1 describes them
# (db pull prints them as dbgenerated("...")).
UNMAPPED_SPELLINGS = [
    ("timestamp(3) DEFAULT '2020-01-01 00:00:00 +00:00'", "'2020-01-01 00:00:00'::timestamp without time zone"),
    ("timestamptz(3) DEFAULT '2020-01-01 10:30:00.5 +02:00'", "'2020-01-01 08:30:00.5+00'::timestamp with time zone"),
    ("date DEFAULT '2020-01-01'", "'2020-01-01'::date"),
    ("time(6) DEFAULT '12:00:00'", "'12:00:00'::time without time zone"),
    ("uuid DEFAULT '00000000-0000-0000-0000-000000000000'", "'00000000-0000-0000-0000-000000000000'::uuid"),
]


def test_postgres_default_spellings(pg_db):
    columns = ", ".join(f'"c{i}" {ddl}' for i, (ddl, _e) in enumerate(DEFAULT_SPELLINGS))
    conn = pg_db(f"""CREATE TYPE "Status" AS ENUM ('draft'); CREATE TABLE "d" ("id" integer PRIMARY KEY, {columns})""")
    table = pg.describe(conn).table("d")
    got = [table.column(f"c{i}").default for i in range(len(DEFAULT_SPELLINGS))]
    assert got == [ColumnDefault(EXPR, expected) for _ddl, expected in DEFAULT_SPELLINGS]


def test_postgres_date_time_and_uuid_constants_stay_catalog_text(pg_db):
    conn = pg_db("SET TIME ZONE 'UTC'; CREATE TABLE \"d\" (\"id\" integer PRIMARY KEY, "
                 + ", ".join(f'"c{i}" {ddl}' for i, (ddl, _e) in enumerate(UNMAPPED_SPELLINGS)) + ")")
    table = pg.describe(conn).table("d")
    got = [table.column(f"c{i}").default for i in range(len(UNMAPPED_SPELLINGS))]
    assert got == [ColumnDefault(DefaultKind.DBGENERATED, expected) for _ddl, expected in UNMAPPED_SPELLINGS]


def test_postgres_opaque_objects_namespaces_and_history_table(pg_db):
    conn = pg_db(
        """
        CREATE TABLE "_prisma_migrations" ("id" varchar(36) PRIMARY KEY);
        CREATE TABLE "T" ("id" integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "n" integer CHECK ("n" > 0), "v" tsvector);
        CREATE INDEX "T_partial" ON "T"("n") WHERE "n" > 5;
        CREATE INDEX "T_expr" ON "T"(("n" + 1));
        CREATE VIEW "V" AS SELECT "id" FROM "T";
        CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER "trg" BEFORE INSERT ON "T" FOR EACH ROW EXECUTE FUNCTION f();
        CREATE SEQUENCE "free_seq" START 10 INCREMENT 5;
        CREATE SCHEMA "billing";
        CREATE TABLE "billing"."Invoice" ("id" serial PRIMARY KEY, "t" integer REFERENCES public."T"("id"));
        """,
    )
    schema = pg.describe(conn)
    assert [t.name for t in schema.tables] == ["T"]
    t = schema.table("T")
    assert t.column("id") == Column("id", "INTEGER", REQ, None, True, "Int")
    assert t.column("v") == Column("v", "tsvector", NULL, family="Unsupported")
    # a partial index is an index with the predicate PostgreSQL reports (partialIndexes)
    assert [(i.name, i.predicate) for i in t.indexes] == [("T_partial", "(n > 5)")]
    assert t.indexes[0].predicate_key == pg_key('"n" > 5')  # the key of the text the index was created with
    assert sorted((o.kind, o.name) for o in schema.opaque) == [
        ("check", "T_n_check"), ("expression_index", "T_expr"), ("function", "f"), ("trigger", "trg"), ("view", "V"),
    ]
    assert [(s.name, s.start, s.increment) for s in schema.sequences] == [("free_seq", 10, 5)]

    both = pg.describe(conn, ["public", "billing"])
    assert both.namespaces == ("billing",)
    invoice = both.table("Invoice", "billing")
    assert invoice.foreign_keys[0].referenced_table == "T" and invoice.foreign_keys[0].referenced_namespace is None
    assert invoice.column("id").autoincrement


def test_postgres_query_count_does_not_grow(pg_db):
    script = "".join(f'CREATE TABLE "t{i}" ("id" serial PRIMARY KEY, "p" integer REFERENCES "t{max(i - 1, 0)}"("id"));' for i in range(40))
    conn = pg_db(script)
    counting = Counting(conn)
    schema = pg.describe(counting)
    assert len(schema.tables) == 40 and counting.count == pg.QUERY_COUNT


def _canonical(schema, *, sqlite_enums_as_text: bool = False):
    """Order-free form: the calculator lists indexes and foreign keys in model order, the
    describers by name (PostgreSQL) or as the catalog does (SQLite)."""
    from dataclasses import replace

    def column(c):
        if sqlite_enums_as_text and (c.family or "").startswith("Enum:"):
            return replace(c, family="String")  # SQLite stores enums as TEXT: no way to tell
        return c

    return (
        sorted(
            (t.namespace or "", t.name, tuple(column(c) for c in t.columns), t.primary_key,
             tuple(sorted(t.indexes, key=lambda i: i.name)), tuple(sorted(t.foreign_keys, key=lambda f: f.name or "")))
            for t in schema.tables
        ),
        sorted(schema.enums, key=lambda e: e.name),
    )


@pytest.mark.parametrize(("example", "provider"), [("crm", "sqlite"), ("crm", "postgresql"), ("feat", "postgresql")])
def test_describe_equals_calculate_on_prisma_ddl(provider, example, tmp_path, request):
    """Prisma's own from-empty DDL, described, equals Lamina's calculated SqlSchema exactly
    (up to order), except that a SERIAL column's described default names its sequence."""
    from dataclasses import replace

    from tests.engine.anchor import for_provider
    from tests.engine.helpers import schema_of

    if example == "crm":
        source = (Path(__file__).resolve().parents[2] / "examples/crm/prisma/schema.prisma").read_text()
        ddl = CRM_POSTGRES_SQL if provider == "postgresql" else CRM_SQLITE_SQL
        source = for_provider(source.replace('provider = "sqlite"', 'provider = "postgresql"'), provider)
    else:
        source, ddl = (DATA / "feat_pg.prisma").read_text(), DATA / "feat_pg.sql"
    calculated = schema_of(source, provider)
    if provider == "sqlite":
        described = lite.describe(_sqlite(tmp_path, ddl.read_text()))
    else:
        described = pg.describe(request.getfixturevalue("pg_db")(ddl.read_text()))
        described = replace(described, tables=tuple(
            replace(t, columns=tuple(replace(c, default=None) if c.autoincrement else c for c in t.columns))
            for t in described.tables
        ))
    assert _canonical(described) == _canonical(calculated, sqlite_enums_as_text=provider == "sqlite")
