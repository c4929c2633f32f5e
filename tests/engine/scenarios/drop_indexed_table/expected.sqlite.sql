-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "A";
PRAGMA foreign_keys=on;
