-- AlterTable
ALTER TABLE "Item" DROP CONSTRAINT "Item_pkey",
DROP COLUMN "old",
ADD COLUMN     "new" TEXT,
ADD CONSTRAINT "Item_pkey" PRIMARY KEY ("code");
