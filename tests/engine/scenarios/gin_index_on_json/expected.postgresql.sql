-- CreateIndex
CREATE INDEX "User_meta_idx" ON "User" USING GIN ("meta");
