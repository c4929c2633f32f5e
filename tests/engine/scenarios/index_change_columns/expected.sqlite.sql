-- DropIndex
DROP INDEX "User_email_idx";

-- CreateIndex
CREATE INDEX "User_email_name_idx" ON "User"("email", "name");
