-- CreateTable
CREATE TABLE "Member" (
    "id" INTEGER NOT NULL,
    "orgSlug" TEXT NOT NULL,
    "orgCode" TEXT NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_orgSlug_orgCode_fkey" FOREIGN KEY ("orgSlug", "orgCode") REFERENCES "Org"("slug", "code") ON DELETE RESTRICT ON UPDATE CASCADE;
