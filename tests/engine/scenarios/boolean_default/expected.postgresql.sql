-- AlterTable
ALTER TABLE "User" ALTER COLUMN "active" SET DEFAULT true;
