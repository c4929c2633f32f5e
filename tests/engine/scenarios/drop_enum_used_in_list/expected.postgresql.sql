-- AlterTable
ALTER TABLE "User" DROP COLUMN "tags";

-- DropEnum
DROP TYPE "Tag";
