-- AlterTable
ALTER TABLE "User" ADD COLUMN     "bio" TEXT,
ADD COLUMN     "ext" UUID,
ADD COLUMN     "price" DECIMAL(10,2),
ADD COLUMN     "seenAt" TIMESTAMPTZ(6),
ADD COLUMN     "small" SMALLINT;
