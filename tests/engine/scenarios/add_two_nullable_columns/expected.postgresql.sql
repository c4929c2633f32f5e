-- AlterTable
ALTER TABLE "User" ADD COLUMN     "Bio" TEXT,
ADD COLUMN     "zed" TEXT;
