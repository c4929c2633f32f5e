-- AlterTable
ALTER TABLE "T" DROP COLUMN "a",
ADD COLUMN     "a" TIMESTAMP(3) NOT NULL,
DROP COLUMN "b",
ADD COLUMN     "b" TIMESTAMP(3) NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "T_a_key" ON "T"("a");

-- CreateIndex
CREATE INDEX "T_b_c_idx" ON "T"("b", "c");
