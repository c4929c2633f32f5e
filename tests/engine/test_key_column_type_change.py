"""A key column whose type changes: Prisma drops and re-adds the primary key it is part of,
and the foreign keys it constrains (found on webstudio's history, uuid ids made TEXT).

The expected script was recorded from the anchor (Prisma 7.10.1, `migrate diff --from-schema
BEFORE --to-schema AFTER --script`); Lamina altered the types in place before, which PostgreSQL
refuses while a foreign key ties a uuid column to a text one.
"""

from __future__ import annotations

from tests.engine.helpers import script

BEFORE = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel Workspace {\n  id      String            @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid\n  name    String\n  members WorkspaceMember[]\n  projects Project[]\n}\n\nmodel WorkspaceMember {\n  workspaceId String    @db.Uuid\n  userId      String\n  workspace   Workspace @relation(fields: [workspaceId], references: [id], onDelete: Cascade)\n\n  @@id([workspaceId, userId])\n}\n\nmodel Project {\n  id          String     @id\n  workspaceId String?    @db.Uuid\n  workspace   Workspace? @relation(fields: [workspaceId], references: [id])\n}\n\nmodel Note {\n  id   Int    @id\n  code String @db.VarChar(10)\n  @@unique([code])\n}\n'

AFTER = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel Workspace {\n  id      String            @id\n  name    String\n  members WorkspaceMember[]\n  projects Project[]\n}\n\nmodel WorkspaceMember {\n  workspaceId String\n  userId      String\n  workspace   Workspace @relation(fields: [workspaceId], references: [id], onDelete: Cascade)\n\n  @@id([workspaceId, userId])\n}\n\nmodel Project {\n  id          String     @id\n  workspaceId String?\n  workspace   Workspace? @relation(fields: [workspaceId], references: [id])\n}\n\nmodel Note {\n  id   Int    @id\n  code String @db.VarChar(20)\n  @@unique([code])\n}\n'

# Recorded from the anchor: Prisma 7.10.1 migrate diff --script (the two blank lines the CLI
# prints after the script left out)
EXPECTED = '-- DropForeignKey\nALTER TABLE "WorkspaceMember" DROP CONSTRAINT "WorkspaceMember_workspaceId_fkey";\n\n-- DropForeignKey\nALTER TABLE "Project" DROP CONSTRAINT "Project_workspaceId_fkey";\n\n-- AlterTable\nALTER TABLE "Workspace" DROP CONSTRAINT "Workspace_pkey",\nALTER COLUMN "id" DROP DEFAULT,\nALTER COLUMN "id" SET DATA TYPE TEXT,\nADD CONSTRAINT "Workspace_pkey" PRIMARY KEY ("id");\n\n-- AlterTable\nALTER TABLE "WorkspaceMember" DROP CONSTRAINT "WorkspaceMember_pkey",\nALTER COLUMN "workspaceId" SET DATA TYPE TEXT,\nADD CONSTRAINT "WorkspaceMember_pkey" PRIMARY KEY ("workspaceId", "userId");\n\n-- AlterTable\nALTER TABLE "Project" ALTER COLUMN "workspaceId" SET DATA TYPE TEXT;\n\n-- AlterTable\nALTER TABLE "Note" ALTER COLUMN "code" SET DATA TYPE VARCHAR(20);\n\n-- AddForeignKey\nALTER TABLE "WorkspaceMember" ADD CONSTRAINT "WorkspaceMember_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;\n\n-- AddForeignKey\nALTER TABLE "Project" ADD CONSTRAINT "Project_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE SET NULL ON UPDATE CASCADE;\n'


def test_key_columns_changing_type_drop_and_add_their_keys():
    assert script(BEFORE, AFTER, "postgresql") == EXPECTED


def test_warning_for_a_primary_key_changed_by_a_column_type():
    text = script(BEFORE, AFTER, "postgresql", warnings=True)
    # the text Prisma 7.10.1 wrote for these tables in webstudio's `migrate dev --create-only`
    for table in ("Workspace", "WorkspaceMember"):
        assert (f"  - The primary key for the `{table}` table will be changed. If it partially fails, "
                "the table could be left without primary key constraint.") in text
