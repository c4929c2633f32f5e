-- AlterTable
ALTER TABLE "User" ADD COLUMN     "meta" JSONB NOT NULL DEFAULT '{}';
