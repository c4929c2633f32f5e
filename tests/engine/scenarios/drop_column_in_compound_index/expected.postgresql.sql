-- DropIndex
DROP INDEX "User_email_slug_idx";

-- AlterTable
ALTER TABLE "User" DROP COLUMN "slug";
