-- AlterTable
ALTER TABLE "B" ALTER COLUMN "name" DROP NOT NULL;

-- DropTable
DROP TABLE "A";

-- CreateTable
CREATE TABLE "C" (
    "id" INTEGER NOT NULL,

    CONSTRAINT "C_pkey" PRIMARY KEY ("id")
);
