-- AlterTable
ALTER TABLE "User" ADD COLUMN "lastSeen" DATETIME;
