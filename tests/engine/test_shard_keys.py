"""Shard keys (`shardKeys` preview feature, MySQL) change no SQL, as in Prisma 7.10.1: the same
schema with `@shardKey`/`@@shardKey` and without them gives the same tables and the same
migration script; the key reaches the datamodel (and from there the client's metadata)."""

from __future__ import annotations

from lamina.dialects import get_dialect
from lamina.psl.load import parse_and_validate
from lamina.sql.calculate import calculate
from lamina.sql.diff import diff
from lamina.sql.schema import SqlSchema

SCHEMA = """generator client {
  provider        = "prisma-client-js"
  previewFeatures = [FEATURES]
}

datasource db {
  provider = "mysql"
}

model User {
  id     Int    @id @default(autoincrement())
  region String FIELD_KEY
  email  String @unique
}

model Order {
  id     Int    @default(autoincrement())
  region String
  total  Int

  @@id([id, region])
  BLOCK_KEY
}
"""


def _datamodel(with_keys: bool):
    text = (SCHEMA.replace("FEATURES", '"shardKeys"' if with_keys else "")
            .replace("FIELD_KEY", "@shardKey" if with_keys else "")
            .replace("BLOCK_KEY", "@@shardKey([region])" if with_keys else ""))
    _ast, diagnostics, datamodel = parse_and_validate([("schema.prisma", text)])
    assert not diagnostics.errors, diagnostics.errors
    return datamodel


def test_shard_keys_change_no_sql():
    dialect = get_dialect("mysql")
    with_keys, without = _datamodel(True), _datamodel(False)
    assert [m.shard_key for m in with_keys.models] == [["region"], ["region"]]
    assert [m.shard_key for m in without.models] == [[], []]
    assert calculate(with_keys, dialect) == calculate(without, dialect)
    script = dialect.render_script(diff(SqlSchema(), calculate(with_keys, dialect), dialect))
    assert script == dialect.render_script(diff(SqlSchema(), calculate(without, dialect), dialect))
    assert "CREATE TABLE `Order`" in script and "shard" not in script.lower()
