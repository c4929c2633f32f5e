-- CreateIndex
CREATE UNIQUE INDEX "uniq_email" ON "User"("email");
