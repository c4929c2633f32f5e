-- AlterTable
ALTER TABLE "User" DROP COLUMN "code",
ADD COLUMN     "code" INTEGER NOT NULL;
