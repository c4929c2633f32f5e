-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "rank" INTEGER NOT NULL
);
INSERT INTO "new_User" ("email", "id", "name", "rank") SELECT "email", "id", "name", "rank" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE INDEX "User_rank_idx" ON "User"("rank" DESC);
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
