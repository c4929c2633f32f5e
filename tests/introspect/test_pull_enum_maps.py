"""Re-introspection keeps the enum and enum value names of the previous schema through @@map/@map,
and says so as Prisma 7.10.1 does: the expected text and warnings are its `db pull --print` on the
same database and previous schema (../shared/anchors), byte for byte. Before, Lamina kept the
names but printed neither warning."""

from __future__ import annotations

from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.introspect import introspect

SETUP = """
CREATE TYPE "my-status" AS ENUM ('is active', 'pending-review', 'ok');
CREATE TYPE plain AS ENUM ('a b', 'c');
CREATE TABLE "Thing" (id int PRIMARY KEY, status "my-status" NOT NULL DEFAULT 'is active', p plain);
"""

PREVIOUS = '''datasource db {
  provider = "postgresql"
}

model Thing {
  id     Int      @id
  status Status   @default(isActive)
  p      plain?
}

enum Status {
  isActive @map("is active")
  pending_review @map("pending-review")
  ok

  @@map("my-status")
}

enum plain {
  a_b @map("a b")
  c
}
'''

PULLED = '''datasource db {
  provider = "postgresql"
}

model Thing {
  id     Int    @id
  status Status @default(isActive)
  p      plain?
}

enum Status {
  isActive       @map("is active")
  pending_review @map("pending-review")
  ok

  @@map("my-status")
}

enum plain {
  a_b @map("a b")
  c
}
'''

WARNING = '''
// *** WARNING ***
// 
// These enum values were enriched with `@map` information taken from the previous Prisma schema:
//   - Enum: "Status", value: "isActive"
//   - Enum: "Status", value: "pending_review"
//   - Enum: "plain", value: "a_b"
// 
// These enums were enriched with `@@map` information taken from the previous Prisma schema:
//   - "Status"
// '''


def test_enum_and_value_maps_kept_from_the_previous_schema_are_warned_about(pg_db):
    conn = pg_db(SETUP)
    result = introspect(describe_pg(conn), "postgresql", [("schema.prisma", PREVIOUS)])
    assert result.text == PULLED
    assert result.warning_comment() == WARNING
