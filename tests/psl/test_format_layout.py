"""The formatter on inputs whose `prisma format` output (Prisma 7.10.1) was recorded: top-level
blank lines, comments, tables, block-attribute groups, enum alignment, relation completion."""

from __future__ import annotations

import pytest

from lamina.psl.format import format_schema

CASES = {
    'top_level_blank_lines_and_comments': (
        '// top comment\ngenerator client {\n  provider = "x"\n}\n\n\n\n// c1\n\n// c2\n/// doc\nmodel A {\n  id Int @id\n}\nmodel B {\n  id Int @id\n}\n// after\nenum E {\n  A\n}\n/* blk */\nmodel C {\n  id Int @id\n}  \n\n\n',
        '// top comment\ngenerator client {\n  provider = "x"\n}\n\n// c1\n\n// c2\n/// doc\nmodel A {\n  id Int @id\n}\n\nmodel B {\n  id Int @id\n}\n\n// after\nenum E {\n  A\n}\n\n/**\n * blk\n */\nmodel C {\n  id Int @id\n}\n',
    ),
    'block_comments_and_trailing_comment_after_brace': (
        '\n\n// top comment\n\ngenerator client {\n  provider = "x"\n}\n\n\n// c1\n\n\nmodel A {\n  id Int @id\n} // trailing after block\n/// doc only\n\nmodel B {\n  id Int @id\n}\n/*\n   multi\n     line\n*/\n\n/** already\n * star\n */\nmodel C {\n  id Int @id\n}\n// end comment',
        '// top comment\n\ngenerator client {\n  provider = "x"\n}\n\n// c1\n\nmodel A {\n  id Int @id\n}\n// trailing after block\n/// doc only\n\nmodel B {\n  id Int @id\n}\n\n/**\n * multi\n * line\n */\n\n/**\n * already\n * star\n */\nmodel C {\n  id Int @id\n}\n\n// end comment\n',
    ),
    'body_tables_comments_and_block_attribute_groups': (
        'datasource db {\n  provider = "sqlite" // trailing\n  // comment in ds\n\n  relationMode   =   "prisma"\n}\nmodel A {\n\n\n  id Int @id // trailing id\n  // comment\n  longerName    String?   @unique   @default("x")\n  /// doc for b\n  b String\n  c Unsupported("foo bar")? @map("cc")\n\n\n\n  d Int\n  @@index([b])\n\n\n  // comment before attr\n  /// doc on attr\n  @@map("a") // trailing attr\n  @@unique([c])\n\n  // last comment\n\n\n}\n\nenum E {\n  ONE   @map("one")  // t\n  TWO\n  // c\n\n  THREE_LONGER\n  @@map("e")\n}\n\nmodel Single { id Int @id\n  id Int @id\n}\nmodel Empty {\n  id Int @id\n}\nmodel OnlyAttr {\n  id Int @id\n  @@ignore\n}\n',
        'datasource db {\n  provider = "sqlite" // trailing\n  // comment in ds\n\n  relationMode = "prisma"\n}\n\nmodel A {\n  id         Int                     @id // trailing id\n  // comment\n  longerName String?                 @unique @default("x")\n  /// doc for b\n  b          String\n  c          Unsupported("foo bar")? @map("cc")\n\n  d Int\n\n  // last comment\n\n  @@unique([c])\n  @@index([b])\n  // comment before attr\n  /// doc on attr\n  @@map("a") // trailing attr\n}\n\nenum E {\n  ONE @map("one") // t\n  TWO\n  // c\n\n  THREE_LONGER\n\n  @@map("e")\n}\n\nmodel Single {\n  id Int @id\n}\n\nmodel Empty {\n  id Int @id\n}\n\nmodel OnlyAttr {\n  id Int @id\n\n  @@ignore\n}\n',
    ),
    'trailing_comments_and_enum_alignment': (
        'datasource db {\n  provider = "postgresql"\n}\nmodel A {\n  id Int @id\n  x Int // t1\n  yy String @unique // t2\n  zzz Int\n  // standalone comment\n  w String @default("a") // t3\n  v String[] @default([]) // t4\n}\nenum E {\n  ONE   @map("one")  // t\n  TWOOOOO @map("two")\n  THREE // x\n  /// doc 4\n  FOUR\n}\n',
        'datasource db {\n  provider = "postgresql"\n}\n\nmodel A {\n  id  Int      @id\n  x   Int // t1\n  yy  String   @unique // t2\n  zzz Int\n  // standalone comment\n  w   String   @default("a") // t3\n  v   String[] @default([]) // t4\n}\n\nenum E {\n  ONE     @map("one") // t\n  TWOOOOO @map("two")\n  THREE // x\n  /// doc 4\n  FOUR\n}\n',
    ),
    # written `references` are kept: only `fields` (and the scalar field) are added
    'relation_with_references_only_gets_fields': (
        'datasource db {\n  provider = "sqlite"\n}\n\nmodel User {\n  id    Int    @id\n  email String @unique\n  posts Post[]\n  notes Note[]\n}\n\nmodel Post {\n  id   Int  @id\n  user User @relation(references: [id], onDelete: Cascade)\n}\n\nmodel Note {\n  id   Int   @id\n  user User? @relation(references: [id])\n}\n',
        'datasource db {\n  provider = "sqlite"\n}\n\nmodel User {\n  id    Int    @id\n  email String @unique\n  posts Post[]\n  notes Note[]\n}\n\nmodel Post {\n  id     Int  @id\n  user   User @relation(references: [id], onDelete: Cascade, fields: [userId])\n  userId Int\n}\n\nmodel Note {\n  id     Int   @id\n  user   User? @relation(references: [id], fields: [userId])\n  userId Int?\n}\n',
    ),
    'relation_completion_passes': (
        'datasource db {\n  provider = "postgresql"\n}\n\n/// Doc on enum\nenum Status {\n  /// doc on value\n  ACTIVE // trailing\n  INACTIVE\n\n  // comment\n  @@map("status")\n}\n\nmodel Author {\n  id    String @id @default(uuid()) @db.Uuid\n  books Book[]\n}\n\nmodel Book {\n  id        Int     @id @default( autoincrement( ) )\n  title     String  @default("it\'s \\"quoted\\"")\n  status    Status  @default(ACTIVE)\n  reviewer  Reviewer? @relation(fields: [reviewerId], references: [id])\n  reviewerId Int?\n}\n\nmodel Reviewer {\n  id Int @id\n  profile Profile?\n}\n\nmodel Profile {\n  id Int @id\n  userA Int\n  userB Int\n  @@unique([userA, userB])\n}\n\nmodel Tag {\n  a Int\n  b Int\n  @@id([a, b])\n}\n\nmodel Post {\n  id  Int @id\n  tag Tag\n}\n\n',
        'datasource db {\n  provider = "postgresql"\n}\n\n/// Doc on enum\nenum Status {\n  /// doc on value\n  ACTIVE // trailing\n  INACTIVE\n\n  // comment\n  @@map("status")\n}\n\nmodel Author {\n  id    String @id @default(uuid()) @db.Uuid\n  books Book[]\n}\n\nmodel Book {\n  id         Int       @id @default(autoincrement())\n  title      String    @default("it\'s \\"quoted\\"")\n  status     Status    @default(ACTIVE)\n  reviewer   Reviewer? @relation(fields: [reviewerId], references: [id])\n  reviewerId Int?\n  author     Author?   @relation(fields: [authorId], references: [id])\n  authorId   String?   @db.Uuid\n}\n\nmodel Reviewer {\n  id        Int      @id\n  profile   Profile? @relation(fields: [profileId], references: [id])\n  books     Book[]\n  profileId Int?\n}\n\nmodel Profile {\n  id        Int        @id\n  userA     Int\n  userB     Int\n  reviewers Reviewer[]\n\n  @@unique([userA, userB])\n}\n\nmodel Tag {\n  a     Int\n  b     Int\n  posts Post[]\n\n  @@id([a, b])\n}\n\nmodel Post {\n  id   Int @id\n  tag  Tag @relation(fields: [tagA, tagB], references: [a, b])\n  tagA Int\n  tagB Int\n}\n',
    ),
    'scalar_fields_named_after_the_target_model': (
        'datasource db {\n  provider = "sqlite"\n}\n\nmodel User {\n  id    Int    @id\n  email String\n}\n\nmodel Post {\n  id     Int   @id\n  author User\n  editor Person?\n}\n\nmodel Person {\n  key   String @id\n  posts Post[]\n}\n',
        'datasource db {\n  provider = "sqlite"\n}\n\nmodel User {\n  id    Int    @id\n  email String\n  posts Post[]\n}\n\nmodel Post {\n  id        Int     @id\n  author    User    @relation(fields: [userId], references: [id])\n  editor    Person? @relation(fields: [personKey], references: [key])\n  userId    Int\n  personKey String?\n}\n\nmodel Person {\n  key   String @id\n  posts Post[]\n}\n',
    ),
    'back_relation_names_pluralised_like_prisma': (
        'datasource db {\n  provider = "sqlite"\n}\n\nmodel T {\n  id Int @id\n}\nmodel Person {\n  id Int @id\n  t T\n}\nmodel Child {\n  id Int @id\n  t T\n}\nmodel Status {\n  id Int @id\n  t T\n}\nmodel Box {\n  id Int @id\n  t T\n}\nmodel Address {\n  id Int @id\n  t T\n}\nmodel Leaf {\n  id Int @id\n  t T\n}\nmodel Sheep {\n  id Int @id\n  t T\n}\nmodel Datum {\n  id Int @id\n  t T\n}\nmodel Company {\n  id Int @id\n  t T\n}\nmodel Key {\n  id Int @id\n  t T\n}\nmodel Bus {\n  id Int @id\n  t T\n}\nmodel Quiz {\n  id Int @id\n  t T\n}\nmodel Analysis {\n  id Int @id\n  t T\n}\nmodel Index {\n  id Int @id\n  t T\n}\nmodel Matrix {\n  id Int @id\n  t T\n}\nmodel Man {\n  id Int @id\n  t T\n}\nmodel Mouse {\n  id Int @id\n  t T\n}\nmodel Foot {\n  id Int @id\n  t T\n}\nmodel Series {\n  id Int @id\n  t T\n}\nmodel News {\n  id Int @id\n  t T\n}\nmodel Category {\n  id Int @id\n  t T\n}\nmodel Hero {\n  id Int @id\n  t T\n}\nmodel Photo {\n  id Int @id\n  t T\n}\nmodel Wolf {\n  id Int @id\n  t T\n}\nmodel Knife {\n  id Int @id\n  t T\n}\nmodel Day {\n  id Int @id\n  t T\n}\nmodel Boy {\n  id Int @id\n  t T\n}\nmodel City {\n  id Int @id\n  t T\n}\nmodel Tomato {\n  id Int @id\n  t T\n}\nmodel Cactus {\n  id Int @id\n  t T\n}\nmodel Criterion {\n  id Int @id\n  t T\n}\nmodel Octopus {\n  id Int @id\n  t T\n}\nmodel Alumnus {\n  id Int @id\n  t T\n}\nmodel Axis {\n  id Int @id\n  t T\n}\nmodel Ox {\n  id Int @id\n  t T\n}\nmodel Goose {\n  id Int @id\n  t T\n}\nmodel Tooth {\n  id Int @id\n  t T\n}\nmodel Info {\n  id Int @id\n  t T\n}\nmodel Equipment {\n  id Int @id\n  t T\n}\nmodel Fish {\n  id Int @id\n  t T\n}\nmodel Deer {\n  id Int @id\n  t T\n}\nmodel Movie {\n  id Int @id\n  t T\n}\nmodel UserProfile {\n  id Int @id\n  t T\n}\nmodel HTTPRequest {\n  id Int @id\n  t T\n}\nmodel Alias {\n  id Int @id\n  t T\n}\nmodel Vertex {\n  id Int @id\n  t T\n}\nmodel Process {\n  id Int @id\n  t T\n}\nmodel Dish {\n  id Int @id\n  t T\n}\nmodel Wish {\n  id Int @id\n  t T\n}\nmodel Buzz {\n  id Int @id\n  t T\n}\nmodel Fez {\n  id Int @id\n  t T\n}\nmodel Crisis {\n  id Int @id\n  t T\n}\nmodel Thesis {\n  id Int @id\n  t T\n}\nmodel Phenomenon {\n  id Int @id\n  t T\n}\nmodel Medium {\n  id Int @id\n  t T\n}\nmodel Schema {\n  id Int @id\n  t T\n}\nmodel Agenda {\n  id Int @id\n  t T\n}\nmodel Zero {\n  id Int @id\n  t T\n}\nmodel Echo {\n  id Int @id\n  t T\n}\n',
        'datasource db {\n  provider = "sqlite"\n}\n\nmodel T {\n  id           Int           @id\n  people       Person[]\n  children     Child[]\n  statuses     Status[]\n  boxes        Box[]\n  addresses    Address[]\n  leaves       Leaf[]\n  sheep        Sheep[]\n  data         Datum[]\n  companies    Company[]\n  keys         Key[]\n  buses        Bus[]\n  quizzes      Quiz[]\n  analyses     Analysis[]\n  indices      Index[]\n  matrices     Matrix[]\n  men          Man[]\n  mice         Mouse[]\n  feet         Foot[]\n  series       Series[]\n  news         News[]\n  categories   Category[]\n  heroes       Hero[]\n  photos       Photo[]\n  wolves       Wolf[]\n  knives       Knife[]\n  days         Day[]\n  boys         Boy[]\n  cities       City[]\n  tomatoes     Tomato[]\n  cacti        Cactus[]\n  criteria     Criterion[]\n  octopi       Octopus[]\n  alumni       Alumnus[]\n  axes         Axis[]\n  oxen         Ox[]\n  geese        Goose[]\n  teeth        Tooth[]\n  infos        Info[]\n  equipment    Equipment[]\n  fishes       Fish[]\n  deer         Deer[]\n  movies       Movie[]\n  userProfiles UserProfile[]\n  httprequests HTTPRequest[]\n  aliases      Alias[]\n  vertices     Vertex[]\n  processes    Process[]\n  dishes       Dish[]\n  wishes       Wish[]\n  buzzes       Buzz[]\n  fezs         Fez[]\n  crises       Crisis[]\n  theses       Thesis[]\n  phenomena    Phenomenon[]\n  mediums      Medium[]\n  schemas      Schema[]\n  agenda       Agenda[]\n  zeros        Zero[]\n  echos        Echo[]\n}\n\nmodel Person {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Child {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Status {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Box {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Address {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Leaf {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Sheep {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Datum {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Company {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Key {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Bus {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Quiz {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Analysis {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Index {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Matrix {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Man {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Mouse {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Foot {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Series {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel News {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Category {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Hero {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Photo {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Wolf {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Knife {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Day {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Boy {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel City {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Tomato {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Cactus {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Criterion {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Octopus {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Alumnus {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Axis {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Ox {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Goose {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Tooth {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Info {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Equipment {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Fish {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Deer {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Movie {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel UserProfile {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel HTTPRequest {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Alias {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Vertex {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Process {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Dish {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Wish {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Buzz {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Fez {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Crisis {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Thesis {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Phenomenon {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Medium {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Schema {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Agenda {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Zero {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n\nmodel Echo {\n  id  Int @id\n  t   T   @relation(fields: [tId], references: [id])\n  tId Int\n}\n',
    ),
    'crlf_input': (
        'datasource db {\n  provider = "sqlite"\n}\n\n// c\nmodel A {\n  id Int @id // t\n  name String\n}\n',
        'datasource db {\n  provider = "sqlite"\n}\n\n// c\nmodel A {\n  id   Int    @id // t\n  name String\n}\n',
    ),
    'comments_travel_with_block_attributes': (
        'datasource db {\n  provider = "sqlite"\n}\n// lonely comment at top\n\n\n\nmodel A {\n  id Int @id\n  // about index\n  @@index([name])\n\n  // about name\n  name String\n  @@unique([name]) // trailing u\n  /// doc separated\n\n  other String\n  // final comment\n}\nmodel B {\n  // only comment\n  id Int @id\n}\n\n\n\n// between\n/// doc for C\nmodel C {\n  id   Int @id\n\n  /// documented\n  x    Int\n\n  @@map("c")\n}\n',
        'datasource db {\n  provider = "sqlite"\n}\n\n// lonely comment at top\n\nmodel A {\n  id Int @id\n\n  // about name\n  name String\n  /// doc separated\n\n  other String\n  // final comment\n\n  @@unique([name]) // trailing u\n  // about index\n  @@index([name])\n}\n\nmodel B {\n  // only comment\n  id Int @id\n}\n\n// between\n/// doc for C\nmodel C {\n  id Int @id\n\n  /// documented\n  x Int\n\n  @@map("c")\n}\n',
    ),
    'references_the_first_unique_when_there_is_no_id': (
        'datasource db {\n  provider = "sqlite"\n}\n\nmodel Account {\n  email String @unique\n}\n\nmodel Login {\n  id      Int      @id\n  account Account?\n}\n\n',
        'datasource db {\n  provider = "sqlite"\n}\n\nmodel Account {\n  email  String  @unique\n  logins Login[]\n}\n\nmodel Login {\n  id           Int      @id\n  account      Account? @relation(fields: [accountEmail], references: [email])\n  accountEmail String?\n}\n',
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_prisma_format(name: str) -> None:
    source, expected = CASES[name]
    [(_, actual)] = format_schema([("schema.prisma", source)])
    assert actual == expected
    if name not in NOT_IDEMPOTENT_IN_PRISMA:
        [(_, again)] = format_schema([("schema.prisma", expected)])
        assert again == expected


# `} // comment` puts the comment on its own line right below the `}`; formatting that again
# adds a blank line between them (Prisma 7.10.1 does the same, checked).
NOT_IDEMPOTENT_IN_PRISMA = {"block_comments_and_trailing_comment_after_brace"}


def test_columns_are_padded_by_utf8_width_like_prisma() -> None:
    source = "model A {\n  id Int @id @map(\"_id\")\n  lööps String[]\n}\n"
    [(_, actual)] = format_schema([("schema.prisma", source)])
    assert actual == "model A {\n  id      Int      @id @map(\"_id\")\n  lööps String[]\n}\n"


def test_field_attributes_in_canonical_order_and_arguments_respelled() -> None:
    source = 'model A {\n  id Int @map("x")  @db.Integer @ignore @relation(  "r" ) @updatedAt @default( 1 ) @unique( map:"u" ,sort:Desc) @id\n}\n'
    [(_, actual)] = format_schema([("schema.prisma", source)])
    assert actual == (
        'model A {\n  id Int @id @unique(map: "u", sort: Desc) @default(1) @updatedAt @map("x") @relation("r") @ignore @db.Integer\n}\n'
    )


def test_unparsable_lines_are_kept_as_written() -> None:
    source = "model A {\n  id Int @id\n    this is ( not valid\n  name String\n}\n\ngarbage here\n"
    [(_, actual)] = format_schema([("schema.prisma", source)])
    assert actual == "model A {\n  id   Int    @id\n  this is ( not valid\n  name String\n}\n\ngarbage here\n"


def test_empty_and_whitespace_only_files() -> None:
    assert format_schema([("a.prisma", ""), ("b.prisma", "\n\n  \n")]) == [("a.prisma", ""), ("b.prisma", "")]


def test_named_relation_gets_an_unnamed_back_field_and_its_arguments() -> None:
    # Prisma 7.10.1 formats it so (and then reports the two fields as unpaired).
    source = 'model Team {\n  id Int @id\n}\n\nmodel Member {\n  id Int @id\n  team Team @relation("squad")\n}\n'
    [(_, actual)] = format_schema([("schema.prisma", source)])
    assert actual == (
        "model Team {\n  id      Int      @id\n  members Member[]\n}\n\n"
        'model Member {\n  id     Int  @id\n  team   Team @relation("squad", fields: [teamId], references: [id])\n'
        "  teamId Int\n}\n"
    )


def test_one_to_one_without_fields_gets_them_on_the_first_side() -> None:
    # Prisma 7.10.1 does the same (and then asks for `@unique` on `bId`).
    source = "model A {\n  id Int @id\n  b  B?\n}\n\nmodel B {\n  id Int @id\n  a  A?\n}\n"
    [(_, actual)] = format_schema([("schema.prisma", source)])
    assert actual == (
        "model A {\n  id  Int  @id\n  b   B?   @relation(fields: [bId], references: [id])\n  bId Int?\n}\n\n"
        "model B {\n  id Int @id\n  a  A?\n}\n"
    )


def test_native_types_and_unknown_attributes_keep_their_written_order() -> None:
    """Prisma 7.10.1 (seen in its diagnostics for this schema): the known attributes first, in
    canonical order, then every other one, `@db.*` included, as written."""
    source = 'model A {\n  id Int @id\n  x String @zz @uniq @db.Text @default("a") @foo @map("x")\n  y String @db.Text @bar\n}\n'
    [(_, actual)] = format_schema([("schema.prisma", source)])
    assert actual == (
        'model A {\n  id Int    @id\n  x  String @default("a") @map("x") @zz @uniq @db.Text @foo\n  y  String @db.Text @bar\n}\n'
    )
    # `@index` and `@fulltext` (block attributes written on a field) have their canonical places too
    source = 'model A {\n  x String @zz @map("a") @fulltext @ignore @index @default("b") @unique @shardKey @updatedAt @relation("r") @schema("s") @id\n}\n'
    [(_, actual)] = format_schema([("schema.prisma", source)])
    assert actual == (
        'model A {\n  x String @id @unique @default("b") @updatedAt @index @fulltext @map("a") @relation("r") @ignore @zz @shardKey @schema("s")\n}\n'
    )
