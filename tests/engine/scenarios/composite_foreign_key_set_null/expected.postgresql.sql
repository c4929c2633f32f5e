-- CreateTable
CREATE TABLE "Member" (
    "id" INTEGER NOT NULL,
    "orgSlug" TEXT,
    "orgCode" TEXT,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Member_orgSlug_orgCode_idx" ON "Member"("orgSlug", "orgCode");

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_orgSlug_orgCode_fkey" FOREIGN KEY ("orgSlug", "orgCode") REFERENCES "Org"("slug", "code") ON DELETE SET NULL ON UPDATE CASCADE;
