-- DropIndex
DROP INDEX "Post_email_key";

-- DropIndex
DROP INDEX "Post_score_idx";

-- DropIndex
DROP INDEX "Post_title_status_key";

-- CreateIndex
CREATE UNIQUE INDEX "Post_email_key" ON "Post"("email") WHERE ("published" = true AND "deletedAt" IS NULL);

-- CreateIndex
CREATE INDEX "Post_score_idx" ON "Post"("score") WHERE (score > 20);

-- CreateIndex
CREATE INDEX "Post_status_idx" ON "Post"("status") WHERE ("title" = 'it''s' AND "score" = -3);

-- CreateIndex
CREATE UNIQUE INDEX "Post_title_status_key" ON "Post"("title", "status");
