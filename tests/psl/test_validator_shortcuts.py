"""The validator's shortcuts for the usual case change nothing.

The validator reads the common shapes without its general argument reader: `@relation(...)`
with well-formed arguments (attributes._plain_relation_attribute), `@@index([a, b])` and the
like (block_attributes._plain_fields), `@id`/`@unique` without arguments
(attributes._no_arguments), and each distinct `@default(x)` is worked out once per type
(defaults._cache_key). Here every schema of the conformance suite, the recorded Prisma CLI
cases, a schema written to use all of them and seeded mutations of those is validated with the
shortcuts and again with each one turned off: the diagnostics (with their spans) and the
datamodel must be the same. Also: fields that repeat a default share its object.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from lamina import datamodel as dm
from lamina.psl.parser import parse_schema
from lamina.psl.render import render_diagnostics
from lamina.psl.validate import attributes, block_attributes, defaults, validate
from validation_cases import load_cases

CLI_CASES = Path(__file__).with_name("prisma_cli_validate")

SHORTCUTS = {
    "relation": (attributes, "_plain_relation_attribute", lambda attr: None),
    "index_fields": (block_attributes, "_plain_fields", lambda attr: None),
    "no_arguments": (attributes, "_no_arguments", lambda attr: False),
    "default_cache": (defaults, "_cache_key", lambda node, value: None),
}

EVERYTHING = """datasource db {
  provider = "postgresql"
}

enum Role {
  USER
  ADMIN @map("admin")
}

model User {
  id        Int      @id @default(autoincrement())
  uuid      String   @unique @default(uuid()) @db.Uuid
  other     String   @default(uuid(7))
  cuid      String   @default(cuid())
  cuid2     String   @default(cuid(2))
  nano      String   @default(nanoid(8))
  ulid      String   @default(ulid())
  name      String   @default("x") @db.VarChar(255)
  nick      String?  @default("x") @db.VarChar(255)
  role      Role     @default(ADMIN)
  roles     Role[]   @default([USER, ADMIN])
  score     Float    @default(1.5)
  count     Int      @default(0)
  big       BigInt   @default(0)
  money     Decimal  @default("2.50")
  money2    Decimal  @default(2.50)
  flag      Boolean  @default(true)
  doc       Json     @default("{\\"a\\": 1}")
  raw       Bytes    @default("AAAA")
  at        DateTime @default(now()) @db.Timestamptz(3)
  seen      DateTime @default(dbgenerated("now()"))
  stamp     DateTime @updatedAt
  tags      String[] @default(["a", "b"])
  gone      String?  @ignore
  col       String   @map("the_col") @default("x", map: "d")
  posts     Post[]   @relation("authored")
  edits     Post[]   @relation(name: "edited")
  profile   Profile?
  friends   User[]   @relation("friends")
  friendOf  User[]   @relation("friends")
  boss      User?    @relation("boss", fields: [bossId], references: [id], onDelete: SetNull, onUpdate: Cascade, map: "boss_fk")
  bossId    Int?
  reports   User[]   @relation("boss")

  @@unique([name, role], name: "name_role", map: "nr")
  @@index([count(sort: Desc), big])
  @@index(fields: [score], type: Hash)
  @@index([doc(ops: JsonbPathOps)], type: Gin)
  @@index([name])
  @@unique([cuid])
  @@map("users")
}

model Post {
  id       Int   @id
  authorId Int
  author   User  @relation("authored", fields: [authorId], references: [id])
  editorId Int?
  editor   User? @relation(name: "edited", fields: editorId, references: id, onDelete: Cascade)
  tags     Tag[]
}

model Profile {
  userId Int  @unique
  user   User @relation(fields: [userId], references: [id])
  a      Int
  b      Int

  @@id([a, b])
}

model Tag {
  id    String @id @default(cuid()) @unique(map: "tag_id")
  posts Post[]
}
"""

TOKENS = ["@id", "@unique", "@unique(map: \"u\")", "@unique(sort: Desc)", "@@index([", "@relation(", "fields: [",
          "references: [id]", "onDelete: Cascade", "onUpdate: Bogus", ", map: \"m\"", "name: \"n\"", "\"r\", ",
          "]", ")", "(", "?", "[]", " Int", " String", " Role", " DateTime", "@default(", "now()", "uuid(9)",
          "autoincrement()", "0", "1.5", "\"x\"", "true", "USER", "[", "@updatedAt", "@ignore", "@map(\"c\")",
          "@db.Text", "@@id([", "@@unique(", "sort: Asc", "type: Brin", ",", "\n", "}", "foo()"]  # fmt: skip


def _corpus() -> list[str]:
    texts = [case.text for case in load_cases()]
    texts += [p.read_text(encoding="utf-8") for p in sorted(CLI_CASES.glob("*.prisma"))]
    texts.append(EVERYTHING)
    rng = random.Random(17)
    seeds = list(texts)
    for _ in range(600):
        text = rng.choice([EVERYTHING, EVERYTHING, *seeds])
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            cut = rng.choice([0, 0, rng.randint(0, 20)])
            text = text[:at] + rng.choice(TOKENS) + text[at + cut :]
        texts.append(text)
    return texts


def _outcome(text: str) -> tuple[str, list, str]:
    ast, diagnostics = parse_schema([("schema.prisma", text)])
    datamodel = validate(ast, diagnostics)
    found = [(d.message, d.span) for d in diagnostics.errors + diagnostics.warnings]
    return render_diagnostics(diagnostics, ast, color=False), found, repr(datamodel)


@pytest.fixture(scope="module")
def corpus_and_outcomes() -> tuple[list[str], list[tuple[str, list, str]]]:
    texts = _corpus()
    return texts, [_outcome(t) for t in texts]


def test_everything_schema_is_valid():
    _, found, model = _outcome(EVERYTHING)
    assert found == [] and model != "None"


@pytest.mark.parametrize("shortcut", [*SHORTCUTS, "all"])
def test_shortcuts_change_nothing(shortcut, corpus_and_outcomes, monkeypatch):
    for name, (module, attr, replacement) in SHORTCUTS.items():
        if shortcut in (name, "all"):
            monkeypatch.setattr(module, attr, replacement)
    texts, expected = corpus_and_outcomes
    for text, outcome in zip(texts, expected):
        assert _outcome(text) == outcome, text


def test_repeated_defaults_and_native_types_are_shared():
    ast, diagnostics = parse_schema([("schema.prisma", EVERYTHING)])
    model = validate(ast, diagnostics)
    assert model is not None
    user = model.model("User")
    assert user.field("uuid").default is not user.field("other").default  # uuid() and uuid(7) differ
    assert user.field("name").default is user.field("nick").default  # @default("x") on String and String?
    assert user.field("name").default == dm.DefaultValue(dm.DefaultKind.VALUE, "x")
    assert user.field("col").default.db_name == "d" and user.field("name").default.db_name is None
    assert user.field("name").native_type is user.field("nick").native_type
    assert model.model("Tag").field("id").default is user.field("cuid").default
    assert not hasattr(user, "__dict__") and not hasattr(user.field("id"), "__dict__")  # slotted
