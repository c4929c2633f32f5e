-- DropIndex
DROP INDEX "p_function_case";

-- DropIndex
DROP INDEX "p_precedence";

-- DropIndex
DROP INDEX "p_between";

-- CreateIndex
CREATE INDEX "p_function_case" ON "Post"("body", "status") WHERE (LOWER(title) = 'x');

-- CreateIndex
CREATE INDEX "p_precedence" ON "Post"("rank") WHERE (hidden = false AND rank > 1 OR rank < -1);

-- CreateIndex
CREATE INDEX "p_between" ON "Post"("score") WHERE (rank >= 1 AND rank <= 3);
