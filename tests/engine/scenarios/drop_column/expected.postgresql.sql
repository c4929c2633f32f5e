-- AlterTable
ALTER TABLE "User" DROP COLUMN "bio";
