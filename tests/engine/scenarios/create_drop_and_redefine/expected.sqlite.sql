-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "A";
PRAGMA foreign_keys=on;

-- CreateTable
CREATE TABLE "C" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_B" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT
);
INSERT INTO "new_B" ("id", "name") SELECT "id", "name" FROM "B";
DROP TABLE "B";
ALTER TABLE "new_B" RENAME TO "B";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
