-- AlterTable
ALTER TABLE "User" DROP COLUMN "email",
ADD COLUMN     "email_address" TEXT NOT NULL;
