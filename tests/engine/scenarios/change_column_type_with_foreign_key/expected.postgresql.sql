-- AlterTable
ALTER TABLE "Post" DROP COLUMN "title",
ADD COLUMN     "title" INTEGER NOT NULL;
