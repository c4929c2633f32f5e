-- AlterTable
ALTER TABLE "Member" ADD CONSTRAINT "Member_pkey" PRIMARY KEY ("orgId", "userId");

-- DropIndex
DROP INDEX "Member_orgId_userId_key";
