"""Issue 19: re-introspection keeps `@@unique(…, name:)` (the client's API name) from the existing
schema, before `map:`, as Prisma 7.10.1 `db pull --print` does (checked with its CLI)."""

from __future__ import annotations

from lamina.dialects.postgres.describe import describe as describe_pg
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
