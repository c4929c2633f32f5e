-- AlterTable
ALTER TABLE "User" ADD COLUMN     "tags" TEXT[];
