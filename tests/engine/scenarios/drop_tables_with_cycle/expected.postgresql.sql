-- DropForeignKey
ALTER TABLE "A" DROP CONSTRAINT "A_bId_fkey";

-- DropForeignKey
ALTER TABLE "B" DROP CONSTRAINT "B_aId_fkey";

-- DropTable
DROP TABLE "A";

-- DropTable
DROP TABLE "B";
