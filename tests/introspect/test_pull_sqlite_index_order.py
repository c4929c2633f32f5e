"""SQLite indexes in `db pull` come in `pragma_index_list` order (most recently created first),
uniques before the others, as Prisma 7.10.1 writes them: the expected text is its
`db pull --print` on the same database (../shared/anchors), byte for byte. Before, Lamina wrote
them by name."""

from __future__ import annotations

from lamina.dialects.sqlite.describe import describe as describe_sqlite
from lamina.introspect import introspect
from lamina.introspect.sqlite_index_order import in_listed_order
from tests.introspect.test_pull import _sqlite_db

SETUP = """
CREATE TABLE t (id INTEGER PRIMARY KEY, a INT, b INT, c INT, d INT);
CREATE INDEX z_idx ON t(a, b); CREATE UNIQUE INDEX a_uq ON t(b, c); CREATE INDEX m_idx ON t(c);
CREATE UNIQUE INDEX b_uq ON t(c, d); CREATE INDEX b_idx ON t(d);
"""

DATASOURCE = 'datasource db {\n  provider = "sqlite"\n}\n'

PULLED = DATASOURCE + '''
model t {
  id Int  @id @default(autoincrement())
  a  Int?
  b  Int?
  c  Int?
  d  Int?

  @@unique([c, d], map: "b_uq")
  @@unique([b, c], map: "a_uq")
  @@index([d], map: "b_idx")
  @@index([c], map: "m_idx")
  @@index([a, b], map: "z_idx")
}
'''


def test_sqlite_indexes_in_listed_order(tmp_path):
    conn = _sqlite_db(tmp_path, SETUP)
    described = in_listed_order(describe_sqlite(conn), conn)
    assert introspect(described, "sqlite", [("schema.prisma", DATASOURCE)]).text == PULLED
