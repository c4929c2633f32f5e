-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_T" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "a" TEXT NOT NULL DEFAULT '1',
    "b" TEXT NOT NULL,
    "c" TEXT DEFAULT 'z',
    "d" INTEGER DEFAULT 3,
    "e" BIGINT NOT NULL,
    "f" BIGINT NOT NULL DEFAULT 5
);
INSERT INTO "new_T" ("a", "b", "c", "d", "e", "f", "id") SELECT "a", "b", "c", "d", "e", "f", "id" FROM "T";
DROP TABLE "T";
ALTER TABLE "new_T" RENAME TO "T";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
