-- CreateIndex
CREATE UNIQUE INDEX "User_email_name_key" ON "User"("email", "name");
