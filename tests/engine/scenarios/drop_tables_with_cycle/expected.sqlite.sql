-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "A";
PRAGMA foreign_keys=on;

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "B";
PRAGMA foreign_keys=on;
