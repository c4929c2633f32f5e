-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_T" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "a" DATETIME NOT NULL,
    "b" DATETIME NOT NULL,
    "c" INTEGER NOT NULL
);
INSERT INTO "new_T" ("a", "b", "c", "id") SELECT "a", "b", "c", "id" FROM "T";
DROP TABLE "T";
ALTER TABLE "new_T" RENAME TO "T";
CREATE UNIQUE INDEX "T_a_key" ON "T"("a");
CREATE INDEX "T_b_c_idx" ON "T"("b", "c");
CREATE INDEX "c_custom" ON "T"("c");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
