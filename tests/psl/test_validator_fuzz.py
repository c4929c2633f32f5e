"""No input makes the parser + validator raise: random text and mutations of real schemas."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamina.psl.load import parse_and_validate
from validation_cases import load_cases

SEEDS = [c.text for c in load_cases()] or ["model A {\n  id Int @id\n}\n"]
CRM_LIKE = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

enum Role {
  A
  B
}

model User {
  id    Int     @id @default(autoincrement())
  email String  @unique @db.VarChar(200)
  role  Role    @default(A)
  posts Post[]
  tags  String[]
  @@index([email(sort: Desc)], map: "x")
}

model Post {
  id       Int   @id
  authorId Int?
  author   User? @relation(fields: [authorId], references: [id], onDelete: SetNull)
  cats     Category[]
}

model Category {
  id    Int    @id
  posts Post[]
}
"""
SEEDS.append(CRM_LIKE)
TOKENS = ["@id", "@unique", "@@index([", "@relation(", "fields: [", "]", ")", "(", "{", "}", "\n", "?", "[]", " Int",
          " String", "@default(", "now()", "autoincrement()", '"', "model X {\n", "enum E {\n", "@@map(", "@db.", ",",
          "env(", "@@schema(", "view V {\n", "type T {\n", "references: [id]", "onDelete: Cascade", "@@id([", "\\"]  # fmt: skip


def check(text: str) -> None:
    ast, diagnostics, datamodel = parse_and_validate([("schema.prisma", text)])
    assert (datamodel is None) == diagnostics.has_errors


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_random_text(text):
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SEEDS),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), st.sampled_from(TOKENS)), max_size=4),
)
def test_mutated_schemas(seed, edits):
    text = seed
    for where, cut, token in edits:
        at = int(where * len(text))
        text = text[:at] + token + text[at + cut :]
    check(text)
