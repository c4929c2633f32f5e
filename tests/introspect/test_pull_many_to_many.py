"""Implicit many-to-many relations in `db pull`, against Prisma 7.10.1's `db pull --print` (checked
with its CLI on the same databases; ghostfolio's and linkwarden's histories showed the first case):

- a relation the previous schema has is written with its name even when it is the default one;
- a new relation with the default name is written without it;
- a self relation is always named (two unnamed fields of the model's own type are ambiguous:
  P1012), on a first pull too; Lamina keeps the previous schema's field names for it, where
  Prisma writes `User_A`/`User_B` again.
"""

from __future__ import annotations

from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.introspect import introspect

HEAD = 'datasource db {\n  provider = "postgresql"\n}\n'
ORDER_TAG = (
    'CREATE TABLE "Order" ("id" INTEGER NOT NULL PRIMARY KEY); CREATE TABLE "Tag" ("id" INTEGER NOT NULL PRIMARY KEY);'
    'CREATE TABLE "_OrderToTag" ("A" INTEGER NOT NULL REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE,'
    ' "B" INTEGER NOT NULL REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE,'
    ' CONSTRAINT "_OrderToTag_AB_pkey" PRIMARY KEY ("A", "B")); CREATE INDEX "_OrderToTag_B_index" ON "_OrderToTag"("B");'
)
SELF = (
    'CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY);'
    'CREATE TABLE "_UserToUser" ("A" INTEGER NOT NULL REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE,'
    ' "B" INTEGER NOT NULL REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE,'
    ' CONSTRAINT "_UserToUser_AB_pkey" PRIMARY KEY ("A", "B")); CREATE INDEX "_UserToUser_B_index" ON "_UserToUser"("B");'
)


def pull(conn, previous: str) -> str:
    return introspect(describe_pg(conn), "postgresql", [("schema.prisma", previous)]).text


def test_a_relation_of_the_previous_schema_keeps_its_default_name(pg_db):
    conn = pg_db(ORDER_TAG)
    previous = (HEAD + "\nmodel Order {\n  id   Int   @id\n  tags Tag[]\n}\n\n"
                "model Tag {\n  id         Int     @id\n  activities Order[]\n}\n")
    assert pull(conn, previous) == (
        HEAD + '\nmodel Order {\n  id   Int   @id\n  tags Tag[] @relation("OrderToTag")\n}\n\n'
        'model Tag {\n  id         Int     @id\n  activities Order[] @relation("OrderToTag")\n}\n')


def test_a_new_relation_with_the_default_name_is_written_without_it(pg_db):
    conn = pg_db(ORDER_TAG)
    previous = HEAD + "\nmodel Order {\n  id Int @id\n}\n\nmodel Tag {\n  id Int @id\n}\n"
    expected = (HEAD + "\nmodel Order {\n  id  Int   @id\n  Tag Tag[]\n}\n\n"
                "model Tag {\n  id    Int     @id\n  Order Order[]\n}\n")
    assert pull(conn, previous) == expected
    assert pull(conn, HEAD) == expected


def test_a_self_relation_is_always_named(pg_db):
    conn = pg_db(SELF)
    assert pull(conn, HEAD) == (
        HEAD + '\nmodel User {\n  id     Int    @id\n  User_A User[] @relation("UserToUser")\n'
        '  User_B User[] @relation("UserToUser")\n}\n')
    previous = (HEAD + '\nmodel User {\n  id        Int    @id\n  followers User[] @relation("UserToUser")\n'
                '  following User[] @relation("UserToUser")\n}\n')
    assert pull(conn, previous) == previous
