-- DropTable
DROP TABLE "A";
