-- AlterTable
ALTER TABLE "User" ADD COLUMN     "scores" INTEGER[];
