"""Issue 19: re-introspection keeps `@@unique(…, name:)` and `@@id(…, name:)` (the client's API
names) from the existing schema, before `map:`, as Prisma 7.10.1 `db pull --print` does (checked
with its CLI)."""

from __future__ import annotations

import sqlite3

from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.dialects.sqlite.describe import describe as describe_sqlite
from lamina.introspect import introspect

PREVIOUS = """datasource db {
  provider = "postgresql"
}

model P {
  id Int @id
  x  Int
  y  Int

  @@unique([x, y], name: "xy_pair")
  @@unique([y, x], name: "yx", map: "yx_m")
}
"""


def test_unique_name_kept(pg_db):
    conn = pg_db(
        'CREATE TABLE "P" ("id" INTEGER NOT NULL PRIMARY KEY, "x" INTEGER NOT NULL, "y" INTEGER NOT NULL);'
        'CREATE UNIQUE INDEX "P_x_y_key" ON "P"("x", "y"); CREATE UNIQUE INDEX "yx_m" ON "P"("y", "x");'
    )
    text = introspect(describe_pg(conn), "postgresql", [("schema.prisma", PREVIOUS)]).text
    assert text == PREVIOUS


# `name:` may stand before the field list; Prisma 7.10.1 `db pull --print` (SQLite, recorded with
# its CLI) keeps it, prints it after the fields and warns about the compound id names it kept.
NAMED_FIRST = """datasource db {
  provider = "sqlite"
}

model P {
  a Int
  b Int
  c Int

  @@id(name: "likeId", [a, b])
  @@unique(name: "bc", [b, c])
}

model Q {
  a Int
  b Int

  @@id(fields: [a, b], name: "qid")
}
"""

NAMED_FIRST_PULLED = """datasource db {
  provider = "sqlite"
}

model P {
  a Int
  b Int
  c Int

  @@id([a, b], name: "likeId")
  @@unique([b, c], name: "bc")
}

model Q {
  a Int
  b Int

  @@id([a, b], name: "qid")
}
"""


def test_compound_id_and_unique_names_kept_wherever_written(tmp_path):
    conn = sqlite3.connect(tmp_path / "dev.db")
    conn.executescript(
        'CREATE TABLE "P" ("a" INTEGER NOT NULL, "b" INTEGER NOT NULL, "c" INTEGER NOT NULL, PRIMARY KEY ("a", "b"));'
        'CREATE UNIQUE INDEX "P_b_c_key" ON "P"("b", "c");'
        'CREATE TABLE "Q" ("a" INTEGER NOT NULL, "b" INTEGER NOT NULL, PRIMARY KEY ("a", "b"));'
    )
    result = introspect(describe_sqlite(conn), "sqlite", [("schema.prisma", NAMED_FIRST)])
    assert result.text == NAMED_FIRST_PULLED
    assert result.warnings == [
        "These models were enriched with custom compound id names taken from the previous Prisma schema:",
        '  - "P"', '  - "Q"', "",
    ]
