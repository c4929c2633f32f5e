"""A B-tree (or hash) index's operator class is not Prisma's to compare: its schema can give
`ops:` only to GiST, GIN, SP-GiST and BRIN indexes, so `@@index([name])` is the database's
`("name" text_pattern_ops)` (found on civitai's history: `Model_name_idx`). Lamina dropped and
created such indexes again on every diff before. Expected outputs recorded from the anchor
(Prisma 7.10.1 `migrate diff --from-migrations M --to-schema S --script`: an empty migration).
"""

from __future__ import annotations

from lamina.dialects import get_dialect
from lamina.sql.diff import diff
from tests.engine.helpers import described_after, schema_of

SCHEMA = """datasource db {
  provider = "postgresql"
}

model Model {
  id   Int    @id
  name String
  tags Int[]

  @@index([name])
  @@index([id, name])
  @@index([tags], type: Gin)
}
"""


def _diff_from(postgres_url, indexes_sql: str) -> str:
    described = described_after(postgres_url, 'CREATE TABLE "Model" ("id" INTEGER NOT NULL, "name" TEXT NOT NULL, '
                                              '"tags" INTEGER[], CONSTRAINT "Model_pkey" PRIMARY KEY ("id"));\n' + indexes_sql)
    dialect = get_dialect("postgresql")
    return dialect.render_script(diff(described, schema_of(SCHEMA, "postgresql"), dialect))


def test_btree_operator_classes_leave_no_difference(postgres_url):
    assert _diff_from(postgres_url, """
CREATE INDEX "Model_name_idx" ON "Model"("name" text_pattern_ops);
CREATE INDEX "Model_id_name_idx" ON "Model"("id", "name" varchar_pattern_ops);
CREATE INDEX "Model_tags_idx" ON "Model" USING GIN ("tags" array_ops);
""") == "-- This is an empty migration.\n"
