"""A partial unique index (`@unique(where: …)`, `@@unique([a, b], where: …)`) is a unique criterion of
the client like any other, as in Prisma 7.10.1: its generated `PWhereUniqueInput` lists `email` and
`a_b` (the TypeScript client Prisma generates for the same schema has `email?` and `a_b?`)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.client.test_generate import lamina

SCHEMA = """generator client {
  provider        = "lamina"
  previewFeatures = ["partialIndexes"]
}
datasource db {
  provider = "sqlite"
}
model P {
  id     Int     @id
  email  String  @unique(where: raw("active"))
  code   String  @unique
  a      String
  b      String
  c      String
  active Boolean
  @@unique([a, b], where: { active: true })
  @@unique([b, c])
}
"""


def test_partial_uniques_are_unique_criteria(tmp_path: Path) -> None:
    (tmp_path / "prisma").mkdir()
    (tmp_path / "prisma" / "schema.prisma").write_text(SCHEMA)
    done = lamina("generate", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    types = (tmp_path / "lamina_client" / "types.py").read_text()
    block = re.search(r"class PWhereUniqueInput\(TypedDict, total=False\):\n(.*?)\n\n", types, re.S)
    assert block is not None
    fields = re.findall(r"^    (\w+):", block.group(1), re.M)
    assert fields == ["id", "email", "code", "a_b", "b_c"]
