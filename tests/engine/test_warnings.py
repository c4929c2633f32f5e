"""Data-loss warnings and unexecutable steps in Prisma's exact words.

The expectations are migration.sql files written by the real Prisma 7.10.1
(`migrate dev --create-only` in a terminal) for warnings/<provider>.before/after.prisma.
Prisma diffed from the live database (tables in name order), so only the warnings are
compared here, as a set; the scripts themselves are covered by the scenario corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.helpers import script

HERE = Path(__file__).resolve().parent / "warnings"


def warnings_of(text: str) -> list[str]:
    assert text.startswith("/*\n  Warnings:\n\n"), text[:200]
    block = text[len("/*\n  Warnings:\n\n"):text.index("\n*/\n")]
    return sorted(line.removeprefix("  - ") for line in block.strip("\n").split("\n"))


@pytest.mark.parametrize("provider", ["sqlite", "postgresql"])
def test_warnings_equal_prismas(provider: str) -> None:
    before = (HERE / f"{provider}.before.prisma").read_text()
    after = (HERE / f"{provider}.after.prisma").read_text()
    got = script(before, after, provider, warnings=True)
    assert warnings_of(got) == warnings_of((HERE / f"expected.{provider}.sql").read_text())


def test_no_warnings_header_without_warnings() -> None:
    before = (HERE / "sqlite.after.prisma").read_text()
    assert script(before, before, "sqlite", warnings=True) == "-- This is an empty migration.\n"


MYSQL_ENUM = """datasource db {{
  provider = "mysql"
}}

enum Role {{
  {values}
}}

model User {{
  id   Int  @id
  role Role
}}
"""


def test_mysql_inline_enum_value_changes_are_said_as_what_they_are() -> None:
    """On MySQL an enum is the column's ENUM(...) list: adding a value loses nothing (it said
    "cast from `String` to `String`"); removing one fails on the rows that hold it."""
    before = MYSQL_ENUM.format(values="A\n  B")
    added = script(before, MYSQL_ENUM.format(values="A\n  B\n  C"), "mysql", warnings=True)
    assert "Warnings" not in added and "cast" not in added
    assert "MODIFY `role` ENUM('A', 'B', 'C') NOT NULL" in added
    removed = script(before, MYSQL_ENUM.format(values="A"), "mysql", warnings=True)
    assert warnings_of(removed) == [
        "The values [B] on the enum `User_role` will be removed. If these variants are still used in the database, "
        "this will fail."]
