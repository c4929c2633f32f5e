-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "a" INTEGER,
    "b" TEXT NOT NULL,
    "c" REAL NOT NULL DEFAULT 0
);
INSERT INTO "new_User" ("a", "b", "c", "email", "id", "name") SELECT "a", "b", coalesce("c", 0) AS "c", "email", "id", "name" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
