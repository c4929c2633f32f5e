-- RedefineIndex
DROP INDEX "User_email_key";
CREATE UNIQUE INDEX "uniq_email" ON "User"("email");
