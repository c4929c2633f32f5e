-- DropIndex
DROP INDEX "i_like";

-- DropIndex
DROP INDEX "i_in";

-- DropIndex
DROP INDEX "i_negative";

-- CreateIndex
CREATE INDEX "i_like" ON "Item"("f") WHERE (title ~~ 'x%'::text);

-- CreateIndex
CREATE INDEX "i_in" ON "Item"("s") WHERE (n = ANY (ARRAY[1, 2]));

-- CreateIndex
CREATE INDEX "i_negative" ON "Item"("b") WHERE (f = ('-1.5'::numeric)::double precision);
