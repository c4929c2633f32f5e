"""Re-introspection details against Prisma 7.10.1's `db pull --print` on the same database and
previous schema (../shared/anchors), stdout and stderr byte for byte:

- `@@unique` lines come before `@@index` lines, each kind in the previous schema's order;
- an enum's @map column lines up after its longest value name, mapped or not;
- the enum warnings list enums in the database's order (by name), not the schema's;
- a list of timestamps without a precision is `@db.Timestamp`, not `@db.Timestamp(6)`.

Before, Lamina kept the previous order across kinds, aligned on mapped values only, listed enums
in schema order and wrote `@db.Timestamp(6)` on lists."""

from __future__ import annotations

from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.introspect import introspect

SETUP = """
CREATE TYPE "Level" AS ENUM ('USER', 'ACTIVE', 'low_v', 'GUEST');
CREATE TYPE kind_enum AS ENUM ('pending_v', 'GUEST');
CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int, lv "Level", k kind_enum, ts timestamp[], ts3 timestamp(3)[],
  tt time[], plain timestamp);
CREATE INDEX t_a_b_idx ON t(a, b); CREATE UNIQUE INDEX t_a_c_key ON t(a, c); CREATE INDEX t_c_idx ON t(c);
"""

PREVIOUS = '''datasource db {
  provider = "postgresql"
}

model T {
  id    Int        @id
  a     Int?
  b     Int?
  c     Int?
  lv    Level?
  k     Kind?

  @@index([c])
  @@index([a, b])
  @@unique([a, c])
  @@map("t")
}

enum Kind {
  PENDING @map("pending_v")
  GUEST

  @@map("kind_enum")
}

enum Level {
  USER
  ACTIVE
  low @map("low_v")
  GUEST
}
'''

STDOUT = '''datasource db {
  provider = "postgresql"
}

model T {
  id    Int        @id
  a     Int?
  b     Int?
  c     Int?
  lv    Level?
  k     Kind?
  ts    DateTime[] @db.Timestamp
  ts3   DateTime[]
  tt    DateTime[] @db.Time
  plain DateTime?  @db.Timestamp(6)

  @@unique([a, c])
  @@index([c])
  @@index([a, b])
  @@map("t")
}

enum Kind {
  PENDING @map("pending_v")
  GUEST

  @@map("kind_enum")
}

enum Level {
  USER
  ACTIVE
  low    @map("low_v")
  GUEST
}


'''

STDERR = '''
// *** WARNING ***
// 
// These models were enriched with `@@map` information taken from the previous Prisma schema:
//   - "T"
// 
// These enum values were enriched with `@map` information taken from the previous Prisma schema:
//   - Enum: "Level", value: "low"
//   - Enum: "Kind", value: "PENDING"
// 
// These enums were enriched with `@@map` information taken from the previous Prisma schema:
//   - "Kind"
// 
'''


def test_reintrospection_orders_aligns_and_lists_as_prisma(pg_db):
    conn = pg_db(SETUP)
    result = introspect(describe_pg(conn), "postgresql", [("schema.prisma", PREVIOUS)])
    assert (result.printed() + "\n", result.warning_comment() + "\n") == (STDOUT, STDERR)
