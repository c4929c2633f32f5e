-- AlterTable
ALTER TABLE "User" ADD COLUMN     "token" UUID NOT NULL DEFAULT gen_random_uuid();
