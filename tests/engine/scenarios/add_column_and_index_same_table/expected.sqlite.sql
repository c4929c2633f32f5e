-- AlterTable
ALTER TABLE "User" ADD COLUMN "slug" TEXT;

-- CreateIndex
CREATE INDEX "User_slug_idx" ON "User"("slug");
