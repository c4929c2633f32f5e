-- CreateEnum
CREATE TYPE "meta"."Kind" AS ENUM ('A', 'B');

-- AlterTable
ALTER TABLE "public"."User" ADD COLUMN     "kind" "meta"."Kind" NOT NULL;
