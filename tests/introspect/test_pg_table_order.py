"""Issue 19: steps on existing tables follow the database's table order, which Prisma 7.10.1's
describer gives by name (here: created Zeta, Alpha, Mid; Prisma writes Alpha, Mid, Zeta). The
expected script is Prisma's `migrate diff --from-config-datasource --to-schema --script` on the
same database (its stdout less the two blank lines the CLI adds)."""

from __future__ import annotations

from lamina.dialects import get_dialect
from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.sql.diff import diff
from tests.engine.helpers import schema_of

# Prisma's own from-empty script for three models declared Zeta, Alpha, Mid.
CREATED = '-- CreateTable\nCREATE TABLE "Zeta" (\n    "id" INTEGER NOT NULL,\n    "a" INTEGER NOT NULL,\n    "b" INTEGER NOT NULL,\n\n    CONSTRAINT "Zeta_pkey" PRIMARY KEY ("id")\n);\n\n-- CreateTable\nCREATE TABLE "Alpha" (\n    "id" INTEGER NOT NULL,\n    "a" INTEGER NOT NULL,\n    "b" INTEGER NOT NULL,\n\n    CONSTRAINT "Alpha_pkey" PRIMARY KEY ("id")\n);\n\n-- CreateTable\nCREATE TABLE "Mid" (\n    "id" INTEGER NOT NULL,\n    "a" INTEGER NOT NULL,\n\n    CONSTRAINT "Mid_pkey" PRIMARY KEY ("id")\n);\n\n\n'

TARGET = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel Mid {\n  id    Int    @id\n  a     BigInt\n  c     Int?\n  zetas Zeta[]\n  @@index([a, c])\n}\n\nmodel Alpha {\n  id Int    @id\n  b  Int    @unique\n  d  String @default("x")\n  zeta Zeta? @relation(fields: [b], references: [id])\n  @@index([d])\n}\n\nmodel Zeta {\n  id    Int    @id\n  a     Int    @unique\n  b     Int\n  midId Int?\n  mid   Mid?   @relation(fields: [midId], references: [id])\n  alphas Alpha[]\n  @@index([b])\n}\n'

PRISMA_SCRIPT = '-- AlterTable\nALTER TABLE "Alpha" DROP COLUMN "a",\nADD COLUMN     "d" TEXT NOT NULL DEFAULT \'x\';\n\n-- AlterTable\nALTER TABLE "Mid" ADD COLUMN     "c" INTEGER,\nALTER COLUMN "a" SET DATA TYPE BIGINT;\n\n-- AlterTable\nALTER TABLE "Zeta" ADD COLUMN     "midId" INTEGER;\n\n-- CreateIndex\nCREATE UNIQUE INDEX "Alpha_b_key" ON "Alpha"("b");\n\n-- CreateIndex\nCREATE INDEX "Alpha_d_idx" ON "Alpha"("d");\n\n-- CreateIndex\nCREATE INDEX "Mid_a_c_idx" ON "Mid"("a", "c");\n\n-- CreateIndex\nCREATE UNIQUE INDEX "Zeta_a_key" ON "Zeta"("a");\n\n-- CreateIndex\nCREATE INDEX "Zeta_b_idx" ON "Zeta"("b");\n\n-- AddForeignKey\nALTER TABLE "Alpha" ADD CONSTRAINT "Alpha_b_fkey" FOREIGN KEY ("b") REFERENCES "Zeta"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n\n-- AddForeignKey\nALTER TABLE "Zeta" ADD CONSTRAINT "Zeta_midId_fkey" FOREIGN KEY ("midId") REFERENCES "Mid"("id") ON DELETE SET NULL ON UPDATE CASCADE;\n'


def test_tables_are_described_by_name(pg_db):
    assert [t.name for t in describe_pg(pg_db(CREATED)).tables] == ["Alpha", "Mid", "Zeta"]


def test_steps_on_existing_tables_in_prisma_order(pg_db):
    dialect = get_dialect("postgresql")
    migration = diff(describe_pg(pg_db(CREATED)), schema_of(TARGET, "postgresql"), dialect)
    assert dialect.render_script(migration, include_warnings=False) == PRISMA_SCRIPT
