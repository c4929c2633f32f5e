-- DropIndex
DROP INDEX "A_email_key";

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "A";
PRAGMA foreign_keys=on;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_B" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "x" TEXT NOT NULL
);
INSERT INTO "new_B" ("id", "x") SELECT "id", "x" FROM "B";
DROP TABLE "B";
ALTER TABLE "new_B" RENAME TO "B";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
