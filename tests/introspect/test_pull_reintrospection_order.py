"""Issue 19: re-introspection as Prisma 7.10.1 does it (expected texts are its `db pull --print`
stdout and stderr on the same databases and previous schemas):

- scalar fields follow the database's column order, kept fields too (a column a later
  migration added comes last), and relation fields follow them;
- a `@map`/`@@map` the previous schema wrote is kept even when it names the column or table's
  own name, and the field or model is listed in the "enriched" warnings (in table order);
- generator options keep their string form (`createInputTypes = false` -> `"false"`);
- with `relationMode = "prisma"` (no foreign keys) the previous schema's relation fields are
  copied (those whose other model is still there), and Prisma's warning lists their types.
"""

from __future__ import annotations

from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.introspect import introspect

FK_DATABASE = """
CREATE TABLE "User" (id SERIAL PRIMARY KEY, b TEXT, a TEXT, created_at TIMESTAMP(3), c_new TEXT);
CREATE TABLE post (id SERIAL PRIMARY KEY, title TEXT NOT NULL, "userId" INTEGER NOT NULL REFERENCES "User"(id), extra INTEGER);
CREATE TABLE "Tag" (id SERIAL PRIMARY KEY, "postId" INTEGER NOT NULL, name TEXT);
CREATE INDEX "Tag_postId_idx" ON "Tag"("postId");
"""

FK_PREVIOUS = 'generator client {\n  provider         = "prisma-client-js"\n  createInputTypes = "false"\n  other            = false\n}\n\ndatasource db {\n  provider = "postgresql"\n}\n\nmodel Post {\n  author User   @relation(fields: [userId], references: [id])\n  tags   Tag[]\n  id     Int    @id @default(autoincrement())\n  userId Int\n  title  String @map("title")\n\n  @@map("post")\n}\n\nmodel User {\n  id        Int       @id @default(autoincrement())\n  posts     Post[]\n  a         String?   @map("a")\n  createdAt DateTime? @map("created_at")\n  b         String?\n\n  @@map("User")\n}\n\nmodel Tag {\n  name   String?\n  id     Int     @id @default(autoincrement())\n  postId Int\n  post   Post    @relation(fields: [postId], references: [id])\n\n  @@index([postId])\n}\n'

FK_PRINTED = 'generator client {\n  provider         = "prisma-client-js"\n  createInputTypes = "false"\n  other            = "false"\n}\n\ndatasource db {\n  provider = "postgresql"\n}\n\nmodel Post {\n  id     Int    @id @default(autoincrement())\n  title  String @map("title")\n  userId Int\n  extra  Int?\n  author User   @relation(fields: [userId], references: [id], onDelete: NoAction, onUpdate: NoAction)\n\n  @@map("post")\n}\n\nmodel User {\n  id        Int       @id @default(autoincrement())\n  b         String?\n  a         String?   @map("a")\n  createdAt DateTime? @map("created_at")\n  c_new     String?\n  posts     Post[]\n\n  @@map("User")\n}\n\nmodel Tag {\n  id     Int     @id @default(autoincrement())\n  postId Int\n  name   String?\n\n  @@index([postId])\n}\n\n\n'

FK_WARNINGS = '\n// *** WARNING ***\n// \n// These fields were enriched with `@map` information taken from the previous Prisma schema:\n//   - Model: "User", field: "a"\n//   - Model: "User", field: "createdAt"\n//   - Model: "Post", field: "title"\n// \n// These models were enriched with `@@map` information taken from the previous Prisma schema:\n//   - "User"\n//   - "Post"\n// \n'

NO_FK_DATABASE = """
CREATE TABLE "User" (id SERIAL PRIMARY KEY, b TEXT, a TEXT, "bestId" INTEGER);
CREATE TABLE post (id SERIAL PRIMARY KEY, title TEXT NOT NULL, "userId" INTEGER NOT NULL, extra INTEGER);
CREATE TABLE "Tag" (id SERIAL PRIMARY KEY, "postId" INTEGER NOT NULL, name TEXT);
CREATE TABLE "Gone" (id SERIAL PRIMARY KEY, "userId" INTEGER);
CREATE TABLE "Profile" (id SERIAL PRIMARY KEY, "userId" INTEGER NOT NULL UNIQUE);
CREATE TABLE "_PostToTag" ("A" INTEGER NOT NULL, "B" INTEGER NOT NULL);
CREATE UNIQUE INDEX "_PostToTag_AB_unique" ON "_PostToTag"("A","B");
CREATE INDEX "_PostToTag_B_index" ON "_PostToTag"("B");
CREATE INDEX "Tag_postId_idx" ON "Tag"("postId");
"""

NO_FK_PREVIOUS = 'datasource db {\n  provider     = "postgresql"\n  relationMode = "prisma"\n}\n\nmodel Post {\n  author User     @relation("authored", fields: [userId], references: [id])\n  tags   Tag[]    @relation("tagged")\n  id     Int      @id @default(autoincrement())\n  userId Int\n  title  String\n  labels Tag[]    @relation("PostToTag")\n  /// doc on relation\n  gone   Missing? @relation(fields: [extra], references: [id])\n  extra  Int?\n\n  @@map("post")\n}\n\nmodel User {\n  id      Int      @id @default(autoincrement())\n  posts   Post[]   @relation("authored")\n  profile Profile?\n  a       String?\n  b       String?\n  bestId  Int?\n\n  @@index([bestId])\n}\n\nmodel Tag {\n  name   String?\n  post   Post    @relation("tagged", fields: [postId], references: [id])\n  id     Int     @id @default(autoincrement())\n  postId Int\n  posts  Post[]  @relation("PostToTag")\n\n  @@index([postId])\n}\n\nmodel Profile {\n  id     Int  @id @default(autoincrement())\n  userId Int  @unique\n  user   User @relation(fields: [userId], references: [id])\n}\n\nmodel Missing {\n  id    Int    @id\n  posts Post[]\n}\n'

NO_FK_PRINTED = 'datasource db {\n  provider     = "postgresql"\n  relationMode = "prisma"\n}\n\nmodel Post {\n  id     Int    @id @default(autoincrement())\n  title  String\n  userId Int\n  extra  Int?\n  author User   @relation("authored", fields: [userId], references: [id])\n  tags   Tag[]  @relation("tagged")\n  labels Tag[]  @relation("PostToTag")\n\n  @@map("post")\n}\n\nmodel User {\n  id      Int      @id @default(autoincrement())\n  b       String?\n  a       String?\n  bestId  Int?\n  posts   Post[]   @relation("authored")\n  profile Profile?\n}\n\nmodel Tag {\n  id     Int     @id @default(autoincrement())\n  postId Int\n  name   String?\n  post   Post    @relation("tagged", fields: [postId], references: [id])\n  posts  Post[]  @relation("PostToTag")\n\n  @@index([postId])\n}\n\nmodel Profile {\n  id     Int  @id @default(autoincrement())\n  userId Int  @unique\n  user   User @relation(fields: [userId], references: [id])\n}\n\nmodel Gone {\n  id     Int  @id @default(autoincrement())\n  userId Int?\n}\n\nmodel PostToTag {\n  A Int\n  B Int\n\n  @@unique([A, B], map: "_PostToTag_AB_unique")\n  @@index([B], map: "_PostToTag_B_index")\n  @@map("_PostToTag")\n}\n\n'

NO_FK_WARNINGS = '\n// *** WARNING ***\n// \n// These models were enriched with `@@map` information taken from the previous Prisma schema:\n//   - "Post"\n// \n// Relations were copied from the previous data model due to not using foreign keys in the database. If any of the relation columns changed in the database, the relations might not be correct anymore:\n//   - "User"\n//   - "Post"\n//   - "Post"\n//   - "Post"\n//   - "Profile"\n//   - "User"\n//   - "Tag"\n//   - "Tag"\n// \n'


def test_column_order_redundant_maps_and_generator_strings(pg_db):
    result = introspect(describe_pg(pg_db(FK_DATABASE)), "postgresql", [("schema.prisma", FK_PREVIOUS)])
    assert result.printed() + "\n" == FK_PRINTED  # stdout: print() adds a newline
    assert result.warning_comment() + "\n" == FK_WARNINGS


def test_relation_mode_prisma_copies_relation_fields(pg_db):
    result = introspect(describe_pg(pg_db(NO_FK_DATABASE)), "postgresql", [("schema.prisma", NO_FK_PREVIOUS)])
    assert result.printed() == NO_FK_PRINTED  # (stdout less print()'s newline)
    assert result.warning_comment() + "\n" == NO_FK_WARNINGS


def test_relation_mode_prisma_ignores_foreign_keys_that_exist(pg_db):
    """Prisma reads no foreign key with relationMode = "prisma": the relation comes from the
    previous schema only (here the database has one, the schema names the relation)."""
    conn = pg_db(FK_DATABASE)
    previous = FK_PREVIOUS.replace('provider = "postgresql"', 'provider     = "postgresql"\n  relationMode = "prisma"')
    text = introspect(describe_pg(conn), "postgresql", [("schema.prisma", previous)]).text
    assert "  author User   @relation(fields: [userId], references: [id])\n  tags   Tag[]\n" in text
    assert "onDelete: NoAction" not in text


CONFIG_DATABASE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE "R" (id INTEGER PRIMARY KEY, email TEXT NOT NULL, token TEXT NOT NULL);
CREATE INDEX "R_token_idx" ON "R"(token);
CREATE INDEX "R_email_idx" ON "R"(email);
CREATE INDEX "R_email_trgm_idx" ON "R" USING GIN (email gin_trgm_ops);
CREATE INDEX "R_email_desc_idx" ON "R"(email DESC);
"""

CONFIG_PREVIOUS = '// a comment above\ngenerator zod {\n  // inner comment\n  provider             = "zod-prisma-types"\n  zeta                 = 3\n  createInputTypes     = false\n  output               = "../gen"\n  previewFeatures      = ["views", "relationJoins"]\n  alpha                = "x" // trailing\n}\n\ndatasource db {\n  provider  = "postgresql"\n\n  // a comment\n  relationMode = "foreignKeys"\n}\n\nmodel R {\n  id    Int    @id\n  email String\n  token String\n\n  @@index([email(ops: raw("gin_trgm_ops"))], map: "R_email_trgm_idx", type: Gin)\n  @@index([token])\n  @@index([email(sort: Desc)], map: "R_email_desc_idx")\n  @@index([email])\n}\n'

CONFIG_PRINTED = 'generator zod {\n  provider         = "zod-prisma-types"\n  output           = "../gen"\n  previewFeatures  = ["relationJoins", "views"]\n  alpha            = "x"\n  createInputTypes = "false"\n  zeta             = "3"\n}\n\ndatasource db {\n  provider     = "postgresql"\n  relationMode = "foreignKeys"\n}\n\nmodel R {\n  id    Int    @id\n  email String\n  token String\n\n  @@index([email(ops: raw("gin_trgm_ops"))], map: "R_email_trgm_idx", type: Gin)\n  @@index([token])\n  @@index([email(sort: Desc)], map: "R_email_desc_idx")\n  @@index([email])\n}\n\n\n'


def test_config_blocks_re_rendered_and_same_field_indexes_keep_their_order(pg_db):
    """Config blocks come back re-rendered (comments and blank lines dropped, generator options
    sorted after provider/output/previewFeatures, values as strings); three indexes on `email`
    keep the previous schema's order (they shared one key before: the GIN one moved)."""
    result = introspect(describe_pg(pg_db(CONFIG_DATABASE)), "postgresql", [("schema.prisma", CONFIG_PREVIOUS)])
    assert result.printed() + "\n" == CONFIG_PRINTED


FOLDER_DATABASE = """
CREATE TYPE "Kind" AS ENUM ('A', 'B');
CREATE TABLE "Post" (id INTEGER PRIMARY KEY, kind "Kind" NOT NULL, title TEXT);
CREATE TABLE "User" (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE "Fresh" (id INTEGER PRIMARY KEY);
"""

FOLDER_PRINTED = '// prisma/schema/introspected.prisma\nmodel Fresh {\n  id Int @id\n}\n\n// prisma/schema/post.prisma\nmodel Post {\n  id    Int     @id\n  kind  Kind\n  title String?\n}\n\nenum Kind {\n  A\n  B\n}\n\n// prisma/schema/schema.prisma\ngenerator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "postgresql"\n}\n\n// prisma/schema/user.prisma\nmodel User {\n  id   Int     @id\n  name String?\n}\n\n\n'


def test_folder_schema_print(tmp_path, postgres_url):
    """`db pull --print` on a folder of .prisma files: each file after a `// <path>` line, files
    by name, a new model in introspected.prisma, generators before the datasource (Prisma's
    stdout on the same folder and database)."""
    import os
    import subprocess
    import sys

    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(FOLDER_DATABASE)
    folder = tmp_path / "prisma" / "schema"
    folder.mkdir(parents=True)
    (folder / "schema.prisma").write_text(
        'datasource db {\n  provider = "postgresql"\n}\n\ngenerator client {\n  provider = "prisma-client-js"\n}\n')
    (folder / "post.prisma").write_text("model Post {\n  id   Int  @id\n  kind Kind\n}\n\nenum Kind {\n  A\n  B\n}\n")
    (folder / "user.prisma").write_text("// users\nmodel User {\n  id Int @id\n}\n")
    done = subprocess.run([sys.executable, "-m", "lamina", "--schema", "prisma/schema", "db", "pull", "--print"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DATABASE_URL": postgres_url})
    assert done.returncode == 0, done.stderr
    assert done.stdout == FOLDER_PRINTED
