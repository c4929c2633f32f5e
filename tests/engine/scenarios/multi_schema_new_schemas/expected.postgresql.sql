-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "audit";

-- CreateEnum
CREATE TYPE "audit"."Level" AS ENUM ('LOW', 'HIGH');

-- AlterEnum
BEGIN;
CREATE TYPE "billing"."Status_new" AS ENUM ('ACTIVE', 'SUSPENDED');
ALTER TABLE "auth"."User" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "auth"."User" ALTER COLUMN "status" TYPE "billing"."Status_new" USING ("status"::text::"billing"."Status_new");
ALTER TYPE "billing"."Status" RENAME TO "Status_old";
ALTER TYPE "billing"."Status_new" RENAME TO "Status";
DROP TYPE "billing"."Status_old";
ALTER TABLE "auth"."User" ALTER COLUMN "status" SET DEFAULT 'ACTIVE';
COMMIT;

-- DropForeignKey
ALTER TABLE "billing"."Invoice" DROP CONSTRAINT "Invoice_userId_fkey";

-- DropTable
DROP TABLE "billing"."Invoice";

-- DropTable
DROP TABLE "public"."Log";

-- CreateTable
CREATE TABLE "billing"."invoices" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "amount" DECIMAL(10,2) NOT NULL,

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "public"."Tag" (
    "id" INTEGER NOT NULL,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit"."Log" (
    "id" INTEGER NOT NULL,
    "msg" TEXT NOT NULL,
    "level" "audit"."Level" NOT NULL,

    CONSTRAINT "Log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "public"."_TagToUser" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,

    CONSTRAINT "_TagToUser_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE INDEX "invoices_userId_amount_idx" ON "billing"."invoices"("userId", "amount");

-- CreateIndex
CREATE INDEX "_TagToUser_B_index" ON "public"."_TagToUser"("B");

-- AddForeignKey
ALTER TABLE "billing"."invoices" ADD CONSTRAINT "invoices_userId_fkey" FOREIGN KEY ("userId") REFERENCES "auth"."User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "public"."_TagToUser" ADD CONSTRAINT "_TagToUser_A_fkey" FOREIGN KEY ("A") REFERENCES "public"."Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "public"."_TagToUser" ADD CONSTRAINT "_TagToUser_B_fkey" FOREIGN KEY ("B") REFERENCES "auth"."User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
