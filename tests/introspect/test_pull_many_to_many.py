"""Implicit many-to-many relations in `db pull`, against Prisma 7.10.1's `db pull --print` (checked
with its CLI on the same databases; ghostfolio's and linkwarden's histories showed the first case):

- a relation the previous schema has is written with its name even when it is the default one;
- a new relation with the default name is written without it;
- a self relation is always named (two unnamed fields of the model's own type are ambiguous:
  P1012), on a first pull too; Lamina keeps the previous schema's field names for it, where
  Prisma writes `User_A`/`User_B` again.
"""

from __future__ import annotations

from lamina.dialects.postgres.describe import describe as describe_pg
from lamina.introspect import introspect

HEAD = 'datasource db {\n  provider = "postgresql"\n}\n'
ORDER_TAG = (
    'CREATE TABLE "Order" ("id" INTEGER NOT NULL PRIMARY KEY); CREATE TABLE "Tag" ("id" INTEGER NOT NULL PRIMARY KEY);'
    'CREATE TABLE "_OrderToTag" ("A" INTEGER NOT NULL REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE,'
    ' "B" INTEGER NOT NULL REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE,'
    ' CONSTRAINT "_OrderToTag_AB_pkey" PRIMARY KEY ("A", "B")); CREATE INDEX "_OrderToTag_B_index" ON "_OrderToTag"("B");'
)
SELF = (
    'CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY);'
    'CREATE TABLE "_UserToUser" ("A" INTEGER NOT NULL REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE,'
    ' "B" INTEGER NOT NULL REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE,'
    ' CONSTRAINT "_UserToUser_AB_pkey" PRIMARY KEY ("A", "B")); CREATE INDEX "_UserToUser_B_index" ON "_UserToUser"("B");'
)


def pull(conn, previous: str) -> str:
    return introspect(describe_pg(conn), "postgresql", [("schema.prisma", previous)]).text


def test_a_relation_of_the_previous_schema_keeps_its_default_name(pg_db):
    conn = pg_db(ORDER_TAG)
    previous = (HEAD + "\nmodel Order {\n  id   Int   @id\n  tags Tag[]\n}\n\n"
                "model Tag {\n  id         Int     @id\n  activities Order[]\n}\n")
    assert pull(conn, previous) == (
        HEAD + '\nmodel Order {\n  id   Int   @id\n  tags Tag[] @relation("OrderToTag")\n}\n\n'
        'model Tag {\n  id         Int     @id\n  activities Order[] @relation("OrderToTag")\n}\n')


def test_a_new_relation_with_the_default_name_is_written_without_it(pg_db):
    conn = pg_db(ORDER_TAG)
    previous = HEAD + "\nmodel Order {\n  id Int @id\n}\n\nmodel Tag {\n  id Int @id\n}\n"
    expected = (HEAD + "\nmodel Order {\n  id  Int   @id\n  Tag Tag[]\n}\n\n"
                "model Tag {\n  id    Int     @id\n  Order Order[]\n}\n")
    assert pull(conn, previous) == expected
    assert pull(conn, HEAD) == expected


def test_a_self_relation_is_always_named(pg_db):
    conn = pg_db(SELF)
    assert pull(conn, HEAD) == (
        HEAD + '\nmodel User {\n  id     Int    @id\n  User_A User[] @relation("UserToUser")\n'
        '  User_B User[] @relation("UserToUser")\n}\n')
    previous = (HEAD + '\nmodel User {\n  id        Int    @id\n  followers User[] @relation("UserToUser")\n'
                '  following User[] @relation("UserToUser")\n}\n')
    assert pull(conn, previous) == previous


AMBIGUOUS = (
    'CREATE TABLE "Tag" (id int PRIMARY KEY); CREATE TABLE "Post" (id int PRIMARY KEY, "tagId" int REFERENCES "Tag"(id));'
    'CREATE TABLE "_tagging" ("A" int NOT NULL REFERENCES "Post"(id) ON DELETE CASCADE ON UPDATE CASCADE,'
    ' "B" int NOT NULL REFERENCES "Tag"(id) ON DELETE CASCADE ON UPDATE CASCADE);'
    ' CREATE UNIQUE INDEX "_tagging_AB_unique" ON "_tagging"("A", "B"); CREATE INDEX "_tagging_B_index" ON "_tagging"("B");'
    'CREATE TABLE "_PostToTag" ("A" int NOT NULL REFERENCES "Post"(id) ON DELETE CASCADE ON UPDATE CASCADE,'
    ' "B" int NOT NULL REFERENCES "Tag"(id) ON DELETE CASCADE ON UPDATE CASCADE);'
    ' CREATE UNIQUE INDEX "_PostToTag_AB_unique" ON "_PostToTag"("A", "B"); CREATE INDEX "_PostToTag_B_index" ON "_PostToTag"("B");'
    'CREATE TABLE "User" (id int PRIMARY KEY, "u" int REFERENCES "User"(id));'
    'CREATE TABLE "_UserToUser" ("A" int NOT NULL REFERENCES "User"(id) ON DELETE CASCADE ON UPDATE CASCADE,'
    ' "B" int NOT NULL REFERENCES "User"(id) ON DELETE CASCADE ON UPDATE CASCADE);'
    ' CREATE UNIQUE INDEX "_UserToUser_AB_unique" ON "_UserToUser"("A", "B"); CREATE INDEX "_UserToUser_B_index" ON "_UserToUser"("B");'
)


def test_join_tables_count_as_relations_between_the_same_models(pg_db):
    # Recorded from Prisma 7.10.1's `db pull --print` on the same database (../shared/anchors):
    # a join table beside a foreign key (or another join table) between the same two models makes
    # every relation between them ambiguous, so each is named and its fields are named after it.
    # Before, Lamina counted foreign keys only and wrote three fields called `Tag` (P1012).
    conn = pg_db(AMBIGUOUS)
    assert pull(conn, HEAD) == HEAD + '''
model Post {
  id                  Int   @id
  tagId               Int?
  Tag_Post_tagIdToTag Tag?  @relation("Post_tagIdToTag", fields: [tagId], references: [id], onDelete: NoAction, onUpdate: NoAction)
  Tag_PostToTag       Tag[] @relation("PostToTag")
  Tag_tagging         Tag[] @relation("tagging")
}

model Tag {
  id                   Int    @id
  Post_Post_tagIdToTag Post[] @relation("Post_tagIdToTag")
  Post_PostToTag       Post[] @relation("PostToTag")
  Post_tagging         Post[] @relation("tagging")
}

model User {
  id                      Int    @id
  u                       Int?
  User_User_uToUser       User?  @relation("User_uToUser", fields: [u], references: [id], onDelete: NoAction, onUpdate: NoAction)
  other_User_User_uToUser User[] @relation("User_uToUser")
  User_UserToUser_A       User[] @relation("UserToUser")
  User_UserToUser_B       User[] @relation("UserToUser")
}
'''


SWAPPED = """
CREATE TABLE "Tag" (id INTEGER NOT NULL PRIMARY KEY);
CREATE TABLE post (id INTEGER NOT NULL PRIMARY KEY);
CREATE TABLE "_Tagging" ("A" INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE ON UPDATE CASCADE,
  "B" INTEGER NOT NULL REFERENCES "Tag"(id) ON DELETE CASCADE ON UPDATE CASCADE);
CREATE UNIQUE INDEX "_Tagging_AB_unique" ON "_Tagging"("A", "B");
CREATE INDEX "_Tagging_B_index" ON "_Tagging"("B");
CREATE TABLE "_Other" ("A" INTEGER NOT NULL REFERENCES "Tag"(id) ON DELETE CASCADE ON UPDATE CASCADE,
  "B" INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE ON UPDATE CASCADE);
CREATE UNIQUE INDEX "_Other_AB_unique" ON "_Other"("A", "B");
CREATE INDEX "_Other_B_index" ON "_Other"("B");
"""


def test_a_join_table_whose_a_is_not_the_first_table_is_a_model(tmp_path):
    # Recorded from Prisma 7.10.1's `db pull --print` on the same database (../shared/anchors):
    # `A` must refer to the table whose name sorts first ("Tag" < "post"); `_Tagging` has them the
    # other way round and becomes a model. Before, Lamina took it for an m:n relation.
    from lamina.dialects.sqlite.describe import describe as describe_sqlite
    from tests.introspect.test_pull import _sqlite_db

    head = 'datasource db {\n  provider = "sqlite"\n}\n'
    conn = _sqlite_db(tmp_path, SWAPPED)
    assert introspect(describe_sqlite(conn), "sqlite", [("schema.prisma", head)]).text == head + """
model Tag {
  id      Int       @id @default(autoincrement())
  Tagging Tagging[]
  post    post[]    @relation("Other")
}

model Tagging {
  A    Int
  B    Int
  Tag  Tag  @relation(fields: [B], references: [id], onDelete: Cascade)
  post post @relation(fields: [A], references: [id], onDelete: Cascade)

  @@unique([A, B], map: "_Tagging_AB_unique")
  @@index([B], map: "_Tagging_B_index")
  @@map("_Tagging")
}

model post {
  id      Int       @id @default(autoincrement())
  Tagging Tagging[]
  Tag     Tag[]     @relation("Other")
}
"""


ACROSS_SCHEMAS = """
CREATE SCHEMA billing;
CREATE TABLE public."Product" (id int PRIMARY KEY);
CREATE TABLE billing."User" (id int PRIMARY KEY);
CREATE TABLE public."_Tags" ("A" int NOT NULL REFERENCES public."Product"(id) ON DELETE CASCADE ON UPDATE CASCADE,
  "B" int NOT NULL REFERENCES billing."User"(id) ON DELETE CASCADE ON UPDATE CASCADE, CONSTRAINT "_Tags_AB_pkey" PRIMARY KEY ("A","B"));
CREATE INDEX "_Tags_B_index" ON public."_Tags"("B");
CREATE TABLE public."Aaa" (id int PRIMARY KEY);
CREATE TABLE public."Zzz" (id int PRIMARY KEY);
CREATE TABLE public."_AaaToZzz" ("A" int NOT NULL REFERENCES public."Aaa"(id) ON DELETE CASCADE ON UPDATE CASCADE,
  "B" int NOT NULL REFERENCES public."Zzz"(id) ON DELETE CASCADE ON UPDATE CASCADE, CONSTRAINT "_AaaToZzz_AB_pkey" PRIMARY KEY ("A","B"));
CREATE INDEX "_AaaToZzz_B_index" ON public."_AaaToZzz"("B");
"""


def test_an_m2m_relation_across_schemas_names_each_side_after_its_own_table(pg_db):
    # Recorded from Prisma 7.10.1's `db pull --print` (../shared/anchors): within one schema each
    # side is named after the other table (`Zzz Zzz[]`), across two after its own (`User Product[]`).
    # Before, Lamina named both kinds after the other table.
    from lamina.migrate.diff_sources import describe_connection

    conn = pg_db(ACROSS_SCHEMAS)
    head = 'datasource db {\n  provider = "postgresql"\n  schemas  = ["public", "billing"]\n}\n'
    printed = head.replace('"public", "billing"', '"billing", "public"')
    described = describe_connection(conn, "postgresql", ["public", "billing"])
    assert introspect(described, "postgresql", [("schema.prisma", head)]).text == printed + """
model User {
  id   Int       @id
  User Product[] @relation("Tags")

  @@schema("billing")
}

model Aaa {
  id  Int   @id
  Zzz Zzz[]

  @@schema("public")
}

model Product {
  id      Int    @id
  Product User[] @relation("Tags")

  @@schema("public")
}

model Zzz {
  id  Int   @id
  Aaa Aaa[]

  @@schema("public")
}
"""


UNNAMED_BESIDE_NAMED = (
    'CREATE TABLE "Post" (id int PRIMARY KEY, "tagId" int); CREATE TABLE "Tag" (id int PRIMARY KEY);'
    'ALTER TABLE "Post" ADD CONSTRAINT "Post_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag"(id) ON DELETE SET NULL ON UPDATE CASCADE;'
    'CREATE TABLE "_PostToTag" ("A" int NOT NULL REFERENCES "Post"(id) ON DELETE CASCADE ON UPDATE CASCADE,'
    ' "B" int NOT NULL REFERENCES "Tag"(id) ON DELETE CASCADE ON UPDATE CASCADE, CONSTRAINT "_PostToTag_AB_pkey" PRIMARY KEY ("A","B"));'
    'CREATE INDEX "_PostToTag_B_index" ON "_PostToTag"("B");'
)


def test_an_unnamed_m2m_field_beside_a_named_relation_keeps_its_name(pg_db):
    # Recorded from Prisma 7.10.1's `db pull --print` (../shared/anchors): `postList` is the only
    # unnamed Post[] field of Tag (`posts` is named for the 1:n relation "Rel"), so it is the m:n
    # relation's and keeps its name. Before, Lamina wrote `Post_PostToTag` for it.
    conn = pg_db(UNNAMED_BESIDE_NAMED)
    previous = (HEAD + '\nmodel Post {\n  id    Int    @id\n  tagId Int?\n  tag   Tag?   @relation("Rel", fields: [tagId], references: [id])\n'
                '  tags  Tag[]\n}\n\nmodel Tag {\n  id       Int    @id\n  posts    Post[] @relation("Rel")\n  postList Post[]\n}\n')
    assert pull(conn, previous) == HEAD + (
        '\nmodel Post {\n  id    Int   @id\n  tagId Int?\n  tag   Tag?  @relation("Rel", fields: [tagId], references: [id])\n'
        '  tags  Tag[] @relation("PostToTag")\n}\n\nmodel Tag {\n  id       Int    @id\n  posts    Post[] @relation("Rel")\n'
        '  postList Post[] @relation("PostToTag")\n}\n')
