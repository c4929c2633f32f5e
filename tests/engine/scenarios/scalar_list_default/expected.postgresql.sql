-- AlterTable
ALTER TABLE "User" ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY['a', 'b']::TEXT[];
