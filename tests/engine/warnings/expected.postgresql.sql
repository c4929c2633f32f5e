/*
  Warnings:

  - The values [C] on the enum `Role` will be removed. If these variants are still used in the database, this will fail.
  - The primary key for the `Item` table will be changed. If it partially fails, the table could be left without primary key constraint.
  - The `code` column on the `User` table would be dropped and recreated. This will lead to data loss if there is data in the column.
  - You are about to alter the column `big` on the `User` table. The data in that column could be lost. The data in that column will be cast from `BigInt` to `Integer`.
  - You are about to alter the column `vc` on the `User` table. The data in that column could be lost. The data in that column will be cast from `VarChar(200)` to `VarChar(100)`.
  - A unique constraint covering the columns `[email]` on the table `User` will be added. If there are existing duplicate values, this will fail.
  - Changed the type of `req` on the `User` table. No cast exists, the column would be dropped and recreated, which cannot be done if there is data, since the column is required.

*/
-- AlterEnum
BEGIN;
CREATE TYPE "Role_new" AS ENUM ('A', 'B');
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "public"."Role_old";
COMMIT;

-- AlterTable
ALTER TABLE "Item" DROP CONSTRAINT "Item_pkey",
ADD CONSTRAINT "Item_pkey" PRIMARY KEY ("code");

-- AlterTable
ALTER TABLE "User" DROP COLUMN "code",
ADD COLUMN     "code" INTEGER,
ALTER COLUMN "big" SET DATA TYPE INTEGER,
DROP COLUMN "req",
ADD COLUMN     "req" INTEGER NOT NULL,
ALTER COLUMN "vc" SET DATA TYPE VARCHAR(100);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
