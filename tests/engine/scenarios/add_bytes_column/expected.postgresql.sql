-- AlterTable
ALTER TABLE "User" ADD COLUMN     "avatar" BYTEA;
