-- AlterTable
ALTER TABLE "User" ADD COLUMN     "settings" JSONB;
