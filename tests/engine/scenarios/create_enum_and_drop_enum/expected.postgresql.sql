-- CreateEnum
CREATE TYPE "Level" AS ENUM ('LOW', 'HIGH');

-- AlterTable
ALTER TABLE "User" DROP COLUMN "role",
ADD COLUMN     "level" "Level" NOT NULL DEFAULT 'LOW';

-- DropEnum
DROP TYPE "Role";
