-- Down migration of `20251101000000_contact_full_name`: `lamina migrate rollback` applies it (Prisma ignores this file).

-- AlterTable
ALTER TABLE "contacts" DROP COLUMN "full_name";
