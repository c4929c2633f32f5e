-- DropIndex
DROP INDEX "p_is_null";

-- DropIndex
DROP INDEX "p_not_equal";

-- DropIndex
DROP INDEX "p_parens";

-- DropIndex
DROP INDEX "p_object";

-- DropIndex
DROP INDEX "p_quoted";

-- DropIndex
DROP INDEX "p_function_case";

-- DropIndex
DROP INDEX "p_precedence";

-- DropIndex
DROP INDEX "p_between";

-- DropIndex
DROP INDEX "p_wrapped";

-- DropIndex
DROP INDEX "p_like";

-- CreateIndex
CREATE INDEX "p_is_null" ON "Post"("title") WHERE score is null;

-- CreateIndex
CREATE INDEX "p_not_equal" ON "Post"("body") WHERE score != 1;

-- CreateIndex
CREATE INDEX "p_parens" ON "Post"("status") WHERE (rank > 3);

-- CreateIndex
CREATE INDEX "p_object" ON "Post"("title", "body") WHERE "hidden" = TRUE;

-- CreateIndex
CREATE INDEX "p_quoted" ON "Post"("title", "status") WHERE "rank" > 0 and ("status" = 'live');

-- CreateIndex
CREATE INDEX "p_function_case" ON "Post"("body", "status") WHERE LOWER(title) = 'x';

-- CreateIndex
CREATE INDEX "p_precedence" ON "Post"("rank") WHERE hidden = false AND rank > 1 OR rank < -1;

-- CreateIndex
CREATE INDEX "p_between" ON "Post"("score") WHERE rank >= 1 AND rank <= 3;

-- CreateIndex
CREATE INDEX "p_wrapped" ON "Post"("id", "rank") WHERE (rank > 1) and (rank < 5);

-- CreateIndex
CREATE INDEX "p_like" ON "Post"("id", "score") WHERE title like 'a%';
