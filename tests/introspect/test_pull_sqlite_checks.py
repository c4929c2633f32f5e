"""SQLite CHECK constraints and expression indexes in `db pull`: Prisma 7.10.1 says nothing of
them (no model note, no warning); the expected text is its `db pull --print` on the same
database (../shared/anchors), byte for byte, the view's SQL file too. Before, Lamina wrote the
PostgreSQL notes and warnings for them."""

from __future__ import annotations

from lamina.dialects.sqlite.describe import describe as describe_sqlite
from lamina.introspect import introspect
from lamina.introspect.views import _sqlite_views
from tests.introspect.test_pull import _sqlite_db

SETUP = """
CREATE TABLE product (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL CHECK (length(name) > 0), sku TEXT, deleted_at DATETIME);
CREATE INDEX product_lower_name ON product(lower(name));
CREATE VIEW live_products AS SELECT id, name FROM product WHERE deleted_at IS NULL;
CREATE TRIGGER product_touch AFTER UPDATE ON product BEGIN UPDATE product SET sku = sku WHERE id = NEW.id; END;
"""

HEAD = '''generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views"]
}

datasource db {
  provider = "sqlite"
}
'''

PULLED = HEAD + '''
model product {
  id         Int       @id @default(autoincrement())
  name       String
  sku        String?
  deleted_at DateTime?
}

view live_products {
  id   Int?
  name String?
}
'''

VIEW_SQL = "SELECT\n  id,\n  name\nFROM\n  product\nWHERE\n  deleted_at IS NULL;"


def test_sqlite_checks_and_expression_indexes_go_unmentioned(tmp_path):
    conn = _sqlite_db(tmp_path, SETUP)
    views = _sqlite_views(conn)
    result = introspect(describe_sqlite(conn), "sqlite", [("schema.prisma", HEAD)], views)
    assert result.text == PULLED
    assert result.warnings == []
    assert result.view_files == [("main", "live_products", VIEW_SQL)]
