-- RedefineIndex
DROP INDEX "User_email_idx";
CREATE INDEX "by_email" ON "User"("email");
