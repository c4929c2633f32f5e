"""Implicit m:n tables of Prisma 4/5 (`_AB_unique` index, no primary key) meet Prisma 6's
`_AB_pkey`: Prisma adds the key, then drops the unique index it replaces, table by table (found
on amplication's history, eight such tables; Lamina wrote every ALTER TABLE first, then every
DROP INDEX).
"""

from __future__ import annotations

from lamina.dialects import get_dialect
from lamina.sql.diff import diff
from tests.engine.helpers import described_after, schema_of

CREATED = 'CREATE TABLE "A" ("id" INTEGER NOT NULL, CONSTRAINT "A_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "B" ("id" INTEGER NOT NULL, CONSTRAINT "B_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "C" ("id" INTEGER NOT NULL, CONSTRAINT "C_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "_AToB" ("A" INTEGER NOT NULL, "B" INTEGER NOT NULL);\nCREATE TABLE "_BToC" ("A" INTEGER NOT NULL, "B" INTEGER NOT NULL);\nCREATE UNIQUE INDEX "_AToB_AB_unique" ON "_AToB"("A", "B");\nCREATE INDEX "_AToB_B_index" ON "_AToB"("B");\nCREATE UNIQUE INDEX "_BToC_AB_unique" ON "_BToC"("A", "B");\nCREATE INDEX "_BToC_B_index" ON "_BToC"("B");\nALTER TABLE "_AToB" ADD CONSTRAINT "_AToB_A_fkey" FOREIGN KEY ("A") REFERENCES "A"("id") ON DELETE CASCADE ON UPDATE CASCADE;\nALTER TABLE "_AToB" ADD CONSTRAINT "_AToB_B_fkey" FOREIGN KEY ("B") REFERENCES "B"("id") ON DELETE CASCADE ON UPDATE CASCADE;\nALTER TABLE "_BToC" ADD CONSTRAINT "_BToC_A_fkey" FOREIGN KEY ("A") REFERENCES "B"("id") ON DELETE CASCADE ON UPDATE CASCADE;\nALTER TABLE "_BToC" ADD CONSTRAINT "_BToC_B_fkey" FOREIGN KEY ("B") REFERENCES "C"("id") ON DELETE CASCADE ON UPDATE CASCADE;\n'

SCHEMA = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel A {\n  id Int @id\n  bs B[]\n}\n\nmodel B {\n  id Int @id\n  as A[]\n  cs C[]\n}\n\nmodel C {\n  id Int @id\n  bs B[]\n}\n'

# Recorded from the anchor: Prisma 7.10.1 migrate diff --from-migrations (CREATED) --to-schema
# SCHEMA --script (the blank lines the CLI prints after the script left out)
EXPECTED = '-- AlterTable\nALTER TABLE "_AToB" ADD CONSTRAINT "_AToB_AB_pkey" PRIMARY KEY ("A", "B");\n\n-- DropIndex\nDROP INDEX "_AToB_AB_unique";\n\n-- AlterTable\nALTER TABLE "_BToC" ADD CONSTRAINT "_BToC_AB_pkey" PRIMARY KEY ("A", "B");\n\n-- DropIndex\nDROP INDEX "_BToC_AB_unique";\n'


def test_each_join_table_key_then_its_old_unique_index(postgres_url):
    dialect = get_dialect("postgresql")
    described = described_after(postgres_url, CREATED)
    migration = diff(described, schema_of(SCHEMA, "postgresql"), dialect)
    assert dialect.render_script(migration, include_warnings=False) == EXPECTED
    # Prisma 7.10.1's `migrate dev` writes no warning for a key added where there was none (seen
    # on amplication: its migration has no Warnings block)
    assert dialect.render_script(migration, include_warnings=True) == EXPECTED
