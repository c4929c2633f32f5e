-- CreateIndex
CREATE INDEX "User_email_name_idx" ON "User"("email" DESC, "name");
