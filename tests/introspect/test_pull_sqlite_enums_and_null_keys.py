"""SQLite `db pull` against Prisma 7.10.1's `db pull --print` on the same database and previous
schema (../shared/anchors), byte for byte but for the one deliberate difference Lamina keeps
(tests/introspect/test_pull.py): an enum default is written as the enum value, where Prisma
writes a string its own validator rejects (`@default("ok")`).

- every enum of the previous schema is copied, used or not, without its @map/@@map names;
- a primary key whose columns may be NULL (SQLite allows it) is no identifier: the model keeps
  `@@id` but is ignored, with the note and the warning, and relations to it get `@ignore`.

Before, Lamina dropped the unused enum, kept the maps, and took the nullable key as an id."""

from __future__ import annotations

from lamina.dialects.sqlite.describe import describe as describe_sqlite
from lamina.introspect import introspect
from tests.introspect.test_pull import _sqlite_db

SETUP = """
CREATE TABLE composite (a INT, b INT, c TEXT, PRIMARY KEY (a, b));
CREATE TABLE refs_composite (id INTEGER PRIMARY KEY, a INT, b INT, FOREIGN KEY (a, b) REFERENCES composite(a, b));
CREATE TABLE item (id INTEGER NOT NULL PRIMARY KEY, status TEXT NOT NULL DEFAULT 'ok');
"""

DATASOURCE = 'datasource db {\n  provider = "sqlite"\n}\n'

PREVIOUS = DATASOURCE + '''
model item {
  id     Int    @id
  status Status @default(ok)
}

/// How it is going
enum Status {
  ok   @map("ok_v")
  late

  @@map("status_enum")
}

enum Unused {
  a
  b @map("b_v")
}
'''

PULLED = DATASOURCE + '''
model item {
  id     Int    @id @default(autoincrement())
  status Status @default(ok)
}

/// The underlying table does not contain a valid unique identifier and can therefore currently not be handled by Prisma Client.
model composite {
  a              Int?
  b              Int?
  c              String?
  refs_composite refs_composite[]

  @@id([a, b])
  @@ignore
}

model refs_composite {
  id        Int        @id @default(autoincrement())
  a         Int?
  b         Int?
  composite composite? @relation(fields: [a, b], references: [a, b], onDelete: NoAction, onUpdate: NoAction) @ignore
}

/// How it is going
enum Status {
  ok
  late
}

enum Unused {
  a
  b
}
'''

WARNING = '''
// *** WARNING ***
// 
// The following models were ignored as they do not have a valid unique identifier or id. This is currently not supported by Prisma Client:
//   - "composite"
// '''


def test_previous_enums_are_copied_and_nullable_keys_are_no_identifier(tmp_path):
    conn = _sqlite_db(tmp_path, SETUP)
    result = introspect(describe_sqlite(conn), "sqlite", [("schema.prisma", PREVIOUS)])
    assert result.text == PULLED
    assert result.warning_comment() == WARNING
