-- AlterTable
ALTER TABLE "User" DROP COLUMN "flag",
ADD COLUMN     "flag" BOOLEAN;
