-- AlterTable
ALTER TABLE "contacts" ADD COLUMN "full_name" TEXT;
