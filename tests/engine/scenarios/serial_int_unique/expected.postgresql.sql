-- AlterTable
ALTER TABLE "User" ADD COLUMN     "ticket" SERIAL NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "User_ticket_key" ON "User"("ticket");
