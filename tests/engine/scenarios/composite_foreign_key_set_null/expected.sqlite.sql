-- CreateTable
CREATE TABLE "Member" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "orgSlug" TEXT,
    "orgCode" TEXT,
    CONSTRAINT "Member_orgSlug_orgCode_fkey" FOREIGN KEY ("orgSlug", "orgCode") REFERENCES "Org" ("slug", "code") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Member_orgSlug_orgCode_idx" ON "Member"("orgSlug", "orgCode");
